import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classifyOverlaps, countInversions, fifoInversions, findViolations, handoffTimes, jainIndex, type HoldRecord } from '../../src/measure/hold-intervals.ts';

const hold = (client: number, tAcquire: number, tHeld: number, tReleased: number, ticket = tAcquire): HoldRecord => ({
  client,
  tAcquire,
  tHeld,
  tReleased,
  ticket,
});

describe('findViolations', () => {
  it('finds nothing in a clean sequence of holds, however they are ordered in the input', () => {
    const holds = [hold(2, 0, 20, 30), hold(0, 0, 0, 10), hold(1, 0, 10, 20)];
    assert.deepEqual(findViolations(holds), []);
  });

  it('finds a hold that starts before the previous holder released', () => {
    const holds = [hold(0, 0, 0, 10), hold(1, 0, 5, 15)];
    const v = findViolations(holds);
    assert.equal(v.length, 1);
    assert.equal(v[0]!.holder.client, 0);
    assert.equal(v[0]!.intruder.client, 1);
    assert.equal(v[0]!.overlapNs, 5);
  });

  it('counts every hold that lands inside one long hold, even after a short clean one', () => {
    const holds = [hold(0, 0, 0, 100), hold(1, 0, 10, 20), hold(2, 0, 30, 40), hold(3, 0, 100, 110)];
    assert.deepEqual(
      findViolations(holds).map((v) => [v.holder.client, v.intruder.client]),
      [
        [0, 1],
        [0, 2],
      ],
    );
  });

  it('treats a hand-off at the same instant as no overlap', () => {
    assert.deepEqual(findViolations([hold(0, 0, 0, 10), hold(1, 0, 10, 20)]), []);
  });
});

describe('classifyOverlaps with clock bounds', () => {
  const on = (process: number, h: HoldRecord): HoldRecord => ({ ...h, process });
  const bounds = [0, 3, 4]; // process 0: the coordinator's host; 1 and 2: remote, ± 3 and ± 4
  const pair = (a: HoldRecord, b: HoldRecord): number => (a.process === b.process ? 0 : bounds[a.process!]! + bounds[b.process!]!);

  it("counts an overlap within the two hosts' bounds as undecidable, beyond them as a violation", () => {
    const within = [on(1, hold(0, 0, 0, 10)), on(2, hold(1, 0, 4, 20))]; // 6 <= 3 + 4
    assert.deepEqual(classifyOverlaps(within, pair).violations, []);
    assert.equal(classifyOverlaps(within, pair).undecidable.length, 1);
    const beyond = [on(1, hold(0, 0, 0, 10)), on(2, hold(1, 0, 2, 20))]; // 8 > 7
    const out = classifyOverlaps(beyond, pair);
    assert.equal(out.violations.length, 1);
    assert.equal(out.violations[0]!.overlapNs, 8);
    assert.deepEqual(out.undecidable, []);
  });

  it('decides any overlap between holds of one process, whose clock is one', () => {
    const out = classifyOverlaps([on(1, hold(0, 0, 0, 10)), on(1, hold(1, 0, 9, 20))], pair);
    assert.equal(out.violations.length, 1);
    assert.equal(out.violations[0]!.overlapNs, 1);
  });

  it('finds the decisive overlap even when the longest-reaching hold is within its bound', () => {
    // The intruder (process 2, held at 20) overlaps a long hold on process 1 by 5 (<= 7, undecidable) and a
    // hold on its own process by 2 (decided: one clock).
    const holds = [on(1, hold(0, 0, 0, 25)), on(2, hold(1, 0, 10, 22)), on(2, hold(2, 0, 20, 30))];
    const out = classifyOverlaps(holds, pair);
    assert.deepEqual(out.violations.map((v) => [v.holder.client, v.intruder.client]), [[0, 1], [1, 2]]);
  });

  it('with every bound 0 is findViolations', () => {
    const holds = [hold(0, 0, 0, 100), hold(1, 0, 10, 20), hold(2, 0, 30, 40), hold(3, 0, 100, 110)];
    assert.deepEqual(classifyOverlaps(holds).violations, findViolations(holds));
    assert.deepEqual(classifyOverlaps(holds).undecidable, []);
  });
});

describe('handoffTimes', () => {
  it('measures release to next held when the next holder was already waiting', () => {
    const holds = [hold(0, 0, 0, 10), hold(1, 1, 13, 20), hold(2, 2, 24, 30)];
    assert.deepEqual(handoffTimes(holds), [3, 4]);
  });

  it('skips idle gaps (the next contender arrived after the release) and overlaps', () => {
    const holds = [hold(0, 0, 0, 10), hold(1, 50, 52, 60), hold(2, 51, 55, 70)];
    assert.deepEqual(handoffTimes(holds), []);
  });
});

describe('FIFO inversions', () => {
  it('counts pairs served out of queue order', () => {
    assert.equal(countInversions([1, 2, 3, 4]), 0);
    assert.equal(countInversions([4, 3, 2, 1]), 6);
    assert.equal(countInversions([2, 1, 3, 5, 4]), 2);
  });

  it('reads held order in ticket order', () => {
    const fifo = [hold(0, 0, 10, 11, 1), hold(1, 0, 20, 21, 2), hold(2, 0, 30, 31, 3)];
    assert.equal(fifoInversions(fifo), 0);
    const unfair = [hold(0, 0, 30, 31, 1), hold(1, 0, 20, 21, 2), hold(2, 0, 10, 11, 3)];
    assert.equal(fifoInversions(unfair), 3);
  });

  it('agrees with a brute-force count on random input', () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const values = Array.from({ length: 300 }, () => Math.floor(rand() * 1000));
    let brute = 0;
    for (let i = 0; i < values.length; i++) for (let j = i + 1; j < values.length; j++) if (values[i]! > values[j]!) brute++;
    assert.equal(countInversions(values), brute);
  });
});

describe('jainIndex', () => {
  it('is 1 for equal shares and 1/n when one client gets everything', () => {
    assert.equal(jainIndex([5, 5, 5, 5]), 1);
    assert.equal(jainIndex([8, 0, 0, 0]), 0.25);
    assert.equal(jainIndex([]), undefined);
    assert.equal(jainIndex([0, 0]), undefined);
  });
});

describe('queueOrder', () => {
  it('orders lock nodes by sequence number and ignores other children', async () => {
    const { queueOrder, sequenceOf } = await import('../../src/recipes/lock/queue-node.ts');
    const names = ['lock-0000000010', 'owner', 'lock-0000000002', 'lock-0000001000', 'lock-0000000099'];
    assert.deepEqual(queueOrder(names), ['lock-0000000002', 'lock-0000000010', 'lock-0000000099', 'lock-0000001000']);
    assert.equal(sequenceOf('lock-0000001000'), 1000);
  });
});
