// What the coordinator tells each load process to do at one sweep point of watch-fanout, and how the
// watchers are dealt over the processes. Plain JSON; pure.
import type { WatchPacing } from '../../measure/watch-pacing.ts';
import type { WatchRecipeId } from '../../recipes/watch/types.ts';
import type { SessionSettings } from '../../workers/protocol.ts';

/**
 * How a slow watcher is slow. `link`: every byte the servers send it arrives `delayMs` late (a far or
 * congested client; its events arrive late, so it shows in notify latency). `rearm`: it spends `delayMs`
 * on each event before re-arming (a busy application; updates in that gap coalesce).
 */
export const SLOW_KINDS = ['link', 'rearm'] as const;
export type SlowKind = (typeof SLOW_KINDS)[number];

export interface SlowWatchers {
  kind: SlowKind;
  delayMs: number;
}

export interface FanoutProcessPlan {
  /** This process's index in the pool (its armed reports name it). */
  processIndex: number;
  recipe: WatchRecipeId;
  /** The watched znode (created by the coordinator before the start). */
  path: string;
  pacing: WatchPacing;
  /** This process runs the writer, on the first session of its set. */
  writer: boolean;
  /** Watchers on this process's own sessions (after the writer's), by watcher id. */
  watcherIds: number[];
  /** Slow watchers: `rearm` ones on this process's sessions after the others, `link` ones on sessions of their own through a delaying proxy. */
  slowIds: number[];
  slow: SlowWatchers;
  /** Watchers hosted by each process (the writer waits for every process that has some). */
  watchersPerProcess: number[];
  payloadBytes: number;
  /** For the sessions of `link` slow watchers (they connect through the proxy). */
  session: SessionSettings;
  /** Immediate re-arms sent per loop turn, after the waiting events are stamped (rearm-queue.ts); 0: in each event's callback. */
  rearmsPerTurn: number;
  /** paced: longest wait for every watcher to re-arm before the writer goes on anyway (counted). */
  pacedWaitMs: number;
  /** After the stop: longest wait for every watcher to re-arm at the writer's last version. */
  drainMs: number;
}

/** Sessions a process opens before the start: the writer's, its watchers', its `rearm` slow watchers'. */
export function sessionsOf(plan: FanoutProcessPlan): number {
  return (plan.writer ? 1 : 0) + plan.watcherIds.length + (plan.slow.kind === 'rearm' ? plan.slowIds.length : 0);
}

export interface WatcherLayout {
  /** Per process: its watcher ids, normal and slow. */
  watcherIds: number[][];
  slowIds: number[][];
}

/**
 * Watchers 0..n−1 dealt round-robin over the processes (process i gets i, i+p, ...); the slow ones are
 * spread evenly over the id range (every n/slow-th), so they land in every process in turn.
 */
export function layoutWatchers(watchers: number, processes: number, slow: number): WatcherLayout {
  if (!Number.isInteger(watchers) || watchers < 1) throw new Error(`watchers must be a whole number >= 1, not ${watchers}`);
  if (!Number.isInteger(processes) || processes < 1) throw new Error(`processes must be a whole number >= 1, not ${processes}`);
  if (slow > watchers) throw new Error(`${slow} slow watchers among ${watchers}`);
  const slowSet = new Set(Array.from({ length: slow }, (_, k) => Math.floor((k * watchers) / slow)));
  const layout: WatcherLayout = { watcherIds: Array.from({ length: processes }, () => []), slowIds: Array.from({ length: processes }, () => []) };
  for (let id = 0; id < watchers; id++) (slowSet.has(id) ? layout.slowIds : layout.watcherIds)[id % processes]!.push(id);
  return layout;
}

/** Live messages between the load sides and the coordinator (ScenarioLink / pool.post). */
export type FanoutMessage =
  /** Every watcher of process `from` has completed a read of `path` that saw `version` or later. */
  | { kind: 'armed'; path: string; from: number; version: number }
  /** The writer's last update made `version`: drain until every watcher has read it. */
  | { kind: 'final'; path: string; version: number };
