// Judging a relative rule against the run-to-run noise (docs/comparing-runs.md). Pure: numbers in,
// verdict out, so the method is unit-tested on its own.
//
// Method "median outside the widened baseline range": with several runs of the baseline, its spread is
// the range [min, max] of its repeats. A rule "figure > +X%" breaches only when the candidate's median
// exceeds the baseline's max by more than X% (for "< -X%": falls below its min by more than X%). Noise
// alone that stays within what the baseline's own repeats showed never breaches, and the rule's margin
// is counted on top of that spread. With one baseline run there is no spread: the range is one point and
// the rule is the plain change between the two values, which noise alone can breach.
import { holds, percentChange, type Op } from './rules.ts';

export const NOISE_METHOD = 'median outside the baseline range widened by the margin';

/** Values sorted ascending, without NaN. */
function sorted(values: readonly number[]): number[] {
  return values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
}

/** The median (mean of the middle two for an even count); NaN for no values. */
export function median(values: readonly number[]): number {
  const s = sorted(values);
  if (s.length === 0) return NaN;
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export interface Spread {
  runs: number;
  min: number;
  max: number;
  median: number;
  /** (max - min) / |median| in %: how far apart the repeats were; 0 for one run. */
  relativePct: number;
}

export function spread(values: readonly number[]): Spread {
  const s = sorted(values);
  const m = median(s);
  const min = s[0] ?? NaN;
  const max = s.at(-1) ?? NaN;
  return { runs: s.length, min, max, median: m, relativePct: m === 0 ? (max === min ? 0 : Infinity) : ((max - min) / Math.abs(m)) * 100 };
}

export interface RelativeVerdict {
  breach: boolean;
  /** Median to median, in %: what the change looks like. */
  changePct: number;
  /** From the edge of the baseline range the rule points to (its max for >, its min for <), in %: what is judged. */
  beyondRangePct: number;
  /** The baseline figure the candidate's median is judged from. */
  edge: 'max' | 'min' | 'median';
  /** False when the baseline has one run: its range is a point and noise is unknown. */
  noiseEstimated: boolean;
  baseline: Spread;
  candidate: Spread;
}

/**
 * A relative rule (op, amount in %) over the baseline's and the candidate's repeats of one figure.
 * "==" and "!=" have no direction: they are judged on the medians' change.
 */
export function judgeRelative(baselineValues: readonly number[], candidateValues: readonly number[], op: Op, amountPct: number): RelativeVerdict {
  const baseline = spread(baselineValues);
  const candidate = spread(candidateValues);
  if (baseline.runs === 0 || candidate.runs === 0) throw new Error('judgeRelative needs at least one value on each side');
  const changePct = percentChange(baseline.median, candidate.median);
  const edge = op === '>' || op === '>=' ? 'max' : op === '<' || op === '<=' ? 'min' : 'median';
  const beyondRangePct = percentChange(baseline[edge], candidate.median);
  return { breach: holds(beyondRangePct, op, amountPct), changePct, beyondRangePct, edge, noiseEstimated: baseline.runs > 1, baseline, candidate };
}

/** Wilson score interval (95%) of a rate of k events in n trials, for the false-alarm figures. */
export function wilsonInterval(k: number, n: number, z = 1.96): { low: number; high: number } {
  if (n === 0) return { low: 0, high: 1 };
  const p = k / n;
  const d = 1 + (z * z) / n;
  const centre = (p + (z * z) / (2 * n)) / d;
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / d;
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}
