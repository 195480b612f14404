// summary.csv (SPEC §3): one row per (workload, recipe, metric). Distributions fill count..stdev and leave
// value empty; scalars fill value and leave the distribution columns empty. Latencies in ms.
// Written from a run, and read back (compare, thresholds) into the same rows.
import { stringify } from 'csv-stringify/sync';
import { distributionMs } from '../measure/histogram.ts';
import { DISTRIBUTION_STATS, type DistributionStat } from '../measure/metric-catalog.ts';
import { parseCsv } from './read-csv.ts';
import type { RunRecord } from './run-record.ts';

export const SUMMARY_COLUMNS = [
  'workload', 'recipe', 'metric', 'unit', 'value',
  ...DISTRIBUTION_STATS,
  'censored', 'window_ms',
  'clients', 'watchers', 'servers',
] as const;

export interface SummaryRow {
  workload: string;
  recipe: string;
  metric: string;
  unit: string;
  /** Scalars only; undefined when the figure does not apply (e.g. fairness in acquisitions mode). */
  value?: number | undefined;
  /** Distributions only; count 0 leaves the other statistics undefined. */
  dist?: Partial<Record<DistributionStat, number>> | undefined;
  /** Time-to-event distributions: how many of `count` are censored (recorded at the window's length). */
  censored?: number | undefined;
  /** Time-to-event distributions: the observation window in ms. */
  windowMs?: number | undefined;
  clients?: number | undefined;
  watchers?: number | undefined;
  servers?: number | undefined;
  /** Why the figure has no value, when run.json's notMeasured gave a reason (read back only; not a column). */
  notMeasured?: string | undefined;
}

/** Up to 6 significant digits: enough for any figure we measure, without float noise. */
export function num(v: number | undefined): string {
  if (v === undefined || Number.isNaN(v)) return '';
  return String(Number(v.toPrecision(6)));
}

export function summaryRows(run: RunRecord): SummaryRow[] {
  const rows: SummaryRow[] = [];
  for (const r of run.recipes) {
    const params = { clients: r.clients, watchers: r.watchers, servers: run.ensemble.servers };
    for (const m of r.metrics) {
      const head = { workload: run.workload.name, recipe: r.recipe, metric: m.name, unit: m.unit, ...params };
      if (m.kind === 'scalar') rows.push({ ...head, value: Number.isNaN(m.value) ? undefined : m.value });
      else rows.push({ ...head, dist: distributionMs(m.histogram) ?? { count: 0 }, censored: m.censored?.count, windowMs: m.censored?.windowMs });
    }
  }
  return rows;
}

export function formatSummaryCsv(rows: readonly SummaryRow[]): string {
  const cells = rows.map((r) => [
    r.workload,
    r.recipe,
    r.metric,
    r.unit,
    num(r.value),
    ...DISTRIBUTION_STATS.map((s) => num(r.dist?.[s])),
    num(r.censored),
    num(r.windowMs),
    num(r.clients),
    num(r.watchers),
    num(r.servers),
  ]);
  return stringify(cells, { header: true, columns: [...SUMMARY_COLUMNS] });
}

export function summaryCsv(run: RunRecord): string {
  return formatSummaryCsv(summaryRows(run));
}

export class SummaryFormatError extends Error {
  override readonly name = 'SummaryFormatError';
}

/** Parse a summary.csv written by this suite; a cell that should be a number and is not is an error. */
export function parseSummaryCsv(text: string, source: string): SummaryRow[] {
  let records: Record<string, string>[];
  try {
    records = parseCsv(text, ['workload', 'recipe', 'metric', 'unit', 'value', 'count', 'p50'], { wholeRows: true });
  } catch (err) {
    throw new SummaryFormatError(`${source}: not a zkbench summary.csv (${(err as Error).message})`);
  }
  return records.map((r, i) => {
    const number = (c: string): number | undefined => {
      const cell = (r[c] ?? '').trim();
      if (cell === '') return undefined;
      const n = Number(cell);
      if (Number.isNaN(n)) throw new SummaryFormatError(`${source}: row ${i + 2}, column ${c}: "${cell}" is not a number`);
      return n;
    };
    const isDistribution = (r['count'] ?? '') !== '';
    return {
      workload: r['workload'] ?? '',
      recipe: r['recipe'] ?? '',
      metric: r['metric'] ?? '',
      unit: r['unit'] ?? '',
      value: isDistribution ? undefined : number('value'),
      dist: isDistribution ? Object.fromEntries(DISTRIBUTION_STATS.map((s) => [s, number(s)])) : undefined,
      censored: number('censored'),
      windowMs: number('window_ms'),
      clients: number('clients'),
      watchers: number('watchers'),
      servers: number('servers'),
    };
  });
}
