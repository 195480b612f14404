// The election-failover figures from hand-built records: time to a new leader per kind of failure, a crash
// split into detection and takeover (detection ending at whichever came first), failures with no successor,
// two-leader intervals and their total time counted once however many lead at once, and the order failures
// are staged in.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TimeToEvent } from '../../src/measure/time-to-event.ts';
import { electionFigures, failureOrder, totalOverlapNs, type FailureRecord, type Term } from '../../src/scenarios/election-failover/figures.ts';

const MS = 1e6;
/** The cases' times, ns; a censored one as ['censored', ns]. */
const observed = (cases: readonly TimeToEvent[]) => cases.map((c) => (c.censored ? ['censored', c.ns] : c.ns));
const term = (candidate: number, leadMs: number, endMs?: number): Term => ({ candidate, campaignNs: 0, leadNs: leadMs * MS, ...(endMs !== undefined ? { endNs: endMs * MS } : {}) });
const hold = (client: number, fromMs: number, toMs: number) => ({ client, tAcquire: 0, tHeld: fromMs * MS, tReleased: toMs * MS, ticket: 0 });

describe('election-failover figures', () => {
  it('a close, a crash and a pause: time to the next other candidate leading, a crash as detection + takeover, the paused leader an overlap', () => {
    const failures: FailureRecord[] = [
      { kind: 'close', candidate: 0, atNs: 1000 * MS },
      { kind: 'crash', candidate: 1, atNs: 2000 * MS, deletionSeenNs: 3500 * MS },
      { kind: 'pause', candidate: 2, atNs: 5000 * MS, resumedNs: 9000 * MS },
    ];
    const terms = [
      term(0, 10, 1000.5), // closed
      term(1, 1012, 2000), // crashed: its term ends at the SIGKILL
      term(2, 3510, 9020), // paused at 5000, learned at 9020
      term(3, 7000),
    ];
    const f = electionFigures(failures, terms, 10_000 * MS);
    assert.deepEqual(observed(f.recovery.close), [12 * MS], 'close → candidate 1 at 1012');
    assert.deepEqual(observed(f.recovery.crash), [1510 * MS], 'crash at 2000 → candidate 2 at 3510');
    assert.deepEqual(observed(f.crashDetection), [1500 * MS]);
    assert.deepEqual(observed(f.crashTakeover), [10 * MS]);
    assert.deepEqual(observed(f.recovery.pause), [2000 * MS], 'pause at 5000 → candidate 3 at 7000');
    assert.deepEqual(observed(f.pauseWakeToLoss), [20 * MS], 'continued at 9000, learned at 9020');
    assert.deepEqual(f.unrecovered, []);
    // The paused candidate's belief (to 9020) overlaps candidate 3 (from 7000); the close and the crash none.
    assert.equal(f.violations.length, 1);
    assert.deepEqual([f.violations[0]!.holder.client, f.violations[0]!.intruder.client, f.violations[0]!.overlapNs], [2, 3, 2020 * MS]);
    assert.equal(f.violationNs, 2020 * MS);
  });

  it('the paused leader alone: one violation, as long as it believed after its successor led', () => {
    const f = electionFigures([{ kind: 'pause', candidate: 0, atNs: 100 * MS }], [term(0, 10, 4100), term(1, 2100)], 6000 * MS);
    assert.equal(f.violations.length, 1);
    assert.equal(f.violationNs, 2000 * MS);
    assert.deepEqual(observed(f.recovery.pause), [2000 * MS]);
  });

  it('a crash whose successor leads before the observer sees the deletion: detection ends at the successor, takeover 0', () => {
    const f = electionFigures([{ kind: 'crash', candidate: 0, atNs: 100 * MS, deletionSeenNs: 1300 * MS }], [term(0, 10, 100), term(1, 1250)], 2000 * MS);
    assert.deepEqual(observed(f.crashDetection), [1150 * MS]);
    assert.deepEqual(observed(f.crashTakeover), [0]);
    assert.deepEqual(observed(f.recovery.crash), [1150 * MS]);
    assert.equal(f.violations.length, 0, 'a dead leader believes nothing');
  });

  it('a failure nobody took over is unrecovered: a censored case at its window, never left out', () => {
    const f = electionFigures([{ kind: 'close', candidate: 0, atNs: 100 * MS }], [term(0, 10, 100)], 2000 * MS);
    assert.equal(f.unrecovered.length, 1);
    assert.deepEqual(observed(f.recovery.close), [['censored', 1900 * MS]]);
  });

  it('a leader after the next failure does not recover the earlier one: its window closed at that failure', () => {
    const failures: FailureRecord[] = [
      { kind: 'crash', candidate: 0, atNs: 1000 * MS },
      { kind: 'close', candidate: 2, atNs: 3000 * MS },
    ];
    const f = electionFigures(failures, [term(0, 10, 1000), term(1, 3500, 3600), term(2, 2000, 3000)], 6000 * MS);
    // candidate 2 led at 2000: inside the crash's window (1000..3000); candidate 1 at 3500 recovers the close.
    assert.deepEqual(observed(f.recovery.crash), [1000 * MS]);
    assert.deepEqual(observed(f.recovery.close), [500 * MS]);
    const late = electionFigures([failures[0]!, failures[1]!], [term(0, 10, 1000), term(1, 3500)], 6000 * MS);
    assert.deepEqual(observed(late.recovery.crash), [['censored', 2000 * MS]]);
    assert.deepEqual(observed(late.crashDetection), [['censored', 2000 * MS]], 'no sign of the deletion inside the window');
  });

  it('a paused leader still believing it leads at the run\'s end: pause_wake_to_loss censored from its SIGCONT', () => {
    const f = electionFigures([{ kind: 'pause', candidate: 0, atNs: 100 * MS, resumedNs: 4000 * MS }], [term(0, 10), term(1, 2100)], 6000 * MS);
    assert.deepEqual(observed(f.pauseWakeToLoss), [['censored', 2000 * MS]]);
  });

  it("the failed candidate's own later term is no successor", () => {
    const f = electionFigures([{ kind: 'close', candidate: 0, atNs: 100 * MS }], [term(0, 10, 100), term(0, 300)], 2000 * MS);
    assert.equal(f.unrecovered.length, 1);
  });

  it('a clean hand-off at one instant is no violation', () => {
    const f = electionFigures([], [term(0, 0, 100), term(1, 100, 200)], 300 * MS);
    assert.equal(f.violations.length, 0);
    assert.equal(f.violationNs, 0);
  });

  it('total two-leader time counts a stretch with three leaders once', () => {
    assert.equal(totalOverlapNs([hold(0, 0, 100), hold(1, 50, 150), hold(2, 60, 70)]), 50 * MS);
    assert.equal(totalOverlapNs([hold(0, 0, 100), hold(1, 200, 300)]), 0);
    assert.equal(totalOverlapNs([hold(0, 0, 100), hold(1, 10, 20), hold(2, 80, 120)]), 30 * MS);
  });

  it('failures are staged interleaved by kind', () => {
    assert.deepEqual(failureOrder({ close: 2, crash: 1, pause: 3 }), ['close', 'crash', 'pause', 'close', 'pause', 'pause']);
    assert.deepEqual(failureOrder({ close: 0, crash: 0, pause: 0 }), []);
  });
});
