// The lock-failover scenario's own workload fields, typed, and what follows from them. index.ts declares the
// fields (specs, checks); the coordinator, the load side and the table read them from here.
import type { LockWorkload } from '../lock-contention/workload.ts';

export const FENCING_MODES = ['czxid', 'none'] as const;

export interface LockFailoverFields {
  fencing: (typeof FENCING_MODES)[number];
  /** From the clients' start; undefined: no holder is paused. */
  pauseHolderAtS: number | undefined;
  pauseMs: number;
}
export type LockFailoverWorkload = LockWorkload & LockFailoverFields;

/** The guard's session times out after the servers' largest session timeout (20 ticks by default). */
export const guardSessionTimeoutMs = (w: LockFailoverWorkload): number => 20 * w.tickTimeMs;
