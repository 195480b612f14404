// Reading what a report draws: a run directory (run.json, summary.csv, percentiles.csv, optional
// timeline.csv), a suite directory (suite.json, a top-level summary.csv, one complete run directory
// per workload) or a repeat set (repeats.json, a run or suite directory per repeat), checked enough that a wrong argument is named rather than drawn as an empty chart.
import fs from 'node:fs';
import path from 'node:path';
import { CsvError, numberField, parseCsv } from '../results/read-csv.ts';
import { REPEATS_FILE, readRepeatSet } from '../results/repeat-set.ts';
import { seriesName } from '../results/series.ts';
import type { StallScan } from '../results/run-record.ts';
import { stallNotes } from '../results/stall-scan.ts';

export class NotARunError extends Error {
  override readonly name = 'NotARunError';
  constructor(
    readonly argument: string,
    reason: string,
  ) {
    super(`${argument}: ${reason}`);
  }
}

export interface SummaryRow {
  workload: string;
  recipe: string;
  metric: string;
  unit: string;
  /** Scalars. */
  value: number | undefined;
  /** Distributions. */
  count: number | undefined;
  p50: number | undefined;
  p90: number | undefined;
  p99: number | undefined;
  max: number | undefined;
  mean: number | undefined;
  /** Time-to-event distributions: cases not happened when their window closed (counted in `count`), and the window. */
  censored: number | undefined;
  windowMs: number | undefined;
  clients: number | undefined;
  /** A point of a watcher sweep; its series is recipe@watchers (series.ts). */
  watchers: number | undefined;
  servers: number | undefined;
}

export interface PercentileRow {
  recipe: string;
  metric: string;
  valueMs: number;
  percentile: number;
  totalCount: number;
  /** 1/(1-percentile); finite here: the last row of each series (Infinity) is dropped on reading. */
  inverted: number;
}

export interface TimelineRow {
  tMs: number;
  recipe: string;
  ops: number | undefined;
  errors: number | undefined;
  p50Ms: number | undefined;
  p99Ms: number | undefined;
  maxMs: number | undefined;
  leader: string;
  event: string;
  /** warmup, measured or after ('' when the file has no phase column). */
  phase: string;
}

export interface RecipeInfo {
  /** The series: the recipe, or recipe@watchers for a point of a watcher sweep (series.ts). */
  recipe: string;
  clients: number | undefined;
  driverSaturated: boolean | undefined;
  driverSaturationReasons: string[];
  /** run.json's serverView: warnings over the recipe, GC pauses over its window (undefined: not known). */
  serverWarnings?: number | undefined;
  gcPauses?: number | undefined;
  gcLongestMs?: number | undefined;
}

/** What the report shows of run.json; every field may be missing from a run cut short. */
/** A fault of run.json's `faults` (what the workload's schedule did), as the report names it. */
export interface FaultInfo {
  recipe: string;
  /** 1-based entry of the workload's `faults`; undefined for a restore zkbench did after the recipe. */
  entry: number | undefined;
  action: string;
  target: string;
  server: number | undefined;
  role: string | undefined;
  /** Run clock, ms (as timeline.csv's t_ms). */
  atMs: number | undefined;
  tookMs: number | undefined;
  election: { leader: number | undefined; changed: boolean | undefined; toLeaderMs: number | undefined; toWriteMs: number | undefined } | undefined;
}

export interface RunInfo {
  runId: string | undefined;
  workload: string;
  /** The scenario that drove the run (run.json's workload.scenario). */
  scenario: string | undefined;
  /** What the workload's faults did, in order. */
  faults: FaultInfo[];
  description: string | undefined;
  clients: number | undefined;
  /** The bench command's arguments (overrides of the workload file show here). */
  argv: string[] | undefined;
  outcome: string | undefined;
  /** An interrupted run: the stage the signal came in. */
  interruptedAt: string | undefined;
  error: string | undefined;
  startedAt: string | undefined;
  endedAt: string | undefined;
  ensemble: { kind: string | undefined; servers: number | undefined; leaderId: number | undefined; connectString: string | undefined };
  versions: Record<string, string>;
  host: string | undefined;
  recipes: RecipeInfo[];
  /** The run's notes on its servers (known bugs, the guard) and on its stalls, as the terminal printed them. */
  notes: string[];
}

export interface ReportRun {
  /** Directory name; `<suite dir>/<sub dir>` for a run inside a suite. */
  name: string;
  dir: string;
  /** The suite directory's name when the run is part of one. */
  suite: string | undefined;
  info: RunInfo;
  summary: SummaryRow[];
  percentiles: PercentileRow[];
  /** timeline.csv when the run wrote one. */
  timeline: TimelineRow[] | undefined;
  /** run.json as read (its settings decide whether two runs compare). */
  json?: unknown;
  /** The repeat set (bench --repeat) the run is one repeat of: its directory's name. */
  repeatSet?: string;
}

export interface ReadResult {
  runs: ReportRun[];
  /** Things the reader skipped and a user should hear about (a suite's missing sub-run). */
  warnings: string[];
}

const SUMMARY_REQUIRED = ['recipe', 'metric', 'unit', 'value', 'p50', 'p99'] as const;
const PERCENTILES_REQUIRED = ['recipe', 'metric', 'value_ms', 'percentile', 'total_count', 'inverted'] as const;
const TIMELINE_REQUIRED = ['t_ms', 'recipe', 'ops', 'p99_ms', 'event'] as const;
export const RUN_FILES = ['run.json', 'summary.csv', 'percentiles.csv'] as const;

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const numOf = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

export function runInfoFrom(json: unknown, fallbackWorkload: string): RunInfo {
  const doc = obj(json);
  const workload = obj(doc.workload);
  const ensemble = obj(doc.ensemble);
  const versions = Object.fromEntries(
    Object.entries(obj(doc.versions)).filter((e): e is [string, string] => typeof e[1] === 'string'),
  );
  const host = obj(doc.host);
  const hostLine = [str(host.hostname), typeof host.cpus === 'number' ? `${host.cpus} CPUs` : undefined, str(host.cpuModel), str(host.platform)]
    .filter((s) => s !== undefined)
    .join(', ');
  const recipes = Array.isArray(doc.recipes) ? doc.recipes.map(obj) : [];
  return {
    runId: str(doc.runId),
    workload: str(workload.name) ?? fallbackWorkload,
    scenario: str(workload.scenario),
    faults: (Array.isArray(doc.faults) ? doc.faults.map(obj) : []).map(faultInfoFrom),
    description: str(workload.description),
    clients: numOf(workload.clients),
    argv: Array.isArray(doc.argv) ? doc.argv.filter((a): a is string => typeof a === 'string') : undefined,
    outcome: str(doc.outcome),
    interruptedAt: str(doc.interruptedAt),
    error: str(doc.error),
    startedAt: str(doc.startedAt),
    endedAt: str(doc.endedAt),
    ensemble: {
      kind: str(ensemble.kind),
      servers: numOf(ensemble.servers),
      leaderId: numOf(ensemble.leaderId),
      connectString: str(ensemble.connectString),
    },
    versions,
    host: hostLine === '' ? undefined : hostLine,
    notes: [
      ...(Array.isArray(ensemble.notes) ? ensemble.notes.filter((n): n is string => typeof n === 'string') : []),
      ...(Array.isArray(obj(doc.stalls).series) ? stallNotes(doc.stalls as StallScan) : []),
    ],
    recipes: recipes
      .filter((r) => typeof r.recipe === 'string')
      .map((r) => ({
        recipe: seriesName({ recipe: r.recipe as string, watchers: numOf(r.watchers) }),
        clients: numOf(r.clients),
        driverSaturated: typeof r.driverSaturated === 'boolean' ? r.driverSaturated : undefined,
        driverSaturationReasons: Array.isArray(r.driverSaturationReasons) ? r.driverSaturationReasons.filter((s): s is string => typeof s === 'string') : [],
        serverWarnings: numOf(obj(obj(r.serverView).warnings).total),
        gcPauses: numOf(obj(obj(r.serverView).gcPauses).pauses),
        gcLongestMs: numOf(obj(obj(r.serverView).gcPauses).longestMs),
      })),
  };
}

function faultInfoFrom(f: Json): FaultInfo {
  const e = f.election === undefined ? undefined : obj(f.election);
  return {
    recipe: str(f.recipe) ?? '',
    entry: numOf(f.entry),
    action: str(f.action) ?? '?',
    target: str(f.target) ?? '?',
    server: numOf(f.server),
    role: str(f.role),
    atMs: numOf(f.atMs) ?? (numOf(f.atNs) === undefined ? undefined : numOf(f.atNs)! / 1e6),
    tookMs: numOf(f.tookMs),
    election: e && {
      leader: numOf(e.leader),
      changed: typeof e.changed === 'boolean' ? e.changed : undefined,
      toLeaderMs: numOf(e.toLeaderMs),
      toWriteMs: numOf(e.toWriteMs),
    },
  };
}

export function summaryRowsFrom(text: string): SummaryRow[] {
  return parseCsv(text, SUMMARY_REQUIRED, { wholeRows: true }).map((r) => ({
    workload: r.workload ?? '',
    recipe: r.recipe ?? '',
    metric: r.metric ?? '',
    unit: r.unit ?? '',
    value: numberField(r.value),
    count: numberField(r.count),
    p50: numberField(r.p50),
    p90: numberField(r.p90),
    p99: numberField(r.p99),
    max: numberField(r.max),
    mean: numberField(r.mean),
    censored: numberField(r.censored),
    windowMs: numberField(r.window_ms),
    clients: numberField(r.clients),
    watchers: numberField(r.watchers),
    servers: numberField(r.servers),
  }));
}

/** The percentile distribution, without the rows a log axis cannot place (inverted = Infinity, the 100% row). */
export function percentileRowsFrom(text: string): PercentileRow[] {
  const rows: PercentileRow[] = [];
  for (const r of parseCsv(text, PERCENTILES_REQUIRED)) {
    const valueMs = numberField(r.value_ms);
    const percentile = numberField(r.percentile);
    const inverted = numberField(r.inverted);
    if (valueMs === undefined || percentile === undefined || inverted === undefined || !Number.isFinite(inverted)) continue;
    rows.push({ recipe: r.recipe ?? '', metric: r.metric ?? '', valueMs, percentile, totalCount: numberField(r.total_count) ?? 0, inverted });
  }
  return rows;
}

export function timelineRowsFrom(text: string): TimelineRow[] {
  const rows: TimelineRow[] = [];
  for (const r of parseCsv(text, TIMELINE_REQUIRED)) {
    const tMs = numberField(r.t_ms);
    if (tMs === undefined) continue;
    rows.push({
      tMs,
      recipe: r.recipe ?? '',
      ops: numberField(r.ops),
      errors: numberField(r.errors),
      p50Ms: numberField(r.p50_ms),
      p99Ms: numberField(r.p99_ms),
      maxMs: numberField(r.max_ms),
      leader: (r.leader ?? '').trim(),
      event: (r.event ?? '').trim(),
      phase: (r.phase ?? '').trim(),
    });
  }
  return rows;
}

function readFileOf<T>(argument: string, file: string, parse: (text: string) => T): T {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new NotARunError(argument, `cannot read ${path.basename(file)} (${(err as Error).message})`);
  }
  try {
    return parse(text);
  } catch (err) {
    const why = err instanceof CsvError || err instanceof SyntaxError ? err.message : String(err);
    throw new NotARunError(argument, `${path.basename(file)} is not a zkbench result file: ${why}`);
  }
}

const isFile = (p: string): boolean => {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
};

/** One run directory; `argument` is what the user typed, for messages. */
export function readRunDirectory(dir: string, name: string, argument: string, suite?: string): ReportRun {
  const missing = RUN_FILES.filter((f) => !isFile(path.join(dir, f)));
  if (missing.length > 0) {
    throw new NotARunError(argument, `not a zkbench run directory (missing ${missing.join(', ')})`);
  }
  const json = readFileOf(argument, path.join(dir, 'run.json'), (t) => JSON.parse(t) as unknown);
  const summary = readFileOf(argument, path.join(dir, 'summary.csv'), summaryRowsFrom);
  const percentiles = readFileOf(argument, path.join(dir, 'percentiles.csv'), percentileRowsFrom);
  const timelineFile = path.join(dir, 'timeline.csv');
  const timeline = isFile(timelineFile) ? readFileOf(argument, timelineFile, timelineRowsFrom) : undefined;
  const fallbackWorkload = summary[0]?.workload || path.basename(dir).replace(/^\d{8}T\d{6}Z-/, '');
  return { name, dir, suite, info: runInfoFrom(json, fallbackWorkload), summary, percentiles, timeline, json };
}

/** A suite: each sub-run, in suite.json's order (then any other run directory inside, by name). */
function readSuiteDirectory(dir: string, argument: string): ReadResult {
  const suiteName = path.basename(dir);
  const doc = obj(readFileOf(argument, path.join(dir, 'suite.json'), (t) => JSON.parse(t) as unknown));
  if (!isFile(path.join(dir, 'summary.csv'))) {
    throw new NotARunError(argument, 'has suite.json but no summary.csv: not a complete zkbench suite directory');
  }
  const listed = Array.isArray(doc.runs)
    ? doc.runs.map((r) => (typeof r === 'string' ? r : str(obj(r).dir) ?? str(obj(r).name))).filter((r): r is string => r !== undefined)
    : [];
  const present = fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('.') && isFile(path.join(dir, e.name, 'run.json')))
    .map((e) => e.name)
    .sort();
  const warnings: string[] = [];
  const order = [...listed.filter((r) => present.includes(r)), ...present.filter((r) => !listed.includes(r))];
  for (const r of listed.filter((r) => !present.includes(r))) {
    warnings.push(`${argument}: suite.json lists ${r} but there is no run directory ${path.join(dir, r)}; left out`);
  }
  if (order.length === 0) throw new NotARunError(argument, 'suite directory without any run directory inside');
  const runs = order.map((sub) => readRunDirectory(path.join(dir, sub), `${suiteName}/${sub}`, path.join(argument, sub), suiteName));
  return { runs, warnings };
}

/** A RUN argument: a run directory, a suite directory or a repeat set. Throws NotARunError naming the argument. */
export function readRunArgument(argument: string): ReadResult {
  const dir = path.resolve(argument);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(dir);
  } catch {
    throw new NotARunError(argument, 'no such directory');
  }
  if (!stat.isDirectory()) throw new NotARunError(argument, 'not a directory (name a run directory, e.g. results/<timestamp>-<workload>)');
  if (isFile(path.join(dir, 'run.json'))) return { runs: [readRunDirectory(dir, path.basename(dir), argument)], warnings: [] };
  if (isFile(path.join(dir, 'suite.json'))) return readSuiteDirectory(dir, argument);
  if (isFile(path.join(dir, REPEATS_FILE))) {
    // A repeat set (bench --repeat N): each repeat, named within the set.
    const parts = readRepeatSet(dir).runs.map((r) => {
      const read = readRunArgument(path.join(argument, r));
      return { ...read, runs: read.runs.map((run) => ({ ...run, name: `${path.basename(dir)}/${run.name}`, repeatSet: path.basename(dir) })) };
    });
    return { runs: parts.flatMap((p) => p.runs), warnings: parts.flatMap((p) => p.warnings) };
  }
  throw new NotARunError(
    argument,
    `not a zkbench run directory (no ${RUN_FILES.join(', ')}) nor a suite directory (no suite.json); name a directory such as results/<timestamp>-<workload>`,
  );
}

/**
 * The run's series (recipes, or recipe@watchers for the points of a watcher sweep) in the order it
 * measured them (run.json first, then any only summary.csv names).
 */
export function recipesOf(run: ReportRun): string[] {
  return [...new Set([...run.info.recipes.map((r) => r.recipe), ...run.summary.map((s) => seriesName(s))])];
}

/** One series' summary.csv row for a metric. */
export function summaryRowOf(run: ReportRun, series: string, metric: string): SummaryRow | undefined {
  return run.summary.find((s) => seriesName(s) === series && s.metric === metric);
}
