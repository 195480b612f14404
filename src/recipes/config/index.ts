// The configuration recipes by id, in the order reports list them.
import { syncThenRead } from './sync-then-read.ts';
import type { ConfigRecipe, ConfigRecipeId } from './types.ts';
import { watchReread } from './watch-reread.ts';

export const CONFIG_RECIPES: ReadonlyMap<ConfigRecipeId, ConfigRecipe> = new Map([watchReread, syncThenRead].map((r) => [r.id, r]));

export function configRecipe(id: ConfigRecipeId): ConfigRecipe {
  const recipe = CONFIG_RECIPES.get(id);
  if (!recipe) throw new Error(`unknown configuration recipe ${id}`);
  return recipe;
}

export * from './types.ts';
