// The watch-fanout scenario's own workload fields, typed, and what follows from them. index.ts declares the
// fields (specs, checks); the coordinator, the load side and the table read them from here.
import type { Workload } from '../../workload/schema.ts';
import type { SlowKind } from './plan.ts';

export interface WatchFanoutFields {
  /** The sweep: watcher counts, each run with every recipe. */
  watchers: number[];
  pacing: 'paced' | 'rate';
  ratePerS: number | undefined;
  slowWatchers: number;
  slowWatcherDelayMs: number;
  slowWatcherKind: SlowKind;
}
export type WatchFanoutWorkload = Workload & WatchFanoutFields;
