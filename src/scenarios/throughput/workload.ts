// The throughput scenario's own workload fields, typed, and what follows from them. index.ts declares the
// fields (specs, checks); the coordinator, the load side and the table read them from here.
import type { OpenLoopSettings } from '../../measure/open-loop.ts';
import type { Workload } from '../../workload/schema.ts';

export type ThroughputWorkload = Workload & OpenLoopSettings;

/** The open-loop settings of a workload, or undefined for a closed loop (rate 0). */
export function openLoopOf(w: Workload): OpenLoopSettings | undefined {
  const t = w as ThroughputWorkload;
  return t.rate > 0 ? { rate: t.rate, ratePer: t.ratePer, maxInFlight: t.maxInFlight } : undefined;
}
