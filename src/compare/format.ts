// Rendering a comparison: an aligned terminal table, Markdown, CSV or JSON.
import { stringify } from 'csv-stringify/sync';
import { renderTable } from '../results/table-format.ts';
import type { Breach, ComparisonRow } from './compare.ts';
import { fails } from './gate.ts';
import { figureName } from './rules.ts';

export const FORMATS = ['table', 'markdown', 'csv', 'json'] as const;
export type Format = (typeof FORMATS)[number];

const fmt = (v: number | undefined): string => (v === undefined ? '-' : v === 0 ? '0' : String(Number(v.toPrecision(4))));
const ratio = (r: number | undefined): string => (r === undefined ? '-' : `${r.toFixed(2)}x`);

function cells(r: ComparisonRow): string[] {
  const out = [figureName(r), r.unit, fmt(r.values[0])];
  for (let i = 1; i < r.values.length; i++) out.push(fmt(r.values[i]), ratio(r.ratios[i]));
  return out;
}

function header(labels: readonly string[]): string[] {
  const out = ['figure', 'unit', labels[0] ?? 'baseline'];
  for (const l of labels.slice(1)) out.push(l, 'ratio');
  return out;
}

/** Rows grouped by (workload, recipe), in first-seen order. */
function groups(rows: readonly ComparisonRow[]): [string, ComparisonRow[]][] {
  const map = new Map<string, ComparisonRow[]>();
  for (const r of rows) {
    const key = r.recipe ? `${r.workload} / ${r.recipe}` : r.workload;
    map.set(key, [...(map.get(key) ?? []), r]);
  }
  return [...map];
}

/** One line per gate that did not pass: its outcome in capitals when it fails the command (gate.ts). */
export function breachLines(breaches: readonly Breach[]): string[] {
  return breaches.map((b) => {
    const label = fails(b) ? b.outcome.toUpperCase() : `${b.outcome} (optional)`;
    const where = [b.workload, b.recipe].filter(Boolean).join(' / ');
    return `${label} ${b.rule}: ${b.column}, ${where ? `${where} ` : ''}${b.figure} ${b.detail}`;
  });
}

export function formatComparison(labels: readonly string[], rows: readonly ComparisonRow[], breaches: readonly Breach[], format: Format): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify({ columns: labels, rows, breaches }, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n`;
    case 'csv': {
      // Raw numbers and one named ratio column per compared run, for spreadsheets and scripts.
      const head = ['workload', 'recipe', 'figure', 'unit', ...labels, ...labels.slice(1).map((l) => `ratio:${l}`)];
      const raw = (v: number | undefined): string => (v === undefined || !Number.isFinite(v) ? '' : String(v));
      return stringify(
        rows.map((r) => [r.workload, r.recipe, figureName(r), r.unit, ...r.values.map(raw), ...r.ratios.slice(1).map(raw)]),
        { header: true, columns: head },
      );
    }
    case 'markdown': {
      const parts: string[] = [];
      for (const [title, rs] of groups(rows)) {
        const h = header(labels);
        parts.push(`### ${title}\n`, `| ${h.join(' | ')} |`, `|${h.map((_, i) => (i < 2 ? '---' : '---:')).join('|')}|`);
        for (const r of rs) parts.push(`| ${cells(r).join(' | ')} |`);
        parts.push('');
      }
      if (breaches.length > 0) parts.push('**Gates that did not pass**', '', ...breachLines(breaches).map((l) => `- ${l}`), '');
      return `${parts.join('\n')}\n`;
    }
    case 'table': {
      const parts: string[] = [];
      for (const [title, rs] of groups(rows)) parts.push(`${title}\n${renderTable(header(labels), rs.map(cells))}\n`);
      parts.push(...breachLines(breaches));
      return `${parts.join('\n')}\n`;
    }
  }
}
