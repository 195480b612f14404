// The report's charts as Vega-Lite specs, built from what read-run.ts read: pure data in, spec out, so
// every chart can be checked without drawing it.
//  - percentileChart: a latency's percentile distribution, HdrHistogram style (x = 1/(1-p) on a log axis)
//  - timelineChart: a run's timeline.csv, ops and p99 per interval, above them lanes: the faults and the
//    bursts of session events as labelled markers (labels placed in rows, never overlapping), the leader as
//    a band, the server warnings counted per burst; warm-ups shaded
//  - sweepChart: a latency's p50 and p99 against a parameter the run swept (e.g. watchers), one line per recipe
import type { TopLevelSpec } from 'vega-lite';
import type { ReportRun, SummaryRow, TimelineRow } from './read-run.ts';

/** Colours by recipe, the same in every chart of a report (Tableau 10). */
const PALETTE = ['#4c78a8', '#f58518', '#e45756', '#72b7b2', '#54a24b', '#eeca3b', '#b279a2', '#ff9da6', '#9d755d', '#bab0ac'];
const EVENT_COLOUR = '#b03a2e';
const FAULT_COLOUR = '#1a1a1a';
const WIDTH = 640;

export interface ChartContext {
  /** Every recipe of the report in first-seen order: fixes each recipe's colour across charts. */
  recipes: readonly string[];
}

export const CONFIG = {
  font: 'sans-serif',
  view: { stroke: '#ccc' },
  axis: { labelFontSize: 11, titleFontSize: 12, gridColor: '#e8e8e8', titleFontWeight: 'normal' as const, labelOverlap: 'greedy' as const, labelSeparation: 10 },
  legend: { labelFontSize: 11, titleFontSize: 12, labelLimit: 420, titleFontWeight: 'normal' as const },
};

export function colourScale(ctx: ChartContext, present: readonly string[]): { domain: string[]; range: string[] } {
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

// --- figures ---

/** A figure for a bar label: 3 significant digits, whole numbers from 1000 up. */
export function formatFigure(v: number | undefined): string {
  if (v === undefined || Number.isNaN(v)) return '–';
  if (v === 0) return '0';
  if (Math.abs(v) >= 1000) return v.toFixed(0);
  return String(Number(v.toPrecision(3)));
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

/** What the workload's faults did, and the elections they caused (bench-run writes "fault: ...", "election: ..."), and a scenario's own scheduled pauses, crashes and closes. */
export function isFault(e: TimelineEvent): boolean {
  // Also what a scenario does on its own schedule: a holder or leader paused, crashed, closed (lock-failover,
  // election-failover, membership's crashes).
  return /^(fault|election|pause|crash|close): /.test(e.event);
}

/** How many times an event happened: its "(×N)" suffix, else 1. */
export function eventCount(e: TimelineEvent): number {
  const m = /\(×(\d+)\)\s*$/.exec(e.event);
  return m ? Number(m[1]) : 1;
}

/** An event's kind, for counting: `join`, `session disconnected`, `node deleted`, `server 1 WARN NIOServerCnxn`. */
export function eventKind(e: TimelineEvent): string {
  const text = e.event.replace(/\s*\(×\d+\)\s*$/, '').replace(/^server \d+'s /, '');
  const warn = /^(server \d+ (?:WARN|ERROR) \S+?):/.exec(text);
  if (warn) return warn[1]!;
  const colon = text.indexOf(': ');
  return (colon > 0 ? text.slice(0, colon) : text).replace(/\s*\(.*\)$/, '');
}

export interface Burst {
  t_s: number;
  to_s: number;
  count: number;
  label: string;
}

/** Events closer than `gapS` to the one before fall in one burst; each burst labelled with its count by kind. */
export function bursts(events: readonly TimelineEvent[], gapS: number, noun: string): Burst[] {
  const out: { t_s: number; to_s: number; kinds: Map<string, number>; only?: string }[] = [];
  for (const e of [...events].sort((a, b) => a.t_ms - b.t_ms)) {
    const last = out.at(-1);
    const b = last && e.t_s - last.to_s <= gapS ? last : undefined;
    const burst = b ?? { t_s: e.t_s, to_s: e.t_s, kinds: new Map<string, number>(), only: e.event };
    if (!b) out.push(burst);
    burst.to_s = e.t_s;
    burst.kinds.set(eventKind(e), (burst.kinds.get(eventKind(e)) ?? 0) + eventCount(e));
  }
  return out.map((b) => {
    const count = [...b.kinds.values()].reduce((x, y) => x + y, 0);
    const kinds = [...b.kinds].sort((x, y) => y[1] - x[1]);
    const label =
      count === 1 ? b.only!.replace(/\s*\(×1\)\s*$/, '') : kinds.length === 1 ? `${count}× ${kinds[0]![0]}` : `${count} ${noun}: ${kinds.slice(0, 2).map(([k, n]) => `${n} ${k}`).join(', ')}${kinds.length > 2 ? ', …' : ''}`;
    return { t_s: b.t_s, to_s: b.to_s, count, label };
  });
}

/** Estimated width of a label in px (sans-serif; generous, so that estimated boxes apart are apart drawn). */
export const labelWidth = (text: string, fontSize: number): number => text.length * fontSize * 0.62 + 4;

export interface PlacedLabel {
  t_s: number;
  /** Where the text is anchored (its time, or nearer the middle when the text would leave the chart). */
  at_s: number;
  text: string;
  /** Row from the top, 0-based. */
  row: number;
  /** Drawn to the left of its x (it would leave the chart otherwise). */
  alignRight: boolean;
}

/**
 * Labels at their times placed in rows so that no two overlap (greedy: each in the first row where it clears
 * the one before by `gap` px); a label that would leave the chart on the right is drawn leftwards from its
 * time, and one too long for either side starts as far left as it must to end inside. Beyond `maxRows` a
 * label is dropped (returned in `dropped`).
 */
export function placeLabels(
  labels: readonly { t_s: number; text: string }[],
  domain: readonly [number, number],
  width: number,
  fontSize: number,
  maxRows = Infinity,
  gap = 6,
): { placed: PlacedLabel[]; rows: number; dropped: { t_s: number; text: string }[] } {
  const px = (t: number): number => ((t - domain[0]) / (domain[1] - domain[0] || 1)) * width;
  const rowEnds: number[] = [];
  const placed: PlacedLabel[] = [];
  const dropped: { t_s: number; text: string }[] = [];
  for (const l of [...labels].sort((a, b) => a.t_s - b.t_s)) {
    const w = labelWidth(l.text, fontSize) + 8;
    const x = px(l.t_s);
    const alignRight = x + w > width && x - w >= 0;
    const start = alignRight ? x - w : Math.max(0, Math.min(x, width - w));
    const [from, to] = [start, start + w];
    const at_s = alignRight ? l.t_s : domain[0] + (start / width) * (domain[1] - domain[0]);
    let row = rowEnds.findIndex((end) => end + gap <= from);
    if (row < 0) row = rowEnds.length;
    if (row >= maxRows) {
      dropped.push(l);
      continue;
    }
    rowEnds[row] = to;
    placed.push({ t_s: l.t_s, at_s, text: l.text, row, alignRight });
  }
  return { placed, rows: rowEnds.length, dropped };
}

export interface TimelineChart {
  spec: TopLevelSpec;
  /** Labelled, solid: the workload's faults and the elections after them. */
  faults: TimelineEvent[];
  /** Session events (and anything else neither a fault nor a server warning), one labelled marker per burst. */
  bursts: Burst[];
  events: TimelineEvent[];
  /** Server WARN/ERROR lines: ticks in a lane of their own, counted per burst. */
  serverWarnings: TimelineEvent[];
  warningBursts: Burst[];
  /** Shaded: each recipe's warm-up (before its measured window). */
  warmups: { recipe: string; from_s: number; to_s: number }[];
  panels: string[];
  /** Interval rows drawn. */
  points: number;
}

/** A fault's label: what it did, and the election it caused (from run.json's fault records, when known). */
function faultLabel(e: TimelineEvent, run: ReportRun): string {
  const text = e.event.replace(/^fault: /, '');
  const record = run.info.faults.find((f) => f.atMs !== undefined && Math.abs(f.atMs - e.t_ms) < 1.5);
  const el = record?.election;
  if (!el || el.changed === false) return text;
  const parts = [el.toLeaderMs === undefined ? 'no new leader seen' : `leader in ${formatFigure(el.toLeaderMs)} ms`, el.toWriteMs === undefined ? undefined : `writes in ${formatFigure(el.toWriteMs)} ms`];
  return `${text}: ${parts.filter((p) => p !== undefined).join(', ')}`;
}

const LANE_ROW_PX = 15;
const LEADER_PALETTE = ['#c6dbef', '#fdd0a2', '#c7e9c0', '#dadaeb', '#fcbba1', '#d9d9d9', '#9ecae1'];

export function timelineChart(run: ReportRun, ctx: ChartContext, unit = 'ops'): TimelineChart | undefined {
  const all = run.timeline ?? [];
  const rows = all.filter((r) => !isEventRow(r));
  if (rows.length === 0) return undefined;
  const data = rows.map((r) => ({ t_ms: r.tMs, t_s: r.tMs / 1000, recipe: r.recipe, ops: r.ops ?? null, errors: r.errors ?? null, p99_ms: r.p99Ms ?? null }));
  const everything = timelineEvents(all);
  const events = everything.filter((e) => !isServerWarning(e) && !isFault(e) && !/^election: /.test(e.event));
  const faults = everything.filter((e) => isFault(e) && !/^election: /.test(e.event));
  const elections = everything.filter((e) => /^election: /.test(e.event));
  const serverWarnings = everything.filter(isServerWarning);
  const colour = colourScale(ctx, unique(rows.map((r) => r.recipe)));
  const interval = timelineInterval(rows) ?? 100;
  const warmups = warmupSpans(rows, interval);
  const domain: [number, number] = [Math.min(...data.map((d) => d.t_s)), Math.max(...data.map((d) => d.t_s)) + interval / 1000];
  const gapS = Math.max(0.3, (domain[1] - domain[0]) / 30);
  const eventBursts = bursts(events, gapS, 'events');
  const warningBursts = bursts(serverWarnings, gapS, 'warnings').map((b) => ({ ...b, label: `${b.count} warning${b.count === 1 ? '' : 's'}` }));
  const per = `per ${formatFigure(interval)} ms`;
  const x = { field: 't_s', type: 'quantitative' as const, scale: { domain, nice: false, zero: false } };
  const noAxis = { ...x, axis: null };
  const withAxis = { ...x, axis: { title: 'time since the run started (s)' } };

  // The annotation lane: faults (black, bold) and event bursts (red), each label in a row of its own where it would overlap.
  const labels = [
    ...faults.map((f) => ({ t_s: f.t_s, text: faultLabel(f, run), kind: 'fault' })),
    ...elections.map((f) => ({ t_s: f.t_s, text: f.event, kind: 'fault' })),
    ...eventBursts.map((b) => ({ t_s: b.t_s, text: b.label, kind: 'event' })),
  ];
  const placed = placeLabels(labels, domain, WIDTH, 10).placed.map((p) => ({ ...p, kind: labels.find((l) => l.t_s === p.t_s && l.text === p.text)!.kind }));
  const annotationRows = Math.max(1, ...placed.map((p) => p.row + 1));
  const warningLabels = placeLabels(warningBursts.map((b) => ({ t_s: b.t_s, text: b.label })), domain, WIDTH, 9, 2);
  const leaders = leaderChanges(all).map((l, i, ls) => ({ leader: `server ${l.leader}`, from_s: l.tMs / 1000, to_s: (ls[i + 1]?.tMs ?? domain[1] * 1000) / 1000 }));
  const pxPerS = WIDTH / (domain[1] - domain[0] || 1);
  const leaderLabels = leaders.filter((l) => (l.to_s - l.from_s) * pxPerS > labelWidth(`leader: ${l.leader}`, 10) + 8).map((l) => ({ ...l, text: `leader: ${l.leader}` }));
  const leaderNames = unique(leaders.map((l) => l.leader));

  const lane = (name: string, height: number, layer: unknown[]) => ({
    width: WIDTH,
    height,
    title: { text: name, anchor: 'start' as const, fontSize: 10, fontWeight: 'normal' as const, color: '#666', offset: 2 },
    view: { stroke: null },
    layer,
  });
  const textLayer = (values: { at_s: number; row: number; text: string }[], align: 'left' | 'right', colourOf: string, bold: boolean, size: number, dx: number) => ({
    data: { values },
    mark: { type: 'text' as const, align, baseline: 'middle' as const, dx: align === 'left' ? dx : -dx, fontSize: size, color: colourOf, ...(bold ? { fontWeight: 'bold' as const } : {}) },
    encoding: { x: { ...noAxis, field: 'at_s' }, y: { field: 'row', type: 'ordinal' as const, axis: null, scale: { domain: [...Array(Math.max(1, ...values.map((v) => v.row + 1), 2)).keys()] } }, text: { field: 'text', type: 'nominal' as const } },
  });
  const annotationLane = lane('faults, elections and session events', annotationRows * LANE_ROW_PX, [
    ...(faults.length + elections.length === 0 ? [] : [{ data: { values: [...faults, ...elections] }, mark: { type: 'rule' as const, color: FAULT_COLOUR, strokeWidth: 1.5 }, encoding: { x: noAxis } }]),
    ...(eventBursts.length === 0 ? [] : [{ data: { values: eventBursts }, mark: { type: 'rule' as const, color: EVENT_COLOUR, strokeDash: [4, 3], strokeWidth: 1.2 }, encoding: { x: noAxis } }]),
    ...(['left', 'right'] as const).flatMap((align) =>
      (['fault', 'event'] as const)
        .map((kind) => ({ kind, values: placed.filter((p) => p.kind === kind && p.alignRight === (align === 'right')) }))
        .filter((g) => g.values.length > 0)
        .map((g) => ({
          ...textLayer(g.values, align, g.kind === 'fault' ? FAULT_COLOUR : EVENT_COLOUR, g.kind === 'fault', 10, 4),
          encoding: { ...textLayer(g.values, align, '', false, 10, 4).encoding, y: { field: 'row', type: 'ordinal' as const, axis: null, scale: { domain: [...Array(annotationRows).keys()] } } },
        })),
    ),
  ]);
  const leaderLane =
    leaders.length === 0
      ? []
      : [
          lane('leader', 16, [
            {
              data: { values: leaders },
              mark: { type: 'rect' as const, stroke: '#fff', strokeWidth: 1 },
              encoding: {
                x: { ...noAxis, field: 'from_s' },
                x2: { field: 'to_s' },
                fill: { field: 'leader', type: 'nominal' as const, scale: { domain: leaderNames, range: leaderNames.map((_l, i) => LEADER_PALETTE[i % LEADER_PALETTE.length]!) }, legend: null },
              },
            },
            ...(leaderLabels.length === 0
              ? []
              : [{ data: { values: leaderLabels }, mark: { type: 'text' as const, align: 'left' as const, baseline: 'middle' as const, dx: 4, fontSize: 10, color: '#333' }, encoding: { x: { ...noAxis, field: 'from_s' }, text: { field: 'text', type: 'nominal' as const } } }]),
          ]),
        ];
  const warningLane =
    serverWarnings.length === 0
      ? []
      : [
          lane('server warnings (WARN/ERROR lines of the servers)', 12 + 2 * 12, [
            { data: { values: serverWarnings }, mark: { type: 'tick' as const, color: '#888', thickness: 1, size: 10 }, encoding: { x: noAxis, y: { value: 6 } } },
            ...(['left', 'right'] as const)
              .map((align) => warningLabels.placed.filter((p) => p.alignRight === (align === 'right')).map((p) => ({ ...p, align })))
              .filter((vs) => vs.length > 0)
              .map((vs) => ({
                data: { values: vs },
                mark: { type: 'text' as const, align: vs[0]!.align, baseline: 'middle' as const, dx: vs[0]!.align === 'left' ? 3 : -3, fontSize: 9, color: '#666' },
                encoding: { x: { ...noAxis, field: 'at_s' }, y: { field: 'row', type: 'quantitative' as const, scale: { domain: [-1, 2], reverse: true }, axis: null }, text: { field: 'text', type: 'nominal' as const } },
              })),
          ]),
        ];

  const panels: { field: 'ops' | 'errors' | 'p99_ms'; title: string }[] = [
    { field: 'ops', title: `${unit} ${per}` },
    ...(rows.some((r) => (r.errors ?? 0) > 0) ? [{ field: 'errors' as const, title: `errors ${per}` }] : []),
    ...(rows.some((r) => r.p99Ms !== undefined) ? [{ field: 'p99_ms' as const, title: `p99 latency (ms) ${per}` }] : []),
  ];
  const dataPanels = panels.map((panel, i) => ({
    width: WIDTH,
    height: 130,
    layer: [
      ...(warmups.length === 0 ? [] : [{ data: { values: warmups }, mark: { type: 'rect' as const, color: '#000', opacity: 0.06 }, encoding: { x: { ...x, field: 'from_s' }, x2: { field: 'to_s' } } }]),
      {
        data: { values: data },
        mark: { type: 'line' as const, strokeWidth: 1.5, interpolate: 'step-after' as const, point: data.length <= 60 ? { size: 12 } : false },
        encoding: {
          x: i === panels.length - 1 ? withAxis : { ...x, axis: { labels: false, title: null, ticks: false, domain: false } },
          y: { field: panel.field, type: 'quantitative' as const, axis: { title: panel.title, titleFontSize: 11 } },
          color: { field: 'recipe', type: 'nominal' as const, scale: colour, legend: { title: 'recipe' } },
        },
      },
      ...(eventBursts.length === 0 ? [] : [{ data: { values: eventBursts }, mark: { type: 'rule' as const, color: EVENT_COLOUR, strokeDash: [4, 3], strokeWidth: 1 }, encoding: { x } }]),
      ...(faults.length + elections.length === 0 ? [] : [{ data: { values: [...faults, ...elections] }, mark: { type: 'rule' as const, color: FAULT_COLOUR, strokeWidth: 1.5 }, encoding: { x, tooltip: { field: 'event', type: 'nominal' as const } } }]),
    ],
  }));
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    description: `timeline of ${run.name}: ${panels.map((p) => p.title).join(', ')}, with ${faults.length} fault(s) and ${eventBursts.length} burst(s) of events marked`,
    config: { ...CONFIG, concat: { spacing: 6 } },
    resolve: { scale: { x: 'shared', color: 'shared', fill: 'independent', y: 'independent' } },
    vconcat: [...(labels.length === 0 ? [] : [annotationLane]), ...leaderLane, ...warningLane, ...dataPanels],
  } as TopLevelSpec;
  return { spec, faults: [...faults, ...elections], bursts: eventBursts, events, serverWarnings, warningBursts, warmups, panels: panels.map((p) => p.field), points: data.length };
}
