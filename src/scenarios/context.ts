// What a scenario's coordinator gets to work with, and what it hands back for one recipe (or operation).
import type { RunClock } from '../measure/clock.ts';
import type { DriverHealth } from '../measure/driver-health.ts';
import type { Violation } from '../measure/hold-intervals.ts';
import type { Metric } from '../measure/metrics.ts';
import type { RecipeTimeline } from '../measure/timeline.ts';
import type { Workload } from '../workload/schema.ts';
import type { WorkerPool } from '../workers/pool.ts';
import type { SessionSettings } from '../workers/protocol.ts';
import type { ZkSession } from '../zk/session.ts';

export interface RecipeProgress {
  recipeStart(recipe: string): void;
  phase(text: string): void;
  /** Called about twice a second while clients run; plannedS is the warm-up plus duration, if time-bound. */
  tick(completed: number, elapsedS: number, measuring: boolean, plannedS: number | undefined): void;
}

export interface RecipeRunContext {
  workload: Workload;
  pool: WorkerPool;
  admin: ZkSession;
  /** Parent node of everything this run creates. */
  namespace: string;
  clock: RunClock;
  sessions: SessionSettings;
  progress: RecipeProgress;
  /** CPU seconds of each server so far (empty when their processes are unknown). */
  serverCpuSeconds: () => Promise<Map<number, number>>;
  /** Aborts on Ctrl-C: the processes stop and the recipe ends early. */
  signal: AbortSignal;
}

/** One recipe's (or one operation's) results, as every result file reads them. */
export interface RecipeResult {
  recipe: string;
  clients: number;
  metrics: Metric[];
  /** Lock recipes only: overlapping holds found. */
  violations: Violation[];
  driverSaturated: boolean;
  windowS: number;
  health: DriverHealth[];
  connectMs: number[];
  /** Run-clock ns of the first acquisition (warm-up included), undefined when none happened or not a lock. */
  firstAcquisitionAt: number | undefined;
  startedAt: Date;
  endedAt: Date;
  /** True when Ctrl-C cut the recipe short: its figures are not comparable and are not written. */
  interrupted: boolean;
  /** Operations (acquisitions, requests) completed from the clients' start on, warm-up included. */
  completedOps?: number;
  /** Per-interval figures and events for timeline.csv. */
  timeline?: RecipeTimeline;
}
