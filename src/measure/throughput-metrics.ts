// The throughput scenario's figures from what every load process reported, merged: request latency,
// requests per second, and what each request cost in CPU on the client and on the servers.
import type { DriverHealth } from './driver-health.ts';
import { driverMetrics, driverUnknownReason } from './driver-metrics.ts';
import { mergeEncoded } from './histogram.ts';
import { distribution, scalar, scalarOr, type Metric, errorMetrics } from './metrics.ts';
import { openLoopFigures } from './open-loop.ts';
import { addPacerCounts, emptyPacerCounts } from './pacer.ts';
import type { ThroughputWorkerReport } from './throughput-recorder.ts';

export interface ThroughputMeasurement {
  reports: readonly ThroughputWorkerReport[];
  health: readonly DriverHealth[];
  /** Length of the measured window, s. */
  windowS: number;
  /** CPU seconds the servers spent during the measured window, or why that is not known (e.g. their processes are elsewhere). */
  serverCpuS: number | { notMeasured: string };
  sessionsExpired: number;
  /** Open loop: the target rate over every client, ops/s; undefined: closed loop. */
  targetRate?: number;
}

export interface ThroughputOutcome {
  metrics: Metric[];
  /** undefined: unknown (a load process's health was not measured; see run.json's notMeasured). */
  driverSaturated: boolean | undefined;
  notes: string[];
}

export function throughputMetrics(m: ThroughputMeasurement): ThroughputOutcome {
  const ops = m.reports.reduce((s, r) => s + r.ops, 0);
  // Client CPU over the window (each process's share of a core times the window) per request.
  const clientCpuS = m.health.every((h) => h.cpuPct !== undefined) ? m.health.reduce((s, h) => s + (h.cpuPct! / 100) * h.windowS, 0) : undefined;
  const driver = driverMetrics(m.health);
  const perRequest = (name: string, cpuS: number | undefined, unknown: string): Metric =>
    scalarOr(name, 'µs', cpuS === undefined || ops === 0 ? undefined : (cpuS * 1e6) / ops, ops === 0 ? 'no request completed in the measured window' : unknown);
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
      scalarOr('throughput', 'requests/s', m.windowS > 0 ? ops / m.windowS : undefined, 'the measured window had no length'),
      scalar('requests', 'count', ops),
      perRequest('client_cpu_per_request', clientCpuS, driverUnknownReason(m.health) ?? 'the load processes\' CPU is unknown'),
      perRequest('server_cpu_per_request', typeof m.serverCpuS === 'number' ? m.serverCpuS : undefined, typeof m.serverCpuS === 'number' ? '' : m.serverCpuS.notMeasured),
      ...errorMetrics(m.reports),
      scalar('sessions_expired', 'count', m.sessionsExpired),
      ...driver.metrics,
    ],
  };
}
