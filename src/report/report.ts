// A report from runs already read: per workload, the charts its scenario declares (scenarios/report-view.ts:
// distributions as percentile curves, per-fault tables, per-session strips, sweeps, scalar tables) and a
// timeline per run that has one; what each says to its reader; why a declared figure is not drawn.
import path from 'node:path';
import {
  CONFIG,
  colourScale,
  formatFigure,
  leaderChanges,
  percentileChart,
  sweepChart,
  timelineChart,
  timelineInterval,
  type ChartContext,
} from './charts.ts';
import { compareRecipes, compareSides, sidesOf } from './comparison.ts';
import { declarationOf, glossaryOf, registryDeclarations, type DeclarationLookup } from './declaration.ts';
import { perFaultTable, scalarTable } from './figure-tables.ts';
import { perFaultHtml, reportHtml, scalarHtml, type ChartBlock, type SectionModel } from './html.ts';
import type { ReportRun } from './read-run.ts';
import { renderSvg } from './render-svg.ts';
import { stripChart } from './strip-chart.ts';
import type { TopLevelSpec } from 'vega-lite';
import type { ChartDeclaration, ChartKind } from '../scenarios/report-view.ts';
import { allRecipeIds } from '../scenarios/registry.ts';

/** Runs grouped by workload, in first-seen order: runs of one workload are compared in the same charts. */
export function groupByWorkload(runs: readonly ReportRun[]): { workload: string; runs: ReportRun[] }[] {
  const groups = new Map<string, ReportRun[]>();
  for (const run of runs) {
    const g = groups.get(run.info.workload) ?? [];
    g.push(run);
    groups.set(run.info.workload, g);
  }
  return [...groups].map(([workload, rs]) => ({ workload, runs: rs }));
}

/** Run names as legends show them; two runs with one directory name get their parent's name too. */
export function uniqueRunNames(runs: readonly ReportRun[]): ReportRun[] {
  const count = (name: string, list: readonly ReportRun[]): number => list.filter((r) => r.name === name).length;
  const renamed = runs.map((r) => (count(r.name, runs) > 1 ? { ...r, name: `${path.basename(path.dirname(r.dir))}/${path.basename(r.dir)}` } : r));
  const seen = new Map<string, number>();
  return renamed.map((r) => {
    const n = (seen.get(r.name) ?? 0) + 1;
    seen.set(r.name, n);
    return n === 1 ? r : { ...r, name: `${r.name} (${n})` };
  });
}

export interface PlannedChart {
  title: string;
  intro: string;
  kind: ChartKind | 'timeline';
  /** A chart to draw; or, for the tables (per-fault, scalar), their HTML. */
  spec?: TopLevelSpec;
  html?: string;
  /** Data points (or table rows) it shows: never 0. */
  points: number;
}

/** A declared figure the page does not draw, and why. */
export interface AbsentChart {
  title: string;
  reason: string;
}

function planDeclared(c: ChartDeclaration, runs: readonly ReportRun[], ctx: ChartContext): PlannedChart | AbsentChart {
  const multi = runs.length > 1;
  const none = (reason: string): AbsentChart => ({ title: c.title, reason });
  switch (c.kind) {
    case 'distribution': {
      const chart = percentileChart(runs, c.metric, ctx);
      if (!chart) return none(`no run here reported ${c.metric} (no percentiles.csv rows)`);
      return {
        kind: c.kind,
        title: c.title,
        intro:
          `${c.description} ${multi ? 'One colour per recipe, one dash pattern per run.' : 'One line per recipe.'} ` +
          'x: the percentile on a log scale of 1/(1−p), as HdrHistogram plots it: 90%, 99%, 99.9% are equal steps, so the tail is as visible as the median. ' +
          `y: the value at that percentile (ms${chart.logY ? ', log scale' : ''}). Lower is better.`,
        spec: chart.spec,
        points: chart.points.length,
      };
    }
    case 'sweep': {
      const chart = sweepChart(runs, c.metric, c.parameter, ctx);
      if (!chart) return none(`${c.metric} was not measured at two or more ${c.parameter} counts in these runs`);
      return {
        kind: c.kind,
        title: c.title,
        intro: `${c.description} p50 solid, p99 dashed, one colour per recipe${multi ? ' (runs told apart in the legend of lines)' : ''}. Both axes on log scales. Lower is better.`,
        spec: chart.spec,
        points: chart.points.length,
      };
    }
    case 'per-session': {
      const chart = stripChart(runs, c.family, c.unit, (present) => colourScale(ctx, present), CONFIG);
      if (!chart) return none(`no run here reported ${c.family} per session (no faults in the schedule, or none measured)`);
      return { kind: c.kind, title: c.title, intro: `${c.description} One row per fault, one tick per session.`, spec: chart.spec, points: chart.points.length };
    }
    case 'per-fault': {
      const table = perFaultTable(runs, c.columns);
      if (table.rows.length === 0) return none('the runs had no faults with figures (no `faults` in the workload, or none took effect)');
      return { kind: c.kind, title: c.title, intro: c.description, html: perFaultHtml(table, multi), points: table.rows.length };
    }
    case 'scalar': {
      const table = scalarTable(runs, c.figures);
      if (table.rows.length === 0) return none(`no run here reported any of ${c.figures.map((f) => f.metric).join(', ')}`);
      const absent = table.absent.length === 0 ? '' : ` Not reported by these runs: ${table.absent.join(', ')}.`;
      return { kind: c.kind, title: c.title, intro: `${c.description}${absent}`, html: scalarHtml(table, multi), points: table.rows.length };
    }
  }
}

function timelineIntro(run: ReportRun, c: NonNullable<ReturnType<typeof timelineChart>>, unit: string): string {
  const rows = run.timeline ?? [];
  const interval = timelineInterval(rows);
  const faults = c.faults.map((e) => `${e.event.replace(/^fault: /, '')} at ${formatFigure(e.t_s)} s`);
  const leaders = leaderChanges(rows).map((l) => `server ${l.leader} from ${formatFigure(l.tMs / 1000)} s`);
  return (
    `${unit} per ${interval === undefined ? 'interval' : `${formatFigure(interval)} ms`} (top)` +
    `${c.panels.includes('errors') ? ', errors' : ''} and each interval's p99 latency, one line per recipe. ` +
    (leaders.length > 0 ? `The band above the time axis is the leader: ${leaders.join(', ')}. ` : '') +
    (faults.length > 0 ? `Solid black rules mark the workload's faults and the elections after them: ${faults.join('; ')}. ` : '') +
    (c.bursts.length > 0
      ? `Red markers group the session events (state changes) of each burst, with their count: ${c.bursts.map((b) => `${b.label} at ${formatFigure(b.t_s)} s`).join('; ')}. `
      : 'No session events were recorded. ') +
    (c.serverWarnings.length > 0 ? `The grey lane counts ${c.serverWarnings.length} server warning(s) per burst (their text is in server-warnings.log and timeline.csv). ` : '') +
    (c.warmups.length > 0 ? 'Grey bands are warm-ups (before each recipe is measured).' : '')
  );
}

/** The charts of one workload's section, not yet drawn, and the declared ones left out. */
export function planCharts(runs: readonly ReportRun[], ctx: ChartContext, lookup: DeclarationLookup = registryDeclarations): { charts: PlannedChart[]; absent: AbsentChart[] } {
  const { declaration } = declarationOf(runs, lookup);
  const charts: PlannedChart[] = [];
  const absent: AbsentChart[] = [];
  for (const c of declaration.charts) {
    const planned = planDeclared(c, runs, ctx);
    if ('reason' in planned) absent.push(planned);
    else charts.push(planned);
  }
  const timelines: PlannedChart[] = [];
  for (const run of runs) {
    const c = timelineChart(run, ctx, declaration.timeline?.unit ?? 'ops');
    if (!c) continue;
    timelines.push({ kind: 'timeline', title: `timeline of ${run.name}`, intro: timelineIntro(run, c, declaration.timeline?.unit ?? 'ops'), spec: c.spec, points: c.points });
  }
  return { charts: declaration.timeline?.first ? [...timelines, ...charts] : [...charts, ...timelines], absent };
}

export interface BuiltReport {
  html: string;
  /** Charts drawn (each one SVG or table in the page). */
  charts: number;
  /** Anything odd the drawing warned about. */
  warnings: string[];
}

export async function buildReport(
  input: readonly ReportRun[],
  opts: { generatedAt?: Date; notes?: string[]; declarations?: DeclarationLookup } = {},
): Promise<BuiltReport> {
  const runs = uniqueRunNames(input);
  const lookup = opts.declarations ?? registryDeclarations;
  // The registry's recipes first: each keeps its colour from one report to the next.
  const seen = runs.flatMap((r) => [...r.info.recipes.map((x) => x.recipe), ...r.summary.map((s) => s.recipe)]);
  const ctx: ChartContext = { recipes: [...new Set([...allRecipeIds(), ...seen])] };
  const warnings: string[] = [];
  const sections: SectionModel[] = [];
  let n = 0;
  for (const group of groupByWorkload(runs)) {
    const charts: ChartBlock[] = [];
    const planned = planCharts(group.runs, ctx, lookup);
    for (const p of planned.charts) {
      n++;
      if (p.spec) {
        const drawn = await renderSvg(p.spec, `c${n}`);
        warnings.push(...drawn.warnings.map((w) => `${p.title}: ${w}`));
        charts.push({ title: p.title, intro: p.intro, body: drawn.svg, kind: p.kind, points: p.points });
      } else {
        charts.push({ title: p.title, intro: p.intro, body: p.html ?? '', kind: p.kind, points: p.points });
      }
    }
    const { declaration, scenario, declared } = declarationOf(group.runs, lookup);
    sections.push({ workload: group.workload, scenario, declared, runs: group.runs, keyFigures: declaration.keyFigures, charts,
      absent: planned.absent,
      glossary: glossaryOf(declaration),
      comparison: { sides: compareSides(sidesOf(group.runs), declaration.keyFigures), recipes: compareRecipes(sidesOf(group.runs), declaration.keyFigures) },
    });
  }
  const html = reportHtml({ generatedAt: opts.generatedAt ?? new Date(), sections, notes: opts.notes ?? [] });
  return { html, charts: n, warnings };
}
