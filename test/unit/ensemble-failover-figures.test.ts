// ensemble-failover's pure parts: a session's unavailability in a fault's window (SessionGaps), the recovery
// of throughput after one (recoveryNs), and lost_writes from acknowledged and final counter values.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { scalarValue } from '../../src/measure/metrics.ts';
import { failoverFigures, recoveryCase } from '../../src/scenarios/ensemble-failover/figures.ts';
import type { FailoverWorkerReport } from '../../src/scenarios/ensemble-failover/plan.ts';
import { SessionGaps } from '../../src/scenarios/ensemble-failover/session-gaps.ts';
import type { TimeToEvent } from '../../src/measure/time-to-event.ts';

const ms = 1e6;

/** What a session saw, in the order it saw it: a success at t ms, fault n heard of (it took effect at t ms), the measured window's end. */
type Event = ['ok', number] | ['fault', number, number] | ['end', number];

/** Fault entry → [figure ms, censored, window ms]. */
function figuresOf(events: readonly Event[]): Record<number, [number, boolean, number]> {
  const g = new SessionGaps();
  for (const e of events) {
    if (e[0] === 'ok') g.succeeded(e[1] * ms);
    else if (e[0] === 'fault') g.fault(e[1], e[2] * ms);
    else g.finish(e[1] * ms);
  }
  return Object.fromEntries([...g.figures].map(([entry, f]) => [entry, [f.ns / ms, f.censored, f.windowNs / ms]]));
}

describe('SessionGaps: a session\'s longest gap in each fault\'s window', () => {
  const cases: { name: string; events: Event[]; figures: Record<number, [number, boolean, number]> }[] = [
    {
      name: 'the outage that follows a fault, not the few ms before the session noticed it',
      events: [['ok', 0], ['ok', 1], ['ok', 2], ['ok', 3], ['ok', 5], ['fault', 1, 4], ['ok', 905], ['ok', 906], ['end', 910]],
      figures: { 1: [900, false, 906] },
    },
    {
      name: 'a gap straddling the fault counts from the fault (the window\'s start)',
      events: [['ok', 0], ['ok', 300], ['fault', 1, 100], ['ok', 301], ['end', 302]],
      figures: { 1: [200, false, 202] },
    },
    {
      name: 'never back: censored at the whole window',
      events: [['ok', 0], ['fault', 1, 10], ['end', 18_010]],
      figures: { 1: [18_000, true, 18_000] },
    },
    {
      name: 'never back before the next fault: censored at the window to it; what follows is the next fault\'s',
      events: [['ok', 0], ['fault', 1, 10], ['fault', 2, 2000], ['ok', 3000], ['ok', 3001], ['end', 4000]],
      figures: { 1: [1990, true, 1990], 2: [1000, false, 2000] },
    },
    {
      name: 'a success heard before the next fault was, but after it took effect, belongs to the next window',
      events: [['ok', 0], ['fault', 1, 10], ['ok', 2003], ['fault', 2, 2000], ['ok', 2004], ['end', 3000]],
      figures: { 1: [1990, true, 1990], 2: [996, true, 1000] },
    },
    {
      name: 'back, then stuck again to the window\'s end for longer: censored at that gap so far',
      events: [['fault', 1, 0], ['ok', 100], ['ok', 101], ['end', 5101]],
      figures: { 1: [5000, true, 5101] },
    },
    {
      name: 'back, and a request in flight at the end shorter than the outage: the outage, not censored',
      events: [['ok', 0], ['fault', 1, 0], ['ok', 700], ['ok', 702], ['ok', 704], ['end', 705]],
      figures: { 1: [700, false, 705] },
    },
    {
      name: 'a session that never succeeded at all is censored at the window, never left out',
      events: [['fault', 1, 10], ['end', 510]],
      figures: { 1: [500, true, 500] },
    },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(figuresOf(c.events), c.figures));
});

describe('recoveryCase', () => {
  const grid = { gridFrom: 0, intervalNs: 100 * ms };
  const level = (from: number, to: number, ops: number) => Array.from({ length: to - from }, (_, k) => ({ index: from + k, ops, errors: 0, p50Ms: undefined, p99Ms: undefined, maxMs: undefined }));

  it('runs to the end of the last interval below half the level before the fault', () => {
    const intervals = [...level(0, 30, 100), ...level(30, 35, 0), ...level(35, 36, 60), ...level(36, 38, 40), ...level(38, 60, 100)];
    assert.deepEqual(recoveryCase(grid, intervals, { entry: 1, atNs: 3000 * ms }, 6000 * ms), { ns: 800 * ms, censored: false, windowNs: 3000 * ms });
  });

  it('is 0 when throughput never fell below half, undefined without a level before the fault', () => {
    assert.deepEqual(recoveryCase(grid, level(0, 60, 100), { entry: 1, atNs: 3000 * ms }, 6000 * ms), { ns: 0, censored: false, windowNs: 3000 * ms });
    assert.equal(recoveryCase(grid, level(0, 60, 100), { entry: 1, atNs: 0 }, 6000 * ms), undefined);
  });

  it('is never declared by the window\'s end: still below half in its last interval, it is censored at the window', () => {
    const intervals = [...level(0, 30, 100), ...level(30, 60, 10)];
    assert.deepEqual(recoveryCase(grid, intervals, { entry: 1, atNs: 3000 * ms }, 6000 * ms), { ns: 3000 * ms, censored: true, windowNs: 3000 * ms });
  });
});

describe('failoverFigures', () => {
  const report = (acknowledged: Record<string, number>, unavailable: Record<string, TimeToEvent[]> = {}): FailoverWorkerReport => ({
    latency: '',
    ops: 0,
    lastAt: undefined,
    errors: { ZCONNECTIONLOSS: 2 },
    unavailable,
    acknowledged,
    unknownWrites: 1,
    connectionLosses: 3,
    replacementFailures: {},
  });

  it('counts acknowledged values missing from the counters as lost writes', () => {
    const f = failoverFigures([report({ 0: 10, 1: 7 })], new Map([[0, 10], [1, 5]]), new Map());
    assert.equal(scalarValue(f.metrics, 'lost_writes'), 2);
    assert.equal(scalarValue(f.metrics, 'unknown_writes'), 1);
    assert.equal(scalarValue(f.metrics, 'connection_losses'), 3);
    assert.equal(scalarValue(f.metrics, 'failed_ops'), 2);
    assert.match(f.notes.join('\n'), /writer 1: 7 writes acknowledged, its node counts 5 writes/);
  });

  it('a counter ahead of what was acknowledged (a write whose answer was lost) is no loss', () => {
    const f = failoverFigures([report({ 0: 10 })], new Map([[0, 11]]), new Map([[1, 'kill leader']]));
    assert.equal(scalarValue(f.metrics, 'lost_writes'), 0);
  });

  it('unavailable.N counts every session, those not back within the window as censored', () => {
    const window = 18_000 * ms;
    const back = { ns: 23.7 * ms, censored: false, windowNs: window };
    const never = { ns: window, censored: true, windowNs: window };
    const f = failoverFigures([report({}, { 1: [back, never] }), report({}, { 1: [back, never, never] })], undefined, new Map([[1, 'pause leader']]));
    const u = f.metrics.find((m) => m.name === 'unavailable.1');
    assert.ok(u && u.kind === 'distribution');
    assert.equal(u.histogram.totalCount, 5);
    assert.deepEqual(u.censored, { count: 3, windowMs: 18_000 });
  });
});
