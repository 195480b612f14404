// What each lock recipe is, without loading any of them (or the ZooKeeper addon): for `zkbench list`.

/** Every recipe of the family, by id: workloads and `zkbench list` name them. */
export const LOCK_RECIPE_IDS = ['exclusive-node', 'children-watch', 'predecessor-unchecked', 'predecessor'] as const;
export type LockRecipeId = (typeof LOCK_RECIPE_IDS)[number];

export interface LockRecipeInfo {
  /** One line for `zkbench list`. */
  summary: string;
  /** False for a recipe the suite includes to show that its checker catches the flaw. */
  safe: boolean;
}

export const LOCK_RECIPE_INFO: Readonly<Record<LockRecipeId, LockRecipeInfo>> = {
  'exclusive-node': { summary: 'everyone creates one EPHEMERAL node; losers watch it and race again (herd, not FIFO)', safe: true },
  'children-watch': { summary: 'sequential children, every waiter watches the child list (herd effect)', safe: true },
  'predecessor-unchecked': { summary: 'UNSAFE seed lock: watch the predecessor, assume the lock when it is deleted', safe: false },
  predecessor: { summary: 'sequential children, watch the predecessor, re-check the queue on wake (Curator InterProcessMutex)', safe: true },
};
