// The lock-contention scenario's own workload fields, typed, and what follows from them. index.ts declares the
// fields (specs, checks); the coordinator, the load side and the table read them from here.
import type { OpenLoopSettings, RatePer } from '../../measure/open-loop.ts';
import type { Recovery } from '../../recipes/lock/types.ts';
import type { Workload } from '../../workload/schema.ts';

/** The lock scenario's own workload fields. */
export interface LockFields {
  holdMs: number;
  acquireTimeoutMs: number;
  giveUpShare: number;
  giveUpAfterMs: number;
  recovery: Recovery;
}
export type LockWorkload = Workload & LockFields & Partial<WarmupFields> & Partial<RateFields>;

/** lock-contention's open loop (absent in lock-failover). */
export interface RateFields {
  rate: number;
  ratePer: RatePer;
}

/**
 * The open-loop settings of a lock workload, or undefined for a closed loop (rate 0). One attempt in flight
 * per client: a client holds one place in the queue, so the next attempt waits for the previous one.
 */
export function lockOpenLoopOf(w: LockWorkload): OpenLoopSettings | undefined {
  return (w.rate ?? 0) > 0 ? { rate: w.rate!, ratePer: w.ratePer ?? 'total', maxInFlight: 1 } : undefined;
}

/** lock-contention's warm-up that lets the queue form (warmup-gate.ts); absent in lock-failover, which runs on time. */
export interface WarmupFields {
  warmupUntil: 'time' | 'queued';
  warmupLimitS: number;
}
