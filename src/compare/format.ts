// Rendering a comparison: an aligned terminal table, Markdown, CSV or JSON. Table and Markdown show each
// workload's headline figures (headline.ts) when a view is given, else every figure; CSV and JSON always
// carry every figure.
import { stringify } from 'csv-stringify/sync';
import { renderTable, TABLE_WIDTH } from '../results/table-format.ts';
import type { Breach, ComparisonRow } from './compare.ts';
import { fails } from './gate.ts';
import { isHeadlineGroup, type HeadlineCell, type HeadlineGroup, type HeadlineView } from './headline.ts';
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

/**
 * The comparison in a format. With a headline view, table and Markdown show each workload's headline
 * figures (every figure for a workload whose scenario is not known); without one, every figure.
 */
export function formatComparison(labels: readonly string[], rows: readonly ComparisonRow[], breaches: readonly Breach[], format: Format, view?: HeadlineView): string {
  if (view && (format === 'table' || format === 'markdown')) return formatHeadlines(labels, rows, breaches, format, view);
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
      const parts = fullMarkdown(labels, rows);
      if (breaches.length > 0) parts.push('**Gates that did not pass**', '', ...breachLines(breaches).map((l) => `- ${l}`), '');
      return `${parts.join('\n')}\n`;
    }
    case 'table':
      return `${[...fullTable(labels, rows), ...breachLines(breaches)].join('\n')}\n`;
  }
}

/** Every figure, one table per (workload, recipe): the --all-figures view. */
function fullTable(labels: readonly string[], rows: readonly ComparisonRow[]): string[] {
  return groups(rows).map(([title, rs]) => `${title}\n${renderTable(header(labels), rs.map(cells))}\n`);
}

function fullMarkdown(labels: readonly string[], rows: readonly ComparisonRow[]): string[] {
  const parts: string[] = [];
  for (const [title, rs] of groups(rows)) {
    const h = header(labels);
    parts.push(`### ${title}\n`, `| ${h.join(' | ')} |`, `|${h.map((_, i) => (i < 2 ? '---' : '---:')).join('|')}|`);
    for (const r of rs) parts.push(`| ${cells(r).join(' | ')} |`);
    parts.push('');
  }
  return parts;
}

// ---- The headline view ----

/** Labels longer than this (or not all different) become letters (A, B, ...) named in a legend, so the tables keep to TABLE_WIDTH. */
const LABEL_MAX = 16;

/** The key a column goes by in a headline table: its label, or a letter when any label is long or two are the same. */
function columnKeys(labels: readonly string[]): { keys: string[]; legend: string[] } {
  if (labels.every((l) => l.length <= LABEL_MAX) && new Set(labels).size === labels.length) return { keys: [...labels], legend: [] };
  const letter = (i: number): string => (i < 26 ? String.fromCharCode(65 + i) : `${String.fromCharCode(65 + Math.floor(i / 26) - 1)}${String.fromCharCode(65 + (i % 26))}`);
  const keys = labels.map((_l, i) => letter(i));
  return { keys, legend: labels.map((l, i) => `${keys[i]} = ${l}${i === 0 ? ' (baseline)' : ''}`) };
}

const NOT_MEASURED = 'not measured';

function valueText(c: HeadlineCell): string {
  if (c.value === undefined) return NOT_MEASURED;
  return `${c.lowerBound ? '≥' : ''}${fmt(c.value)}`;
}

/** Words of `text` in lines of at most `width` columns, the lines after the first indented. */
function wrapLine(text: string, width = TABLE_WIDTH, indent = '  '): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const next = line === '' ? word : `${line} ${word}`;
    if (next.length > width && line.trim() !== '') {
      out.push(line);
      line = `${indent}${word}`;
    } else line = next;
  }
  if (line !== '') out.push(line);
  return out;
}

interface GroupTable {
  /** The fixed columns (series, column key) and then one per figure. */
  head: string[];
  units: string[];
  rows: string[][];
  fixed: number;
  notes: string[];
}

/** A group's table: per series, the baseline's row, then each other column's row and its ratio row. */
function groupTable(g: HeadlineGroup, keys: readonly string[], columnWord: string): GroupTable {
  const withSeries = g.series.some((s) => s.recipe !== '');
  const fixedHead = withSeries ? [columnWord === 'recipe' ? 'series' : 'recipe', columnWord] : [columnWord];
  const rows: string[][] = [];
  // why -> "B predecessor" -> the figures it lacks for that reason
  const reasons = new Map<string, Map<string, string[]>>();
  for (const s of g.series) {
    s.cells.forEach((col, j) => {
      const lead = withSeries ? [j === 0 ? s.recipe : '', keys[j]!] : [keys[j]!];
      rows.push([...lead, ...col.map(valueText)]);
      if (j > 0) rows.push([...(withSeries ? [''] : []), 'ratio', ...col.map((c) => ratio(c.ratio))]);
      col.forEach((c, i) => {
        if (c.notMeasured === undefined) return;
        const where = [keys[j], s.recipe].filter(Boolean).join(' ');
        const of = reasons.get(c.notMeasured) ?? new Map<string, string[]>();
        of.set(where, [...(of.get(where) ?? []), g.figures[i]!.header]);
        reasons.set(c.notMeasured, of);
      });
    });
  }
  const notes = [...reasons].map(([why, of]) => `${NOT_MEASURED} (${why}): ${[...of].map(([where, figures]) => `${where} (${figures.join(', ')})`).join('; ')}`);
  if (g.absent.length > 0) notes.push(`${NOT_MEASURED} in any of these runs: ${g.absent.map((f) => f.header).join(', ')}`);
  return { head: [...fixedHead, ...g.figures.map((f) => f.header)], units: [...fixedHead.map(() => ''), ...g.figures.map((f) => f.unit)], rows, fixed: fixedHead.length, notes };
}

/** The figure columns cut into parts whose lines (with the fixed columns repeated) fit `width`. */
function columnParts(widths: readonly number[], fixed: number, width: number, gap = 2): number[][] {
  const lead = widths.slice(0, fixed).reduce((a, w) => a + w + gap, 0);
  const parts: number[][] = [];
  let part: number[] = [];
  let used = lead;
  for (let i = fixed; i < widths.length; i++) {
    if (part.length > 0 && used + gap + widths[i]! > width) {
      parts.push(part);
      part = [];
      used = lead;
    }
    part.push(i);
    used += gap + widths[i]!;
  }
  if (part.length > 0 || parts.length === 0) parts.push(part);
  return parts.map((p) => [...Array(fixed).keys(), ...p]);
}

/** Terminal: the fixed columns left-aligned, the figures right-aligned under a heading and a unit line. */
function terminalTable(t: GroupTable): string {
  const all = [t.head, t.units, ...t.rows];
  const widths = t.head.map((_h, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  const line = (cols: number[], cells: readonly string[]): string =>
    cols.map((c) => (c < t.fixed ? (cells[c] ?? '').padEnd(widths[c]!) : (cells[c] ?? '').padStart(widths[c]!))).join('  ').trimEnd();
  return columnParts(widths, t.fixed, TABLE_WIDTH)
    .map((cols) => [line(cols, t.head), line(cols, t.units), line(cols, widths.map((w) => '-'.repeat(w))), ...t.rows.map((r) => line(cols, r))].join('\n'))
    .join('\n\n');
}

/** Markdown: the unit in the heading; one table per workload (a rendered page scrolls, a terminal does not). */
function markdownTable(t: GroupTable): string {
  const head = t.head.map((h, i) => (t.units[i] ? `${h} (${t.units[i]})` : h));
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  return [line(head), `|${head.map((_h, c) => (c < t.fixed ? '---' : '---:')).join('|')}|`, ...t.rows.map(line)].join('\n');
}

/** Is a breach's figure among those the headline tables show? */
function shownIn(view: HeadlineView, b: Breach): boolean {
  return view.groups.some(
    (g) =>
      g.workload === b.workload &&
      (!isHeadlineGroup(g) || (g.series.some((s) => s.recipe === b.recipe) && g.figures.some((f) => figureName(f) === b.figure))),
  );
}

const HIDDEN = ' (a figure not in the tables above: --all-figures shows it)';

function formatHeadlines(labels: readonly string[], rows: readonly ComparisonRow[], breaches: readonly Breach[], format: 'table' | 'markdown', view: HeadlineView): string {
  const { keys, legend } = columnKeys(labels);
  const md = format === 'markdown';
  const parts: string[] = [];
  if (legend.length > 0) parts.push(...(md ? legend.map((l) => `- ${l}`) : legend.flatMap((l) => wrapLine(l))), '');
  for (const g of view.groups) {
    const title = g.scenario && g.scenario !== g.workload ? `${g.workload} (${g.scenario})` : g.workload;
    if (!isHeadlineGroup(g)) {
      const why = `${title}: ${g.scenario ? `scenario "${g.scenario}" unknown to this build` : 'scenario unknown (no run.json)'}, so every figure`;
      const own = rows.filter((r) => r.workload === g.workload);
      if (md) parts.push(`${why}\n`, ...fullMarkdown(labels, own));
      else parts.push(...wrapLine(why), ...fullTable(labels, own));
      continue;
    }
    const t = groupTable(g, keys, view.columns === 'recipes' ? 'recipe' : 'run');
    if (md) parts.push(`### ${title}\n`, markdownTable(t), '', ...t.notes.map((n) => `- ${n}`), ...(t.notes.length > 0 ? [''] : []));
    else parts.push(title, terminalTable(t), ...t.notes.flatMap((n) => wrapLine(n)), '');
  }
  const foot = "each scenario's headline figures; ratio: over the baseline; every figure: --all-figures, csv, json";
  parts.push(...(md ? [`_${foot}_`, ''] : wrapLine(foot)));
  const lines = breachLines(breaches).map((l, i) => (shownIn(view, breaches[i]!) || breaches[i]!.workload === '' ? l : `${l}${HIDDEN}`));
  if (md) {
    if (breaches.length > 0) parts.push('', '**Gates that did not pass**', '', ...lines.map((l) => `- ${l}`), '');
  } else parts.push(...lines);
  return `${parts.join('\n')}\n`;
}
