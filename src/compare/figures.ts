// Looking figures up in summary rows: the value a selector names, for each (workload, recipe).
import type { Stat } from '../measure/metric-catalog.ts';
import { seriesMatches, seriesName } from '../results/series.ts';
import type { SummaryRow } from '../results/summary-csv.ts';
import type { FigureSelector } from './rules.ts';

export function statOf(row: SummaryRow, stat: Stat): number | undefined {
  return stat === 'value' ? row.value : row.dist?.[stat];
}

/** The unit of a row's statistic: the row's (summary.csv's unit column), but a distribution's count counts (rules.ts unitOf). */
export function unitOfStat(row: Pick<SummaryRow, 'unit'>, stat: Stat): string {
  return stat === 'count' ? 'count' : row.unit;
}

/**
 * Rows a selector applies to (its metric, and its recipe unless it names every recipe; a recipe names
 * every point of a watcher sweep, `recipe@watchers` one of them). errors.<CODE>
 * rows are written only for codes that occurred, so where a recipe has an `errors` row, a missing
 * errors.<CODE> row means 0.
 */
export function selectRows(rows: readonly SummaryRow[], sel: FigureSelector): SummaryRow[] {
  const forRecipe = (r: SummaryRow) => sel.recipe === undefined || seriesMatches(sel.recipe, r);
  const found = rows.filter((r) => r.metric === sel.metric && forRecipe(r));
  if (!sel.metric.startsWith('errors.')) return found;
  const have = new Set(found.map(pairKey));
  const implicit = rows
    .filter((r) => r.metric === 'errors' && forRecipe(r) && !have.has(pairKey(r)))
    .map((r) => ({ ...r, metric: sel.metric, value: 0 }));
  return [...found, ...implicit];
}

/** A latency with no samples: any requirement on it fails (nothing was achieved). */
export function isEmptyDistribution(row: SummaryRow): boolean {
  return row.dist !== undefined && (row.dist.count ?? 0) === 0;
}

/** One series of one workload: its recipe, and its watcher count when the run swept them (series.ts). */
export const pairKey = (r: Pick<SummaryRow, 'workload' | 'recipe' | 'watchers'>): string => `${r.workload}\u0000${seriesName(r)}`;

/** One figure of one series. */
export const rowKey = (r: Pick<SummaryRow, 'workload' | 'recipe' | 'watchers' | 'metric'>): string => `${pairKey(r)}\u0000${r.metric}`;

/** value / baseline; 1 for 0 against 0; undefined when either is missing or the baseline is 0. */
export function ratioTo(base: number | undefined, v: number | undefined): number | undefined {
  if (v === undefined || base === undefined) return undefined;
  if (base === 0) return v === 0 ? 1 : undefined;
  return v / base;
}
