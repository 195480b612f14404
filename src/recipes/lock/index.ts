// The lock recipes by id, in the order reports list them.
import { childrenWatch } from './children-watch.ts';
import { exclusiveNode } from './exclusive-node.ts';
import { predecessor } from './predecessor.ts';
import { predecessorUnchecked } from './predecessor-unchecked.ts';
import type { LockRecipe, LockRecipeId } from './types.ts';

export const LOCK_RECIPES: ReadonlyMap<LockRecipeId, LockRecipe> = new Map(
  [exclusiveNode, childrenWatch, predecessorUnchecked, predecessor].map((r) => [r.id, r]),
);

export function lockRecipe(id: LockRecipeId): LockRecipe {
  const recipe = LOCK_RECIPES.get(id);
  if (!recipe) throw new Error(`unknown lock recipe ${id}`);
  return recipe;
}

export * from './types.ts';
