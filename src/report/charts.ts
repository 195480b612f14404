// The report's charts as Vega-Lite specs, built from what read-run.ts read: pure data in, spec out, so
// every chart can be checked without drawing it.
//  - percentileChart: a latency's percentile distribution, HdrHistogram style (x = 1/(1-p) on a log axis)
//  - barChart: one scalar of summary.csv per recipe, grouped by run when several runs are drawn
//  - timelineChart: a run's timeline.csv, ops and p99 per interval, with its events as vertical rules and
//    its warm-ups shaded
//  - sweepChart: a latency's p50 and p99 against a parameter the run swept (e.g. watchers), one line per recipe
import type { TopLevelSpec } from 'vega-lite';
import { seriesName } from '../results/series.ts';
import type { ReportRun, SummaryRow, TimelineRow } from './read-run.ts';

/** Colours by recipe, the same in every chart of a report (Tableau 10). */
const PALETTE = ['#4c78a8', '#f58518', '#e45756', '#72b7b2', '#54a24b', '#eeca3b', '#b279a2', '#ff9da6', '#9d755d', '#bab0ac'];
/** Colours by run where runs, not recipes, are compared (grouped bars): greys first, apart from the recipes' colours. */
const RUN_PALETTE = ['#444444', '#9a9a9a', '#cfcfcf', '#6a3d9a', '#cab2d6', '#b15928', '#fdbf6f'];
const EVENT_COLOUR = '#b03a2e';
const FAULT_COLOUR = '#1a1a1a';
const WIDTH = 640;

export interface ChartContext {
  /** Every recipe of the report in first-seen order: fixes each recipe's colour across charts. */
  recipes: readonly string[];
}

const CONFIG = {
  font: 'sans-serif',
  view: { stroke: '#ccc' },
  axis: { labelFontSize: 11, titleFontSize: 12, gridColor: '#e8e8e8', titleFontWeight: 'normal' as const },
  legend: { labelFontSize: 11, titleFontSize: 12, labelLimit: 420, titleFontWeight: 'normal' as const },
};

function colourScale(ctx: ChartContext, present: readonly string[]): { domain: string[]; range: string[] } {
  const domain = ctx.recipes.filter((r) => present.includes(r));
  for (const r of present) if (!domain.includes(r)) domain.push(r);
  const index = (r: string): number => {
    const i = ctx.recipes.indexOf(r);
    return i >= 0 ? i : ctx.recipes.length + domain.indexOf(r);
  };
  return { domain, range: domain.map((r) => PALETTE[index(r) % PALETTE.length]!) };
}

const unique = <T>(xs: readonly T[]): T[] => [...new Set(xs)];

// --- percentile distributions ---

/** Tick positions on the 1/(1-p) axis and their labels, as HdrHistogram's plots show them. */
export const PERCENTILE_TICKS: readonly { inverted: number; label: string }[] = [
  { inverted: 1, label: '0%' },
  { inverted: 2, label: '50%' },
  { inverted: 10, label: '90%' },
  { inverted: 100, label: '99%' },
  { inverted: 1_000, label: '99.9%' },
  { inverted: 10_000, label: '99.99%' },
  { inverted: 100_000, label: '99.999%' },
  { inverted: 1_000_000, label: '99.9999%' },
];

/** Latency spans wider than this (max/min) get a log y axis, or the fast recipes lie flat on the floor. */
const LOG_Y_SPAN = 100;

/**
 * A log axis from the decade below the smallest value to the decade above the largest, ticked (and
 * gridded) at the decades, and at 2 and 5 times them when it spans 3 decades or fewer.
 */
export function logTicks(min: number, max: number): { domain: [number, number]; values: number[] } {
  const lo = Math.floor(Math.log10(min));
  const hi = Math.max(lo + 1, Math.ceil(Math.log10(max)));
  const steps = hi - lo <= 3 ? [1, 2, 5] : [1];
  const values: number[] = [];
  for (let e = lo; e <= hi; e++) {
    for (const s of steps) {
      const v = Number((s * 10 ** e).toPrecision(6));
      if (v <= 10 ** hi) values.push(v);
    }
  }
  return { domain: [Number((10 ** lo).toPrecision(6)), Number((10 ** hi).toPrecision(6))], values };
}

/** Distribution metrics in the order percentiles.csv lists them, over all runs. */
export function distributionMetrics(runs: readonly ReportRun[]): string[] {
  return unique(runs.flatMap((r) => r.percentiles.map((p) => p.metric)));
}

export interface PercentilePoint {
  run: string;
  recipe: string;
  inverted: number;
  value_ms: number;
  percentile: number;
}

export interface PercentileChart {
  spec: TopLevelSpec;
  points: PercentilePoint[];
  logY: boolean;
  /** Distinct (run, recipe) lines, in drawing order. */
  series: { run: string; recipe: string }[];
}

export function percentileChart(runs: readonly ReportRun[], metric: string, ctx: ChartContext): PercentileChart | undefined {
  const multi = runs.length > 1;
  let points: PercentilePoint[] = runs.flatMap((run) =>
    run.percentiles
      .filter((p) => p.metric === metric && Number.isFinite(p.inverted) && p.inverted >= 1)
      .map((p) => ({ run: run.name, recipe: p.recipe, inverted: p.inverted, value_ms: p.valueMs, percentile: p.percentile })),
  );
  if (points.length === 0) return undefined;
  const positive = points.map((p) => p.value_ms).filter((v) => v > 0);
  const logY = positive.length > 0 && Math.max(...positive) / Math.min(...positive) > LOG_Y_SPAN;
  if (logY) points = points.filter((p) => p.value_ms > 0);
  const yTicks = logY ? logTicks(Math.min(...positive), Math.max(...positive)) : undefined;
  const maxInverted = Math.max(...points.map((p) => p.inverted));
  const ticks = PERCENTILE_TICKS.filter((t) => t.inverted <= maxInverted * 1.0001);
  const labelExpr = `${ticks.map((t) => `datum.value == ${t.inverted} ? '${t.label}' : `).join('')}''`;
  const series = unique(points.map((p) => `${p.run}\u0000${p.recipe}`)).map((k) => {
    const [run = '', recipe = ''] = k.split('\u0000');
    return { run, recipe };
  });
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    description: `${metric} latency by percentile, one line per ${multi ? 'run and recipe' : 'recipe'}`,
    config: CONFIG,
    width: WIDTH,
    height: 320,
    data: { values: points },
    mark: { type: 'line', strokeWidth: 2, clip: true },
    encoding: {
      x: {
        field: 'inverted',
        type: 'quantitative',
        scale: { type: 'log', domain: [1, maxInverted], nice: false },
        axis: { values: ticks.map((t) => t.inverted), labelExpr, title: 'percentile (log scale of 1/(1−p): each step right is 10× rarer)', grid: true },
      },
      y: logY
        ? {
            field: 'value_ms',
            type: 'quantitative',
            scale: { type: 'log', domain: yTicks!.domain, nice: false },
            axis: { title: `${metric} latency (ms, log scale)`, values: yTicks!.values, format: ',~g' },
          }
        : { field: 'value_ms', type: 'quantitative', scale: { zero: true }, axis: { title: `${metric} latency (ms)` } },
      color: { field: 'recipe', type: 'nominal', scale: colourScale(ctx, unique(points.map((p) => p.recipe))), legend: { title: 'recipe' } },
      ...(multi ? { strokeDash: { field: 'run', type: 'nominal' as const, legend: { title: 'run', orient: 'bottom' as const, direction: 'vertical' as const } } } : {}),
      order: { field: 'inverted', type: 'quantitative' },
    },
  };
  return { spec, points, logY, series };
}

// --- bars of one scalar per recipe ---

export interface BarValue {
  run: string;
  recipe: string;
  value: number;
  label: string;
}

export interface BarChart {
  spec: TopLevelSpec;
  values: BarValue[];
  unit: string;
}

/** A figure for a bar label: 3 significant digits, whole numbers from 1000 up. */
export function formatFigure(v: number | undefined): string {
  if (v === undefined || Number.isNaN(v)) return '–';
  if (v === 0) return '0';
  if (Math.abs(v) >= 1000) return v.toFixed(0);
  return String(Number(v.toPrecision(3)));
}

export function barChart(runs: readonly ReportRun[], metric: string, ctx: ChartContext): BarChart | undefined {
  const multi = runs.length > 1;
  const rows = runs.flatMap((run) =>
    run.summary.filter((s) => s.metric === metric && s.value !== undefined).map((s) => ({ run: run.name, recipe: seriesName(s), value: s.value!, unit: s.unit })),
  );
  if (rows.length === 0) return undefined;
  const values: BarValue[] = rows.map((r) => ({ run: r.run, recipe: r.recipe, value: r.value, label: formatFigure(r.value) }));
  const unit = rows[0]!.unit;
  const recipes = colourScale(ctx, unique(values.map((v) => v.recipe)));
  const runNames = unique(values.map((v) => v.run));
  // Horizontal bars: recipe names are long and read best on the left, the figure at each bar's end.
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    description: `${metric} per recipe${multi ? ', grouped by run' : ''}`,
    config: CONFIG,
    width: 480,
    height: { step: multi ? 16 : 24 },
    data: { values },
    encoding: {
      y: { field: 'recipe', type: 'nominal', sort: recipes.domain, axis: { title: null, labelLimit: 200 } },
      x: { field: 'value', type: 'quantitative', axis: { title: `${metric} (${unit})` } },
      ...(multi ? { yOffset: { field: 'run', type: 'nominal' as const, sort: runNames } } : {}),
    },
    layer: [
      {
        mark: { type: 'bar', height: { band: 0.85 } },
        encoding: multi
          ? {
              color: {
                field: 'run',
                type: 'nominal',
                sort: runNames,
                scale: { domain: runNames, range: runNames.map((_r, i) => RUN_PALETTE[i % RUN_PALETTE.length]!) },
                legend: { title: 'run', orient: 'bottom', direction: 'vertical' },
              },
            }
          : { color: { field: 'recipe', type: 'nominal', scale: recipes, legend: null } },
      },
      {
        mark: { type: 'text', align: 'left', baseline: 'middle', dx: 3, fontSize: multi ? 10 : 11, color: '#333' },
        encoding: { text: { field: 'label', type: 'nominal' } },
      },
    ],
  };
  return { spec, values, unit };
}

// --- a latency against a swept parameter ---

/** summary.csv columns a run may sweep within one recipe (one result per value). */
export const SWEPT_PARAMETERS = ['watchers', 'clients'] as const;
export type SweptParameter = (typeof SWEPT_PARAMETERS)[number];

/** The parameter some recipe of these runs was measured at two or more values of, if any. */
export function sweptParameter(runs: readonly ReportRun[]): SweptParameter | undefined {
  return SWEPT_PARAMETERS.find((param) =>
    runs.some((run) => {
      const values = new Map<string, Set<number>>();
      for (const s of run.summary) {
        const v = s[param];
        if (v === undefined) continue;
        const set = values.get(s.recipe) ?? new Set<number>();
        set.add(v);
        values.set(s.recipe, set);
      }
      return [...values.values()].some((set) => set.size > 1);
    }),
  );
}

export interface SweepPoint {
  /** The recipe, with the run's name when several runs are drawn. */
  line: string;
  recipe: string;
  run: string;
  stat: 'p50' | 'p99';
  x: number;
  value_ms: number;
}

export interface SweepChart {
  spec: TopLevelSpec;
  points: SweepPoint[];
  parameter: SweptParameter;
}

/** Distribution metrics that have figures at two or more values of the parameter, in summary.csv order. */
export function sweptMetrics(runs: readonly ReportRun[], parameter: SweptParameter): string[] {
  const xs = new Map<string, Set<number>>();
  for (const run of runs) {
    for (const s of run.summary) {
      if (s.count === undefined || s.p50 === undefined || s[parameter] === undefined) continue;
      const set = xs.get(s.metric) ?? new Set<number>();
      set.add(s[parameter]!);
      xs.set(s.metric, set);
    }
  }
  return [...xs].filter(([, set]) => set.size > 1).map(([metric]) => metric);
}

/** p50 (solid) and p99 (dashed) of a latency against the swept parameter on log axes, one colour per recipe. */
export function sweepChart(runs: readonly ReportRun[], metric: string, parameter: SweptParameter, ctx: ChartContext): SweepChart | undefined {
  const multi = runs.length > 1;
  const points: SweepPoint[] = [];
  for (const run of runs) {
    for (const s of run.summary as SummaryRow[]) {
      const x = s[parameter];
      if (s.metric !== metric || x === undefined) continue;
      for (const stat of ['p50', 'p99'] as const) {
        const v = s[stat];
        if (v === undefined || !(v > 0)) continue;
        points.push({ line: multi ? `${s.recipe} (${run.name})` : s.recipe, recipe: s.recipe, run: run.name, stat, x, value_ms: v });
      }
    }
  }
  if (new Set(points.map((p) => p.x)).size < 2) return undefined;
  const values = points.map((p) => p.value_ms);
  const yTicks = logTicks(Math.min(...values), Math.max(...values));
  const xs = [...new Set(points.map((p) => p.x))].sort((a, b) => a - b);
  const colour = colourScale(ctx, unique(points.map((p) => p.recipe)));
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    description: `${metric} p50 and p99 against ${parameter}, one line per recipe${multi ? ' and run' : ''}`,
    config: CONFIG,
    width: WIDTH,
    height: 320,
    data: { values: points },
    mark: { type: 'line', strokeWidth: 2, point: { size: 30 } },
    encoding: {
      x: { field: 'x', type: 'quantitative', scale: { type: 'log' }, axis: { values: xs, title: `${parameter} (log scale)`, format: ',~g' } },
      y: {
        field: 'value_ms',
        type: 'quantitative',
        scale: { type: 'log', domain: yTicks.domain, nice: false },
        axis: { title: `${metric} (ms, log scale)`, values: yTicks.values, format: ',~g' },
      },
      color: { field: 'recipe', type: 'nominal', scale: colour, legend: { title: 'recipe' } },
      strokeDash: { field: 'stat', type: 'nominal', scale: { domain: ['p50', 'p99'], range: [[1, 0], [5, 3]] }, legend: { title: 'percentile' } },
      detail: { field: 'line', type: 'nominal' },
      order: { field: 'x', type: 'quantitative' },
    },
  };
  return { spec, points, parameter };
}

// --- timeline ---

export interface TimelineEvent {
  t_ms: number;
  t_s: number;
  event: string;
}

/** The rows with an event, one per (time, event) even when every recipe's row repeats it. */
export function timelineEvents(rows: readonly TimelineRow[]): TimelineEvent[] {
  const seen = new Set<string>();
  const out: TimelineEvent[] = [];
  for (const r of rows) {
    if (r.event === '') continue;
    const key = `${r.tMs}\u0000${r.event}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ t_ms: r.tMs, t_s: r.tMs / 1000, event: r.event });
  }
  return out.sort((a, b) => a.t_ms - b.t_ms);
}

/** When the leader column changes: the first row's leader, then every change. */
export function leaderChanges(rows: readonly TimelineRow[]): { tMs: number; leader: string }[] {
  const out: { tMs: number; leader: string }[] = [];
  for (const r of [...rows].sort((a, b) => a.tMs - b.tMs)) {
    if (r.leader === '' || out.at(-1)?.leader === r.leader) continue;
    out.push({ tMs: r.tMs, leader: r.leader });
  }
  return out;
}

/** An event's own row (at the event's moment, ops empty), as the suite writes them, rather than an interval's. */
export function isEventRow(r: TimelineRow): boolean {
  return r.ops === undefined && r.event !== '';
}

/** The usual spacing of the timeline's interval rows, in ms (undefined with fewer than two distinct times). */
export function timelineInterval(rows: readonly TimelineRow[]): number | undefined {
  const times = unique(rows.filter((r) => !isEventRow(r)).map((r) => r.tMs)).sort((a, b) => a - b);
  const gaps = times.slice(1).map((t, i) => t - times[i]!).sort((a, b) => a - b);
  return gaps.length === 0 ? undefined : gaps[Math.floor(gaps.length / 2)];
}

/** Each recipe's warm-up as one span (its 'warmup' interval rows, start of the first to end of the last), in s. */
export function warmupSpans(rows: readonly TimelineRow[], intervalMs: number): { recipe: string; from_s: number; to_s: number }[] {
  const spans = new Map<string, { recipe: string; from_s: number; to_s: number }>();
  for (const r of rows) {
    if (r.phase !== 'warmup' || isEventRow(r)) continue;
    const span = spans.get(r.recipe);
    const [from, to] = [r.tMs / 1000, (r.tMs + intervalMs) / 1000];
    if (span) [span.from_s, span.to_s] = [Math.min(span.from_s, from), Math.max(span.to_s, to)];
    else spans.set(r.recipe, { recipe: r.recipe, from_s: from, to_s: to });
  }
  return [...spans.values()];
}

/** Server log warnings (bench-run writes them as "server <id> WARN ..."): many, so drawn unlabelled. */
export function isServerWarning(e: TimelineEvent): boolean {
  return /^server \d+ (WARN|ERROR)\b/.test(e.event);
}

/** What the workload's faults did, and the elections they caused (bench-run writes "fault: ...", "election: ..."). */
export function isFault(e: TimelineEvent): boolean {
  return /^(fault|election): /.test(e.event);
}

export interface TimelineChart {
  spec: TopLevelSpec;
  /** Labelled, solid: the workload's faults and the elections after them. */
  faults: TimelineEvent[];
  /** Labelled, dashed: session state changes and anything else that is neither a fault nor a server warning. */
  events: TimelineEvent[];
  /** Grey ticks without labels: the servers' WARN/ERROR lines (server-warnings.log has their text). */
  serverWarnings: TimelineEvent[];
  /** Shaded: each recipe's warm-up (before its measured window). */
  warmups: { recipe: string; from_s: number; to_s: number }[];
  panels: string[];
}

export function timelineChart(run: ReportRun, ctx: ChartContext): TimelineChart | undefined {
  const all = run.timeline ?? [];
  const rows = all.filter((r) => !isEventRow(r));
  if (rows.length === 0) return undefined;
  const data = rows.map((r) => ({ t_ms: r.tMs, t_s: r.tMs / 1000, recipe: r.recipe, ops: r.ops ?? null, errors: r.errors ?? null, p99_ms: r.p99Ms ?? null }));
  const events = timelineEvents(all).filter((e) => !isServerWarning(e) && !isFault(e));
  const faults = timelineEvents(all).filter(isFault);
  const serverWarnings = timelineEvents(all).filter(isServerWarning);
  const colour = colourScale(ctx, unique(rows.map((r) => r.recipe)));
  const interval = timelineInterval(rows);
  const warmups = interval === undefined ? [] : warmupSpans(rows, interval);
  const per = interval === undefined ? 'per interval' : `per ${formatFigure(interval)} ms`;
  const panels: { field: 'ops' | 'errors' | 'p99_ms'; title: string }[] = [
    { field: 'ops', title: `ops ${per}` },
    ...(rows.some((r) => (r.errors ?? 0) > 0) ? [{ field: 'errors' as const, title: `errors ${per}` }] : []),
    { field: 'p99_ms', title: `p99 latency (ms) ${per}` },
  ];
  const x = { field: 't_s', type: 'quantitative' as const, axis: { title: 'time since the run started (s)' } };
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    description: `timeline of ${run.name}: ${panels.map((p) => p.title).join(', ')}, with ${faults.length} fault(s) and ${events.length} event(s) marked`,
    config: CONFIG,
    resolve: { scale: { x: 'shared', color: 'shared' } },
    vconcat: panels.map((panel, i) => ({
      width: WIDTH,
      height: 150,
      layer: [
        ...(warmups.length === 0
          ? []
          : [
              {
                data: { values: warmups },
                mark: { type: 'rect' as const, color: '#000', opacity: 0.06 },
                encoding: { x: { ...x, field: 'from_s' }, x2: { field: 'to_s' } },
              },
            ]),
        {
          data: { values: data },
          mark: { type: 'line', strokeWidth: 1.5, interpolate: 'step-after', point: data.length <= 60 ? { size: 12 } : false },
          encoding: {
            x,
            y: { field: panel.field, type: 'quantitative', axis: { title: panel.title } },
            color: { field: 'recipe', type: 'nominal', scale: colour, legend: { title: 'recipe' } },
          },
        },
        ...(serverWarnings.length === 0
          ? []
          : [
              {
                data: { values: serverWarnings },
                mark: { type: 'rule' as const, color: '#888', strokeDash: [1, 2], strokeWidth: 1 },
                encoding: { x, tooltip: { field: 'event', type: 'nominal' as const } },
              },
            ]),
        ...(events.length === 0
          ? []
          : [
              {
                data: { values: events },
                mark: { type: 'rule' as const, color: EVENT_COLOUR, strokeDash: [4, 3], strokeWidth: 1.5 },
                encoding: { x },
              },
              ...(i === 0
                ? [
                    {
                      data: { values: events },
                      mark: { type: 'text' as const, color: EVENT_COLOUR, align: 'left' as const, baseline: 'top' as const, dx: 3, y: 2, fontSize: 11 },
                      encoding: { x, text: { field: 'event', type: 'nominal' as const } },
                    },
                  ]
                : []),
            ]),
        ...(faults.length === 0
          ? []
          : [
              {
                data: { values: faults },
                mark: { type: 'rule' as const, color: FAULT_COLOUR, strokeWidth: 1.5 },
                encoding: { x, tooltip: { field: 'event', type: 'nominal' as const } },
              },
              ...(i === 0
                ? [
                    {
                      data: { values: faults },
                      // Written down the rule (the solid rules say they are faults), so faults close in time stay readable side by side.
                      transform: [{ calculate: "replace(replace(datum.event, 'fault: ', ''), 'election: ', '')", as: 'label' }],
                      mark: { type: 'text' as const, color: FAULT_COLOUR, align: 'left' as const, baseline: 'bottom' as const, angle: 90, dy: -3, fontSize: 10, fontWeight: 'bold' as const },
                      encoding: { x, y: { value: 3 }, text: { field: 'label', type: 'nominal' as const } },
                    },
                  ]
                : []),
            ]),
      ],
    })),
  };
  return { spec, faults, events, serverWarnings, warmups, panels: panels.map((p) => p.field) };
}
