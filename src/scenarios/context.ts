// What a scenario's coordinator gets to work with, and what it hands back for one recipe (or operation).
import type { ServerViewSnapshot, WindowEdge } from '../ensemble/server-view.ts';
import type { RelNs, RunClock } from '../measure/clock.ts';
import type { DriverHealth } from '../measure/driver-health.ts';
import type { FaultRecord } from '../measure/election-metrics.ts';
import type { Violation } from '../measure/hold-intervals.ts';
import type { Metric } from '../measure/metrics.ts';
import type { RecipeTimeline } from '../measure/timeline.ts';
import type { Workload } from '../workload/schema.ts';
import type { WorkerPool } from '../workers/pool.ts';
import type { SessionSettings } from '../workers/protocol.ts';
import type { ZkSession } from '../zk/session.ts';

/** What a scenario counts: the word progress prints, and the name of the scenario's count metric. */
export type CountedUnit = string;

/** A live progress sample; `count` is the warm-up's while warming up, the measured window's after. */
export interface ProgressTick {
  /** Seconds since the clients started (warm-up included). */
  elapsedS: number;
  /** The warm-up plus the duration, when time-bound. */
  plannedS: number | undefined;
  measuring: boolean;
  count: number;
  /** Measuring only: the rate of the measured window so far, as the final throughput figure defines it. */
  ratePerS: number | undefined;
}

export interface RecipeProgress {
  recipeStart(recipe: string, unit: CountedUnit): void;
  phase(text: string): void;
  /** Called about twice a second while clients run. */
  tick(t: ProgressTick): void;
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
  /** `mntr` of every server, at the measured window's start or end (server-view.ts); never rejects. */
  serverView: (edge: WindowEdge) => Promise<ServerViewSnapshot>;
  /** Aborts on Ctrl-C: the processes stop and the recipe ends early. */
  signal: AbortSignal;
  /**
   * The workload's fault schedule for this recipe (src/runner/fault-run.ts), when it has one: runOnSchedule
   * starts it at the clients' start, which its times count from.
   */
  faults?: {
    startAt(clientsStartAt: RelNs): void;
    /** The faults done so far, each with the run-clock time it took effect (atNs) once it has (RecipeFaults has them). */
    readonly records?: readonly FaultRecord[];
  };
}

/** One recipe's (or one operation's) results, as every result file reads them. */
export interface RecipeResult {
  recipe: string;
  clients: number;
  /** Watch scenarios: the number of watchers of this result (a sweep has one result per count). */
  watchers?: number;
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
  /** The servers' `mntr` at the measured window's start and end. */
  serverView?: RecipeServerView;
  /** External driver processes that died mid-recipe, each named with why: the result covers the others' clients only (partial). */
  lostProcesses?: string[];
  /** Files for the run directory (name → text), e.g. an external driver's GC log (drivers/<recipe>-0-gc.log). */
  driverFiles?: Record<string, string>;
  /** What a reader must know to read this result's figures (e.g. where the writer and the watchers ran); printed and in run.json. */
  notes?: string[];
}

export interface RecipeServerView {
  start: ServerViewSnapshot;
  end: ServerViewSnapshot;
}
