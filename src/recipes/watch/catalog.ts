// What each watch recipe is, without loading any of them (or the ZooKeeper addon): for `zkbench list`.
import type { WatchRecipeId } from './types.ts';

export interface WatchRecipeInfo {
  /** One line for `zkbench list`. */
  summary: string;
}

export const WATCH_RECIPE_INFO: Readonly<Record<WatchRecipeId, WatchRecipeInfo>> = {
  'data-watch': { summary: 'getData with a watch; every event re-arms by reading the new value (seed 000 configuration)' },
  'exists-watch': { summary: 'exists with a watch; every event re-arms with exists (the stat only, no data)' },
  'child-watch': { summary: "getChildren with a watch; the writer adds and removes a child; re-arm by listing (version: the parent's cversion)" },
};
