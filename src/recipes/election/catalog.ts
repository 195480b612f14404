// What each election recipe is, without loading any of them (or the ZooKeeper addon): for `zkbench list`.

/** Every recipe of the family, by id: workloads and `zkbench list` name them. */
export const ELECTION_RECIPE_IDS = ['predecessor-election', 'exclusive-node-election'] as const;
export type ElectionRecipeId = (typeof ELECTION_RECIPE_IDS)[number];

export interface ElectionRecipeInfo {
  /** One line for `zkbench list`. */
  summary: string;
}

export const ELECTION_RECIPE_INFO: Readonly<Record<ElectionRecipeId, ElectionRecipeInfo>> = {
  'predecessor-election': { summary: 'lowest EPHEMERAL_SEQUENTIAL candidate leads, each watches its predecessor (ZooKeeper recipe, Curator LeaderLatch)' },
  'exclusive-node-election': { summary: 'everyone races to create one EPHEMERAL leader node; losers watch it and race again (herd)' },
};
