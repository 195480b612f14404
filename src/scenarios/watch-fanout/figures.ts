// The figures of one watch-fanout point from what every load process reported: the watch family's
// (watch-metrics.ts) over every watcher, the same over the slow watchers alone (`slow.*`), the writer's
// achieved rate, failures, driver health; the notes a reader needs to trust them; and the notifications
// as timeline ops (each at its arrival, with its notify_from_send). Pure: no clock, no ZooKeeper.
import { driverMetrics } from '../../measure/driver-metrics.ts';
import type { DriverHealth } from '../../measure/driver-health.ts';
import { distributionMs } from '../../measure/histogram.ts';
import type { MeasuredWindow } from '../../measure/measured-window.ts';
import { distribution, scalar, scalarOr, unmeasured, type Metric } from '../../measure/metrics.ts';
import { IntervalRecorder, type IntervalReport } from '../../measure/timeline.ts';
import { signedPercentileUs, watchFigures, watchMetricList, type WatchFigures } from '../../measure/watch-metrics.ts';
import type { WatchPacing } from '../../measure/watch-pacing.ts';
import type { UpdateRecord, WatcherTrace } from '../../measure/watch-records.ts';
import type { FanoutProcessReport } from './clients.ts';
import type { SlowWatchers } from './plan.ts';
import { decodeTraces } from './trace-codec.ts';

/** An achieved update rate below this share of `rate_per_s` is reported as a rate the writer could not keep. */
export const RATE_KEPT_SHARE = 0.95;

export interface PointMeasurement extends MeasuredWindow {
  /** Each load process's report, by process index. */
  reports: readonly FanoutProcessReport[];
  health: readonly DriverHealth[];
  sessionsExpired: number;
  watchers: number;
  pacing: WatchPacing;
  slow: SlowWatchers;
  /** Measured seconds (duration_s). */
  windowS: number;
  pacedWaitMs: number;
}

export interface PointOutcome {
  metrics: Metric[];
  /** undefined: unknown (a load process's health was not measured; see run.json's notMeasured). */
  driverSaturated: boolean | undefined;
  notes: string[];
  /** Notifications per interval (from the clients' start), each with its notify_from_send. */
  notifications: IntervalReport;
  /** Every notification matched to an update, warm-up included. */
  completedOps: number;
}

const NO_WRITER = 'no load process reported the writer';

export function pointFigures(m: PointMeasurement): PointOutcome {
  const updates: UpdateRecord[] = m.reports.flatMap((r) => r.updates);
  const traces: WatcherTrace[] = m.reports.flatMap((r) => decodeTraces(r.traces));
  const slowIds = new Set(m.reports.flatMap((r) => r.slowIds));
  const f = watchFigures({ updates, watchers: traces, window: m });
  const metrics = watchMetricList(f);
  if (slowIds.size > 0) metrics.push(...slowMetrics(watchFigures({ updates, watchers: traces.filter((t) => slowIds.has(t.watcher)), window: m })));

  const writer = m.reports.find((r) => r.writer !== undefined)?.writer;
  const armFailures = sum(m.reports, (r) => r.armFailures);
  const watcherErrors = sum(m.reports, (r) => r.watcherErrors);
  const updateRate = m.windowS > 0 ? f.updates / m.windowS : Number.NaN;
  metrics.push(
    scalarOr('update_rate', 'updates/s', updateRate, 'the measured window had no length'),
    // No process reported the writer: what it did is unknown, not zero.
    writer ? scalar('paced_timeouts', 'count', writer.pacedTimeouts) : unmeasured('paced_timeouts', 'count', NO_WRITER),
    scalar('watchers_lost', 'count', armFailures + watcherErrors),
    writer ? scalar('writer_errors', 'count', writer.error === undefined ? 0 : 1) : unmeasured('writer_errors', 'count', NO_WRITER),
    scalar('sessions_expired', 'count', m.sessionsExpired),
  );
  const driver = driverMetrics(m.health);
  metrics.push(...driver.metrics);

  const timeline = notificationTimeline(updates, traces, m.measureFrom);
  return {
    metrics,
    driverSaturated: driver.saturated,
    notes: pointNotes(m, f, { updateRate, armFailures, watcherErrors, writer, slowCount: slowIds.size }),
    notifications: timeline.report(),
    completedOps: timeline.ops,
  };
}

/** The slow watchers' own figures, beside everybody's. */
function slowMetrics(f: WatchFigures): Metric[] {
  return [
    distribution('slow.notify_from_send', f.notifyFromSend),
    scalar('slow.notify_from_ack.signed_p50', 'ms', signedPercentileUs(f.notifyFromAck, f.notifyBeforeAck, 50) / 1000),
    distribution('slow.rearm', f.rearm),
    distribution('slow.unwatched', f.unwatched),
    scalar('slow.notifications', 'count', f.notified),
    scalar('slow.coalesced', 'count', f.coalesced),
  ];
}

function notificationTimeline(updates: readonly UpdateRecord[], traces: readonly WatcherTrace[], gridFrom: number): { report(): IntervalReport; ops: number } {
  const sendOf = new Map(updates.map((u) => [u.version, u.sendNs]));
  const notified: { at: number; latency: number }[] = [];
  for (const t of traces) {
    for (const e of t.events) {
      // A watch armed by a read of v fires for the update that made v + 1 (watch-metrics.ts).
      const send = sendOf.get(e.armedVersion + 1);
      if (send !== undefined && e.arrivalNs >= send) notified.push({ at: e.arrivalNs, latency: e.arrivalNs - send });
    }
  }
  // In time order: the recorder seals intervals behind the newest, and a watcher-by-watcher order would
  // reopen every sealed interval once per watcher (seconds at 100,000 events).
  notified.sort((a, b) => a.at - b.at);
  const recorder = new IntervalRecorder(gridFrom);
  for (const n of notified) recorder.completed(n.at, n.latency);
  return { report: () => recorder.report(), ops: notified.length };
}

const sum = <T>(xs: readonly T[], f: (x: T) => number): number => xs.reduce((s, x) => s + f(x), 0);

const fmt = (v: number): string => String(Number(v.toPrecision(3)));

function pointNotes(
  m: PointMeasurement,
  f: WatchFigures,
  o: { updateRate: number; armFailures: number; watcherErrors: number; writer: FanoutProcessReport['writer']; slowCount: number },
): string[] {
  const notes: string[] = [];
  const hosting = m.reports.map((r) => r.hosted);
  const writerAt = m.reports.findIndex((r) => r.writer !== undefined);
  notes.push(
    m.reports.length === 1
      ? `writer and ${m.watchers} watchers in one load process`
      : `writer in load process ${writerAt}; ${m.watchers} watchers over ${m.reports.length} load processes (${hosting.join(', ')} watchers)`,
  );
  if (o.slowCount > 0) {
    notes.push(
      `${o.slowCount} of ${m.watchers} watchers slow on purpose (${m.slow.kind === 'link' ? `everything the servers send them arrives ${m.slow.delayMs} ms late` : `${m.slow.delayMs} ms on each event before re-arming`}); their own figures are slow.*`,
    );
  }
  const firstAt = o.writer?.firstUpdateAt;
  if (firstAt === undefined) notes.push('the watchers never all armed before the stop: no update was sent');
  else if (firstAt > m.measureFrom) {
    notes.push(
      `arming the ${m.watchers} watchers outlasted the warm-up by ${fmt((firstAt - m.measureFrom) / 1e9)} s: the window held updates only after that (raise warmup_s)`,
    );
  }
  if (m.pacing.kind === 'rate' && o.updateRate < RATE_KEPT_SHARE * m.pacing.ratePerS) {
    const lag = distributionMs(f.sendLag);
    notes.push(
      `the writer did not keep rate_per_s ${m.pacing.ratePerS}: ${fmt(o.updateRate)} updates/s sent in the window` +
        (lag ? `, send_lag p99 ${fmt(lag.p99)} ms, ${f.lateSends} late sends` : '') +
        (o.writer && o.writer.outstandingMax > 0 ? `, up to ${o.writer.outstandingMax} updates unacknowledged` : ''),
    );
  }
  if ((o.writer?.pacedTimeouts ?? 0) > 0) {
    notes.push(`${o.writer!.pacedTimeouts} update(s) went out before every watcher had re-armed (paced wait of ${m.pacedWaitMs} ms ran out)`);
  }
  if (o.writer?.error !== undefined) notes.push(`the writer stopped early: ${o.writer.error}`);
  if (o.armFailures + o.watcherErrors > 0) {
    const samples = [...new Set(m.reports.flatMap((r) => r.errorSamples))].slice(0, 3);
    notes.push(`${o.armFailures + o.watcherErrors} watcher(s) stopped watching (${o.armFailures} watcher(s) at the first read): ${samples.join('; ')}`);
  }
  if (f.missed > 0 || f.fanoutIncomplete > 0) {
    notes.push(`${f.missed} watcher-update pair(s) armed but never notified; ${f.fanoutIncomplete} update(s) without fanout_last`);
  }
  if (m.reports.some((r) => r.drainCutShort)) notes.push('after the stop, some watchers had not read the last update when the drain ended');
  return notes;
}
