// The report page: one self-contained HTML file (inline CSS and SVG, no scripts, fonts or styles from
// anywhere else), so it opens from a CI artefact or a mail attachment with no network.
import { formatFigure } from './charts.ts';
import type { Ratio, RecipeComparison, SideComparison } from './comparison.ts';
import { declarationOf, registryDeclarations } from './declaration.ts';
import { cellText, keyFigureTable, type Cell, type PerFaultTable, type ScalarTable } from './figure-tables.ts';
import type { ReportRun } from './read-run.ts';
import type { GlossaryEntry, KeyFigure } from '../scenarios/report-view.ts';
import { escapeHtml } from './escape-html.ts';
import { serverViewHtml } from './server-view-html.ts';
import { censoredPhrase } from '../results/table-format.ts';
import { commandHint } from '../process/command-hint.ts';

export interface ChartBlock {
  title: string;
  /** One or two sentences: what the chart shows and how to read it (plain text). */
  intro: string;
  /** Rendered SVG text, or the HTML of a table. */
  body: string;
  kind: string;
  /** Data points or table rows it shows. */
  points: number;
}

export interface SectionModel {
  workload: string;
  /** The scenario of the runs, and whether the page follows its declaration (else one built from the files). */
  scenario: string | undefined;
  declared: boolean;
  runs: ReportRun[];
  keyFigures: KeyFigure[];
  charts: ChartBlock[];
  /** Declared charts not drawn, and why. */
  absent: { title: string; reason: string }[];
  /** What each figure the section names means. */
  glossary: GlossaryEntry[];
  /** Recipes against the first recipe, runs (or repeat sets) against the first. */
  comparison: { sides: SideComparison[]; recipes: RecipeComparison[] };
}

export interface ReportModel {
  generatedAt: Date;
  sections: SectionModel[];
  notes: string[];
}

const STYLE = `
  :root { color-scheme: light; }
  body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: #222;
         margin: 0 auto; padding: 1.5rem 2rem 3rem; max-width: 1000px; line-height: 1.45; background: #fff; }
  h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
  h2 { font-size: 1.3rem; margin: 2.5rem 0 .5rem; padding-bottom: .2rem; border-bottom: 2px solid #4c78a8; }
  h3 { font-size: 1.05rem; margin: 1.5rem 0 .4rem; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; word-break: break-all; }
  h4 { font-size: 1rem; margin: 0 0 .2rem; }
  h4.table-title { margin: 1.2rem 0 .3rem; }
  .lead, .generated { color: #555; margin: 0 0 .5rem; }
  .run { border: 1px solid #ddd; border-radius: 6px; padding: .2rem 1rem .8rem; margin: 1rem 0; background: #fafafa; }
  dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: .4rem 0 .8rem; font-size: .92rem; }
  dl.facts dt { color: #666; }
  dl.facts dd { margin: 0; }
  table.figures { border-collapse: collapse; font-size: .9rem; font-variant-numeric: tabular-nums; }
  table.figures th, table.figures td { padding: .2rem .6rem; border-bottom: 1px solid #e3e3e3; }
  table.figures th { text-align: right; font-weight: 600; color: #444; vertical-align: bottom; }
  table.figures td { text-align: right; }
  table.figures th:first-child, table.figures td:first-child { text-align: left; }
  .outcome-completed { color: #2e7d32; font-weight: 600; }
  .outcome-interrupted { color: #b26a00; font-weight: 600; }
  .outcome-failed { color: #c62828; font-weight: 600; }
  .bad { color: #c62828; font-weight: 600; }
  .warn { color: #b26a00; }
  .note { font-size: .85rem; color: #555; margin: .4rem 0 0; }
  figure.chart { margin: 1.8rem 0; }
  figure.chart figcaption { margin-bottom: .4rem; }
  figure.chart figcaption p { margin: .1rem 0 0; color: #444; font-size: .92rem; max-width: 60rem; }
  figure.chart svg { max-width: 100%; height: auto; display: block; }
  ul.notes { color: #b26a00; }
  .unit { font-weight: normal; color: #777; }
  table.comparison td:nth-child(-n+2) { text-align: left; }
  .glossary { font-size: .9rem; border-top: 1px solid #ddd; margin-top: 1.5rem; }
  .absent { font-size: .9rem; color: #555; border-top: 1px solid #ddd; margin-top: 1.5rem; }
  table.per-fault td:nth-child(-n+3), table.scalars td:first-child { text-align: left; }
  code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .9em; }
`;

const fig = (v: number | undefined): string => escapeHtml(formatFigure(v));

function outcomeHtml(run: ReportRun): string {
  const o = run.info.outcome ?? 'unknown';
  const cls = ['completed', 'interrupted', 'failed'].includes(o) ? ` class="outcome-${o}"` : '';
  const err = run.info.error ? ` (${escapeHtml(run.info.error)})` : '';
  const at = run.info.interruptedAt ? ` during the ${escapeHtml(run.info.interruptedAt)} stage` : '';
  return `<span${cls}>${escapeHtml(o)}</span>${at}${err}`;
}

function timesHtml(run: ReportRun): string {
  const { startedAt, endedAt } = run.info;
  if (!startedAt) return 'unknown';
  const start = new Date(startedAt);
  const end = endedAt ? new Date(endedAt) : undefined;
  const took = end && !Number.isNaN(end.getTime() - start.getTime()) ? `, took ${((end.getTime() - start.getTime()) / 1000).toFixed(1)} s` : '';
  return `${escapeHtml(startedAt.replace('T', ' ').replace(/\.\d+Z$/, 'Z'))}${escapeHtml(took)}`;
}

function ensembleHtml(run: ReportRun): string {
  const e = run.info.ensemble;
  const parts = [
    e.kind ?? 'unknown kind',
    e.servers === undefined ? undefined : `${e.servers} server${e.servers === 1 ? '' : 's'}`,
    e.leaderId === undefined ? 'leader unknown' : `leader: server ${e.leaderId}`,
  ].filter((p) => p !== undefined);
  return escapeHtml(parts.join(', '));
}

const VERSION_NAMES: Record<string, string> = { suite: 'zkbench', node: 'Node', zookeeperServer: 'ZooKeeper server', zookeeperClient: 'client' };

function versionsHtml(run: ReportRun): string {
  const v = Object.entries(run.info.versions);
  if (v.length === 0) return 'unknown';
  return v.map(([k, val]) => `${escapeHtml(VERSION_NAMES[k] ?? k)} ${escapeHtml(val)}`).join(' · ');
}

const cellHtml = (c: Cell): string => (c.bad ? `<span class="bad">${escapeHtml(cellText(c))}</span>` : escapeHtml(cellText(c)));
const headHtml = (header: string, unit: string): string => `${escapeHtml(header)}${unit === '' || unit === 'count' ? '' : `<br><span class="unit">(${escapeHtml(unit)})</span>`}`;
const tableHtml = (head: string[], body: string[][], cls = 'figures'): string =>
  `<table class="${cls}"><thead><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>${body.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('')}</tbody></table>`;

/** The key figures the scenario declares, one row per recipe; a column no row fills is left out, and named. */
function figuresTable(run: ReportRun, declared: readonly KeyFigure[]): string {
  const table = keyFigureTable(run, declared);
  if (table.rows.length === 0) return '<p class="note">No recipe finished in this run: there are no figures.</p>';
  const info = (recipe: string) => run.info.recipes.find((r) => r.recipe === recipe);
  const flag = (recipe: string) => run.summary.find((s) => s.recipe === recipe && s.metric === 'driver.saturated')?.value;
  const saturated = (recipe: string): boolean | undefined => info(recipe)?.driverSaturated ?? (flag(recipe) === undefined ? undefined : flag(recipe)! > 0);
  const head = ['recipe', ...table.columns.map((k) => headHtml(k.header, k.unit)), 'driver<br>saturated'];
  const body = table.rows.map((r) => {
    const sat = saturated(r.recipe);
    const satCell = sat === undefined ? '–' : sat ? `<span class="warn" title="${escapeHtml((info(r.recipe)?.driverSaturationReasons ?? []).join('; '))}">yes *</span>` : 'no';
    return [escapeHtml(r.recipe), ...r.cells.map(cellHtml), satCell];
  });
  const notes: string[] = [];
  const sat = table.rows.filter((r) => saturated(r.recipe));
  if (sat.length > 0) {
    const reasons = sat.map((r) => `${r.recipe}${(info(r.recipe)?.driverSaturationReasons ?? []).length > 0 ? ` (${info(r.recipe)!.driverSaturationReasons.join('; ')})` : ''}`);
    notes.push(
      `<p class="note"><span class="warn">* driver saturated</span>: the load processes were busy enough to delay timestamps, so these latencies include the driver's own queueing: ${escapeHtml(reasons.join(', '))}.</p>`,
    );
  }
  if (table.rows.some((r) => r.cells.some((c) => c.bad))) notes.push('<p class="note"><span class="bad">Red</span>: a figure that must be 0 (a safety or correctness failure in this run).</p>');
  if (table.rows.some((r) => r.cells.some((c) => c.bound))) notes.push('<p class="note">≥: a censored figure, a lower bound (see “Censored figures”).</p>');
  if (table.absent.length > 0) notes.push(`<p class="note">Not in this run (no recipe reported them): ${escapeHtml(table.absent.map((k) => k.header).join(', '))}.</p>`);
  return `${tableHtml(head, body)}${notes.join('')}`;
}

const times = (r: number): string => `×${formatFigure(r)}`;

function ratioTable(ratios: readonly Ratio[], baseHead: string, otherHead: string, withRecipe: boolean): string {
  const noisy = ratios.some((r) => r.range !== undefined);
  const head = [...(withRecipe ? ['recipe'] : []), 'figure', baseHead, otherHead, 'ratio', ...(noisy ? ['ratio over the repeats'] : [])];
  const median = (sp: Ratio['baseline']): string => `${formatFigure(sp.median)}${sp.runs > 1 ? ` (${formatFigure(sp.min)}–${formatFigure(sp.max)}, ${sp.runs} runs)` : ''}`;
  const body = ratios.map((r) => [
    ...(withRecipe ? [escapeHtml(r.recipe)] : []),
    escapeHtml(`${r.figure}${r.unit === 'count' ? '' : ` (${r.unit})`}`),
    escapeHtml(median(r.baseline)),
    escapeHtml(median(r.other)),
    escapeHtml(times(r.ratio)),
    ...(noisy ? [escapeHtml(r.range ? `${times(r.range[0])} – ${times(r.range[1])}` : '')] : []),
  ]);
  return tableHtml(head, body, 'figures comparison');
}

/** The comparison block: recipes against the first recipe of each run, runs against the first; or why not. */
export function comparisonHtml(c: SectionModel['comparison']): string {
  const parts: string[] = [];
  for (const r of c.recipes) {
    parts.push(`<p class="note">In <code>${escapeHtml(r.side)}</code>, each recipe against <b>${escapeHtml(r.baselineRecipe)}</b> (same ensemble, same run); ratio = the recipe's figure / ${escapeHtml(r.baselineRecipe)}'s.</p>`);
    parts.push(ratioTable(r.ratios, r.baselineRecipe, 'recipe', true));
  }
  for (const s of c.sides) {
    if (s.notComparable.length > 0) {
      parts.push(`<p class="note"><span class="bad">Not comparable</span>: <code>${escapeHtml(s.other)}</code> is not set against <code>${escapeHtml(s.baseline)}</code>: ${escapeHtml(s.notComparable.join('; '))}.</p>`);
      continue;
    }
    if (s.ratios.length === 0) continue;
    parts.push(`<p class="note"><code>${escapeHtml(s.other)}</code> against <code>${escapeHtml(s.baseline)}</code>, per recipe; ratio = its figure / the baseline's${s.ratios.some((r) => r.range) ? '; with repeats, medians, and the range the ratio spans over them (its noise)' : ''}.</p>`);
    parts.push(ratioTable(s.ratios, s.baseline, s.other, true));
  }
  return parts.length === 0 ? '' : `<div class="comparison"><h4>Comparison</h4>${parts.join('')}</div>`;
}

/** A per-fault table: one row per fault, the fault named. */
export function perFaultHtml(t: PerFaultTable, multi: boolean): string {
  const head = [...(multi ? ['run'] : []), 'recipe', 'fault', ...t.columns.map((c) => headHtml(c.header, c.unit))];
  const body = t.rows.map((r) => [...(multi ? [escapeHtml(r.run)] : []), escapeHtml(r.recipe), escapeHtml(r.fault), ...r.cells.map(cellHtml)]);
  return tableHtml(head, body, 'figures per-fault');
}

/** Scalars: one row per figure, one column per series. */
export function scalarHtml(t: ScalarTable, multi: boolean): string {
  const units = t.rows.some((r) => r.unit !== 'count');
  const head = ['figure', ...(units ? ['unit'] : []), ...t.series.map((s) => escapeHtml(multi ? `${s.run}: ${s.recipe}` : s.recipe))];
  const body = t.rows.map((r) => [escapeHtml(r.label), ...(units ? [escapeHtml(r.unit === 'count' ? '' : r.unit)] : []), ...r.cells.map(cellHtml)]);
  return tableHtml(head, body, 'figures scalars');
}

/** Time-to-event figures with censored cases: their bounds ("≥") and how many cases the window closed on (SPEC §2). */
function censoredHtml(run: ReportRun): string {
  const rows = run.summary.filter((r) => (r.censored ?? 0) > 0);
  if (rows.length === 0) return '';
  const head = ['recipe', 'figure', 'p50<br>(ms)', 'p99<br>(ms)', 'max<br>(ms)', 'censored'];
  const bound = (v: number | undefined): string => (v === undefined ? fig(v) : `≥${fig(v)}`);
  const body = rows.map((r) => {
    const cells = [escapeHtml(r.recipe), escapeHtml(r.metric), bound(r.p50), bound(r.p99), bound(r.max), `<span class="bad">${escapeHtml(censoredPhrase(r.metric, r.censored!, r.count ?? 0, r.windowMs ?? NaN))}</span>`];
    return `<tr>${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`;
  });
  return [
    '<h4 class="table-title">Censored figures</h4>',
    `<table class="figures"><thead><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>${body.join('')}</tbody></table>`,
    '<p class="note">A censored case is an event that had not happened when its observation window (from the fault or change to the next fault or the end of the measured window) closed: it is counted at what was observed by then, so these percentiles and maxima are lower bounds.</p>',
  ].join('');
}

/** The bench command as a shell would take it back. */
export function commandLine(argv: readonly string[]): string {
  const quote = (a: string): string => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`);
  return commandHint(argv.map(quote).join(' '));
}

export function runHeaderHtml(run: ReportRun, keyFigures: readonly KeyFigure[] = declarationOf([run], registryDeclarations).declaration.keyFigures): string {
  const i = run.info;
  const workload = `${escapeHtml(i.workload)}${i.clients !== undefined ? `, ${i.clients} clients` : ''}`;
  const facts: [string, string][] = [
    ['workload', workload],
    ...(i.description ? [['described as', escapeHtml(i.description)] as [string, string]] : []),
    ...(i.argv && i.argv.length > 0 ? [['command', `<code>${escapeHtml(commandLine(i.argv))}</code>`] as [string, string]] : []),
    ['outcome', outcomeHtml(run)],
    ['started', timesHtml(run)],
    ['ensemble', ensembleHtml(run)],
    ['versions', versionsHtml(run)],
    ...(i.host ? [['host', escapeHtml(i.host)] as [string, string]] : []),
    ['directory', `<code>${escapeHtml(run.dir)}</code>`],
    ...(i.notes.length > 0 ? [['notes', i.notes.map((n) => escapeHtml(n)).join('<br>')] as [string, string]] : []),
  ];
  return [
    `<section class="run" id="${escapeHtml(`run-${run.name}`)}">`,
    `<h3>${escapeHtml(run.name)}</h3>`,
    `<dl class="facts">${facts.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${v}</dd>`).join('')}</dl>`,
    figuresTable(run, keyFigures),
    censoredHtml(run),
    serverViewHtml(run),
    '</section>',
  ].join('\n');
}

function chartHtml(c: ChartBlock): string {
  return [
    `<figure class="chart" data-kind="${escapeHtml(c.kind)}" data-points="${c.points}">`,
    `<figcaption><h4>${escapeHtml(c.title)}</h4><p>${escapeHtml(c.intro)}</p></figcaption>`,
    c.body,
    '</figure>',
  ].join('\n');
}

export function reportHtml(model: ReportModel): string {
  const runs = model.sections.flatMap((s) => s.runs);
  const title = runs.length === 1 ? `zkbench report: ${runs[0]!.name}` : `zkbench report: ${runs.length} runs`;
  const sections = model.sections.map((s) =>
    [
      `<section class="workload" id="${escapeHtml(`workload-${s.workload}`)}">`,
      `<h2>Workload ${escapeHtml(s.workload)}</h2>`,
      s.runs.length > 1 ? `<p class="lead">${s.runs.length} runs of this workload, drawn together: each chart has a line or bar per run.</p>` : '',
      s.declared ? '' : `<p class="lead">The ${escapeHtml(s.scenario ?? 'unknown')} scenario declares no report: its figures are drawn as the run's files hold them.</p>`,
      ...s.runs.map((r) => runHeaderHtml(r, s.keyFigures)),
      ...s.charts.map(chartHtml),
      s.absent.length === 0
        ? ''
        : `<div class="absent"><h4>Not drawn</h4><ul>${s.absent.map((a) => `<li><b>${escapeHtml(a.title)}</b>: ${escapeHtml(a.reason)}.</li>`).join('')}</ul></div>`,
      comparisonHtml(s.comparison),
      s.glossary.length === 0
        ? ''
        : `<div class="glossary"><h4>What the figures mean</h4><dl class="facts">${s.glossary.map((g) => `<dt><code>${escapeHtml(g.figure)}</code>${g.unit === 'count' || g.unit === '' ? '' : ` <span class="unit">(${escapeHtml(g.unit)})</span>`}</dt><dd>${escapeHtml(g.meaning)}</dd>`).join('')}</dl></div>`,
      '</section>',
    ]
      .filter((l) => l !== '')
      .join('\n'),
  );
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta name="generator" content="zkbench report">`,
    `<title>${escapeHtml(title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    `<h1>${escapeHtml(title)}</h1>`,
    `<p class="generated">Generated ${escapeHtml(model.generatedAt.toISOString().replace(/\.\d+Z$/, 'Z'))} from ${runs.map((r) => `<code>${escapeHtml(r.name)}</code>`).join(', ')}. Latencies in milliseconds; definitions in the zkbench README, “What the numbers mean”.</p>`,
    model.notes.length > 0 ? `<ul class="notes">${model.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul>` : '',
    ...sections,
    '</body>',
    '</html>',
    '',
  ]
    .filter((l) => l !== '')
    .join('\n');
}
