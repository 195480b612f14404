// Growth of a resource over a long run (a soak): the least-squares slope of its samples after a warm-up,
// per hour, with its standard error, so "grows 3 MiB/h ± 0.4" can be told from noise around a flat line.
// Pure: samples in, figures out. What could not be fitted (too few samples, no spread in time) is
// undefined, never 0.

export interface Sample {
  /** Seconds since the soak started. */
  tS: number;
  value: number;
}

export interface Growth {
  /** Units per hour (the samples' unit: MiB, fds, ...). */
  slopePerHour: number;
  /** Standard error of the slope, same unit; undefined with fewer than 3 samples. */
  stdErrPerHour: number | undefined;
  /** Samples fitted (those at or after the warm-up). */
  samples: number;
  /** The fitted line's value at the first and last fitted sample. */
  from: number;
  to: number;
}

/** The fit of the samples taken at or after `warmupS`; undefined when fewer than 2 remain or they share one time. */
export function fitGrowth(samples: readonly Sample[], warmupS: number): Growth | undefined {
  const xs = samples.filter((s) => s.tS >= warmupS && Number.isFinite(s.value));
  const n = xs.length;
  if (n < 2) return undefined;
  const mt = xs.reduce((a, s) => a + s.tS, 0) / n;
  const mv = xs.reduce((a, s) => a + s.value, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (const s of xs) {
    sxx += (s.tS - mt) ** 2;
    sxy += (s.tS - mt) * (s.value - mv);
  }
  if (sxx === 0) return undefined;
  const slope = sxy / sxx; // per second
  const intercept = mv - slope * mt;
  let stdErr: number | undefined;
  if (n >= 3) {
    const sse = xs.reduce((a, s) => a + (s.value - (intercept + slope * s.tS)) ** 2, 0);
    stdErr = Math.sqrt(sse / (n - 2) / sxx) * 3600;
  }
  const first = xs[0]!.tS;
  const last = xs[n - 1]!.tS;
  return { slopePerHour: slope * 3600, stdErrPerHour: stdErr, samples: n, from: intercept + slope * first, to: intercept + slope * last };
}

export type GrowthVerdict = 'pass' | 'fail' | 'not measured';

/**
 * Against a bound (units per hour): fail when the slope exceeds it by more than two standard errors
 * (growth that noise cannot explain), pass otherwise; not measured without a fit.
 */
export function judgeGrowth(g: Growth | undefined, boundPerHour: number): GrowthVerdict {
  if (!g) return 'not measured';
  return g.slopePerHour - 2 * (g.stdErrPerHour ?? 0) > boundPerHour ? 'fail' : 'pass';
}
