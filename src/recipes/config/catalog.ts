// What each configuration recipe is, without loading any of them (or the ZooKeeper addon): for `zkbench list`.

/** Every recipe of the family, by id: workloads and `zkbench list` name them. */
export const CONFIG_RECIPE_IDS = ['watch-reread', 'sync-then-read'] as const;
export type ConfigRecipeId = (typeof CONFIG_RECIPE_IDS)[number];

export interface ConfigRecipeInfo {
  /** One line for `zkbench list`. */
  summary: string;
}

export const CONFIG_RECIPE_INFO: Readonly<Record<ConfigRecipeId, ConfigRecipeInfo>> = {
  'watch-reread': { summary: 'getData with a watch; on every event read again (which re-arms): seed 000 as written' },
  'sync-then-read': { summary: 'as watch-reread, but sync the path before every read, so the read returns everything committed before it began' },
};
