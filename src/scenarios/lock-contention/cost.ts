// What one acquisition costs, seen from outside the recipe, so that a library whose requests cannot be
// counted from inside (an external driver) is compared with zkbench's own recipes on the same footing:
// the servers' requests over the measured window (mntr deltas, labelled server-side) and the CPU the
// clients' processes spent, each per measured acquisition.
import { meanUnknownWhy, serverDeltas } from '../../ensemble/mntr-deltas.ts';
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
  // Why not, when not: a server's counters unknown (e.g. mntr not allowed and no AdminServer) is said as such.
  const why = !view
    ? "the servers' view was not taken"
    : deltas.length === 0 || deltas.some((d) => d.unknown !== undefined)
      ? meanUnknownWhy(deltas)
      : 'no lock was acquired in the measured window';
  const per = (name: string, unit: string, f: (d: (typeof deltas)[number]) => number): Metric =>
    known ? scalar(name, unit, deltas.reduce((s, d) => s + f(d), 0) / acquisitions) : unmeasured(name, unit, why);
  return [
    per('server_requests_per_acquire', 'requests/acquisition', (d) => d.requests),
    per('server_requests_per_acquire.reads', 'requests/acquisition', (d) => d.reads),
    per('server_requests_per_acquire.updates', 'requests/acquisition', (d) => d.updates),
    per('server_packets_sent_per_acquire', 'packets/acquisition', (d) => d.packetsSent),
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
