import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { distributionMs, mergeEncoded } from '../../src/measure/histogram.ts';
import { firstAcquisitionMetric, lockMetrics } from '../../src/measure/lock-metrics.ts';
import { LockRecorder } from '../../src/measure/lock-recorder.ts';
import { findMetric, scalarValue } from '../../src/measure/metrics.ts';
import { emptyCounters } from '../../src/measure/request-counts.ts';
import type { DriverHealth } from '../../src/measure/driver-health.ts';

const MS = 1e6;
const healthy: DriverHealth = { eventLoopDelayMs: { p50: 0.1, p99: 1, max: 2, mean: 0.2 }, cpuPct: 30, windowS: 1, rssMb: 50 };

/** Two "processes", each with one client taking turns on the lock, 10 ms per turn, for 1 s. */
function twoProcesses(overlap = false) {
  const window = { measureFrom: 100 * MS, stopAt: 1000 * MS };
  const a = new LockRecorder(window);
  const b = new LockRecorder(window);
  for (let t = 0; t < 1000 * MS; t += 20 * MS) {
    a.acquired({ client: 0, tAcquire: t - 5 * MS, tHeld: t, tReleased: t + 9 * MS, ticket: t });
    const heldB = overlap && t === 500 * MS ? t + 5 * MS : t + 10 * MS; // B jumps in while A holds
    b.acquired({ client: 1, tAcquire: t + 1 * MS, tHeld: heldB, tReleased: heldB + 9 * MS, ticket: t + 1 });
  }
  return [a.report(), b.report()];
}

describe('lockMetrics', () => {
  it('merges what several processes measured and derives the lock figures', () => {
    const counters = emptyCounters();
    counters.requests.create = 100;
    counters.requests.delete = 100;
    counters.requests.getChildren = 100;
    counters.requests.exists = 50;
    counters.watchesSet = 50;
    counters.notifications = 50;
    const out = lockMetrics({ reports: twoProcesses(), counters, health: [healthy, healthy], sessionsExpired: 0, measureFrom: 100 * MS, stopAt: 1000 * MS });

    assert.equal(scalarValue(out.metrics, 'violations'), 0);
    // 45 turns of each client held inside [100 ms, 1000 ms)
    assert.equal(scalarValue(out.metrics, 'acquisitions'), 90);
    assert.equal(scalarValue(out.metrics, 'throughput'), 100);
    assert.equal(scalarValue(out.metrics, 'zk_ops_per_acquire'), 350 / 100); // per acquisition, warm-up included
    assert.equal(scalarValue(out.metrics, 'zk_ops_per_acquire.writes'), 2);
    assert.equal(scalarValue(out.metrics, 'notifications_per_acquire'), 0.5);
    assert.equal(scalarValue(out.metrics, 'fairness_jain'), 1);
    assert.equal(scalarValue(out.metrics, 'driver.saturated'), 0);

    const acquire = findMetric(out.metrics, 'acquire');
    assert.ok(acquire?.kind === 'distribution');
    const d = distributionMs(acquire.histogram)!;
    assert.equal(d.count, 90);
    assert.ok(Math.abs(d.p50 - 5) < 0.01 || Math.abs(d.p50 - 9) < 0.01, `p50 ${d.p50}`);

    const handoff = findMetric(out.metrics, 'handoff');
    assert.ok(handoff?.kind === 'distribution');
    // every hand-off is 1 ms (release at t+9, next held at t+10 / t+20)
    assert.ok(Math.abs(distributionMs(handoff.histogram)!.p50 - 1) < 0.01);
  });

  it('finds an overlap between holders recorded in different processes', () => {
    const out = lockMetrics({ reports: twoProcesses(true), counters: emptyCounters(), health: [healthy], sessionsExpired: 0, measureFrom: 100 * MS, stopAt: 1000 * MS });
    assert.equal(scalarValue(out.metrics, 'violations'), 1);
    assert.equal(out.violations[0]!.holder.client, 0);
    assert.equal(out.violations[0]!.intruder.client, 1);
  });

  it('flags a saturated driver and keeps error codes apart', () => {
    const rec = new LockRecorder({ measureFrom: 0, stopAt: undefined });
    rec.failed('ZCONNECTIONLOSS', 'x', 1 * MS);
    rec.failed('ZCONNECTIONLOSS', 'y', 2 * MS);
    rec.failed('ZSESSIONEXPIRED', 'z', 3 * MS);
    rec.timedOut();
    rec.addClient(7); // a client that never acquired
    rec.stoppedWhileWaiting();
    const busy = { ...healthy, eventLoopDelayMs: { ...healthy.eventLoopDelayMs!, p99: 50 } };
    const out = lockMetrics({ reports: [rec.report()], counters: emptyCounters(), health: [healthy, busy], sessionsExpired: 1, measureFrom: 0, stopAt: 1e9 });
    assert.equal(out.driverSaturated, true);
    assert.equal(scalarValue(out.metrics, 'errors'), 3);
    assert.equal(scalarValue(out.metrics, 'errors.ZCONNECTIONLOSS'), 2);
    assert.equal(scalarValue(out.metrics, 'timeouts'), 1);
    assert.equal(scalarValue(out.metrics, 'sessions_expired'), 1);
    assert.equal(scalarValue(out.metrics, 'clients_without_acquisition'), 1);
    assert.equal(scalarValue(out.metrics, 'waiting_at_end'), 1);
  });

  it('merges encoded histograms without losing counts', () => {
    const [a, b] = twoProcesses();
    const merged = mergeEncoded([a!.acquire, b!.acquire]);
    assert.equal(merged.totalCount, 90);
  });
});

describe('first_acquisition', () => {
  const MS = 1e6;
  const held = (client: number, atMs: number) => ({ client, tAcquire: atMs * MS - 1, tHeld: atMs * MS, tReleased: atMs * MS + 1, ticket: 0 });

  it('per client, from the window start to its first hold; a client that never held is censored at the window, not left out', () => {
    const m = firstAcquisitionMetric([held(0, 1200), held(1, 1050), held(0, 1300)], [0, 1, 2], 1000 * MS, 3000 * MS);
    assert.ok(m?.kind === 'distribution');
    const d = distributionMs(m.histogram)!;
    assert.deepEqual([d.count, d.min, d.max], [3, 50, 2000]);
    assert.deepEqual(m.censored, { count: 1, windowMs: 2000 });
  });
});
