// What a scenario is: one folder under src/scenarios/<id>/ that declares its workload fields, its recipes,
// its figures and its table here, and keeps its coordinator side and load-process side behind lazy
// imports (so `zkbench list` and validation never load the ZooKeeper addon). The registry
// (registry.ts) lists them; nothing else in the suite names a scenario.
import type { RelNs, RunClock } from '../measure/clock.ts';
import type { MetricInfo } from '../measure/metric-info.ts';
import type { IntervalRecorder } from '../measure/timeline.ts';
import type { RunRecord } from '../results/run-record.ts';
import type { FieldSpec, Workload } from '../workload/schema.ts';
import type { SessionSet } from '../zk/session-set.ts';
import type { RecipeResult, RecipeRunContext } from './context.ts';
import type { RunWindow } from './window.ts';

/** What a scenario's table shows: a header, one row per result, and notes printed below. */
export interface ScenarioTable {
  header: string[];
  rows: string[][];
  notes: string[];
}

/** Where a workload's checks across fields report: an error stops the run at load time; a warning is recorded. */
export interface WorkloadIssues {
  error(message: string): never;
  warn(message: string): void;
}

export interface Scenario {
  readonly id: string;
  /** One line for `zkbench list`. */
  readonly summary: string;
  /** Recipe (or request kind) id → one line for `zkbench list`; `recipes` in a workload may name these. */
  readonly recipes: Readonly<Record<string, string>>;
  /** The scenario's own workload fields (the common ones are in workload/schema.ts). */
  readonly fields: readonly FieldSpec[];
  /** The word progress counts in, e.g. "acquisitions"; a scalar metric of that name holds the measured count. */
  readonly unit: string;
  /**
   * The figure the scenario exists to measure, one of `metrics`: a run in which it has no measured events
   * (a distribution's count, a scalar's value, is 0 or missing) measured nothing and fails "not measured".
   */
  readonly mainFigure: string;
  /** Every figure the scenario reports, by name: rules and thresholds may refer to these. */
  readonly metrics: Readonly<Record<string, MetricInfo>>;
  /**
   * Checks across fields once every field is valid on its own (e.g. "time-bound: set duration_s").
   * Runs at load time, before anything starts.
   */
  check?(w: Workload, issues: WorkloadIssues): void;
  /** Load processes the run starts (default: the workload's `workers`; 0 for a scenario that drives nothing from them). */
  loadProcesses?(w: Workload): number;
  /** Results each recipe returns (a sweep: one per point; default 1), for progress. */
  resultsPerRecipe?(w: Workload): number;
  /** The table printed at the end of a run. */
  table(run: RunRecord): ScenarioTable;
  /** The coordinator side, loaded when a run starts. */
  coordinator(): Promise<ScenarioCoordinator>;
  /** The load-process side, loaded by a load process when a plan for this scenario arrives. */
  loadSide?(): Promise<ScenarioLoadSide>;
}

export interface ScenarioCoordinator {
  /**
   * Runs one recipe. Usually one result; a sweep (e.g. over watcher counts) returns one per point, each
   * carrying its parameter (RecipeResult.watchers).
   */
  runRecipe(ctx: RecipeRunContext, recipe: string): Promise<RecipeResult[]>;
}

/** What the coordinator tells one load process to drive: the scenario's id and its own plan (JSON). */
export interface ClientsPlan {
  scenario: string;
  /** Sessions the process opens before the start (its SessionSet). */
  sessions: number;
  /**
   * The connect string of each session, by its index in the SessionSet (e.g. one server's address, to pin a
   * session to that server); absent: every session gets the run's connect string and its client picks.
   */
  connect?: string[];
  plan: unknown;
}

/** A live run in a load process. */
export interface ScenarioRun {
  /** Completed operations so far, warm-up included and measured only, for progress. */
  counts(): { completed: number; measured: number };
  /** The scenario's per-interval record, which other sources (session events) add to. */
  timeline: IntervalRecorder;
  /** The scenario's report (JSON), read back by its coordinator. */
  done: Promise<unknown>;
  /** A message from the coordinator while the run goes (see ScenarioLink). */
  onMessage?(data: unknown): void;
  /**
   * The measured window, decided after the start when the run began with a pending one (warmup-gate.ts):
   * the window passed to start() said `pending`, and nothing counted as measured until now.
   */
  onWindow?(window: RunWindow): void;
}

/** A live channel between a load process's run and the coordinator (e.g. watchers re-armed: the writer may go on). */
export interface ScenarioLink {
  post(data: unknown): void;
  /** Every client of this process got ready to be measured at run-clock time `at` (a pending window's warm-up waits for it). */
  warm(at: RelNs): void;
}

export interface ScenarioLoadSide {
  start(plan: unknown, sessions: SessionSet, clock: RunClock, window: RunWindow, stop: AbortSignal, link: ScenarioLink): ScenarioRun;
}

export type { RelNs };
