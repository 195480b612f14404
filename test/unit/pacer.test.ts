// The open-loop pacer and its figures: intended starts on a fixed schedule computed from the index (no
// drift however late the wake-ups), clients interleaved by phase, the in-flight cap, the bounded queue and
// what it drops, late starts by cause, the stop, the measured window, and the unsustained flag.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { scalarValue } from '../../src/measure/metrics.ts';
import { scenarioById } from '../../src/scenarios/registry.ts';
import { openLoopFigures, openLoopPlan, targetRate } from '../../src/measure/open-loop.ts';
import { addPacerCounts, emptyPacerCounts, evenPhases, Pacer, type PacerOptions } from '../../src/measure/pacer.ts';
import { metricInfo } from '../../src/scenarios/catalog.ts';

const MS = 1e6;

/** A clock moved by hand. */
function manualClock(start = 0): { now(): number; at(t: number): void } {
  let t = start;
  return { now: () => t, at: (v: number) => void (t = v) };
}

const base: PacerOptions = { ratePerClient: 10, phases: [0], startNs: 0, maxInFlight: 1000, maxWaiting: 1000, lateToleranceNs: 2 * MS };

describe('Pacer', () => {
  it('releases every operation due, each with its intended start on the fixed schedule, however late the wake-up', () => {
    const clock = manualClock();
    const p = new Pacer(base, clock);
    const first = p.release();
    assert.deepEqual(first, [{ client: 0, intendedNs: 0, startNs: 0 }]);
    assert.equal(p.nextDueNs(), 100 * MS);
    clock.at(350 * MS); // woke 250 ms late: three operations due, all start now
    const late = p.release();
    assert.deepEqual(late.map((o) => o.intendedNs), [100 * MS, 200 * MS, 300 * MS]);
    assert.ok(late.every((o) => o.startNs === 350 * MS));
    assert.equal(p.counts.late, 3);
    assert.equal(p.counts.lateWaited, 0, 'none waited for a slot: the driver was late');
    assert.equal(p.nextDueNs(), 400 * MS, 'the schedule does not move with the late wake-up');
  });

  it('computes each intended start from its index: no drift over many jittery wake-ups', () => {
    const clock = manualClock();
    const p = new Pacer({ ...base, ratePerClient: 3 }, clock); // a period of 333,333,333.3 ns
    let released = 0;
    let last = 0;
    for (let t = 0; released < 3000; t += 7_777_777) {
      clock.at(t);
      for (const op of p.release()) {
        last = op.intendedNs;
        released++;
        p.finished(op.client);
      }
    }
    assert.equal(last, (released - 1) * (1e9 / 3));
  });

  it('interleaves clients by phase: one operation every 1/(N * rate) over all of them', () => {
    const clock = manualClock();
    const p = new Pacer({ ...base, phases: evenPhases([0, 1, 2, 3], 4) }, clock); // 10/s each, 40/s in all
    clock.at(199 * MS);
    const ops = p.release();
    assert.deepEqual(ops.map((o) => [o.client, o.intendedNs / MS]), [[0, 0], [1, 25], [2, 50], [3, 75], [0, 100], [1, 125], [2, 150], [3, 175]]);
    // one process's share of a larger run keeps its clients' places in the run's schedule
    const share = new Pacer({ ...base, phases: evenPhases([1, 3], 4) }, manualClock(199 * MS)).release();
    assert.deepEqual(share.map((o) => o.intendedNs / MS), [25, 75, 125, 175]);
  });

  it('queues operations beyond the in-flight cap, starts them as answers free slots, and drops what the full queue cannot hold', () => {
    const clock = manualClock();
    const p = new Pacer({ ...base, maxInFlight: 2, maxWaiting: 3 }, clock);
    clock.at(550 * MS); // six operations due at once (0..500 ms): 2 start, 3 wait, 1 is dropped
    const started = p.release();
    assert.deepEqual(started.map((o) => o.intendedNs / MS), [0, 100]);
    assert.equal(p.counts.dropped, 1);
    assert.equal(p.counts.due, 6);
    assert.equal(p.inFlightNow, 2);
    clock.at(600 * MS);
    const next = p.finished(0);
    assert.deepEqual(next, { client: 0, intendedNs: 200 * MS, startNs: 600 * MS }, 'the oldest waiting operation, not the dropped newest');
    assert.equal(p.counts.lateWaited, 1);
    assert.equal(p.release().length, 0, 'the 600 ms operation waits: both slots are taken');
    assert.equal(p.counts.dropped, 1, 'a freed queue place took it');
    assert.equal(p.counts.inFlightMax, 2);
    assert.throws(() => new Pacer(base, clock).finished(0), /no operation in flight/);
  });

  it('at the stop releases nothing more but still sends what waits as answers come', () => {
    const clock = manualClock();
    const p = new Pacer({ ...base, maxInFlight: 1 }, clock);
    clock.at(250 * MS);
    assert.equal(p.release().length, 1);
    p.stop();
    assert.equal(p.nextDueNs(), undefined);
    clock.at(900 * MS);
    assert.deepEqual(p.release(), [], 'nothing comes due after the stop');
    assert.deepEqual(p.finished(0), { client: 0, intendedNs: 100 * MS, startNs: 900 * MS });
    assert.equal(p.finished(0)?.intendedNs, 200 * MS);
    assert.equal(p.finished(0), undefined);
    assert.equal(p.inFlightNow, 0);
    assert.equal(p.counts.dropped, 0);
    assert.equal(p.counts.started, 3);
    // a driver that cannot go on drops what waits instead
    const q = new Pacer({ ...base, maxInFlight: 1 }, manualClock(250 * MS));
    q.release();
    q.stop(true);
    assert.equal(q.counts.dropped, 2);
    assert.equal(q.finished(0), undefined);
  });

  it('intends nothing at or after the end', () => {
    const clock = manualClock(10_000 * MS);
    const p = new Pacer({ ...base, endNs: 300 * MS }, clock);
    assert.deepEqual(p.release().map((o) => o.intendedNs / MS), [0, 100, 200]);
    assert.equal(p.nextDueNs(), undefined);
  });

  it('counts only operations intended inside the window, and the window\'s starts by their actual start', () => {
    const clock = manualClock();
    const measured = (t: number): boolean => t >= 200 * MS && t < 500 * MS;
    const p = new Pacer({ ...base, maxInFlight: 1, measured }, clock);
    clock.at(150 * MS);
    // 0 and 100: warm-up, started at 150 (not in the window); 100 waits for 0's answer
    assert.equal(p.release().length, 1);
    assert.equal(p.finished(0)?.intendedNs, 100 * MS);
    assert.equal(p.finished(0), undefined);
    clock.at(620 * MS);
    const [op] = p.release(); // 200 ms starts at 620 (after the window); 300..600 wait
    assert.equal(op!.intendedNs, 200 * MS);
    p.stop();
    clock.at(700 * MS);
    for (let next = p.finished(0); next; next = p.finished(0)); // 300, 400 (in the window), then 500, 600
    assert.deepEqual({ ...p.counts, inFlightMax: 0 }, { due: 3, started: 3, startedInWindow: 0, late: 3, lateWaited: 2, dropped: 0, inFlightMax: 0 });
  });

  it('refuses a schedule it cannot keep', () => {
    assert.throws(() => new Pacer({ ...base, ratePerClient: 0 }, manualClock()), /rate above 0/);
    assert.throws(() => new Pacer({ ...base, phases: [0.5, 0.2] }, manualClock()), /ascending/);
    assert.throws(() => new Pacer({ ...base, phases: [] }, manualClock()), /at least one client/);
    assert.throws(() => new Pacer({ ...base, maxInFlight: 0 }, manualClock()), /maxInFlight/);
  });
});

describe('open-loop figures', () => {
  it('plans each process\'s share of a total or per-client rate', () => {
    const total = { rate: 200, ratePer: 'total' as const, maxInFlight: 4 };
    assert.equal(targetRate(total, 8), 200);
    const plan = openLoopPlan(total, [1, 5], 8);
    assert.equal(plan.ratePerClient, 25);
    assert.deepEqual(plan.phases, [1 / 8, 5 / 8]);
    assert.equal(plan.maxWaiting, 250, '10 s of a client\'s schedule');
    assert.equal(targetRate({ ...total, ratePer: 'client' }, 8), 1600);
  });

  it('flags a rate not achieved, or any dropped operation, and says whose fault it looks like', () => {
    const counts = { ...emptyPacerCounts(), due: 1000, started: 1000, startedInWindow: 1000 };
    const held = openLoopFigures(counts, 100, 10);
    assert.equal(held.unsustained, false);
    assert.deepEqual(held.notes, []);
    assert.equal(scalarValue(held.metrics, 'rate_unsustained'), 0);
    const short = openLoopFigures({ ...counts, startedInWindow: 940, late: 300, lateWaited: 20 }, 100, 10);
    assert.equal(short.unsustained, true);
    assert.equal(scalarValue(short.metrics, 'rate_unsustained'), 1);
    assert.equal(scalarValue(short.metrics, 'achieved_rate'), 94);
    assert.match(short.notes[0]!, /94 of 100 ops\/s .*could not keep the schedule/);
    const dropped = openLoopFigures({ ...counts, dropped: 1, late: 50, lateWaited: 50 }, 100, 10);
    assert.equal(dropped.unsustained, true);
    assert.match(dropped.notes[0]!, /1 operation\(s\) dropped.*servers answered too slowly/);
    assert.deepEqual(addPacerCounts(addPacerCounts(emptyPacerCounts(), counts), { ...counts, inFlightMax: 3 }), { ...counts, due: 2000, started: 2000, startedInWindow: 2000, inFlightMax: 3 });
  });

  it('declares every figure it writes, in the catalog and in each open-loop scenario, so rules and comparisons know them', () => {
    const written = [...openLoopFigures(emptyPacerCounts(), 1, 1).metrics.map((m) => m.name), 'service_time', 'latency'];
    for (const name of written) {
      assert.ok(metricInfo(name), `${name} in the metric catalog`);
      for (const id of ['throughput', 'config']) assert.ok(scenarioById(id).metrics[name], `${id} declares ${name}`);
    }
    assert.equal(metricInfo('service_time')?.kind, 'distribution');
  });
});
