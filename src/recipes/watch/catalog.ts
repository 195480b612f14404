// What each watch recipe is, without loading any of them (or the ZooKeeper addon): for `zkbench list`.

/** Every recipe of the family, by id: workloads and `zkbench list` name them. */
export const WATCH_RECIPE_IDS = ['data-watch', 'exists-watch', 'child-watch'] as const;
export type WatchRecipeId = (typeof WATCH_RECIPE_IDS)[number];

export interface WatchRecipeInfo {
  /** One line for `zkbench list`. */
  summary: string;
}

export const WATCH_RECIPE_INFO: Readonly<Record<WatchRecipeId, WatchRecipeInfo>> = {
  'data-watch': { summary: 'getData with a watch; every event re-arms by reading the new value (seed 000 configuration)' },
  'exists-watch': { summary: 'exists with a watch; every event re-arms with exists (the stat only, no data)' },
  'child-watch': { summary: "getChildren with a watch; the writer adds and removes a child; re-arm by listing (version: the parent's cversion)" },
};
