// The watch recipes by id, in the order reports list them.
import { childWatch } from './child-watch.ts';
import { dataWatch } from './data-watch.ts';
import { existsWatch } from './exists-watch.ts';
import type { WatchRecipe, WatchRecipeId } from './types.ts';

export const WATCH_RECIPES: ReadonlyMap<WatchRecipeId, WatchRecipe> = new Map([dataWatch, existsWatch, childWatch].map((r) => [r.id, r]));

export function watchRecipe(id: WatchRecipeId): WatchRecipe {
  const recipe = WATCH_RECIPES.get(id);
  if (!recipe) throw new Error(`unknown watch recipe ${id}`);
  return recipe;
}

export * from './types.ts';
