// What each election recipe is, without loading any of them (or the ZooKeeper addon): for `zkbench list`.
import type { ElectionRecipeId } from './types.ts';

export interface ElectionRecipeInfo {
  /** One line for `zkbench list`. */
  summary: string;
}

export const ELECTION_RECIPE_INFO: Readonly<Record<ElectionRecipeId, ElectionRecipeInfo>> = {
  'predecessor-election': { summary: 'lowest EPHEMERAL_SEQUENTIAL candidate leads, each watches its predecessor (ZooKeeper recipe, Curator LeaderLatch)' },
  'exclusive-node-election': { summary: 'everyone races to create one EPHEMERAL leader node; losers watch it and race again (herd)' },
};
