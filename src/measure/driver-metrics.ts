// The driver-health figures every scenario reports: the worst load process's event-loop delay and CPU.
import { isSaturated, type DriverHealth } from './driver-health.ts';
import { scalar, type Metric } from './metrics.ts';

export function driverMetrics(health: readonly DriverHealth[]): { metrics: Metric[]; saturated: boolean } {
  const maxOf = (f: (h: DriverHealth) => number): number => health.reduce((max, h) => Math.max(max, f(h)), 0);
  const saturated = health.some(isSaturated);
  return {
    saturated,
    metrics: [
      scalar('driver.event_loop_delay_p50', 'ms', maxOf((h) => h.eventLoopDelayMs.p50)),
      scalar('driver.event_loop_delay_p99', 'ms', maxOf((h) => h.eventLoopDelayMs.p99)),
      scalar('driver.event_loop_delay_max', 'ms', maxOf((h) => h.eventLoopDelayMs.max)),
      scalar('driver.cpu', '% of one core', maxOf((h) => h.cpuPct)),
      scalar('driver.saturated', 'flag', saturated ? 1 : 0),
    ],
  };
}
