// Cells and layout of the terminal's tables: figures to a few significant digits, columns aligned.
import { distributionMs } from '../measure/histogram.ts';
import { findMetric, type Censoring, type Metric } from '../measure/metrics.ts';

/** What a scenario's table shows: a header, one row per result, and notes printed below. */
export interface ScenarioTable {
  header: string[];
  rows: string[][];
  notes: string[];
  /** Further tables printed under it (e.g. run totals under one row per fault), each with a title line. */
  more?: { title: string; header: string[]; rows: string[][] }[];
}

/** The terminal's width the end-of-run tables keep to. */
export const TABLE_WIDTH = 100;

/** A column that continues the one before it (`acquire p50`, `p99`, `max`): never split from it. */
const CONTINUES = /^(p\d+|max|min|mean|count)$/;

/**
 * A table that fits `width` columns: a column that is "-" in every row (not measured anywhere in this run)
 * is left out, and a table still too wide is cut into several, each starting with the first column (the
 * recipe), cut only before a column that does not continue the one before it.
 */
export function fitTable(header: string[], rows: string[][], width = TABLE_WIDTH): string {
  const keep = header.map((_h, i) => i === 0 || rows.length === 0 || rows.some((r) => (r[i] ?? '') !== '-'));
  const h = header.filter((_x, i) => keep[i]);
  const rs = rows.map((r) => r.filter((_x, i) => keep[i]));
  const widthOf = (i: number): number => Math.max(h[i]!.length, ...rs.map((r) => (r[i] ?? '').length));
  const parts: number[][] = [];
  let part: number[] = [0];
  let used = widthOf(0);
  for (let i = 1; i < h.length; i++) {
    // The group of this column and those that continue it.
    let end = i;
    while (end + 1 < h.length && CONTINUES.test(h[end + 1]!)) end++;
    const group = [...Array(end - i + 1).keys()].map((k) => i + k);
    const need = group.reduce((sum, c) => sum + 2 + widthOf(c), 0);
    if (part.length > 1 && used + need > width) {
      parts.push(part);
      part = [0];
      used = widthOf(0);
    }
    part.push(...group);
    used += need;
    i = end;
  }
  parts.push(part);
  return parts.map((cols) => renderTable(cols.map((c) => h[c]!), rs.map((r) => cols.map((c) => r[c] ?? '')))).join('\n\n');
}

/** The session timeout the clients had: the servers' grant when it differs from what the workload asked. */
export function sessionTimeoutText(run: { workload: { sessionTimeoutMs: number }; ensemble: { sessionTimeout?: { askedMs: number; negotiatedMs: number | undefined } } }): string {
  const granted = run.ensemble.sessionTimeout?.negotiatedMs;
  const asked = run.workload.sessionTimeoutMs;
  return granted === undefined || granted === asked ? `session timeout ${asked} ms` : `session timeout ${granted} ms (granted by the servers; the workload asked for ${asked} ms)`;
}

/** A figure to `digits` significant digits; "-" when unknown. */
export function fmt(v: number | undefined, digits = 3): string {
  if (v === undefined || Number.isNaN(v)) return '-';
  if (v === 0) return '0';
  if (Math.abs(v) >= 1000) return v.toFixed(0);
  return String(Number(v.toPrecision(digits)));
}

/** A distribution metric's statistics in ms, or undefined when the result has none of that name. */
export function dist(metrics: readonly Metric[], name: string) {
  const m = findMetric(metrics, name);
  return m?.kind === 'distribution' ? distributionMs(m.histogram) : undefined;
}

/** A time-to-event figure's censored cases, when it has any (none: undefined). */
export function censored(metrics: readonly Metric[], name: string): Censoring | undefined {
  const m = findMetric(metrics, name);
  return m?.kind === 'distribution' && m.censored && m.censored.count > 0 ? m.censored : undefined;
}

/** A percentile, max or mean of a figure with censored cases is a lower bound: "≥" before it. */
export function boundCell(v: number | undefined, c: Censoring | undefined): string {
  const cell = fmt(v);
  return c && cell !== '-' ? `≥${cell}` : cell;
}

/** What a censored case of a figure is, by the figure's name (before its first dot): the cases, and what they had not done. */
const CENSORED_CASES: Record<string, [string, string]> = {
  unavailable: ['sessions', 'not back'],
  election_to_leader: ['leader changes', 'with no new leader'],
  election_to_write: ['leader changes', 'with no write accepted'],
  converge: ['changes', 'not seen by every member'],
  converge_from_ack: ['changes', 'not seen by every member'],
  recovery: ['faults', 'not recovered'],
  first_acquisition: ['clients', 'that never acquired'],
};

/** `13 of 20 sessions not back within 18 s`: a figure's censored cases in words. */
export function censoredPhrase(metric: string, censoredCount: number, total: number, windowMs: number): string {
  const [cases, notYet] = CENSORED_CASES[metric.split('.')[0]!] ?? ['cases', 'without the event'];
  return `${censoredCount} of ${total} ${cases} ${notYet} within ${fmt(windowMs / 1000)} s`;
}

/**
 * The note for a censored figure, e.g. `unavailable.1: p50 ≥23.7 ms, max ≥18000 ms, 13 of 20 sessions not back
 * within 18 s` (SPEC §2: the count censored beside the distribution, its percentiles and max lower bounds).
 */
export function censoredNote(m: Metric): string | undefined {
  if (m.kind !== 'distribution' || !m.censored || m.censored.count === 0) return undefined;
  const d = distributionMs(m.histogram);
  return (
    `${m.name}: p50 ${boundCell(d?.p50, m.censored)} ms, max ${boundCell(d?.max, m.censored)} ms, ${censoredPhrase(m.name, m.censored.count, d?.count ?? 0, m.censored.windowMs)} ` +
    "(censored: counted at what was observed by the window's end, so its percentiles and max are lower bounds)"
  );
}

/** Columns padded to their widest cell: text left-aligned, figures (numeric columns) right-aligned. */
export function renderTable(header: string[], rows: string[][], align: 'numbers-right' | 'left' = 'numbers-right'): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const right = (i: number) => align === 'numbers-right' && i > 0;
  const line = (cells: string[]) =>
    cells.map((c, i) => (right(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
