// What a scenario is: one folder under src/scenarios/<id>/ that declares its workload fields, its recipes,
// its figures and its table here, and keeps its coordinator side and load-process side behind lazy
// imports (so `zkbench list` and validation never load the ZooKeeper addon). The registry
// (registry.ts) lists them; nothing else in the suite names a scenario.
import type { MetricInfo } from '../measure/metric-info.ts';
import type { RunRecord } from '../results/run-record.ts';
import type { ScenarioTable } from '../results/table-format.ts';
import type { Workload } from '../workload/schema.ts';
import type { ScenarioDeclaration } from '../workload/vocabulary.ts';
import type { RecipeRunContext } from './context.ts';
import type { ReportDeclaration } from './report-view.ts';
import type { RecipeResult } from '../results/recipe-result.ts';
import type { ScenarioLoadSide } from '../workers/load-side.ts';

export interface Scenario extends ScenarioDeclaration {
  /** One line for `zkbench list`. */
  readonly summary: string;
  /** The word progress counts in, e.g. "acquisitions"; a scalar metric of that name holds the measured count. */
  readonly unit: string;
  /**
   * The figure the scenario exists to measure, one of `metrics`: a run in which it has no measured events
   * (a distribution's count, a scalar's value, is 0 or missing) measured nothing and fails "not measured".
   */
  readonly mainFigure: string;
  /** Every figure the scenario reports, by name: rules and thresholds may refer to these. */
  readonly metrics: Readonly<Record<string, MetricInfo>>;
  /** Load processes the run starts (default: the workload's `workers`; 0 for a scenario that drives nothing from them). */
  loadProcesses?(w: Workload): number;
  /** Results each recipe returns (a sweep: one per point; default 1), for progress. */
  resultsPerRecipe?(w: Workload): number;
  /** What the HTML report shows of a run (report-view.ts): its key figures and charts, each of a kind. */
  readonly report: ReportDeclaration;
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

