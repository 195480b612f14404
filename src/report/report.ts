// A report from runs already read: which charts to draw (per workload: a percentile chart per latency,
// bars of throughput and notifications per acquire, a timeline per run that has one), what each says
// to its reader, drawn to SVG and put into one HTML page.
import path from 'node:path';
import {
  barChart,
  distributionMetrics,
  formatFigure,
  leaderChanges,
  percentileChart,
  sweepChart,
  sweptMetrics,
  sweptParameter,
  timelineChart,
  timelineInterval,
  type ChartContext,
} from './charts.ts';
import { reportHtml, type ChartBlock, type SectionModel } from './html.ts';
import type { ReportRun } from './read-run.ts';
import { renderSvg } from './render-svg.ts';
import type { TopLevelSpec } from 'vega-lite';
import { allRecipeIds } from '../scenarios/registry.ts';

const METRIC_MEANING: Record<string, string> = {
  acquire: 'From the call to acquire() to the lock held',
  handoff: "From a holder's release() to the next waiting holder's held moment",
  notify_from_send: "From the writer's call to each watcher's event",
  notify_from_ack: "From the writer's acknowledgement to each watcher's event (events after it)",
  fanout_last: 'From the write to the event of the last watcher armed for it',
};

export const BAR_METRICS = ['throughput', 'notifications_per_acquire'] as const;

const BAR_MEANING: Record<(typeof BAR_METRICS)[number], string> = {
  throughput: 'Acquisitions per second of the measured window. Higher is better.',
  notifications_per_acquire:
    'Watch events delivered to all contenders per acquisition. About 1: a release wakes only the next waiter; near the number of clients: the herd effect.',
};

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
  spec: TopLevelSpec;
  kind: 'percentiles' | 'bars' | 'timeline' | 'sweep';
}

/** The charts of one workload's section, not yet drawn. */
export function planCharts(runs: readonly ReportRun[], ctx: ChartContext): PlannedChart[] {
  const multi = runs.length > 1;
  const lines = multi ? 'One colour per recipe, one dash pattern per run.' : 'One line per recipe.';
  const charts: PlannedChart[] = [];
  for (const metric of distributionMetrics(runs)) {
    const c = percentileChart(runs, metric, ctx);
    if (!c) continue;
    charts.push({
      kind: 'percentiles',
      title: `${metric} latency by percentile`,
      intro:
        `${METRIC_MEANING[metric] ?? `${metric} latency`}. ${lines} ` +
        'x: the percentile on a log scale of 1/(1−p), as HdrHistogram plots it: 90%, 99%, 99.9% are equal steps, so the tail is as visible as the median. ' +
        `y: latency at that percentile${c.logY ? ', log scale' : ''}. Lower is better.`,
      spec: c.spec,
    });
  }
  const parameter = sweptParameter(runs);
  for (const metric of parameter === undefined ? [] : sweptMetrics(runs, parameter)) {
    const c = sweepChart(runs, metric, parameter!, ctx);
    if (!c) continue;
    charts.push({
      kind: 'sweep',
      title: `${metric} against ${parameter}`,
      intro:
        `${METRIC_MEANING[metric] ?? `${metric} latency`}, at each ${parameter} count the run measured: p50 solid, p99 dashed, one colour per recipe` +
        `${multi ? ' (runs told apart in the legend of lines)' : ''}. Both axes on log scales. Lower is better.`,
      spec: c.spec,
    });
  }
  for (const metric of BAR_METRICS) {
    const c = barChart(runs, metric, ctx);
    if (!c) continue;
    charts.push({
      kind: 'bars',
      title: `${metric} per recipe`,
      intro: `${BAR_MEANING[metric]}${multi ? ' Bars grouped by recipe, one colour per run.' : ''}`,
      spec: c.spec,
    });
  }
  for (const run of runs) {
    const c = timelineChart(run, ctx);
    if (!c) continue;
    const rows = run.timeline ?? [];
    const interval = timelineInterval(rows);
    const events = c.events.map((e) => `${e.event} at ${formatFigure(e.t_s)} s`);
    const faults = c.faults.map((e) => `${e.event.replace(/^fault: /, '')} at ${formatFigure(e.t_s)} s`);
    const leaders = leaderChanges(rows).map((l) => `server ${l.leader} from ${formatFigure(l.tMs / 1000)} s`);
    charts.push({
      kind: 'timeline',
      title: `timeline of ${run.name}`,
      intro:
        `Operations per ${interval === undefined ? '' : `${formatFigure(interval)} ms `}interval (top)` +
        `${c.panels.includes('errors') ? ', errors' : ''} and each interval's p99 latency (bottom), one line per recipe. ` +
        (faults.length > 0 ? `Solid black rules mark the workload's faults and the elections after them: ${faults.join('; ')}. ` : '') +
        (events.length > 0 ? `Dashed red rules mark the events (session state changes): ${events.join('; ')}. ` : 'No events were recorded. ') +
        (c.serverWarnings.length > 0
          ? `Grey dotted rules mark ${c.serverWarnings.length} server warning(s) (their text is in server-warnings.log and timeline.csv). `
          : '') +
        (c.warmups.length > 0 ? 'Grey bands are warm-ups (before each recipe is measured). ' : '') +
        (leaders.length > 0 ? `Leader: ${leaders.join(', ')}.` : ''),
      spec: c.spec,
    });
  }
  return charts;
}

export interface BuiltReport {
  html: string;
  /** Charts drawn (each one SVG in the page). */
  charts: number;
  /** Anything odd the drawing warned about. */
  warnings: string[];
}

export async function buildReport(input: readonly ReportRun[], opts: { generatedAt?: Date; notes?: string[] } = {}): Promise<BuiltReport> {
  const runs = uniqueRunNames(input);
  // The registry's recipes first: each keeps its colour from one report to the next.
  const seen = runs.flatMap((r) => [...r.info.recipes.map((x) => x.recipe), ...r.summary.map((s) => s.recipe)]);
  const ctx: ChartContext = { recipes: [...new Set([...allRecipeIds(), ...seen])] };
  const warnings: string[] = [];
  const sections: SectionModel[] = [];
  let n = 0;
  for (const group of groupByWorkload(runs)) {
    const charts: ChartBlock[] = [];
    for (const planned of planCharts(group.runs, ctx)) {
      n++;
      const drawn = await renderSvg(planned.spec, `c${n}`);
      warnings.push(...drawn.warnings.map((w) => `${planned.title}: ${w}`));
      charts.push({ title: planned.title, intro: planned.intro, svg: drawn.svg });
    }
    sections.push({ workload: group.workload, runs: group.runs, charts });
  }
  const html = reportHtml({ generatedAt: opts.generatedAt ?? new Date(), sections, notes: opts.notes ?? [] });
  return { html, charts: n, warnings };
}
