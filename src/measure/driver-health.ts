// Is the load generator itself the bottleneck? Each load process watches its own event-loop delay and
// CPU over the measured window (from its start to the end of contention); a late loop stamps events
// late and so inflates every latency it records.
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { monotonicClock, type Clock } from './clock.ts';

export interface DriverHealth {
  /** Event-loop delay beyond the sampling interval, ms. */
  eventLoopDelayMs: { p50: number; p99: number; max: number; mean: number };
  /** CPU time of this process over the window as % of one core (100 = one core busy). */
  cpuPct: number;
  windowS: number;
  rssMb: number;
}

/** Thresholds beyond which figures are labelled as measured with a saturated driver. */
export const SATURATION = { eventLoopDelayP99Ms: 10, cpuPct: 85 } as const;

export function isSaturated(h: DriverHealth): boolean {
  return h.eventLoopDelayMs.p99 > SATURATION.eventLoopDelayP99Ms || h.cpuPct > SATURATION.cpuPct;
}

/** Human-readable reasons, empty when healthy. */
export function saturationReasons(workers: readonly DriverHealth[]): string[] {
  const reasons: string[] = [];
  workers.forEach((h, i) => {
    if (h.eventLoopDelayMs.p99 > SATURATION.eventLoopDelayP99Ms)
      reasons.push(`worker ${i} event-loop delay p99 ${h.eventLoopDelayMs.p99.toFixed(1)} ms > ${SATURATION.eventLoopDelayP99Ms} ms`);
    if (h.cpuPct > SATURATION.cpuPct) reasons.push(`worker ${i} CPU ${h.cpuPct.toFixed(0)}% > ${SATURATION.cpuPct}% of a core`);
  });
  return reasons;
}

/** Sampling interval of the delay monitor; Node records whole intervals, so this much is subtracted. */
const SAMPLE_MS = 10;

export class DriverHealthMonitor {
  private readonly delay: IntervalHistogram;
  private cpuStart: NodeJS.CpuUsage | undefined;
  private wallStart = 0n;

  constructor(
    private readonly clock: Clock = monotonicClock,
    private readonly cpuUsage: (prev?: NodeJS.CpuUsage) => NodeJS.CpuUsage = (p) => process.cpuUsage(p),
  ) {
    this.delay = monitorEventLoopDelay({ resolution: SAMPLE_MS });
  }

  start(): void {
    this.delay.reset();
    this.delay.enable();
    this.cpuStart = this.cpuUsage();
    this.wallStart = this.clock();
  }

  stop(): DriverHealth {
    if (this.cpuStart === undefined) {
      // Never started (the run ended before its measured window began): nothing was observed.
      return { eventLoopDelayMs: { p50: 0, p99: 0, max: 0, mean: 0 }, cpuPct: 0, windowS: 0, rssMb: process.memoryUsage.rss() / 2 ** 20 };
    }
    this.delay.disable();
    const cpu = this.cpuUsage(this.cpuStart);
    const wallUs = Number(this.clock() - this.wallStart) / 1000;
    // Node records the time between samples, i.e. the interval itself plus the delay.
    const ms = (ns: number): number => (Number.isFinite(ns) ? Math.max(0, ns / 1e6 - SAMPLE_MS) : 0);
    const hasSamples = this.delay.count > 0;
    return {
      eventLoopDelayMs: {
        p50: hasSamples ? ms(this.delay.percentile(50)) : 0,
        p99: hasSamples ? ms(this.delay.percentile(99)) : 0,
        max: hasSamples ? ms(this.delay.max) : 0,
        mean: hasSamples ? ms(this.delay.mean) : 0,
      },
      cpuPct: wallUs > 0 ? (100 * (cpu.user + cpu.system)) / wallUs : 0,
      windowS: wallUs / 1e6,
      rssMb: process.memoryUsage.rss() / 2 ** 20,
    };
  }
}
