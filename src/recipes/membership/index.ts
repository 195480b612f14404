// The membership recipes by id, in the order reports list them.
import { namesOnly } from './names-only.ts';
import { rereadData } from './reread-data.ts';
import type { MembershipRecipe, MembershipRecipeId } from './types.ts';

export const MEMBERSHIP_RECIPES: ReadonlyMap<MembershipRecipeId, MembershipRecipe> = new Map([rereadData, namesOnly].map((r) => [r.id, r]));

export function membershipRecipe(id: MembershipRecipeId): MembershipRecipe {
  const recipe = MEMBERSHIP_RECIPES.get(id);
  if (!recipe) throw new Error(`unknown membership recipe ${id}`);
  return recipe;
}

export * from './types.ts';
