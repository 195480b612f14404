// The ensemble-failover scenario's own workload fields, typed, and what follows from them. index.ts declares the
// fields (specs, checks); the coordinator, the load side and the table read them from here.
import type { Workload } from '../../workload/schema.ts';

export type EnsembleFailoverWorkload = Workload & { writePercent: number };
