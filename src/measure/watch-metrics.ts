/**
 * The watch family's figures (SPEC §2 "Watch family") from the writer's updates and the watchers' traces
 * (watch-records.ts). Pure: no clock, no ZooKeeper.
 *
 * Which update an event is for. A read that arms a watch and sees version v leaves a watch that fires
 * for the update making v + 1: the server registers the watch with the read, and ZooKeeper guarantees a
 * client sees a watch event before it sees the data that triggered it. So a watcher's event is for
 * (version of the arm that set the watch) + 1, and the read that re-arms says what the watcher sees now.
 * Everything below follows from the versions the watcher read, never from timing guesses.
 *
 * For update u (version v, writer's call at send, acknowledgement at ack) and watcher w:
 * - notify_from_send = arrival of w's event for u − send; notify_from_ack = arrival − ack. Each event
 *   carries its own arrival time (taken first thing in the callback), never one start for a batch.
 *   An event may arrive before the writer's acknowledgement (w's server applied u and told w before the
 *   leader's answer reached the writer; or the writer's process was busy). Those are not clamped:
 *   `notify_from_ack` holds the events at or after the ack, `notify_before_ack` holds how long before
 *   the ack the others arrived (ack − arrival), and together they are the whole signed distribution
 *   (signedPercentileUs reads percentiles of it). An event before the *send* is impossible on the shared
 *   monotonic clock; it is counted as an anomaly, not recorded.
 * - coalesced: after an event announcing v, the re-arm read saw v' ≥ v; the v' − v updates between were
 *   learned from the read, with no event of their own (one-shot watches: they fell between the event
 *   and the re-arm). Reported as a count and as a rate: coalesced / (coalesced + notified).
 * - armed for u: w had completed a read that saw v − 1 (so its watch was registered on its server) at
 *   or before u's send. ZooKeeper then owes w an event for u; one that never arrives is `missed`. A
 *   watcher whose re-arm was in flight during the send is not in u's armed set: its read may have been
 *   answered before u reached its server (it saw v − 1: an event for u follows and counts in notify_*,
 *   timed from u's send like any other) or after (it saw v or later: u is coalesced for it). Only a
 *   completed read decides, and it completed too late to be known at the send.
 * - fanout_last(u) = arrival of the last event among u's armed watchers − send. When some armed watcher's
 *   event never arrived (`fanout_incomplete`), a censored case (SPEC §2): its window runs from the send to
 *   the measured window's end (the watchers' last event without one), and it is recorded at that length,
 *   or at its latest arrival if later. No case when nobody was armed (`fanout_none_armed`).
 *   In paced mode (watch-pacing.ts) every watcher is armed for every update, so this is "the last of N".
 *   Under `rate` faster than a write plus a re-arm, re-arms complete after the next update is already
 *   sent: few updates then have armed watchers, fanout_last covers only those, and `armed_per_update`
 *   and `fanout_none_armed` say so. The set is fixed before the send, never chosen by the outcome.
 * - rearm = re-arm read's completion − its start (the cost of re-arming); unwatched = re-arm completion −
 *   event arrival: the time w had no watch set, deliberate delays included, in which updates coalesce.
 * - Every (watcher, update) pair after the watcher's first read is exactly one of: notified, coalesced,
 *   or unobserved (after the newest version the watcher observed: the run or the watcher stopped first).
 *   missed pairs are among the unobserved ones.
 * An update counts when it was sent inside the measured window; its events, coalescing and armed
 * watchers count with it. Events and coalesced versions no acknowledged update made are `unmatched`.
 */
import type { RelNs } from './clock.ts';
import { newLatencyHistogram, recordNs, valueAtPercentile, type Histogram } from './histogram.ts';
import { inWindow, type MeasuredWindow } from './measured-window.ts';
import { distribution, scalar, scalarOr, type Censoring, type Metric } from './metrics.ts';
import type { ArmRecord, UpdateRecord, WatcherTrace } from './watch-records.ts';

/** One event with the version of the update it announces. */
export interface AttributedEvent {
  version: number;
  arrivalNs: RelNs;
  rearm?: ArmRecord;
}

/** A watcher's trace read through the versions it saw. */
export interface WatcherAccount {
  watcher: number;
  events: AttributedEvent[];
  /** Versions the watcher learned of only from a re-read. */
  coalesced: number[];
  /** Every completed arm: the first one and each re-arm. */
  arms: ArmRecord[];
  /** The first read's version: updates up to it happened before the watcher watched. */
  fromVersion: number;
  /** The newest version the watcher observed (by an event or a read); later updates it never observed. */
  throughVersion: number;
  /** Re-arm reads that saw an older version than the event they followed announced (impossible in ZooKeeper). */
  anomalies: number;
}

export function accountWatcher(trace: WatcherTrace): WatcherAccount {
  const events: AttributedEvent[] = [];
  const coalesced: number[] = [];
  const arms: ArmRecord[] = [trace.arm];
  let armedAt = trace.arm.version;
  let through = trace.arm.version;
  let anomalies = 0;
  for (const e of trace.events) {
    if (e.armedVersion !== armedAt) {
      throw new Error(`watcher ${trace.watcher}: event armed at version ${e.armedVersion}, but its last read saw ${armedAt} (trace out of order)`);
    }
    const announced = armedAt + 1;
    events.push({ version: announced, arrivalNs: e.arrivalNs, ...(e.rearm ? { rearm: e.rearm } : {}) });
    through = Math.max(through, announced);
    if (!e.rearm) break; // the watcher stopped: no watch, no more events
    arms.push(e.rearm);
    if (e.rearm.version < announced) anomalies++;
    for (let v = announced + 1; v <= e.rearm.version; v++) coalesced.push(v);
    through = Math.max(through, e.rearm.version);
    armedAt = e.rearm.version;
  }
  return { watcher: trace.watcher, events, coalesced, arms, fromVersion: trace.arm.version, throughVersion: through, anomalies };
}

export interface WatchInput {
  updates: readonly UpdateRecord[];
  watchers: readonly WatcherTrace[];
  /** Updates count when sent inside it; every update counts when absent. */
  window?: MeasuredWindow;
}

export interface WatcherSummary {
  watcher: number;
  notified: number;
  coalesced: number;
  missed: number;
}

export interface WatchFigures {
  /** Updates sent inside the window. */
  updates: number;
  notifyFromSend: Histogram;
  /** Events at or after the writer's acknowledgement: arrival − ack. */
  notifyFromAck: Histogram;
  /** Events before the writer's acknowledgement: ack − arrival. */
  notifyBeforeAck: Histogram;
  /** Censored cases included (incomplete fan-outs), counted in fanoutCensoring. */
  fanoutLast: Histogram;
  fanoutCensoring: Censoring;
  rearm: Histogram;
  unwatched: Histogram;
  /** send − intended start, for updates on a rate schedule. */
  sendLag: Histogram;
  /** (watcher, update) pairs with an event. */
  notified: number;
  coalesced: number;
  /** (watcher, update) pairs where the watcher was armed for the update. */
  armed: number;
  missed: number;
  unobserved: number;
  fanoutIncomplete: number;
  fanoutNoneArmed: number;
  /** Updates sent at or after the next update's intended start: the writer could not keep the rate. */
  lateSends: number;
  unmatched: number;
  /** Re-arm reads older than their event's version, and events before their update's send. */
  anomalies: number;
  perWatcher: WatcherSummary[];
}

export function watchFigures(input: WatchInput): WatchFigures {
  const byVersion = new Map<number, UpdateRecord>();
  for (const u of input.updates) byVersion.set(u.version, u);
  const counts = (u: UpdateRecord): boolean => input.window === undefined || inWindow(u.sendNs, input.window);
  const counted = input.updates.filter(counts).sort((a, b) => a.version - b.version);

  const f: WatchFigures = {
    updates: counted.length,
    notifyFromSend: newLatencyHistogram(),
    notifyFromAck: newLatencyHistogram(),
    notifyBeforeAck: newLatencyHistogram(),
    fanoutLast: newLatencyHistogram(),
    fanoutCensoring: { count: 0, windowMs: Number.NaN },
    rearm: newLatencyHistogram(),
    unwatched: newLatencyHistogram(),
    sendLag: newLatencyHistogram(),
    notified: 0,
    coalesced: 0,
    armed: 0,
    missed: 0,
    unobserved: 0,
    fanoutIncomplete: 0,
    fanoutNoneArmed: 0,
    lateSends: 0,
    unmatched: 0,
    anomalies: 0,
    perWatcher: [],
  };
  // Per counted update: how many watchers were armed for it, how many of them got it, the last arrival.
  const fanout = new Map<number, { armed: number; got: number; lastNs: RelNs }>();
  for (const u of counted) fanout.set(u.version, { armed: 0, got: 0, lastNs: u.sendNs });

  for (const trace of input.watchers) {
    const acc = accountWatcher(trace);
    f.anomalies += acc.anomalies;
    const summary: WatcherSummary = { watcher: acc.watcher, notified: 0, coalesced: 0, missed: 0 };
    const arrivalOf = new Map<number, RelNs>();
    for (const e of acc.events) {
      const u = byVersion.get(e.version);
      if (!u) {
        f.unmatched++;
        continue;
      }
      if (!counts(u)) continue;
      if (e.arrivalNs < u.sendNs) {
        f.anomalies++;
        continue;
      }
      arrivalOf.set(e.version, e.arrivalNs);
      summary.notified++;
      recordNs(f.notifyFromSend, e.arrivalNs - u.sendNs);
      if (e.arrivalNs >= u.ackNs) recordNs(f.notifyFromAck, e.arrivalNs - u.ackNs);
      else recordNs(f.notifyBeforeAck, u.ackNs - e.arrivalNs);
      if (e.rearm) {
        recordNs(f.rearm, e.rearm.doneNs - e.rearm.startNs);
        recordNs(f.unwatched, e.rearm.doneNs - e.arrivalNs);
      }
    }
    for (const v of acc.coalesced) {
      const u = byVersion.get(v);
      if (!u) f.unmatched++;
      else if (counts(u)) summary.coalesced++;
    }
    for (const arm of acc.arms) {
      const u = byVersion.get(arm.version + 1);
      if (!u || !counts(u) || arm.doneNs > u.sendNs) continue;
      const slot = fanout.get(u.version);
      if (!slot) continue;
      f.armed++;
      slot.armed++;
      const arrival = arrivalOf.get(u.version);
      if (arrival === undefined) {
        summary.missed++;
        continue;
      }
      slot.got++;
      slot.lastNs = Math.max(slot.lastNs, arrival);
    }
    for (let i = counted.length - 1; i >= 0 && counted[i]!.version > acc.throughVersion; i--) {
      if (counted[i]!.version > acc.fromVersion) f.unobserved++;
    }
    f.notified += summary.notified;
    f.coalesced += summary.coalesced;
    f.missed += summary.missed;
    f.perWatcher.push(summary);
  }

  // Where every fan-out's observation closes: the measured window's end, else the watchers' last event.
  const endNs = input.window?.stopAt ?? Math.max(...input.watchers.flatMap((w) => w.events.map((e) => e.arrivalNs)));
  let shortestCensoredNs = Infinity;
  for (const u of counted) {
    const slot = fanout.get(u.version)!;
    if (slot.armed === 0) f.fanoutNoneArmed++;
    else if (slot.got < slot.armed) {
      f.fanoutIncomplete++;
      const windowNs = Math.max(0, endNs - u.sendNs);
      recordNs(f.fanoutLast, Math.max(windowNs, slot.lastNs - u.sendNs));
      f.fanoutCensoring.count++;
      shortestCensoredNs = Math.min(shortestCensoredNs, windowNs);
    } else recordNs(f.fanoutLast, slot.lastNs - u.sendNs);
    if (u.intendedNs !== undefined) {
      recordNs(f.sendLag, u.sendNs - u.intendedNs);
      const next = byVersion.get(u.version + 1);
      if (next?.intendedNs !== undefined && u.sendNs >= next.intendedNs) f.lateSends++;
    }
  }
  if (f.fanoutCensoring.count > 0) f.fanoutCensoring.windowMs = shortestCensoredNs / 1e6;
  return f;
}

/**
 * A percentile (0..100) of the signed notify_from_ack distribution, µs: events before the ack are the
 * negative side (their lead over the ack, mirrored), events at or after it the positive side. NaN when
 * neither holds a value.
 */
export function signedPercentileUs(atOrAfter: Histogram, before: Histogram, percentile: number): number {
  const nBefore = before.totalCount;
  const total = nBefore + atOrAfter.totalCount;
  if (total === 0) return Number.NaN;
  // The k-th smallest of the signed values (k from 1); the most negative come first, so the k-th of them
  // is the (nBefore − k + 1)-th smallest lead.
  const k = Math.min(total, Math.max(1, Math.ceil((percentile / 100) * total - 1e-9)));
  if (k <= nBefore) return -valueAtPercentile(before, (100 * (nBefore - k + 1)) / nBefore);
  return valueAtPercentile(atOrAfter, (100 * (k - nBefore)) / atOrAfter.totalCount);
}

/** The figures as the result files carry them (names as in SPEC §2). */
export function watchMetricList(f: WatchFigures): Metric[] {
  const events = f.notifyFromAck.totalCount + f.notifyBeforeAck.totalCount;
  const signedMs = (p: number): number => signedPercentileUs(f.notifyFromAck, f.notifyBeforeAck, p) / 1000;
  return [
    distribution('notify_from_send', f.notifyFromSend),
    distribution('notify_from_ack', f.notifyFromAck),
    distribution('notify_before_ack', f.notifyBeforeAck),
    scalarOr('notify_before_ack_share', 'share of events', events > 0 ? f.notifyBeforeAck.totalCount / events : undefined, 'no watcher was notified in the measured window'),
    scalar('notify_from_ack.signed_p50', 'ms', signedMs(50)),
    scalar('notify_from_ack.signed_p99', 'ms', signedMs(99)),
    distribution('fanout_last', f.fanoutLast, f.fanoutCensoring.count > 0 ? f.fanoutCensoring : undefined),
    distribution('rearm', f.rearm),
    distribution('unwatched', f.unwatched),
    ...(f.sendLag.totalCount > 0 ? [distribution('send_lag', f.sendLag)] : []),
    scalar('updates', 'count', f.updates),
    scalar('notifications', 'count', f.notified),
    scalar('armed', 'pairs', f.armed),
    scalarOr('armed_per_update', 'watchers', f.updates > 0 ? f.armed / f.updates : undefined, 'no update was written in the measured window'),
    scalar('coalesced', 'count', f.coalesced),
    scalarOr('coalesced_rate', 'share of updates', f.notified + f.coalesced > 0 ? f.coalesced / (f.notified + f.coalesced) : undefined, 'no watcher was notified of an update, nor missed one, in the measured window'),
    scalar('missed', 'count', f.missed),
    scalar('unobserved', 'pairs', f.unobserved),
    scalar('fanout_incomplete', 'updates', f.fanoutIncomplete),
    scalar('fanout_none_armed', 'updates', f.fanoutNoneArmed),
    scalar('late_sends', 'count', f.lateSends),
    scalar('unmatched', 'count', f.unmatched),
    scalar('anomalies', 'count', f.anomalies),
  ];
}
