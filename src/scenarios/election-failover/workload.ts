// The election-failover scenario's own workload fields, typed, and what follows from them. index.ts declares the
// fields (specs, checks); the coordinator, the load side and the table read them from here.
import type { Workload } from '../../workload/schema.ts';

export interface ElectionFailoverFields {
  leaderCloses: number;
  leaderCrashes: number;
  leaderPauses: number;
  leaderPauseMs: number;
}
export type ElectionFailoverWorkload = Workload & ElectionFailoverFields;
