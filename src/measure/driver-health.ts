// Is the load generator itself the bottleneck? Each load process watches its own event-loop delay and
// CPU over the measured window (from its start to the end of contention); a late loop stamps events
// late and so inflates every latency it records.
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { monotonicClock, type Clock } from './clock.ts';

export interface DriverHealth {
  /** Event-loop delay beyond the sampling interval, ms; undefined when the monitor took no samples. */
  eventLoopDelayMs?: { p50: number; p99: number; max: number; mean: number } | undefined;
  /** CPU time of this process over the window as % of one core (100 = one core busy); undefined without a window. */
  cpuPct?: number | undefined;
  windowS: number;
  rssMb: number;
  /** Why the delay or the CPU is undefined (the monitor never started, or took no samples). */
  notMeasured?: string | undefined;
}

/** Thresholds beyond which figures are labelled as measured with a saturated driver. */
export const SATURATION = { eventLoopDelayP99Ms: 10, cpuPct: 85 } as const;

/**
 * True when a figure is over its threshold, false when both are known and under, undefined (unknown)
 * when neither is over and one could not be measured: a driver not watched is not a healthy one.
 */
export function isSaturated(h: DriverHealth): boolean | undefined {
  const delay = h.eventLoopDelayMs?.p99;
  if ((delay ?? 0) > SATURATION.eventLoopDelayP99Ms || (h.cpuPct ?? 0) > SATURATION.cpuPct) return true;
  return delay === undefined || h.cpuPct === undefined ? undefined : false;
}

/** Human-readable reasons, empty when healthy; a worker whose health is unknown says why. */
export function saturationReasons(workers: readonly DriverHealth[]): string[] {
  const reasons: string[] = [];
  workers.forEach((h, i) => {
    const delay = h.eventLoopDelayMs?.p99;
    if (delay !== undefined && delay > SATURATION.eventLoopDelayP99Ms)
      reasons.push(`worker ${i} event-loop delay p99 ${delay.toFixed(1)} ms > ${SATURATION.eventLoopDelayP99Ms} ms`);
    if (h.cpuPct !== undefined && h.cpuPct > SATURATION.cpuPct) reasons.push(`worker ${i} CPU ${h.cpuPct.toFixed(0)}% > ${SATURATION.cpuPct}% of a core`);
    if (isSaturated(h) === undefined) reasons.push(`worker ${i} not measured: ${h.notMeasured ?? 'no samples'}`);
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
    const rssMb = process.memoryUsage.rss() / 2 ** 20;
    if (this.cpuStart === undefined) {
      return { windowS: 0, rssMb, notMeasured: 'the load process\'s health monitor never started (the run ended before its measured window began)' };
    }
    this.delay.disable();
    const cpu = this.cpuUsage(this.cpuStart);
    const wallUs = Number(this.clock() - this.wallStart) / 1000;
    // Node records the time between samples, i.e. the interval itself plus the delay.
    const ms = (ns: number): number => Math.max(0, ns / 1e6 - SAMPLE_MS);
    const delayMeasured = this.delay.count > 0 && Number.isFinite(this.delay.max);
    const delay = delayMeasured
      ? { p50: ms(this.delay.percentile(50)), p99: ms(this.delay.percentile(99)), max: ms(this.delay.max), mean: ms(this.delay.mean) }
      : undefined;
    const cpuPct = wallUs > 0 ? (100 * (cpu.user + cpu.system)) / wallUs : undefined;
    const why = [
      ...(delay === undefined ? [`the event-loop delay monitor took no samples in ${(wallUs / 1000).toFixed(1)} ms (it samples every ${SAMPLE_MS} ms)`] : []),
      ...(cpuPct === undefined ? ['the measured window had no length, so no CPU share'] : []),
    ];
    return { eventLoopDelayMs: delay, cpuPct, windowS: wallUs / 1e6, rssMb, ...(why.length > 0 ? { notMeasured: why.join('; ') } : {}) };
  }
}
