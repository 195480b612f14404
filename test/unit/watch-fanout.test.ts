// watch-fanout's pure parts: how watchers are dealt over processes, the per-process armed tally and the
// writer's gate over processes (what `paced` waits on), the packed traces, and the figures and notes of
// one point from the processes' reports.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findMetric, scalarValue } from '../../src/measure/metrics.ts';
import type { UpdateRecord, WatcherTrace } from '../../src/measure/watch-records.ts';
import { ArmedTally } from '../../src/scenarios/watch-fanout/armed-tally.ts';
import { RearmQueue } from '../../src/scenarios/watch-fanout/rearm-queue.ts';
import type { FanoutProcessReport } from '../../src/scenarios/watch-fanout/clients.ts';
import { pointFigures, type PointMeasurement } from '../../src/scenarios/watch-fanout/figures.ts';
import { layoutWatchers } from '../../src/scenarios/watch-fanout/plan.ts';
import { decodeTraces, encodeTraces } from '../../src/scenarios/watch-fanout/trace-codec.ts';
import { ArmedGate } from '../../src/scenarios/watch-fanout/writer-loop.ts';
import type { WatchFanoutWorkload } from '../../src/scenarios/watch-fanout/workload.ts';
import { WorkloadError } from '../../src/workload/validate.ts';
import { loadWorkload, validateWorkload, workloadWarnings } from '../../src/scenarios/catalog.ts';

const fanout = { name: 'f', scenario: 'watch-fanout', recipes: ['data-watch'], watchers: [10, 100], clients: 100, duration_s: 1 };
/** Refused at load time, with a message matching `why`. */
const refused = (fields: Record<string, unknown>, why: RegExp, overrides: Record<string, unknown> = {}): void =>
  assert.throws(() => validateWorkload('f.yaml', { ...fanout, ...fields }, overrides), (e: Error) => e instanceof WorkloadError && why.test(e.message), `expected ${why}`);

describe('watch-fanout workload validation', () => {
  it('reads the sweep from the file or the command line, with the defaults', () => {
    const w = validateWorkload('f.yaml', fanout) as WatchFanoutWorkload;
    assert.deepEqual(w.watchers, [10, 100]);
    assert.equal(w.pacing, 'paced');
    assert.equal(w.slowWatchers, 0);
    assert.deepEqual((validateWorkload('f.yaml', fanout, { watchers: '10,50' }) as WatchFanoutWorkload).watchers, [10, 50]);
    assert.deepEqual(workloadWarnings(w), []);
    const shipped = loadWorkload('watch-fanout').workload as WatchFanoutWorkload;
    assert.ok(Math.max(...shipped.watchers) <= shipped.clients);
  });

  it('refuses 0 watchers, a sweep point above clients, and a count that is not time-bound', () => {
    refused({ watchers: [0, 10] }, /field "watchers": 0 is too small/);
    refused({}, /"watchers" asks for 5000 but "clients" is 100.*raise clients to 5000/, { watchers: '10,5000' });
    refused({ duration_s: undefined, acquisitions: 5 }, /time-bound: set "duration_s"/);
    refused({ watchers: [10, 10] }, /listed twice/);
  });

  it('refuses a rate without a number, or one the writer cannot send, and warns of one the driver cannot receive', () => {
    refused({ pacing: 'rate' }, /pacing "rate" needs "rate_per_s"/);
    refused({ pacing: 'rate', rate_per_s: 50_000 }, /rate_per_s 50000 is more than one writer session gets answered/);
    const heavy = validateWorkload('f.yaml', { ...fanout, watchers: [1000], clients: 1000, pacing: 'rate', rate_per_s: 100 });
    assert.match(workloadWarnings(heavy).join('\n'), /100 updates\/s to 1000 watchers asks 1 load process\(es\) to receive up to 100000 events\/s/);
    const ignored = validateWorkload('f.yaml', { ...fanout, rate_per_s: 100 });
    assert.match(workloadWarnings(ignored).join('\n'), /rate_per_s \(100 updates\/s\) is ignored: pacing is "paced"/);
  });

  it('refuses slow watchers that do not fit', () => {
    refused({ slow_watchers: 11 }, /"slow_watchers" \(11\) is more than the smallest sweep point \(10 watchers\)/);
    refused({ slow_watchers: 1, slow_watcher_delay_ms: 0 }, /needs "slow_watcher_delay_ms" above 0/);
    refused({ slow_watchers: 1, slow_watcher_delay_ms: 6000 }, /below a third of session_timeout_ms/);
    refused({ slow_watcher_kind: 'wan' }, /field "slow_watcher_kind": unknown value "wan"/);
  });

  it("is refused on another scenario's workload", () => {
    assert.throws(
      () => validateWorkload('l.yaml', { name: 'l', scenario: 'lock-contention', recipes: ['predecessor'], clients: 5, duration_s: 1, watchers: [10] }),
      /a field of the watch-fanout scenario, not of lock-contention/,
    );
  });
});

describe('watcher layout', () => {
  it('deals watchers round-robin and spreads the slow ones over the id range', () => {
    const l = layoutWatchers(10, 3, 2);
    assert.deepEqual(l.slowIds.flat().sort((a, b) => a - b), [0, 5]);
    const all = [...l.watcherIds.flat(), ...l.slowIds.flat()].sort((a, b) => a - b);
    assert.deepEqual(all, [...Array(10).keys()]);
    for (let p = 0; p < 3; p++) for (const id of [...l.watcherIds[p]!, ...l.slowIds[p]!]) assert.equal(id % 3, p);
  });

  it('leaves processes empty when there are fewer watchers than processes', () => {
    const l = layoutWatchers(1, 2, 0);
    assert.deepEqual(l.watcherIds, [[0], []]);
  });

  it('refuses what cannot be laid out', () => {
    assert.throws(() => layoutWatchers(0, 1, 0), /watchers must be/);
    assert.throws(() => layoutWatchers(3, 1, 4), /4 slow watchers among 3/);
  });
});

describe('armed tally', () => {
  it('reports a version once every watcher has read it, not before', () => {
    const reports: number[] = [];
    const t = new ArmedTally(3, (v) => reports.push(v));
    t.armed(5);
    t.armed(5);
    assert.deepEqual(reports, []);
    t.armed(5);
    assert.deepEqual(reports, [5]);
    // update 6: each watcher fires (armed at 5) and re-arms with a read of 6
    t.fired(5);
    t.armed(6);
    t.fired(5);
    t.armed(6);
    assert.deepEqual(reports, [5]);
    t.fired(5);
    t.armed(6);
    assert.deepEqual(reports, [5, 6]);
  });

  it('does not count a watcher whose read is behind the newest version (an event is still coming)', () => {
    const reports: number[] = [];
    const t = new ArmedTally(2, (v) => reports.push(v));
    t.armed(1);
    t.armed(1);
    // rate: updates 2 and 3 went out; watcher A re-arms with a read of 3, watcher B with a read of 2
    t.fired(1);
    t.armed(3);
    t.fired(1);
    t.armed(2);
    assert.deepEqual(reports, [1]);
    // B's watch fires for 3, its re-arm reads 3
    t.fired(2);
    t.armed(3);
    assert.deepEqual(reports, [1, 3]);
  });

  it('stops waiting for a watcher that is gone, and for nobody at all when all are', () => {
    const reports: number[] = [];
    const t = new ArmedTally(2, (v) => reports.push(v));
    t.armed(4);
    t.lost();
    assert.deepEqual(reports, [4]);
    t.fired(4);
    t.lost();
    assert.deepEqual(reports, [4, Number.POSITIVE_INFINITY]);
  });
});

describe('armed gate', () => {
  it('opens when every process with watchers has reported the version', async () => {
    const gate = new ArmedGate([2, 0, 3]);
    assert.equal(gate.reached(1), false);
    gate.report(0, 1);
    assert.equal(gate.reached(1), false, 'process 2 has not reported');
    const waiting = gate.wait(1, 60_000, new AbortController().signal);
    gate.report(2, 1);
    assert.equal(await waiting, true);
    assert.equal(gate.reached(2), false);
  });

  it('gives up after its timeout, or at the stop', async () => {
    const gate = new ArmedGate([1]);
    assert.equal(await gate.wait(1, 1, new AbortController().signal), false);
    const stop = new AbortController();
    const waiting = gate.wait(1, 60_000, stop.signal);
    stop.abort();
    assert.equal(await waiting, false);
    assert.throws(() => gate.report(3, 1), /unknown process 3/);
  });
});

describe('re-arm queue', () => {
  it('runs nothing within the callback, then at most perTurn re-arms per loop turn, in order', async () => {
    const ran: number[] = [];
    const q = new RearmQueue(2);
    for (let i = 0; i < 5; i++) q.schedule(() => ran.push(i));
    assert.equal(ran.length, 0, 'nothing runs within the event callbacks');
    const turns: number[][] = [];
    for (let t = 0; t < 4; t++) {
      await new Promise((resolve) => setImmediate(resolve));
      turns.push([...ran]);
    }
    assert.deepEqual(turns[0], [0, 1]);
    assert.deepEqual(turns[1], [0, 1, 2, 3]);
    assert.deepEqual(turns[2], [0, 1, 2, 3, 4]);
    q.schedule(() => ran.push(5));
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(ran, [0, 1, 2, 3, 4, 5], 'a later re-arm starts a new round');
  });
});

describe('packed traces', () => {
  it('round-trip, events without a re-arm included', () => {
    const traces: WatcherTrace[] = [
      {
        watcher: 7,
        arm: { startNs: 1, doneNs: 2, version: 0 },
        events: [
          { armedVersion: 0, arrivalNs: 10.5, rearm: { startNs: 11, doneNs: 12, version: 2 } },
          { armedVersion: 2, arrivalNs: 30 },
        ],
      },
      { watcher: 8, arm: { startNs: 3, doneNs: 4, version: 0 }, events: [] },
    ];
    assert.deepEqual(decodeTraces(encodeTraces(traces)), traces);
    assert.throws(() => decodeTraces(encodeTraces(traces).subarray(0, 7)), /end early/);
  });
});

describe('figures of one point', () => {
  const ms = 1e6;
  // Two paced updates (versions 1, 2) to three watchers, watcher 2 slow (its events 20 ms later).
  const updates: UpdateRecord[] = [
    { seq: 1, version: 1, sendNs: 100 * ms, ackNs: 102 * ms },
    { seq: 2, version: 2, sendNs: 200 * ms, ackNs: 202 * ms },
  ];
  const trace = (watcher: number, lateMs: number): WatcherTrace => ({
    watcher,
    arm: { startNs: 10 * ms, doneNs: 11 * ms, version: 0 },
    events: [1, 2].map((v) => {
      const arrival = (v * 100 + 3 + lateMs) * ms;
      return { armedVersion: v - 1, arrivalNs: arrival, rearm: { startNs: arrival, doneNs: arrival + ms, version: v } };
    }),
  });
  const report = (traces: WatcherTrace[], slowIds: number[], writer: boolean): FanoutProcessReport => ({
    hosted: traces.length,
    updates: writer ? updates : [],
    traces: encodeTraces(traces),
    slowIds,
    armFailures: 0,
    watcherErrors: 0,
    errorSamples: [],
    writer: writer ? { pacedTimeouts: 0, firstUpdateAt: 50 * ms, outstandingMax: 1, error: undefined } : undefined,
    drainCutShort: false,
  });
  const health = { eventLoopDelayMs: { p50: 0.1, p99: 0.5, max: 1, mean: 0.1 }, cpuPct: 20, windowS: 1, rssMb: 100 };
  const measurement = (over: Partial<PointMeasurement> = {}): PointMeasurement => ({
    reports: [report([trace(0, 0), trace(2, 20)], [2], true), report([trace(1, 0)], [], false)],
    health: [health, health],
    sessionsExpired: 0,
    watchers: 3,
    pacing: { kind: 'paced' },
    slow: { kind: 'link', delayMs: 20 },
    windowS: 1,
    pacedWaitMs: 15_000,
    measureFrom: 60 * ms,
    stopAt: 1000 * ms,
    ...over,
  });

  it('measures every watcher, and the slow ones on their own', () => {
    const out = pointFigures(measurement());
    const all = findMetric(out.metrics, 'notify_from_send');
    const slow = findMetric(out.metrics, 'slow.notify_from_send');
    assert.ok(all?.kind === 'distribution' && slow?.kind === 'distribution');
    assert.equal(all.histogram.totalCount, 6);
    assert.equal(slow.histogram.totalCount, 2);
    assert.equal(slow.histogram.minNonZeroValue, 23_000, 'the slow watcher: 23 ms from the send');
    assert.equal(scalarValue(out.metrics, 'updates'), 2);
    assert.equal(scalarValue(out.metrics, 'coalesced'), 0);
    assert.equal(scalarValue(out.metrics, 'update_rate'), 2);
    assert.equal(scalarValue(out.metrics, 'driver.event_loop_delay_p99'), 0.5);
    assert.equal(out.completedOps, 6);
    assert.equal(out.notifications.buckets.reduce((s, b) => s + b.ops, 0), 6);
    assert.match(out.notes[0]!, /writer in load process 0; 3 watchers over 2 load processes \(2, 1 watchers\)/);
    assert.match(out.notes[1]!, /1 of 3 watchers slow on purpose \(everything the servers send them arrives 20 ms late\)/);
  });

  it('says when arming the watchers outlasted the warm-up', () => {
    const out = pointFigures(measurement({ measureFrom: 40 * ms }));
    assert.ok(out.notes.some((n) => /arming the 3 watchers outlasted the warm-up by 0.01 s/.test(n)), out.notes.join('\n'));
  });

  it('says when the writer could not keep the rate', () => {
    const out = pointFigures(measurement({ pacing: { kind: 'rate', ratePerS: 100 } }));
    assert.ok(out.notes.some((n) => /did not keep rate_per_s 100: 2 updates\/s/.test(n)), out.notes.join('\n'));
  });

  it('says one process hosts both when it does', () => {
    const out = pointFigures(measurement({ reports: [report([trace(0, 0), trace(1, 0)], [], true)], health: [health], watchers: 2 }));
    assert.equal(out.notes[0], 'writer and 2 watchers in one load process');
    assert.equal(findMetric(out.metrics, 'slow.notify_from_send'), undefined);
  });
});
