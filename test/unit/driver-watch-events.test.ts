// One watch history, two recorders: the traces a TypeScript watch-fanout load process reports, and a
// watch driver's event file replayed by zkbench (src/drivers/watch-events.ts). The point's figures
// (notify latencies, fanout_last, coalescing, missed...) must come out identical, so an external watch
// recipe's figure means exactly what a TypeScript recipe's does.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EventFileError, formatEvent, parseEvents } from '../../src/drivers/event-file.ts';
import { replayWatchEvents } from '../../src/drivers/watch-events.ts';
import type { DriverHealth } from '../../src/measure/driver-health.ts';
import type { Metric } from '../../src/measure/metrics.ts';
import type { UpdateRecord, WatcherTrace } from '../../src/measure/watch-records.ts';
import type { FanoutProcessReport } from '../../src/scenarios/watch-fanout/clients.ts';
import { pointFigures } from '../../src/scenarios/watch-fanout/figures.ts';
import { encodeTraces } from '../../src/scenarios/watch-fanout/trace-codec.ts';
import { seededRandom } from '../../src/scenarios/seeded-random.ts';

const MS = 1e6;
const ORIGIN = 7_000_000_000_000n;
const window = { measureFrom: 100 * MS, stopAt: 1100 * MS };
const health: DriverHealth = { eventLoopDelayMs: { p50: 0.1, p99: 1, max: 2, mean: 0.2 }, cpuPct: 20, windowS: 1, rssMb: 50 };

/** The writer's updates, one every 10 ms from version 1, and each watcher's notifications: the version it read at each. */
function history(watchers: number, seed: number): { updates: UpdateRecord[]; seen: { id: number; armStart: number; armDone: number; armVersion: number; notes: { t: number; version: number }[] }[] } {
  const random = seededRandom(seed);
  const updates: UpdateRecord[] = [];
  for (let v = 1; v <= 120; v++) updates.push({ seq: v, version: v, sendNs: v * 10 * MS, ackNs: v * 10 * MS + 2 * MS });
  const seen = Array.from({ length: watchers }, (_, id) => {
    const armVersion = id % 3; // some armed before the first update, some later
    const notes: { t: number; version: number }[] = [];
    let v = armVersion;
    while (v < 120) {
      // mostly the next version; now and then the re-read already saw a later one (coalesced)
      const next = Math.min(120, v + (random() < 0.15 ? 2 : 1));
      const u = updates[v]!; // the update making v + 1 fired the watch
      notes.push({ t: u.sendNs + Math.floor((1 + random() * 6) * MS) + (next - v - 1) * 10 * MS, version: next });
      v = next;
      if (id === 0 && v > 90) break; // one watcher stops observing early (unobserved pairs)
    }
    return { id, armStart: armVersion * 10 * MS + MS, armDone: armVersion * 10 * MS + 3 * MS, armVersion, notes };
  });
  return { updates, seen };
}

/** What a TypeScript watcher records for the same history: each event, its re-read done at the arrival. */
function tsTraces(h: ReturnType<typeof history>): WatcherTrace[] {
  return h.seen.map((w) => {
    let armed = w.armVersion;
    const events = w.notes.map((n) => {
      const e = { armedVersion: armed, arrivalNs: n.t, rearm: { startNs: n.t, doneNs: n.t, version: n.version } };
      armed = n.version;
      return e;
    });
    return { watcher: w.id, arm: { startNs: w.armStart, doneNs: w.armDone, version: w.armVersion }, events };
  });
}

function driverFile(h: ReturnType<typeof history>): string {
  const abs = (t: number): bigint => ORIGIN + BigInt(t);
  let text = '';
  for (const w of h.seen) {
    text += formatEvent('arm', w.id, abs(w.armStart));
    text += formatEvent('armed', w.id, abs(w.armDone), String(w.armVersion));
    for (const n of w.notes) text += formatEvent('changed', w.id, abs(n.t), String(n.version));
  }
  text += formatEvent('session', 1, abs(500 * MS), 'suspended');
  return text;
}

function report(traces: WatcherTrace[], updates: UpdateRecord[], hosted: number): FanoutProcessReport {
  return { hosted, updates, traces: encodeTraces(traces), slowIds: [], armFailures: 0, watcherErrors: 0, errorSamples: [], writer: undefined, drainCutShort: false };
}

function figures(reports: FanoutProcessReport[], watchers: number): Metric[] {
  return pointFigures({ reports, health: reports.map(() => health), sessionsExpired: 0, watchers, pacing: { kind: 'paced' }, slow: { kind: 'link', delayMs: 0 }, windowS: 1, pacedWaitMs: 4000, ...window }).metrics;
}

const scalarOf = (ms: Metric[], name: string): number => {
  const m = ms.find((x) => x.name === name);
  assert.ok(m && m.kind === 'scalar', `no scalar ${name}`);
  return m.value;
};

describe('watch driver events → the watch-fanout figures', () => {
  it('one history gives identical figures whether a TypeScript process or a driver recorded it', () => {
    const h = history(12, 7);
    const writer: FanoutProcessReport = { ...report([], h.updates, 0), writer: { pacedTimeouts: 0, firstUpdateAt: 0, outstandingMax: 1, error: undefined } };
    const direct = figures([writer, report(tsTraces(h), [], 12)], 12);
    const ids = h.seen.map((w) => w.id);
    const replay = replayWatchEvents(parseEvents(driverFile(h), ORIGIN), window, ids, false);
    assert.deepEqual(replay.traces, tsTraces(h));
    const replayed = figures([writer, replay.report], 12);
    assert.deepEqual(replayed, direct);
    // and they are figures, not zeros: notifications, coalescing and unobserved pairs all happened
    const notes = h.seen.reduce((n, w) => n + w.notes.length, 0);
    assert.equal(replay.completed, notes);
    assert.ok(scalarOf(direct, 'notifications') > 0);
    assert.ok(scalarOf(direct, 'coalesced') > 0);
    assert.ok(scalarOf(direct, 'unobserved') > 0);
    assert.equal(scalarOf(direct, 'anomalies'), 0);
    assert.equal(replay.sessionEvents, 1);
  });

  it('a watcher that never completed its first read, or stopped, is counted, never dropped', () => {
    const text = formatEvent('arm', 0, ORIGIN + 1n) + formatEvent('arm', 1, ORIGIN + 2n) + formatEvent('armed', 1, ORIGIN + 3n, '4') + formatEvent('error', 1, ORIGIN + 9n, 'NoNode gone') + formatEvent('arm', 2, ORIGIN + 2n) + formatEvent('error', 2, ORIGIN + 5n, 'CONNECTIONLOSS lost');
    const r = replayWatchEvents(parseEvents(text, ORIGIN), window, [0, 1, 2], true);
    assert.equal(r.report.armFailures, 2); // 0 never armed, 2 failed its first read
    assert.equal(r.report.watcherErrors, 1);
    assert.equal(r.report.drainCutShort, true);
    assert.equal(r.traces.length, 1);
  });

  it('an event out of order is refused, naming the watcher', () => {
    const text = formatEvent('changed', 3, ORIGIN + 5n, '2');
    assert.throws(() => replayWatchEvents(parseEvents(text, ORIGIN), window, [3], false), (e: unknown) => e instanceof EventFileError && /watcher 3 .* before the watcher armed/.test(e.message));
    assert.throws(() => replayWatchEvents(parseEvents(formatEvent('held', 3, ORIGIN), ORIGIN), window, [3], false), /not a watch event/);
  });
});
