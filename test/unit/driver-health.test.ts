import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DriverHealthMonitor, isSaturated, saturationReasons } from '../../src/measure/driver-health.ts';
import { seededRandom } from '../../src/scenarios/seeded-random.ts';

describe('DriverHealthMonitor', () => {
  it('computes CPU % of one core from an injected clock and CPU counter', () => {
    let now = 0n;
    let cpuUs = 0;
    const monitor = new DriverHealthMonitor(
      () => now,
      (prev) => ({ user: cpuUs - (prev?.user ?? 0), system: 0 }),
    );
    monitor.start();
    now += 2_000_000_000n; // 2 s of wall time
    cpuUs += 500_000; // 0.5 s of CPU
    const h = monitor.stop();
    assert.equal(h.windowS, 2);
    assert.equal(h.cpuPct, 25);
    assert.equal(isSaturated(h), false);
  });

  it('names the reason a driver counts as saturated', () => {
    const h = { eventLoopDelayMs: { p50: 1, p99: 30, max: 40, mean: 2 }, cpuPct: 95, windowS: 1, rssMb: 1 };
    assert.equal(isSaturated(h), true);
    const reasons = saturationReasons([h]);
    assert.equal(reasons.length, 2);
    assert.match(reasons[0]!, /event-loop delay p99 30\.0 ms/);
  });
});

describe('seededRandom', () => {
  it('repeats for a seed and spreads over [0, 1)', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const xs = Array.from({ length: 1000 }, () => a());
    assert.deepEqual(xs.slice(0, 5), Array.from({ length: 5 }, () => b()));
    assert.ok(xs.every((x) => x >= 0 && x < 1));
    const share = xs.filter((x) => x < 0.3).length / xs.length;
    assert.ok(share > 0.25 && share < 0.35, `share ${share}`);
  });
});

describe('chooseWorkers', () => {
  it('keeps an explicit count, else spreads 50 sessions per process over the cores the servers leave', async () => {
    const { chooseWorkers } = await import('../../src/workers/worker-count.ts');
    assert.equal(chooseWorkers(3, 100, true, 2), 3);
    assert.equal(chooseWorkers(8, 4, true, 2), 4); // never more processes than clients
    assert.equal(chooseWorkers(0, 1000, true, 2), 1); // 2 cores shared with embedded servers
    assert.equal(chooseWorkers(0, 1000, true, 8), 4);
    assert.equal(chooseWorkers(0, 1000, false, 8), 8); // servers elsewhere: every core
    assert.equal(chooseWorkers(0, 60, false, 8), 2);
    assert.equal(chooseWorkers(0, 10, false, 8), 1);
  });
});
