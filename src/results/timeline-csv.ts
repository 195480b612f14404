// timeline.csv (SPEC §3): per recipe (per series: recipe@watchers for a point of a watcher sweep), one row per 100 ms interval from its clients' start (warm-up
// included) to its stop, and one row per event at the moment it happened.
//  - interval rows: t_ms = the interval's start (ms since the run's origin), ops and errors completed in
//    it, the latency percentiles of its ops (empty without ops), the leader as last polled before its
//    end (empty when unknown), event empty;
//  - event rows: t_ms = the event's moment, the event's text, ops to leader empty;
//  - phase (after SPEC's columns): warmup, measured or after (the stop), of the interval's start or the
//    event's moment.
// Events come from RecipeTimeline.events (session state changes, and whatever other source adds to a
// recipe's list) and RunRecord.events (run-level ones; recipe empty unless they name one).
import { stringify } from 'csv-stringify/sync';
import { intervalIndex, intervalStart, leaderAt, phaseAt, type RecipeTimeline, type TimelineEvent } from '../measure/timeline.ts';
import type { RunRecord } from './run-record.ts';
import { seriesName } from './series.ts';
import { num } from './summary-csv.ts';

export const TIMELINE_COLUMNS = ['t_ms', 'recipe', 'ops', 'errors', 'p50_ms', 'p99_ms', 'max_ms', 'leader', 'event', 'phase'] as const;

interface Row {
  /** Run-clock ns, for ordering. */
  atNs: number;
  /** Interval rows before the events of the same moment. */
  isEvent: boolean;
  cells: string[];
}

const ms = (ns: number): string => String(Math.floor(ns / 1e6));

/** Every interval of the recipe's span, those without completions or failures included (a stall shows as zeros). */
function intervalRows(recipe: string, t: RecipeTimeline): Row[] {
  const figures = new Map(t.intervals.map((f) => [f.index, f]));
  const first = intervalIndex(t, t.from);
  const last = Math.max(first, intervalIndex(t, t.to - 1));
  const rows: Row[] = [];
  for (let i = first; i <= last; i++) {
    const start = intervalStart(t, i);
    const f = figures.get(i);
    const leader = leaderAt(t.leaders, start + t.intervalNs);
    rows.push({
      atNs: start,
      isEvent: false,
      cells: [ms(start), recipe, String(f?.ops ?? 0), String(f?.errors ?? 0), num(f?.p50Ms), num(f?.p99Ms), num(f?.maxMs), leader === undefined ? '' : String(leader), '', phaseAt(t, start)],
    });
  }
  return rows;
}

function eventRow(e: TimelineEvent, phase: string): Row {
  return { atNs: e.atNs, isEvent: true, cells: [ms(e.atNs), e.recipe ?? '', '', '', '', '', '', '', e.text, phase] };
}

export function timelineCsv(run: RunRecord): string {
  const rows: Row[] = [];
  const timed = run.recipes.filter((r) => r.timeline !== undefined);
  for (const r of timed) {
    const t = r.timeline!;
    rows.push(...intervalRows(seriesName(r), t));
    for (const e of t.events) rows.push(eventRow({ ...e, recipe: e.recipe ?? seriesName(r) }, phaseAt(t, e.atNs)));
  }
  for (const e of run.events ?? []) {
    const during = timed.find((r) => (e.recipe === undefined ? e.atNs >= r.timeline!.from && e.atNs < r.timeline!.to : seriesName(r) === e.recipe || r.recipe === e.recipe));
    rows.push(eventRow(e, during ? phaseAt(during.timeline!, e.atNs) : ''));
  }
  // Recipes run one after another, so one time order keeps each recipe's rows together.
  rows.sort((a, b) => a.atNs - b.atNs || Number(a.isEvent) - Number(b.isEvent));
  return stringify(
    rows.map((r) => r.cells),
    { header: true, columns: [...TIMELINE_COLUMNS] },
  );
}
