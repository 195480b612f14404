// A watch driver's events turned into what a TypeScript watch-fanout load process reports
// (FanoutProcessReport: every watcher's trace), so that every watch figure of an external recipe is
// computed by the same code as for zkbench's own (watch-metrics.ts, through the scenario's figures).
// The config scenario's readers are the same watchers (their reports are built from the same traces).
// Per watcher, in its own order: arm → armed <version> → changed <version>…, and error / session.
//
// A library's watch recipe (CuratorCache, kazoo's DataWatch) re-reads the node itself on every watch
// event, with a new watch, and only then tells the application, with the version it read. So `changed`
// is the moment the application learns of the change (the library's re-read included), and it carries
// what that re-read saw: it is recorded as the event for (last version + 1) whose re-arm completed at
// that same moment, seeing `version` (versions between were coalesced, as for a one-shot re-arm). When
// the re-read itself started is inside the library: `rearm` and `unwatched` are not measured for these
// recipes (the coordinator says so).
import type { MeasuredWindow } from '../measure/measured-window.ts';
import { IntervalRecorder, type IntervalReport } from '../measure/timeline.ts';
import type { WatcherTrace } from '../measure/watch-records.ts';
import type { FanoutProcessReport } from '../scenarios/watch-fanout/clients.ts';
import { encodeTraces } from '../scenarios/watch-fanout/trace-codec.ts';
import { EventFileError, type DriverEvent } from './event-file.ts';

export interface WatchReplay {
  report: FanoutProcessReport;
  /** Traces as objects (tests; the report carries them packed). */
  traces: WatcherTrace[];
  timeline: IntervalReport;
  /** Watchers stopped by an error, by its kind (the first word after the timestamp: a ZooKeeper code name or an exception's class). */
  errors: Record<string, number>;
  /** Watchers whose first read never completed, with no error said (counted in armFailures too). */
  neverArmed: number;
  /** `changed` events, warm-up included (the driver's own count must match). */
  completed: number;
  sessionEvents: number;
}

const ERROR_SAMPLES = 5;

interface Watcher {
  startNs?: number;
  trace?: WatcherTrace;
  armedAt: number;
  stopped: boolean;
}

/** `watcherIds`: the watchers the process ran; `drainCutShort`: the driver's own word on its drain after the stop. */
export function replayWatchEvents(events: readonly DriverEvent[], window: MeasuredWindow, watcherIds: readonly number[], drainCutShort: boolean, source = 'event file'): WatchReplay {
  const watchers = new Map<number, Watcher>(watcherIds.map((id) => [id, { armedAt: Number.NaN, stopped: false }]));
  const timeline = new IntervalRecorder(window.measureFrom);
  const samples: string[] = [];
  let completed = 0;
  let sessionEvents = 0;
  let armFailures = 0;
  let watcherErrors = 0;
  const errors: Record<string, number> = {};
  const bad = (e: DriverEvent, why: string): never => {
    throw new EventFileError(`${source}: watcher ${e.client} at ${e.t} ns: "${e.kind}" ${why}`);
  };
  const version = (e: DriverEvent): number => (/^-?\d+$/.test(e.rest) ? Number(e.rest) : bad(e, `needs a version, got "${e.rest}"`));
  for (const e of events) {
    const w = e.kind === 'session' ? undefined : (watchers.get(e.client) ?? bad(e, 'is for a watcher this process did not run'));
    switch (e.kind) {
      case 'arm':
        w!.startNs = e.t;
        break;
      case 'armed':
        if (w!.startNs === undefined || w!.trace) bad(e, 'without an arm before it, or twice');
        w!.trace = { watcher: e.client, arm: { startNs: w!.startNs!, doneNs: e.t, version: version(e) }, events: [] };
        w!.armedAt = version(e);
        break;
      case 'changed': {
        if (!w!.trace) bad(e, 'before the watcher armed');
        if (w!.stopped) bad(e, 'after the watcher stopped');
        const v = version(e);
        completed++;
        w!.trace!.events.push({ armedVersion: w!.armedAt, arrivalNs: e.t, rearm: { startNs: e.t, doneNs: e.t, version: v } });
        w!.armedAt = v;
        break;
      }
      case 'error': {
        if (w!.trace) watcherErrors++;
        else armFailures++;
        w!.stopped = true;
        const kind = e.rest.split(' ', 1)[0] || 'other';
        errors[kind] = (errors[kind] ?? 0) + 1;
        if (samples.length < ERROR_SAMPLES) samples.push(`watcher ${e.client}: ${e.rest}`);
        timeline.failed(e.t);
        break;
      }
      case 'session':
        sessionEvents++;
        timeline.event(e.t, 'session', e.rest);
        break;
      default:
        bad(e, 'is not a watch event (arm, armed, changed, error, session)');
    }
  }
  // A watcher whose first read never completed (and said nothing) watched nothing.
  let neverArmed = 0;
  for (const [id, w] of watchers) {
    if (w.trace || w.stopped) continue;
    armFailures++;
    neverArmed++;
    if (samples.length < ERROR_SAMPLES) samples.push(`watcher ${id}: its first read never completed`);
  }
  const traces = [...watchers.values()].flatMap((w) => (w.trace ? [w.trace] : []));
  return {
    report: {
      hosted: watcherIds.length,
      updates: [],
      traces: encodeTraces(traces),
      slowIds: [],
      armFailures,
      watcherErrors,
      errorSamples: samples,
      writer: undefined,
      drainCutShort,
    },
    traces,
    errors,
    neverArmed,
    timeline: timeline.report(),
    completed,
    sessionEvents,
  };
}
