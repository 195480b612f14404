// Everything a finished (or cut-short) run knows about itself: what every result file is written from.
import type { Workload } from '../workload/schema.ts';
import type { RecipeResult } from './recipe-result.ts';
import type { ServerLogRecord } from '../ensemble/server-logs.ts';
import type { TimelineEvent } from '../measure/timeline.ts';
import type { FaultRecord } from '../measure/election-metrics.ts';

export type RunOutcome = 'completed' | 'interrupted' | 'failed';

export interface EnsembleRecord {
  kind: 'embedded' | 'kept' | 'external' | 'compose';
  connectString: string;
  servers: number;
  leaderId: number | undefined;
  serverVersion: string | undefined;
  settings: Record<string, unknown> | undefined;
  startMs: number | undefined;
  /** CPU of each server over the run, % of one core; embedded and kept only. */
  serverCpuPct: Record<string, number>;
  /** What the run knows of the servers that bears on its figures (known server bugs, the guard). */
  notes: string[];
  /**
   * Where the ensemble's own figures came from: serverState (leader, version, failover leader polls) and
   * serverView (mntr), each '4lw', 'admin-server' or 'none'; `missing` says which figures and why (docs/auth-acl-chroot.md).
   */
  figureSources?: { serverState: '4lw' | 'admin-server' | 'none'; serverView: '4lw' | 'admin-server' | 'none'; missing: { figure: string; reason: string }[] };
  /** The workload's session timeout as asked for, and as the servers granted it (a session opened with it, before the load). */
  sessionTimeout?: { askedMs: number; negotiatedMs: number | undefined };
}

export interface WorkerRecord {
  name: string;
  host: string;
  pid: number | undefined;
  /** lost: its registration vanished during the run (at, atMs: when the coordinator noticed; reason). */
  state: 'ok' | 'lost';
  at?: Date;
  atMs?: number;
  reason?: string;
  /** Its clock against the coordinator's from the last exchange (coordinator minus worker), and the bound: |error| <= boundMs. */
  clock: { offsetMs: number; boundMs: number; rttMs: number | undefined; samples: number | undefined };
}

export interface RunRecord {
  runId: string;
  workload: Workload;
  workloadFile: string;
  argv: string[];
  versions: { suite: string; node: string; zookeeperClient: string; zookeeperServer: string | undefined };
  /**
   * machine: $ZKBENCH_MACHINE when set, a name for a class of interchangeable hosts (e.g. a CI runner type,
   * whose host names change every run); comparisons match it instead of the hostname (docs/comparing-runs.md).
   */
  host: { hostname: string; platform: string; cpus: number; cpuModel: string; memoryGb: number; machine?: string };
  ensemble: EnsembleRecord;
  startedAt: Date;
  endedAt: Date;
  outcome: RunOutcome;
  /** An interrupted run: the stage it was in when the signal came (ensemble start, session opening, warm-up, measured window, collection, writing results). */
  interruptedAt?: string;
  error: string | undefined;
  /** From the command's start (process start; in a suite, the workload's start) to the first lock acquisition, ensemble start included. */
  timeToFirstAcquisitionMs: number | undefined;
  /** Recipes that ran to the end; an interrupted recipe is not among them. */
  recipes: RecipeResult[];
  /** Workload checks that did not stop the run but bear on its figures (Scenario.check's warnings). */
  warnings?: string[];
  /** The workload's thresholds, checked against this run's figures. */
  thresholds: ThresholdResult[];
  /** The servers' warnings and GC pauses during the run: ensembles zkbench started (undefined for --connect). */
  serverLogs?: ServerLogRecord[];
  /** Run-level events for timeline.csv (server warnings, faults); recipes' own are on their timelines. */
  events?: TimelineEvent[];
  /** What the workload's faults did, when and to whom, in order (and what restored the ensemble after each recipe). */
  faults?: FaultRecord[];
  /** The ZooKeeper C client's log lines from the load processes (process/client-log.ts): written to client.log, counted by kind. */
  clientLog?: { lines: string[]; counts: Record<string, number>; total: number };
  /** Remote workers (--remote-workers): who ran the load, their clocks against the coordinator's, who was lost. */
  workers?: WorkerRecord[];
  /** True when a remote worker was lost: the figures cover the other workers' clients only. */
  partial?: boolean;
  /**
   * Who the run was on the ensemble (never the secret): the identity (scheme and user), where its
   * credential came from, the ACL of the nodes it created, --connect's chroot (docs/auth-acl-chroot.md).
   */
  access?: { identity: string; credentialSource: string | undefined; acl: 'open' | 'creator'; chroot: string | undefined };
  /** Operations over 1 s and 3x their p99, and where (src/results/stall-scan.ts); set once the record is complete. */
  stalls?: StallScan;
}

/**
 * pass and breach: the rule judged the figure. not measured: the figure is missing, NaN or empty.
 * censored: a time-to-event figure holds events that did not happen inside their window, so its statistics
 * are lower bounds. not comparable: two runs differ in what they measured (compare, nightly).
 */
export type GateOutcome = 'pass' | 'breach' | 'not measured' | 'censored' | 'not comparable';

/** What one rule concluded about one figure of one series. */
export interface GateResult {
  /** The rule as written. */
  rule: string;
  workload: string;
  /** The series (recipe, or recipe@watchers); '*' when the rule matched no series at all. */
  recipe: string;
  figure: string;
  value: number | undefined;
  /** The value's unit (summary.csv's unit column; `count` for a distribution's count); absent in run.json files written before it was kept. */
  unit?: string;
  /** "not run": the rule names a recipe that was not in the run; it is said, and decides nothing. */
  outcome: GateOutcome | 'not run';
  /** The rule was marked optional: "not measured" is reported and does not fail. */
  optional?: boolean;
  /** Why the outcome is not a pass: what is missing, what was censored, by how much the rule was breached. */
  reason?: string;
}

/** A workload threshold's gate (compare/thresholds.ts); run.json's "thresholds". */
export type ThresholdResult = GateResult;

// The stall scan's findings (stall-scan.ts), kept in run.json.
export interface SlowSeries {
  recipe: string;
  metric: string;
  count: number;
  p99Ms: number;
  maxMs: number;
  overAbsolute: number;
  overP99Factor: number;
  /** Over both: the stalls. */
  stalls: number;
}

export interface SlowPlace {
  recipe: string;
  tMs: number;
  phase: string;
  maxMs: number;
  ops: number;
  errors: number;
  /** Timeline events within NEARBY_MS of the interval. */
  events: string[];
}

export interface StallScan {
  series: SlowSeries[];
  places: SlowPlace[];
  /** errors.<CODE> scalars over all recipes, by code name. */
  errors: Record<string, number>;
}
