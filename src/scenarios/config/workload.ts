// The config scenario's own workload fields, typed, and what follows from them. index.ts declares the
// fields (specs, checks); the coordinator, the load side and the table read them from here.
import type { Workload } from '../../workload/schema.ts';

export interface ConfigFields {
  readers: number;
  updateRate: number;
  maxInFlight: number;
}
export type ConfigWorkload = Workload & ConfigFields;

/** After the stop, how long readers may take to hold the writer's last update (they stop as soon as they do). */
export const DRAIN_MS = 10_000;
/**
 * The run warns that the writer did not keep the rate when more than this share of its updates left a whole
 * interval late, or it achieved less than (1 − this) of the rate. A busy host makes a few late (3% here).
 */
export const RATE_SLACK = 0.05;
/** Fewer measured updates than this and the percentiles say little: a warning at load time. */
