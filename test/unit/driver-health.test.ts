import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DriverHealthMonitor, isSaturated, saturationReasons, type DriverHealth } from '../../src/measure/driver-health.ts';
import { driverMetrics } from '../../src/measure/driver-metrics.ts';
import { scalarValue, findMetric } from '../../src/measure/metrics.ts';
import { absentFigures } from '../../src/results/not-measured.ts';
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
    // No real time passed, so the delay monitor has no sample: under the CPU threshold, saturation is unknown.
    assert.equal(h.eventLoopDelayMs, undefined);
    assert.equal(isSaturated(h), undefined);
  });

  it('names the reason a driver counts as saturated', () => {
    const h = { eventLoopDelayMs: { p50: 1, p99: 30, max: 40, mean: 2 }, cpuPct: 95, windowS: 1, rssMb: 1 };
    assert.equal(isSaturated(h), true);
    const reasons = saturationReasons([h]);
    assert.equal(reasons.length, 2);
    assert.match(reasons[0]!, /event-loop delay p99 30\.0 ms/);
  });
});

describe('driver health without samples', () => {
  const healthy: DriverHealth = { eventLoopDelayMs: { p50: 0.1, p99: 1, max: 2, mean: 0.2 }, cpuPct: 30, windowS: 1, rssMb: 50 };

  it('a monitor never started reports no delay and no CPU, and says why', () => {
    const h = new DriverHealthMonitor(() => 0n).stop();
    assert.equal(h.eventLoopDelayMs, undefined);
    assert.equal(h.cpuPct, undefined);
    assert.match(h.notMeasured ?? '', /never started/);
    assert.equal(isSaturated(h), undefined);
  });

  it('a window too short for a sample leaves the delay unknown, the CPU share known', () => {
    let now = 0n;
    const monitor = new DriverHealthMonitor(() => now, () => ({ user: 1000, system: 0 }));
    monitor.start();
    now += 1_000_000n; // 1 ms: shorter than the monitor's 10 ms sampling interval
    const h = monitor.stop();
    assert.equal(h.eventLoopDelayMs, undefined);
    assert.equal(h.cpuPct, 100);
    assert.match(h.notMeasured ?? '', /took no samples/);
    // CPU alone is over its threshold: saturated whatever the delay was.
    assert.equal(isSaturated(h), true);
  });

  it('the worst of several is not measured when one process was not watched, and saturated is unknown, not false', () => {
    const unwatched: DriverHealth = { windowS: 0, rssMb: 50, notMeasured: 'the monitor never started' };
    const d = driverMetrics([healthy, unwatched]);
    assert.equal(d.saturated, undefined);
    for (const name of ['driver.event_loop_delay_p99', 'driver.cpu', 'driver.saturated']) {
      assert.ok(Number.isNaN(scalarValue(d.metrics, name)), `${name} must not be a number`);
      const m = findMetric(d.metrics, name);
      assert.match(m?.kind === 'scalar' ? (m.notMeasured ?? '') : '', /process 1: the monitor never started/);
    }
    const absent = absentFigures('r', d.metrics).map((a) => a.figure);
    assert.deepEqual(absent, ['driver.event_loop_delay_p50', 'driver.event_loop_delay_p99', 'driver.event_loop_delay_max', 'driver.cpu', 'driver.saturated']);
    assert.match(saturationReasons([healthy, unwatched]).join('\n'), /worker 1 not measured: the monitor never started/);
  });

  it('one saturated process decides the flag even when another was not watched', () => {
    const busy: DriverHealth = { ...healthy, cpuPct: 99 };
    const d = driverMetrics([busy, { windowS: 0, rssMb: 1 }]);
    assert.equal(d.saturated, true);
    assert.equal(scalarValue(d.metrics, 'driver.saturated'), 1);
  });

  it('every process watched: the worst of each figure, and a known flag', () => {
    const d = driverMetrics([healthy, { ...healthy, cpuPct: 60 }]);
    assert.equal(d.saturated, false);
    assert.equal(scalarValue(d.metrics, 'driver.cpu'), 60);
    assert.equal(scalarValue(d.metrics, 'driver.saturated'), 0);
    assert.deepEqual(absentFigures('r', d.metrics), []);
  });

  it('no process at all is not a healthy driver', () => {
    assert.equal(driverMetrics([]).saturated, undefined);
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
