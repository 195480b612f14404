// What one acquisition costs, seen from outside the recipe, so that a library whose requests cannot be
// counted from inside (an external driver) is compared with zkbench's own recipes on the same footing:
// the servers' requests over the measured window (mntr deltas, labelled server-side) and the CPU the
// clients' processes spent, each per measured acquisition.
import { serverDeltas } from '../../ensemble/mntr-deltas.ts';
import type { ServerViewSnapshot } from '../../ensemble/server-view.ts';
import type { DriverHealth } from '../../measure/driver-health.ts';
import { scalar, unmeasured, type Metric } from '../../measure/metrics.ts';

/**
 * server_requests_per_acquire (reads + updates answered by all servers, pings and session set-up
 * included), its .reads and .updates, and server_packets_sent_per_acquire (responses plus watch
 * notifications). NaN (not measured) without a window's view, with a server whose counters are unknown,
 * or without acquisitions.
 */
export function serverCostMetrics(view: { start: ServerViewSnapshot; end: ServerViewSnapshot } | undefined, acquisitions: number): Metric[] {
  const deltas = view ? serverDeltas(view.start, view.end) : [];
  const known = deltas.length > 0 && deltas.every((d) => d.unknown === undefined) && acquisitions > 0;
  const per = (f: (d: (typeof deltas)[number]) => number): number => (known ? deltas.reduce((s, d) => s + f(d), 0) / acquisitions : Number.NaN);
  return [
    scalar('server_requests_per_acquire', 'requests/acquisition', per((d) => d.requests)),
    scalar('server_requests_per_acquire.reads', 'requests/acquisition', per((d) => d.reads)),
    scalar('server_requests_per_acquire.updates', 'requests/acquisition', per((d) => d.updates)),
    scalar('server_packets_sent_per_acquire', 'packets/acquisition', per((d) => d.packetsSent)),
  ];
}

/** driver.cpu_per_acquire: CPU ms all client processes spent over the measured window, per measured acquisition. */
export function driverCpuPerAcquire(health: readonly DriverHealth[], acquisitions: number): Metric {
  const name = 'driver.cpu_per_acquire';
  if (health.length === 0 || health.some((h) => h.cpuPct === undefined)) return unmeasured(name, 'ms/acquisition', 'a client process\'s CPU was not measured');
  if (acquisitions === 0) return unmeasured(name, 'ms/acquisition', 'no lock was acquired in the measured window');
  const cpuMs = health.reduce((s, h) => s + (h.cpuPct! / 100) * h.windowS * 1000, 0);
  return scalar(name, 'ms/acquisition', cpuMs / acquisitions);
}
