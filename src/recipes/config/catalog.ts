// What each configuration recipe is, without loading any of them (or the ZooKeeper addon): for `zkbench list`.
import type { ConfigRecipeId } from './types.ts';

export interface ConfigRecipeInfo {
  /** One line for `zkbench list`. */
  summary: string;
}

export const CONFIG_RECIPE_INFO: Readonly<Record<ConfigRecipeId, ConfigRecipeInfo>> = {
  'watch-reread': { summary: 'getData with a watch; on every event read again (which re-arms): seed 000 as written' },
  'sync-then-read': { summary: 'as watch-reread, but sync the path before every read, so the read returns everything committed before it began' },
};
