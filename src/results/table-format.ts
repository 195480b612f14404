// Cells and layout of the terminal's tables: figures to a few significant digits, columns aligned.
import { distributionMs } from '../measure/histogram.ts';
import { findMetric, type Metric } from '../measure/metrics.ts';

/** What a scenario's table shows: a header, one row per result, and notes printed below. */
export interface ScenarioTable {
  header: string[];
  rows: string[][];
  notes: string[];
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

/** Columns padded to their widest cell: text left-aligned, figures (numeric columns) right-aligned. */
export function renderTable(header: string[], rows: string[][], align: 'numbers-right' | 'left' = 'numbers-right'): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const right = (i: number) => align === 'numbers-right' && i > 0;
  const line = (cells: string[]) =>
    cells.map((c, i) => (right(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
