// ensemble-failover's pure parts: a session's unavailability around a fault (SessionGaps), the recovery
// of throughput after one (recoveryNs), and lost_writes from acknowledged and final counter values.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { scalarValue } from '../../src/measure/metrics.ts';
import { failoverFigures, recoveryNs } from '../../src/scenarios/ensemble-failover/figures.ts';
import type { FailoverWorkerReport } from '../../src/scenarios/ensemble-failover/plan.ts';
import { SessionGaps } from '../../src/scenarios/ensemble-failover/session-gaps.ts';

const ms = 1e6;

describe('SessionGaps', () => {
  it('measures the outage that follows a fault, not the few ms before the session noticed it', () => {
    const g = new SessionGaps();
    for (const t of [0, 1, 2, 3]) g.succeeded(t * ms);
    g.succeeded(5 * ms); // after the fault at 4 ms: the session still succeeded once
    g.fault(1, 4 * ms); // heard of a little later
    g.succeeded(905 * ms); // back after 900 ms
    g.succeeded(906 * ms);
    assert.equal(g.gaps.get(1), 900 * ms);
    assert.deepEqual(g.pending(), []);
  });

  it('takes the gap straddling the fault when the session succeeded before being told', () => {
    const g = new SessionGaps();
    g.succeeded(0);
    g.succeeded(300 * ms);
    g.fault(1, 100 * ms);
    assert.equal(g.gaps.get(1), 300 * ms);
  });

  it('a session with no success after the fault is pending; a later fault ends the earlier one', () => {
    const g = new SessionGaps();
    g.succeeded(0);
    g.fault(1, 10 * ms);
    assert.deepEqual(g.pending(), [1]);
    g.succeeded(50 * ms);
    g.fault(2, 60 * ms);
    g.succeeded(70 * ms);
    g.succeeded(1070 * ms);
    assert.equal(g.gaps.get(1), 50 * ms);
    assert.equal(g.gaps.get(2), 1000 * ms);
  });

  it('attributes nothing to a fault before its first success', () => {
    const g = new SessionGaps();
    g.fault(1, 10 * ms);
    g.succeeded(20 * ms);
    assert.equal(g.gaps.has(1), false);
    assert.deepEqual(g.pending(), []);
  });
});

describe('recoveryNs', () => {
  const grid = { gridFrom: 0, intervalNs: 100 * ms };
  const level = (from: number, to: number, ops: number) => Array.from({ length: to - from }, (_, k) => ({ index: from + k, ops, errors: 0, p50Ms: undefined, p99Ms: undefined, maxMs: undefined }));

  it('runs to the end of the last interval below half the level before the fault', () => {
    const intervals = [...level(0, 30, 100), ...level(30, 35, 0), ...level(35, 36, 60), ...level(36, 38, 40), ...level(38, 60, 100)];
    assert.equal(recoveryNs(grid, intervals, { entry: 1, atNs: 3000 * ms }, 6000 * ms), 800 * ms);
  });

  it('is 0 when throughput never fell below half, undefined without a level before the fault', () => {
    assert.equal(recoveryNs(grid, level(0, 60, 100), { entry: 1, atNs: 3000 * ms }, 6000 * ms), 0);
    assert.equal(recoveryNs(grid, level(0, 60, 100), { entry: 1, atNs: 0 }, 6000 * ms), undefined);
  });
});

describe('failoverFigures', () => {
  const report = (acknowledged: Record<string, number>, unavailableMs: Record<string, number[]> = {}): FailoverWorkerReport => ({
    latency: '',
    ops: 0,
    lastAt: undefined,
    errors: { ZCONNECTIONLOSS: 2 },
    unavailableMs,
    neverBack: {},
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
    assert.match(f.notes.join('\n'), /writer 1: acknowledged 7, node holds 5/);
  });

  it('a counter ahead of what was acknowledged (a write whose answer was lost) is no loss', () => {
    const f = failoverFigures([report({ 0: 10 }, { 1: [5, 900] })], new Map([[0, 11]]), new Map([[1, 'kill leader']]));
    assert.equal(scalarValue(f.metrics, 'lost_writes'), 0);
    const u = f.metrics.find((m) => m.name === 'unavailable.1');
    assert.ok(u && u.kind === 'distribution');
    assert.equal(u.histogram.totalCount, 2);
  });
});

describe('SessionGaps across faults', () => {
  it('an interruption still going on at the next fault counts to its end for the earlier fault', () => {
    const g = new SessionGaps();
    g.succeeded(0);
    g.fault(1, 10 * ms);
    g.fault(2, 2000 * ms);
    assert.deepEqual(g.pending(), [1, 2]);
    g.succeeded(3000 * ms);
    assert.equal(g.gaps.get(1), 3000 * ms);
    assert.equal(g.gaps.get(2), 3000 * ms);
    assert.deepEqual(g.pending(), []);
  });
});
