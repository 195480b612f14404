// A soak's verdict: each long-lived process's growth (resident memory in MiB/hour, open descriptors per
// hour) fitted after the warm-up (growth.ts) and judged against the bound of its kind, plus lost writes
// summed over the soak's runs. Pure: series and totals in, figures and reasons out.
import { fitGrowth, judgeGrowth, type Growth, type GrowthVerdict, type Sample } from './growth.ts';

export type ProcessKind = 'soak' | 'coordinator' | 'load' | 'driver' | 'server';
export type SoakMetric = 'rssMiB' | 'fds' | 'heapMiB';

export interface SoakBounds {
  /** Resident memory growth allowed per process kind, MiB/hour. */
  rssMiBPerHour: Record<ProcessKind, number>;
  /** Open file descriptors' growth allowed, per hour (any kind). */
  fdsPerHour: number;
  /** Lost writes allowed over the whole soak. */
  lostWrites: number;
  /**
   * The least rise over the fitted samples (slope × their span) that can fail, per figure: a short soak
   * extrapolates a small step (a JVM's code cache, a pool filling) to hundreds per hour, so below this
   * rise growth is not told from warm-up. A 30-minute soak's bound needs more rise than this anyway.
   */
  minRise: { rssMiB: number; fds: number };
  /** A process is judged only when its samples after the warm-up span at least this share of the time after the warm-up. */
  minSpanShare: number;
}

export const DEFAULT_SOAK_BOUNDS: SoakBounds = {
  rssMiBPerHour: { soak: 50, coordinator: 50, load: 50, driver: 50, server: 50 },
  fdsPerHour: 60,
  lostWrites: 0,
  minRise: { rssMiB: 16, fds: 16 },
  minSpanShare: 0.5,
};

export interface SoakSeries {
  /** e.g. "server 1 (pid 123)", "load process (pid 456)". */
  label: string;
  kind: ProcessKind;
  metric: SoakMetric;
  samples: Sample[];
}

export interface SeriesJudgement {
  label: string;
  kind: ProcessKind;
  metric: SoakMetric;
  growth: Growth | undefined;
  /** The bound applied (per hour); undefined for figures shown but not judged (heap). */
  boundPerHour: number | undefined;
  /** 'not judged' for a process that lived too short a part of the soak (its slope would be its start-up). */
  verdict: GrowthVerdict | 'not judged';
}

export interface SoakTotals {
  /** undefined: no run measured it (not 0). */
  lostWrites: number | undefined;
}

export interface SoakVerdict {
  verdict: 'pass' | 'fail' | 'not measured';
  reasons: string[];
  series: SeriesJudgement[];
}

export function judgeSoak(
  series: readonly SoakSeries[],
  totals: SoakTotals,
  window: { warmupS: number; endS: number },
  bounds: SoakBounds = DEFAULT_SOAK_BOUNDS,
): SoakVerdict {
  const reasons: string[] = [];
  const judged: SeriesJudgement[] = [];
  const needSpan = (window.endS - window.warmupS) * bounds.minSpanShare;
  for (const s of series) {
    // Each process gets its own warm-up: a server restarted by a fault, a run started late, grows while it starts.
    const warmupS = Math.max(window.warmupS, (s.samples[0]?.tS ?? 0) + window.warmupS);
    const growth = fitGrowth(s.samples, warmupS);
    const boundPerHour = s.metric === 'rssMiB' ? bounds.rssMiBPerHour[s.kind] : s.metric === 'fds' ? bounds.fdsPerHour : undefined;
    const after = s.samples.filter((x) => x.tS >= warmupS);
    const span = after.length > 1 ? after[after.length - 1]!.tS - after[0]!.tS : 0;
    let verdict: SeriesJudgement['verdict'];
    if (boundPerHour === undefined) verdict = 'not judged';
    else if (span < needSpan) verdict = 'not judged'; // lived too short a part of the soak
    else if (!growth) verdict = 'not measured';
    else verdict = judgeGrowth(growth, boundPerHour);
    const floor = s.metric === 'fds' ? bounds.minRise.fds : bounds.minRise.rssMiB;
    if (verdict === 'fail' && growth && growth.to - growth.from <= floor) verdict = 'pass';
    if (verdict === 'fail' && growth) {
      const unit = s.metric === 'fds' ? 'fds' : 'MiB';
      reasons.push(
        `${s.label} ${s.metric}: grows ${growth.slopePerHour.toFixed(1)} ± ${(growth.stdErrPerHour ?? 0).toFixed(1)} ${unit}/hour, beyond the bound of ${boundPerHour} ${unit}/hour by more than two standard errors (${(growth.to - growth.from).toFixed(1)} ${unit} over ${growth.samples} samples)`,
      );
    }
    judged.push({ label: s.label, kind: s.kind, metric: s.metric, growth, boundPerHour, verdict });
  }
  if (totals.lostWrites !== undefined && totals.lostWrites > bounds.lostWrites) {
    reasons.push(`${totals.lostWrites} lost write(s), bound ${bounds.lostWrites}`);
  }
  const anyJudged = judged.some((j) => j.verdict === 'pass' || j.verdict === 'fail');
  const verdict = reasons.length > 0 ? 'fail' : anyJudged ? 'pass' : 'not measured';
  if (verdict === 'not measured') reasons.push('no process lived long enough after the warm-up to be judged');
  return { verdict, reasons, series: judged };
}
