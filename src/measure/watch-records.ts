// What the watch family records (SPEC §2 "Watch family"): the writer's acknowledged updates and each
// watcher's arms and events, as timestamps on the run clock. Plain data, so it crosses process boundaries
// as JSON; watch-metrics.ts turns it into figures.
import type { RelNs } from './clock.ts';

/** One acknowledged write by the writer. */
export interface UpdateRecord {
  /** 1-based position in the writer's sequence. */
  seq: number;
  /** The watched version this update made: the node's data version, or the parent's cversion for child watches. */
  version: number;
  /** Intended start on the rate schedule (`rate` pacing only). */
  intendedNs?: RelNs;
  /** Taken just before the request was handed to the client (the writer's call). */
  sendNs: RelNs;
  /** Taken when the acknowledgement reached the writer. */
  ackNs: RelNs;
}

/** One completed read that left a watch armed. */
export interface ArmRecord {
  /** Taken just before the read was handed to the client (after any deliberate delay). */
  startNs: RelNs;
  /** Taken when the read's answer arrived: from here the watch is known to be registered. */
  doneNs: RelNs;
  /** The version the read saw: the watch fires for the update that makes version + 1. */
  version: number;
}

export interface WatchEventRecord {
  /** Version of the read that armed the watch that fired: the event announces version armedVersion + 1. */
  armedVersion: number;
  /** Taken first thing in the watch callback, before anything else is done with the event. */
  arrivalNs: RelNs;
  /** The re-arm that followed; absent when the watcher stopped, or its read failed, before re-arming. */
  rearm?: ArmRecord;
}

/** Everything one watcher saw, in order. */
export interface WatcherTrace {
  watcher: number;
  /** The first arm. */
  arm: ArmRecord;
  events: WatchEventRecord[];
}
