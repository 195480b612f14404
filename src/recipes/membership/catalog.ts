// What each membership recipe is, without loading any of them (or the ZooKeeper addon): for `zkbench list`.
import type { MembershipRecipeId } from './types.ts';

export interface MembershipRecipeInfo {
  /** One line for `zkbench list`. */
  summary: string;
}

export const MEMBERSHIP_RECIPE_INFO: Readonly<Record<MembershipRecipeId, MembershipRecipeInfo>> = {
  'reread-data': { summary: "seed 001's server list: on every child event list the group, then getData of every child for its address" },
  'names-only': { summary: "the address in the child's name: on every child event one getChildren of the group, no data reads" },
};
