// The headline view of a comparison: for each workload, the figures its scenario leads with (its report's
// key figures, the columns of its end table), in the scenario's order and units, for each series, with each
// column's value and its ratio to the baseline. The figure lists arrive as data from the scenario catalog
// (cli/compare.ts); this layer names no scenario. Every other figure stays in the full list (--all-figures,
// csv, json), and rules judge every figure whether shown here or not.
import type { Stat } from '../measure/metric-catalog.ts';
import { seriesName } from '../results/series.ts';
import type { SummaryRow } from '../results/summary-csv.ts';
import { isEmptyDistribution, ratioTo, rowKey, statOf } from './figures.ts';
import type { Column } from './compare.ts';

/** One figure a scenario shows first: a statistic of a summary.csv metric, under its heading and unit. */
export interface HeadlineFigure {
  metric: string;
  stat: Stat;
  /** The heading its scenario gives it, e.g. "acquire p99". */
  header: string;
  unit: string;
}

/** A workload's scenario (from run.json) and that scenario's headline figures; undefined figures: not known. */
export interface WorkloadFigures {
  scenario: string | undefined;
  figures: readonly HeadlineFigure[] | undefined;
}

/** One cell: a column's figure, its ratio to the baseline's, or why it has none. */
export interface HeadlineCell {
  value: number | undefined;
  ratio: number | undefined;
  /** Set when the column has no value: why (the run's own reason when run.json gave one). */
  notMeasured?: string;
  /** Censored cases: a percentile, max or mean is a lower bound. */
  lowerBound?: boolean;
}

export interface HeadlineSeries {
  /** The series (recipe, or recipe@watchers); empty when the columns are the recipes (--recipes). */
  recipe: string;
  /** cells[column][figure]. */
  cells: HeadlineCell[][];
}

export interface HeadlineGroup {
  workload: string;
  scenario: string | undefined;
  /** The scenario's figures some column measured, in its order. */
  figures: HeadlineFigure[];
  /** Declared figures no column of any series has a row for: said under the table, not dropped. */
  absent: HeadlineFigure[];
  series: HeadlineSeries[];
}

/** A workload whose scenario is not known (no run.json, or a scenario this build lacks): shown in full. */
export interface UnknownGroup {
  workload: string;
  scenario: string | undefined;
}

export interface HeadlineView {
  /** What a column is: a run (or repeat set), or one recipe of a run (compare --recipes). */
  columns: 'runs' | 'recipes';
  groups: (HeadlineGroup | UnknownGroup)[];
}

export const isHeadlineGroup = (g: HeadlineGroup | UnknownGroup): g is HeadlineGroup => 'series' in g;

/** Why a cell is empty when its column has no row of that figure at all. */
const NO_ROW = 'no such figure in this run';

/** A column's cell for one figure of one series: its value, or "not measured" with the reason. */
function cellOf(row: SummaryRow | undefined, f: HeadlineFigure): HeadlineCell {
  if (!row) return { value: undefined, ratio: undefined, notMeasured: NO_ROW };
  const v = isEmptyDistribution(row) ? undefined : statOf(row, f.stat);
  if (v === undefined || Number.isNaN(v)) {
    const why = row.notMeasured ?? (isEmptyDistribution(row) ? 'no observations in this run' : 'no value in this run');
    return { value: undefined, ratio: undefined, notMeasured: why };
  }
  const bound = (row.censored ?? 0) > 0 && f.stat !== 'count' && f.stat !== 'value';
  return { value: v, ratio: undefined, ...(bound ? { lowerBound: true } : {}) };
}

/**
 * The headline view of the columns: workloads in first-seen order, each with its scenario's figures
 * (`figuresOf`, by workload); a workload whose figures are unknown is an UnknownGroup, shown in full.
 */
export function headlineView(columns: readonly Column[], figuresOf: (workload: string) => WorkloadFigures, kind: HeadlineView['columns'] = 'runs'): HeadlineView {
  const byKey = columns.map((c) => new Map(c.rows.map((r) => [rowKey(r), r])));
  const workloads: string[] = [];
  const seriesOf = new Map<string, string[]>();
  const seriesRow = new Map<string, SummaryRow>();
  for (const c of columns) {
    for (const r of c.rows) {
      if (!seriesOf.has(r.workload)) {
        workloads.push(r.workload);
        seriesOf.set(r.workload, []);
      }
      const name = seriesName(r);
      if (!seriesOf.get(r.workload)!.includes(name)) {
        seriesOf.get(r.workload)!.push(name);
        seriesRow.set(`${r.workload}\u0000${name}`, r);
      }
    }
  }
  const groups = workloads.map((workload): HeadlineGroup | UnknownGroup => {
    const { scenario, figures } = figuresOf(workload);
    if (!figures) return { workload, scenario };
    const series = seriesOf.get(workload)!.map((name): HeadlineSeries => {
      const first = seriesRow.get(`${workload}\u0000${name}`)!;
      const cells = byKey.map((m) => figures.map((f) => cellOf(m.get(rowKey({ ...first, metric: f.metric })), f)));
      // Ratios to the baseline column's value of the same figure.
      for (const col of cells) col.forEach((cell, i) => (cell.ratio = ratioTo(cells[0]![i]!.value, cell.value)));
      return { recipe: name, cells };
    });
    // A figure no column has a row for, in any series: one line under the table rather than a row of "not measured".
    const anywhere = (i: number): boolean => series.some((s) => s.cells.some((col) => col[i]!.notMeasured !== NO_ROW));
    const shown = figures.map((_f, i) => i).filter(anywhere);
    return {
      workload,
      scenario,
      figures: shown.map((i) => figures[i]!),
      absent: figures.filter((_f, i) => !anywhere(i)),
      series: series.map((s) => ({ recipe: s.recipe, cells: s.cells.map((col) => shown.map((i) => col[i]!)) })),
    };
  });
  return { columns: kind, groups };
}
