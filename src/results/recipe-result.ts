// What one recipe (or one point of a sweep) of a run produced: its figures, its safety findings, the
// driver's health and the servers' view. Scenarios' coordinators return it; the result files are written from it.
import type { ServerViewSnapshot } from '../ensemble/server-view.ts';
import type { DriverHealth } from '../measure/driver-health.ts';
import type { Violation } from '../measure/hold-intervals.ts';
import type { Metric } from '../measure/metrics.ts';
import type { RecipeTimeline } from '../measure/timeline.ts';

export interface RecipeResult {
  recipe: string;
  clients: number;
  /** Watch scenarios: the number of watchers of this result (a sweep has one result per count). */
  watchers?: number;
  metrics: Metric[];
  /** Lock recipes only: overlapping holds found. */
  violations: Violation[];
  /** undefined: unknown (a load process's health was not measured; see run.json's notMeasured). */
  driverSaturated: boolean | undefined;
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
