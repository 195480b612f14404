// Finding and reading what the user names: a run directory, a suite directory, a repeat set (bench
// --repeat: several runs of the same workload), the summary.csv itself, or a folder that holds run
// directories (a results/ parent, a downloaded CI artifact), of which the newest is taken. Each run comes
// with its settings and how it ended (run.json, suite.json), so a comparison can check what it compares.
import fs from 'node:fs';
import path from 'node:path';
import { parseSummaryCsv, SummaryFormatError, type SummaryRow } from '../results/summary-csv.ts';
import { REPEATS_FILE, readRepeatSet } from '../results/repeat-set.ts';
import { seriesName } from '../results/series.ts';
import { settingsOf, stateOf, type RunSettings, type RunState } from './run-settings.ts';

export class RunNotFoundError extends Error {
  override readonly name = 'RunNotFoundError';
}

/** One run (or suite run) as read back. */
export interface RunInput {
  label: string;
  rows: SummaryRow[];
  /** Per workload; undefined when there is no run.json to read them from (a bare summary.csv). */
  settings: RunSettings[] | undefined;
  /** Undefined with settings. */
  state: RunState | undefined;
}

/** One side of a comparison: a run, or the repeats of one. */
export interface Side {
  label: string;
  runs: RunInput[];
  /** A repeat set's own account: how it ended and how many runs it was asked for. */
  set?: { outcome: string; asked: number };
}

const isRun = (dir: string): boolean => fs.existsSync(path.join(dir, 'summary.csv')) || fs.existsSync(path.join(dir, REPEATS_FILE));

/** The directory (or summary.csv file) that a user's argument names. */
export function resolveRun(arg: string): string {
  const p = path.resolve(arg);
  if (!fs.existsSync(p)) throw new RunNotFoundError(`${arg}: no such file or directory`);
  if (fs.statSync(p).isFile() || isRun(p)) return p;
  // Run directory names start with a UTC timestamp, so the last in name order is the newest.
  const newest = fs
    .readdirSync(p, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('.') && isRun(path.join(p, e.name)))
    .map((e) => e.name)
    .sort()
    .at(-1);
  if (newest) return path.join(p, newest);
  throw new RunNotFoundError(`${arg}: neither a run directory (with summary.csv), a repeat set (with ${REPEATS_FILE}) nor a folder of run directories`);
}

/** The summary.csv of a run or suite directory (or the file itself). */
export function resolveSummaryFile(arg: string): string {
  const p = resolveRun(arg);
  if (fs.statSync(p).isFile()) return p;
  const f = path.join(p, 'summary.csv');
  if (!fs.existsSync(f)) throw new RunNotFoundError(`${arg}: ${p} is a repeat set: name one of its runs, or compare the set as a whole`);
  return f;
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new SummaryFormatError(`${file}: not a zkbench result file (${(err as Error).message}); was it cut off, or written by something else?`);
  }
}

/**
 * The reasons run.json gives for figures without a value (its `notMeasured` list), put on their rows so a
 * comparison can say why a cell is empty. An entry of recipe "ensemble" holds for every recipe.
 */
function withReasons(rows: SummaryRow[], docs: readonly unknown[]): SummaryRow[] {
  const reasons = new Map<string, string>();
  for (const doc of docs) {
    const d = (doc ?? {}) as { workload?: { name?: unknown }; notMeasured?: unknown };
    const workload = typeof d.workload?.name === 'string' ? d.workload.name : undefined;
    if (workload === undefined || !Array.isArray(d.notMeasured)) continue;
    for (const e of d.notMeasured as { figure?: unknown; recipe?: unknown; reason?: unknown }[]) {
      if (typeof e?.figure === 'string' && typeof e.recipe === 'string' && typeof e.reason === 'string') reasons.set(`${workload}\u0000${e.recipe}\u0000${e.figure}`, e.reason);
    }
  }
  if (reasons.size === 0) return rows;
  return rows.map((r) => {
    const why = reasons.get(`${r.workload}\u0000${seriesName(r)}\u0000${r.metric}`) ?? reasons.get(`${r.workload}\u0000ensemble\u0000${r.metric}`);
    return why === undefined ? r : { ...r, notMeasured: why };
  });
}

/** A run directory or suite directory: its rows, and its settings and state from run.json / suite.json. */
function readRunDirectory(dir: string, label: string): RunInput {
  const file = path.join(dir, 'summary.csv');
  const rows = parseSummaryCsv(fs.readFileSync(file, 'utf8'), file);
  const suiteFile = path.join(dir, 'suite.json');
  if (fs.existsSync(suiteFile)) {
    const suite = readJson(suiteFile) as { outcome?: string; runs?: string[] };
    const runs = (suite.runs ?? []).map((r) => path.join(dir, r, 'run.json'));
    if (runs.length === 0 || !runs.every((f) => fs.existsSync(f))) return { label, rows, settings: undefined, state: undefined };
    const docs = runs.map(readJson);
    return { label, rows: withReasons(rows, docs), settings: docs.map(settingsOf), state: { outcome: suite.outcome ?? 'unknown', partial: docs.some((d) => stateOf(d).partial) } };
  }
  const runFile = path.join(dir, 'run.json');
  if (!fs.existsSync(runFile)) return { label, rows, settings: undefined, state: undefined };
  const doc = readJson(runFile);
  return { label, rows: withReasons(rows, [doc]), settings: [settingsOf(doc)], state: stateOf(doc) };
}

/** Every run the argument names: one, or each repeat of a repeat set. */
export function readSide(arg: string): Side {
  const p = resolveRun(arg);
  if (fs.statSync(p).isFile()) {
    return { label: path.basename(p), runs: [{ label: path.basename(p), rows: parseSummaryCsv(fs.readFileSync(p, 'utf8'), p), settings: undefined, state: undefined }] };
  }
  // One repeat of a set is named within it: "repeat-2" alone says nothing.
  const inSet = fs.existsSync(path.join(path.dirname(p), REPEATS_FILE));
  const label = inSet ? `${path.basename(path.dirname(p))}/${path.basename(p)}` : path.basename(p);
  if (fs.existsSync(path.join(p, REPEATS_FILE))) {
    const set = readRepeatSet(p);
    return { label, runs: set.runs.map((r) => readRunDirectory(path.join(p, r), `${label}/${r}`)), set: { outcome: set.outcome, asked: set.asked } };
  }
  return { label, runs: [readRunDirectory(p, label)] };
}
