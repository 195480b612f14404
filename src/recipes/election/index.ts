// The election recipes by id, in the order reports list them.
import { exclusiveNodeElection } from './exclusive-node-election.ts';
import { predecessorElection } from './predecessor-election.ts';
import type { ElectionRecipe, ElectionRecipeId } from './types.ts';

export const ELECTION_RECIPES: ReadonlyMap<ElectionRecipeId, ElectionRecipe> = new Map([predecessorElection, exclusiveNodeElection].map((r) => [r.id, r]));

export function electionRecipe(id: ElectionRecipeId): ElectionRecipe {
  const recipe = ELECTION_RECIPES.get(id);
  if (!recipe) throw new Error(`unknown election recipe ${id}`);
  return recipe;
}

export * from './types.ts';
