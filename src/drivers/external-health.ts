// A driver process's health: a load process's fields (its scheduling delay in eventLoopDelayMs, its CPU),
// plus what only a JVM has, its GC pauses in the measured window (from its -Xlog:gc log), and the figures
// those pauses give.
import type { GcPauseSummary } from '../ensemble/gc-log.ts';
import type { DriverHealth } from '../measure/driver-health.ts';
import { scalar, type Metric } from '../measure/metrics.ts';

/** The driver health with what only a JVM has: its GC pauses in the measured window. */
export type ExternalDriverHealth = DriverHealth & { gc?: GcPauseSummary };

/** A JVM driver's GC pauses in the measured window, over its processes: driver.gc_pauses and driver.gc_pause_max (ms); none for other runtimes. */
export function gcMetrics(health: readonly ExternalDriverHealth[]): Metric[] {
  const gc = health.flatMap((h) => (h.gc ? [h.gc] : []));
  if (gc.length === 0) return [];
  return [
    scalar('driver.gc_pauses', 'count', gc.reduce((n, g) => n + g.pauses, 0)),
    scalar('driver.gc_pause_max', 'ms', gc.reduce((m, g) => Math.max(m, g.longestMs ?? 0), 0)),
  ];
}

