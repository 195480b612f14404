// Finding a run's stalls in its result files. A stall is an operation over a second AND over 3x the p99
// of its own series (an acquisition behind 60 queued contenders may take seconds without anything
// stalling; a 5 ms hand-off tail is not a stall either), counted exactly from the histograms (measured
// window), placed in time by timeline.csv (which also covers the warm-up), with the run's failed
// requests and the events seen around each place. Each criterion's count is kept beside.
// Used by `npm run bench:stalls`; pure apart from reading the directory.
import fs from 'node:fs';
import path from 'node:path';
import { HistogramLogReader, type Histogram } from 'hdr-histogram-js';
import { histogramLog } from './hlog.ts';
import { numberField, parseCsv } from './read-csv.ts';
import type { RunRecord, SlowPlace, SlowSeries, StallScan } from './run-record.ts';
import { summaryCsv } from './summary-csv.ts';
import { timelineCsv } from './timeline-csv.ts';

/** Latencies at or above this are stalls whatever the run's p99 (ms). */
export const STALL_ABSOLUTE_MS = 1000;
/** ... and so are those above this multiple of their own series' p99. */
export const STALL_P99_FACTOR = 3;
/** Events this close to a slow interval are listed with it (ms). */
const NEARBY_MS = 1000;

/** Count of recorded values strictly above a limit (µs). */
export function countAbove(h: Histogram, limitUs: number): number {
  let n = 0;
  // Both exist on every hdr-histogram-js histogram; the package's Histogram interface leaves them out.
  const js = h as unknown as {
    recordedValuesIterator: { reset(): void; hasNext(): boolean; next(): { valueIteratedTo: number; countAtValueIteratedTo: number } };
    lowestEquivalentValue(v: number): number;
  };
  const it = js.recordedValuesIterator;
  it.reset();
  while (it.hasNext()) {
    const v = it.next();
    // A bucket's highest equivalent value above the limit with its lowest at or below it is not counted:
    // the limit is then within the histogram's precision (3 significant digits).
    if (js.lowestEquivalentValue(v.valueIteratedTo) > limitUs) n += v.countAtValueIteratedTo;
  }
  return n;
}

/** The stall limit of a series whose p99 is p99Us, in µs. */
export function stallLimitUs(p99Us: number): number {
  return Math.max(STALL_ABSOLUTE_MS * 1000, STALL_P99_FACTOR * p99Us);
}

/** Every latency series of histograms.hlog: its distribution's counts over the stall limits. */
export function slowSeries(hlogText: string): SlowSeries[] {
  const reader = new HistogramLogReader(hlogText);
  const out: SlowSeries[] = [];
  for (let h = reader.nextIntervalHistogram(); h !== null; h = reader.nextIntervalHistogram()) {
    const [recipe, ...rest] = (h.tag ?? '').split('.');
    const p99Us = h.getValueAtPercentile(99);
    out.push({
      recipe: recipe ?? '',
      metric: rest.join('.'),
      count: h.totalCount,
      p99Ms: p99Us / 1000,
      maxMs: h.maxValue / 1000,
      overAbsolute: countAbove(h, STALL_ABSOLUTE_MS * 1000),
      overP99Factor: countAbove(h, STALL_P99_FACTOR * p99Us),
      stalls: countAbove(h, stallLimitUs(p99Us)),
    });
  }
  return out;
}

/**
 * Intervals of timeline.csv whose slowest operation was a stall: over a second and over
 * STALL_P99_FACTOR times the p99 of the recipe's timeline series (`seriesP99Ms`, from the histograms: the
 * measured window's acquire or request latency; without it, the median of the per-interval p99s), so
 * the warm-up is judged by the same limit; and intervals with failed requests.
 */
export function slowPlaces(timelineText: string, seriesP99Ms: ReadonlyMap<string, number> = new Map()): SlowPlace[] {
  const rows = parseCsv(timelineText, ['t_ms', 'recipe', 'ops', 'errors', 'max_ms', 'event']);
  const intervals = rows.filter((r) => r.event === '');
  const events = rows.filter((r) => r.event !== '');
  const typicalP99 = new Map<string, number>();
  for (const recipe of new Set(intervals.map((r) => r.recipe ?? ''))) {
    const p99s = intervals
      .filter((r) => r.recipe === recipe)
      .map((r) => numberField(r.p99_ms))
      .filter((v): v is number => v !== undefined)
      .sort((a, b) => a - b);
    if (p99s.length > 0) typicalP99.set(recipe, p99s[Math.floor(p99s.length / 2)]!);
  }
  const places: SlowPlace[] = [];
  for (const r of intervals) {
    const recipe = r.recipe ?? '';
    const maxMs = numberField(r.max_ms);
    const errors = numberField(r.errors) ?? 0;
    const typical = seriesP99Ms.get(recipe) ?? typicalP99.get(recipe);
    const slow = maxMs !== undefined && maxMs * 1000 > stallLimitUs((typical ?? 0) * 1000);
    if (!slow && errors === 0) continue;
    const tMs = numberField(r.t_ms) ?? 0;
    // The slow operation ended in this interval; it started up to maxMs before.
    const near = events.filter((e) => {
      const t = numberField(e.t_ms) ?? 0;
      return t >= tMs - (maxMs ?? 0) - NEARBY_MS && t <= tMs + NEARBY_MS;
    });
    places.push({ recipe, tMs, phase: r.phase ?? '', maxMs: maxMs ?? 0, ops: numberField(r.ops) ?? 0, errors, events: near.map((e) => `${e.t_ms} ms: ${e.event}`) });
  }
  return places;
}

/**
 * The stalls' places: slow or failing intervals, and for a recipe whose stall is in a series the
 * timeline does not time (a hand-off) its slowest interval over a second: the acquisitions that
 * waited behind that hand-off complete there.
 */
function placesOf(series: readonly SlowSeries[], timelineText: string): SlowPlace[] {
  const places = slowPlaces(timelineText, timelineSeriesP99(series));
  const all = slowPlaces(timelineText, new Map(series.map((s) => [s.recipe, 0])));
  for (const recipe of new Set(series.filter((s) => s.stalls > 0).map((s) => s.recipe))) {
    if (places.some((p) => p.recipe === recipe && p.maxMs >= STALL_ABSOLUTE_MS)) continue;
    const slowest = all.filter((p) => p.recipe === recipe).sort((a, b) => b.maxMs - a.maxMs)[0];
    if (slowest && slowest.maxMs >= STALL_ABSOLUTE_MS) places.push(slowest);
  }
  return places.sort((a, b) => a.tMs - b.tMs);
}

/** Per series, the p99 of what timeline.csv times: acquisitions (locks), requests, or notifications (watches). */
const TIMELINE_METRICS = ['acquire', 'latency', 'notify_from_send'];
export function timelineSeriesP99(series: readonly SlowSeries[]): Map<string, number> {
  return new Map(series.filter((s) => TIMELINE_METRICS.includes(s.metric)).map((s) => [s.recipe, s.p99Ms]));
}

/**
 * Failed requests from summary.csv by error code, summed over recipes: errors.<CODE> where the scenario
 * breaks them down, and a recipe's `errors` beyond its coded ones as "code not recorded".
 */
export function errorCounts(summaryText: string): Record<string, number> {
  const out: Record<string, number> = {};
  const totals = new Map<string, number>();
  const coded = new Map<string, number>();
  for (const r of parseCsv(summaryText, ['recipe', 'metric', 'value'])) {
    const v = numberField(r.value);
    if (!v) continue;
    const recipe = r.recipe ?? '';
    if (r.metric === 'errors') totals.set(recipe, v);
    const m = /^errors\.(.+)$/.exec(r.metric ?? '');
    if (m) {
      out[m[1]!] = (out[m[1]!] ?? 0) + v;
      coded.set(recipe, (coded.get(recipe) ?? 0) + v);
    }
  }
  for (const [recipe, total] of totals) {
    const rest = total - (coded.get(recipe) ?? 0);
    if (rest > 0) out['code not recorded'] = (out['code not recorded'] ?? 0) + rest;
  }
  return out;
}

export function scanRunDirectory(dir: string): StallScan {
  const read = (f: string): string | undefined => {
    const p = path.join(dir, f);
    return fs.existsSync(p) ? fs.readFileSync(p, 'utf8') : undefined;
  };
  const hlog = read('histograms.hlog');
  const timeline = read('timeline.csv');
  const summary = read('summary.csv');
  const series = hlog ? slowSeries(hlog) : [];
  return { series, places: timeline ? placesOf(series, timeline) : [], errors: summary ? errorCounts(summary) : {} };
}

/** The same scan of a run still in memory (before its files are written), for its notes and run.json. */
export function scanRunRecord(run: RunRecord): StallScan {
  const series = slowSeries(histogramLog(run));
  return { series, places: placesOf(series, timelineCsv(run)), errors: errorCounts(summaryCsv(run)) };
}

const MAX_PLACES_NOTED = 5;

/** Terminal notes pointing at each stall: which series, how many, and where in timeline.csv. */
export function stallNotes(scan: StallScan | undefined): string[] {
  if (!scan) return [];
  const notes: string[] = [];
  for (const s of scan.series.filter((x) => x.stalls > 0)) {
    notes.push(
      `stall: ${s.recipe}.${s.metric}: ${s.stalls} of ${s.count} values over ${STALL_ABSOLUTE_MS / 1000} s and ${STALL_P99_FACTOR}x its p99 (${s.p99Ms.toFixed(1)} ms), max ${s.maxMs.toFixed(0)} ms`,
    );
  }
  const slow = scan.places.filter((p) => p.maxMs > 0 && p.maxMs >= STALL_ABSOLUTE_MS);
  for (const p of slow.slice(0, MAX_PLACES_NOTED)) {
    const around = p.events.length > 0 ? `; around it: ${p.events.slice(0, 3).join(' | ')}${p.events.length > 3 ? ` (+${p.events.length - 3} more events)` : ''}` : '';
    notes.push(`stall in timeline.csv at ${(p.tMs / 1000).toFixed(1)} s (${p.phase}), ${p.recipe}: an operation of ${p.maxMs.toFixed(0)} ms ended there${around}`);
  }
  if (slow.length > MAX_PLACES_NOTED) notes.push(`... and ${slow.length - MAX_PLACES_NOTED} more slow intervals (timeline.csv)`);
  return notes;
}
