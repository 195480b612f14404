// The report's tables of numbers, from a scenario's declaration (scenarios/report-view.ts): the key figures
// (one row per recipe, only the columns some row has), the per-fault table (one row per fault, the fault
// named) and the scalars (one row per figure, one column per series). Pure: runs in, cells out, so that
// every table can be checked without a page.
import { formatFigure } from './charts.ts';
import { recipesOf, summaryRowOf, type FaultInfo, type ReportRun, type SummaryRow } from './read-run.ts';
import type { FigureStat, KeyFigure, PerFaultColumn } from '../scenarios/report-view.ts';

/** A table cell: the figure, and whether it is a lower bound (censored, "≥") or a bad value. */
export interface Cell {
  value: number | undefined;
  bound?: boolean;
  bad?: boolean;
}

export const cellText = (c: Cell): string => (c.value === undefined ? '–' : `${c.bound ? '≥' : ''}${formatFigure(c.value)}`);

function statOf(row: SummaryRow | undefined, stat: FigureStat): Cell {
  if (!row) return { value: undefined };
  const value = row[stat];
  const bound = stat !== 'value' && stat !== 'count' && (row.censored ?? 0) > 0;
  return { value, ...(bound ? { bound } : {}) };
}

export interface KeyFigureTable {
  columns: KeyFigure[];
  rows: { recipe: string; cells: Cell[] }[];
  /** Declared columns no row has a figure for (left out of the table). */
  absent: KeyFigure[];
}

/** One row per series of the run, the declared columns that some row fills. */
export function keyFigureTable(run: ReportRun, declared: readonly KeyFigure[]): KeyFigureTable {
  const rows = recipesOf(run).map((recipe) => ({
    recipe,
    cells: declared.map((k) => {
      const c = statOf(summaryRowOf(run, recipe, k.metric), k.stat);
      return k.badAboveZero && (c.value ?? 0) > 0 ? { ...c, bad: true } : c;
    }),
  }));
  const filled = declared.map((_k, i) => rows.some((r) => r.cells[i]!.value !== undefined));
  return {
    columns: declared.filter((_k, i) => filled[i]),
    rows: rows.map((r) => ({ recipe: r.recipe, cells: r.cells.filter((_c, i) => filled[i]) })),
    absent: declared.filter((_k, i) => !filled[i]),
  };
}

/** `kill leader (server 3, was leader) at 18.3 s`: a fault as the page names it. */
export function faultName(f: FaultInfo): string {
  const server = f.server === undefined ? '' : ` server ${f.server}`;
  const role = f.role === undefined ? '' : ` (${f.target === 'leader' || f.target === 'follower' ? '' : `${f.target}, `}was ${f.role})`;
  const at = f.atMs === undefined ? '' : ` at ${formatFigure(f.atMs / 1000)} s`;
  return `${f.entry === undefined ? 'restore: ' : `${f.entry}. `}${f.action}${server}${role}${at}`;
}

export interface PerFaultTable {
  columns: PerFaultColumn[];
  rows: { run: string; recipe: string; fault: string; entry: number; cells: Cell[] }[];
}

const faultField = (f: FaultInfo | undefined, field: 'election.toLeaderMs' | 'election.toWriteMs' | 'tookMs'): number | undefined =>
  field === 'tookMs' ? f?.tookMs : f?.election?.changed === false ? undefined : field === 'election.toLeaderMs' ? f?.election?.toLeaderMs : f?.election?.toWriteMs;

/** The fault entries a run has figures or records for, per recipe. */
function faultEntries(run: ReportRun, families: readonly string[]): { recipe: string; entry: number }[] {
  const out = new Map<string, { recipe: string; entry: number }>();
  const add = (recipe: string, entry: number) => out.set(`${recipe}\u0000${entry}`, { recipe, entry });
  for (const f of run.info.faults) if (f.entry !== undefined) add(f.recipe, f.entry);
  for (const s of run.summary) {
    const m = /^(.+)\.(\d+)$/.exec(s.metric);
    if (m && families.includes(m[1]!)) add(s.recipe, Number(m[2]));
  }
  return [...out.values()].sort((a, b) => a.recipe.localeCompare(b.recipe) || a.entry - b.entry);
}

export function perFaultTable(runs: readonly ReportRun[], columns: readonly PerFaultColumn[]): PerFaultTable {
  const families = columns.flatMap((c) => ('family' in c ? [c.family] : []));
  const rows: PerFaultTable['rows'] = [];
  for (const run of runs) {
    for (const { recipe, entry } of faultEntries(run, families)) {
      const fault = run.info.faults.find((f) => f.recipe === recipe && f.entry === entry);
      const cells = columns.map((c): Cell => {
        if ('family' in c) return statOf(run.summary.find((s) => s.recipe === recipe && s.metric === `${c.family}.${entry}`), c.stat);
        const value = faultField(fault, c.faultField);
        if (c.faultField === 'tookMs') return { value };
        // As election-metrics.ts counts it: an election not seen before the next fault is censored at that window.
        const next = run.info.faults.find((f) => f.recipe === recipe && f.entry !== undefined && f.atMs !== undefined && fault?.atMs !== undefined && f.atMs > fault.atMs);
        const windowMs = next && fault?.atMs !== undefined ? next.atMs! - fault.atMs : undefined;
        if (fault?.election && fault.election.changed !== false && windowMs !== undefined && (value === undefined || value > windowMs)) return { value: windowMs, bound: true };
        return { value };
      });
      rows.push({ run: run.name, recipe, entry, fault: fault ? faultName(fault) : `fault entry ${entry}`, cells });
    }
  }
  const filled = columns.map((_c, i) => rows.some((r) => r.cells[i]!.value !== undefined));
  return {
    columns: columns.filter((_c, i) => filled[i]),
    rows: rows.filter((r) => r.cells.some((c, i) => filled[i] && c.value !== undefined)).map((r) => ({ ...r, cells: r.cells.filter((_c, i) => filled[i]) })),
  };
}

export interface ScalarTable {
  /** Series (run and recipe) as column heads. */
  series: { run: string; recipe: string }[];
  rows: { label: string; unit: string; cells: Cell[] }[];
  /** Declared figures no series has. */
  absent: string[];
}

export function scalarTable(runs: readonly ReportRun[], figures: readonly { metric: string; label: string; unit: string }[]): ScalarTable {
  const series = runs.flatMap((run) => recipesOf(run).map((recipe) => ({ run, recipe })));
  const rows = figures.map((f) => ({
    label: f.label,
    unit: f.unit,
    cells: series.map(({ run, recipe }): Cell => ({ value: summaryRowOf(run, recipe, f.metric)?.value })),
  }));
  const kept = rows.filter((r) => r.cells.some((c) => c.value !== undefined));
  const usedSeries = series.map((_s, i) => kept.some((r) => r.cells[i]!.value !== undefined));
  return {
    series: series.filter((_s, i) => usedSeries[i]).map((s) => ({ run: s.run.name, recipe: s.recipe })),
    rows: kept.map((r) => ({ ...r, cells: r.cells.filter((_c, i) => usedSeries[i]) })),
    absent: figures.filter((_f, i) => !kept.includes(rows[i]!)).map((f) => f.metric),
  };
}
