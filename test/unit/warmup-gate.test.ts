// A warm-up that ends when the clients are ready: the window decided from the load processes' reports,
// one process's queue tally, and a recorder that counts holds kept while the window was pending.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeHistogram } from '../../src/measure/histogram.ts';
import { LockRecorder } from '../../src/measure/lock-recorder.ts';
import { inWindow, liveRate } from '../../src/measure/measured-window.ts';
import { QueueTally } from '../../src/scenarios/lock-contention/queue-tally.ts';
import { decideWindow, DECISION_LEAD_NS, pendingWindow, ReadyReports } from '../../src/scenarios/warmup-gate.ts';

const S = 1e9;
const MS = 1e6;
const GRID = 100 * MS;

describe('decideWindow', () => {
  const pending = pendingWindow(1 * S, 2); // clients start at 1 s; at least 2 s of warm-up

  it('opens on the grid after the last ready report and the decision lead, and lasts the duration', () => {
    const w = decideWindow({ pending, readyAt: 7.234 * S, now: 7.25 * S, durationS: 5, intervalNs: GRID });
    // not before 7.25 s + 0.1 s lead = 7.35 s; the grid runs from 3 s in 0.1 s steps
    assert.equal(w.measureFrom, 7.4 * S);
    assert.equal(w.stopAt, 12.4 * S);
    assert.equal(w.startAt, 1 * S);
    assert.equal(w.pending, undefined);
  });

  it('never opens before the earliest start the warm-up allows', () => {
    const w = decideWindow({ pending, readyAt: 1.5 * S, now: 1.6 * S, durationS: undefined, intervalNs: GRID });
    assert.equal(w.measureFrom, 3 * S);
    assert.equal(w.stopAt, undefined);
  });

  it('never opens before the last client got ready, even when the report is older than the decision allows for', () => {
    // a ready moment after the coordinator's now (clocks of one host, but reported late): the later one wins
    const w = decideWindow({ pending, readyAt: 9.05 * S, now: 8 * S, durationS: 1, intervalNs: GRID, leadNs: DECISION_LEAD_NS });
    assert.ok(w.measureFrom >= 9.05 * S);
    assert.equal(w.measureFrom, 9.1 * S);
  });

  it('stays on the grid the processes bucket on (multiples of the interval from the pending start)', () => {
    for (const readyAt of [3.0001, 4.2, 5.99999, 11.1].map((s) => s * S)) {
      const w = decideWindow({ pending, readyAt, now: readyAt, durationS: 1, intervalNs: GRID });
      const steps = (w.measureFrom - pending.measureFrom) / GRID;
      assert.equal(steps, Math.round(steps));
      assert.ok(w.measureFrom >= readyAt + DECISION_LEAD_NS);
      assert.ok(w.measureFrom < readyAt + DECISION_LEAD_NS + GRID);
    }
  });
});

describe('ReadyReports', () => {
  it('is complete only when every process reported, with the latest moment', () => {
    const r = new ReadyReports(3);
    r.report(2, 5 * S);
    r.report(0, 7 * S);
    assert.equal(r.complete, false);
    assert.equal(r.readyAt, undefined);
    assert.deepEqual(r.waiting(), [1]);
    r.report(0, 9 * S); // a repeat keeps the first
    r.report(1, 6 * S);
    assert.equal(r.complete, true);
    assert.equal(r.readyAt, 7 * S);
    assert.throws(() => r.report(3, 1), /no load process 3/);
  });
});

describe('a pending window', () => {
  it('counts nothing, and adds nothing to the live rate', () => {
    const w = pendingWindow(0, 0);
    assert.equal(inWindow(5 * S, w), false);
    assert.equal(liveRate([{ completed: 10, measured: 10, at: 5 * S }], w), 0);
    assert.equal(inWindow(5 * S, { ...w, pending: false }), true);
  });
});

describe('QueueTally', () => {
  it('reports once, when the last of its clients first queued, at that moment', () => {
    const formed: number[] = [];
    const t = new QueueTally([4, 8, 12], (at) => formed.push(at));
    t.queued(8, 3);
    t.queued(8, 1); // again: only the first counts
    t.queued(99, 2); // not this process's client
    t.queued(4, 7);
    assert.deepEqual(formed, []);
    assert.deepEqual(t.report(), { clients: 3, queued: 2, left: 0, formedAt: undefined });
    t.queued(12, 5); // the last client, though not the latest moment
    t.queued(12, 9);
    assert.deepEqual(formed, [7]);
    assert.deepEqual(t.report(), { clients: 3, queued: 3, left: 0, formedAt: 7 });
  });

  it('does not wait for a client that left the run before it queued', () => {
    const formed: number[] = [];
    const t = new QueueTally([1, 2], (at) => formed.push(at));
    t.queued(1, 4);
    t.leave(1, 5); // left after queueing: it did queue
    assert.deepEqual(formed, []);
    t.leave(2, 6);
    assert.deepEqual(formed, [4]);
    assert.deepEqual(t.report(), { clients: 2, queued: 1, left: 1, formedAt: 4 });
  });
});

describe('LockRecorder with a pending window', () => {
  const hold = (client: number, tHeld: number) => ({ client, tAcquire: tHeld - 2 * MS, tHeld, tReleased: tHeld + MS, ticket: tHeld });

  it('counts the holds kept meanwhile once the window is decided, whichever side of the decision they came', () => {
    const pending = pendingWindow(0, 1); // earliest start 1 s
    const r = new LockRecorder(pending);
    assert.equal(r.acquired(hold(1, 0.5 * S)), false); // before the earliest start: never measured
    assert.equal(r.acquired(hold(1, 2.5 * S)), false); // may be inside: kept
    assert.equal(r.acquired(hold(2, 3.5 * S)), false);
    assert.equal(r.measured, 0);
    r.decide(decideWindow({ pending, readyAt: 2.6 * S, now: 2.7 * S, durationS: 10, intervalNs: GRID })); // opens at 2.8 s
    assert.equal(r.measured, 1); // the 3.5 s hold, held after the window opened but recorded before the word came
    assert.equal(r.measuredOf(2), 1);
    assert.equal(r.measuredOf(1), 0);
    assert.equal(r.acquired(hold(1, 4 * S)), true);
    const report = r.report();
    assert.equal(decodeHistogram(report.acquire).totalCount, 2);
    assert.equal(report.holds.length, 4); // every hold, warm-up included, for the safety check
  });
});
