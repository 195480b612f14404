// The driver-health figures every scenario reports: the worst load process's event-loop delay and CPU.
// The worst of several is known only when every process's is: one process not watched may be the worst,
// so its figure is then not measured (with the reason), and the saturated flag is unknown unless a
// watched process was saturated (that alone decides it).
import { isSaturated, type DriverHealth } from './driver-health.ts';
import { scalar, scalarOr, unmeasured, type Metric } from './metrics.ts';

export interface DriverFigures {
  metrics: Metric[];
  /** undefined: unknown (a process's health was not measured, and none measured was saturated). */
  saturated: boolean | undefined;
}

/** Why the driver's health is unknown: each unwatched process and its reason; undefined when all were watched. */
export function driverUnknownReason(health: readonly DriverHealth[]): string | undefined {
  if (health.length === 0) return 'no load process reported its health';
  const unknown = health.flatMap((h, i) => (h.eventLoopDelayMs === undefined || h.cpuPct === undefined ? [`process ${i}: ${h.notMeasured ?? 'no samples'}`] : []));
  return unknown.length > 0 ? `driver health not measured: ${unknown.join('; ')}` : undefined;
}

export function driverMetrics(health: readonly DriverHealth[]): DriverFigures {
  const why = driverUnknownReason(health);
  const worst = (f: (h: DriverHealth) => number | undefined): number | undefined => {
    const values = health.map(f);
    return values.length === 0 || values.some((v) => v === undefined) ? undefined : Math.max(...(values as number[]));
  };
  const verdicts = health.map(isSaturated);
  const saturated = verdicts.includes(true) ? true : verdicts.length === 0 || verdicts.includes(undefined) ? undefined : false;
  const reason = why ?? 'no load process reported its health';
  return {
    saturated,
    metrics: [
      scalarOr('driver.event_loop_delay_p50', 'ms', worst((h) => h.eventLoopDelayMs?.p50), reason),
      scalarOr('driver.event_loop_delay_p99', 'ms', worst((h) => h.eventLoopDelayMs?.p99), reason),
      scalarOr('driver.event_loop_delay_max', 'ms', worst((h) => h.eventLoopDelayMs?.max), reason),
      scalarOr('driver.cpu', '% of one core', worst((h) => h.cpuPct), reason),
      saturated === undefined ? unmeasured('driver.saturated', 'flag', reason) : scalar('driver.saturated', 'flag', saturated ? 1 : 0),
    ],
  };
}
