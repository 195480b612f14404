// The throughput scenario's figures from what every load process reported, merged: request latency,
// requests per second, and what each request cost in CPU on the client and on the servers.
import type { DriverHealth } from './driver-health.ts';
import { driverMetrics } from './driver-metrics.ts';
import { mergeEncoded } from './histogram.ts';
import { distribution, scalar, type Metric, errorMetrics } from './metrics.ts';
import { openLoopFigures } from './open-loop.ts';
import { addPacerCounts, emptyPacerCounts } from './pacer.ts';
import type { ThroughputWorkerReport } from './throughput-recorder.ts';

export interface ThroughputMeasurement {
  reports: readonly ThroughputWorkerReport[];
  health: readonly DriverHealth[];
  /** Length of the measured window, s. */
  windowS: number;
  /** CPU seconds the servers spent during the measured window; undefined when their processes are unknown. */
  serverCpuS: number | undefined;
  sessionsExpired: number;
  /** Open loop: the target rate over every client, ops/s; undefined: closed loop. */
  targetRate?: number;
}

export interface ThroughputOutcome {
  metrics: Metric[];
  driverSaturated: boolean;
  notes: string[];
}

export function throughputMetrics(m: ThroughputMeasurement): ThroughputOutcome {
  const ops = m.reports.reduce((s, r) => s + r.ops, 0);
  // Client CPU over the window (each process's share of a core times the window) per request.
  const clientCpuS = m.health.reduce((s, h) => s + (h.cpuPct / 100) * h.windowS, 0);
  const perRequestUs = (cpuS: number | undefined): number => (cpuS === undefined || ops === 0 ? Number.NaN : (cpuS * 1e6) / ops);
  const driver = driverMetrics(m.health);
  const open =
    m.targetRate === undefined
      ? undefined
      : openLoopFigures(
          m.reports.reduce((sum, r) => (r.pacer ? addPacerCounts(sum, r.pacer) : sum), emptyPacerCounts()),
          m.targetRate,
          m.windowS,
        );
  return {
    driverSaturated: driver.saturated,
    notes: open?.notes ?? [],
    metrics: [
      distribution('latency', mergeEncoded(m.reports.map((r) => r.latency))),
      ...(open ? [distribution('service_time', mergeEncoded(m.reports.flatMap((r) => r.serviceTime ?? [])))] : []),
      ...(open?.metrics ?? []),
      scalar('throughput', 'requests/s', m.windowS > 0 ? ops / m.windowS : Number.NaN),
      scalar('requests', 'count', ops),
      scalar('client_cpu_per_request', 'µs', perRequestUs(clientCpuS)),
      scalar('server_cpu_per_request', 'µs', perRequestUs(m.serverCpuS)),
      ...errorMetrics(m.reports),
      scalar('sessions_expired', 'count', m.sessionsExpired),
      ...driver.metrics,
    ],
  };
}
