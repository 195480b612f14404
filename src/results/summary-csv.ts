// summary.csv (SPEC §3): one row per (workload, recipe, metric). Distributions fill count..stdev and leave
// value empty; scalars fill value and leave the distribution columns empty. Latencies in ms.
// Written from a run, and read back (compare, thresholds) into the same rows.
import { stringify } from 'csv-stringify/sync';
import { distributionMs } from '../measure/histogram.ts';
import { DISTRIBUTION_STATS, type DistributionStat } from '../measure/metric-catalog.ts';
import type { RunRecord } from './run-record.ts';

export const SUMMARY_COLUMNS = [
  'workload', 'recipe', 'metric', 'unit', 'value',
  ...DISTRIBUTION_STATS,
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
  clients?: number | undefined;
  watchers?: number | undefined;
  servers?: number | undefined;
}

/** Up to 6 significant digits: enough for any figure we measure, without float noise. */
export function num(v: number | undefined): string {
  if (v === undefined || Number.isNaN(v)) return '';
  return String(Number(v.toPrecision(6)));
}

export function summaryRows(run: RunRecord): SummaryRow[] {
  const rows: SummaryRow[] = [];
  for (const r of run.recipes) {
    const params = { clients: r.clients, watchers: undefined, servers: run.ensemble.servers };
    for (const m of r.metrics) {
      const head = { workload: run.workload.name, recipe: r.recipe, metric: m.name, unit: m.unit, ...params };
      if (m.kind === 'scalar') rows.push({ ...head, value: Number.isNaN(m.value) ? undefined : m.value });
      else rows.push({ ...head, dist: distributionMs(m.histogram) ?? { count: 0 } });
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

/** Parse a summary.csv written by this suite (plain fields: no quoting beyond what names need). */
export function parseSummaryCsv(text: string, source: string): SummaryRow[] {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = splitCsvLine(lines[0] ?? '');
  const at = new Map(header.map((h, i) => [h, i]));
  for (const c of ['workload', 'recipe', 'metric', 'unit', 'value', 'p50']) {
    if (!at.has(c)) throw new SummaryFormatError(`${source}: not a zkbench summary.csv (no "${c}" column)`);
  }
  return lines.slice(1).map((line) => {
    const cells = splitCsvLine(line);
    const cell = (c: string): string => cells[at.get(c) ?? -1] ?? '';
    const number = (c: string): number | undefined => (cell(c) === '' ? undefined : Number(cell(c)));
    const isDistribution = cell('count') !== '';
    return {
      workload: cell('workload'),
      recipe: cell('recipe'),
      metric: cell('metric'),
      unit: cell('unit'),
      value: isDistribution ? undefined : number('value'),
      dist: isDistribution ? Object.fromEntries(DISTRIBUTION_STATS.map((s) => [s, number(s)])) : undefined,
      clients: number('clients'),
      watchers: number('watchers'),
      servers: number('servers'),
    };
  });
}

/** RFC 4180 fields: commas and quotes inside double quotes. */
function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}
