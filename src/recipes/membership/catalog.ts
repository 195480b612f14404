// What each membership recipe is, without loading any of them (or the ZooKeeper addon): for `zkbench list`.

/** Every recipe of the family, by id: workloads and `zkbench list` name them. */
export const MEMBERSHIP_RECIPE_IDS = ['reread-data', 'names-only'] as const;
export type MembershipRecipeId = (typeof MEMBERSHIP_RECIPE_IDS)[number];

export interface MembershipRecipeInfo {
  /** One line for `zkbench list`. */
  summary: string;
}

export const MEMBERSHIP_RECIPE_INFO: Readonly<Record<MembershipRecipeId, MembershipRecipeInfo>> = {
  'reread-data': { summary: "seed 001's server list: on every child event list the group, then getData of every child for its address" },
  'names-only': { summary: "the address in the child's name: on every child event one getChildren of the group, no data reads" },
};
