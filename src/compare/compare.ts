// Comparing runs (or the recipes of one run): aligned figures with their ratio to the first column, the
// baseline, and the rules they breach.
import type { Stat } from '../measure/metric-catalog.ts';
import type { GateOutcome } from '../results/run-record.ts';
import type { SummaryRow } from '../results/summary-csv.ts';
import { seriesMatches, seriesName } from '../results/series.ts';
import { isEmptyDistribution, pairKey, ratioTo, rowKey, selectRows, statOf, unitOfStat } from './figures.ts';
import { withUnit } from './gate.ts';
import { judgeRelative, median, type RelativeVerdict } from './noise.ts';
import { figureName, holds, percentChange, RuleError, type Rule } from './rules.ts';

/** One column of a comparison: a run, or one recipe of a run. */
export interface Column {
  label: string;
  /** What the column shows: the run's rows, or the median of its repeats' (sides.ts). */
  rows: SummaryRow[];
  /** Each repeat's rows, when the column stands for several runs; rules judge these, not the medians. */
  repeats?: readonly (readonly SummaryRow[])[];
}

export interface ComparisonRow {
  workload: string;
  recipe: string;
  metric: string;
  stat: Stat;
  unit: string;
  values: (number | undefined)[];
  /** value / baseline value per column; the baseline's own ratio is 1. */
  ratios: (number | undefined)[];
}

/** A gate of a comparison rule that did not pass, in one column after the baseline. */
export interface Breach {
  rule: string;
  column: string;
  workload: string;
  recipe: string;
  figure: string;
  baseline: number | undefined;
  value: number | undefined;
  /** What the gate concluded (gate.ts): a breach, or what kept it from judging. */
  outcome: Exclude<GateOutcome, 'pass'>;
  /** The rule was marked optional: a "not measured" outcome is reported and does not fail. */
  optional?: boolean;
  /** Human-readable, e.g. "231 → 300 ms (+29.9%)", or why the figure could not be judged. */
  detail: string;
}

export const DEFAULT_STATS: readonly Stat[] = ['p50', 'p99', 'max'];

export class NothingToCompareError extends Error {
  override readonly name = 'NothingToCompareError';
}

function contents(c: Column): string {
  const list = (k: 'workload' | 'recipe'): string => [...new Set(c.rows.map((r) => (k === 'recipe' ? seriesName(r) : r[k])))].filter(Boolean).join(', ') || 'none';
  return `${c.label}: workloads ${list('workload')}; recipes ${list('recipe')}`;
}

/**
 * Every column after the baseline must share at least one (workload, recipe) with it: a column that
 * shares none would print as a table of empty cells. Names what each input holds.
 */
export function checkComparable(columns: readonly Column[]): void {
  const [baseline, ...candidates] = columns;
  if (!baseline) return;
  const basePairs = new Set(baseline.rows.map(pairKey));
  const apart = candidates.filter((c) => !c.rows.some((r) => basePairs.has(pairKey(r))));
  if (apart.length === 0) return;
  throw new NothingToCompareError(
    `nothing to compare: ${apart.map((c) => c.label).join(', ')} ${apart.length === 1 ? 'has' : 'have'} no (workload, recipe) in common with ${baseline.label}\n` +
      [baseline, ...apart].map((c) => `  ${contents(c)}`).join('\n'),
  );
}

/**
 * The recipes of one run side by side: each becomes a column, the recipe field of its rows is cleared. A
 * series (`data-watch@1000`) names one point of a watcher sweep; a swept recipe's points stay apart by
 * their watchers column.
 */
export function recipeColumns(run: Column, recipes: readonly string[]): Column[] {
  if (recipes.length < 2) throw new RuleError('--recipes needs at least two recipes: the first is the baseline the others are compared with');
  const ofRecipe = (rows: readonly SummaryRow[], recipe: string): SummaryRow[] =>
    rows.filter((r) => seriesMatches(recipe, r)).map((r) => ({ ...r, recipe: '', watchers: recipe === r.recipe ? r.watchers : undefined }));
  return recipes.map((recipe) => {
    const rows = ofRecipe(run.rows, recipe);
    if (rows.length === 0) throw new RuleError(`${run.label} has no recipe "${recipe}" (it has: ${[...new Set(run.rows.map((r) => seriesName(r)))].join(', ')})`);
    return { label: recipe, rows, ...(run.repeats ? { repeats: run.repeats.map((rs) => ofRecipe(rs, recipe)) } : {}) };
  });
}

export function compareColumns(columns: readonly Column[], stats: readonly Stat[] = DEFAULT_STATS): ComparisonRow[] {
  const byKey = columns.map((c) => new Map(c.rows.map((r) => [rowKey(r), r])));
  const order: SummaryRow[] = [];
  const seen = new Set<string>();
  for (const c of columns) {
    for (const r of c.rows) {
      if (!seen.has(rowKey(r))) {
        seen.add(rowKey(r));
        order.push(r);
      }
    }
  }
  const out: ComparisonRow[] = [];
  for (const first of order) {
    const isDistribution = first.dist !== undefined; // an empty distribution still has its count (0)
    for (const stat of isDistribution ? stats.filter((s) => s !== 'value') : (['value'] as const)) {
      const values = byKey.map((m) => {
        const r = m.get(rowKey(first));
        return r ? statOf(r, stat) : undefined;
      });
      const base = values[0];
      out.push({
        workload: first.workload,
        recipe: seriesName(first),
        metric: first.metric,
        stat,
        unit: unitOfStat(first, stat),
        values,
        ratios: values.map((v) => ratioTo(base, v)),
      });
    }
  }
  return out;
}

/** "231 → 300 ms (+29.9%)"; a side without a figure is "none", and the other keeps its unit ("90 ms → none"). */
function describe(base: number | undefined, value: number | undefined, unit: string): string {
  if (base === undefined || value === undefined) {
    const f = (v: number | undefined) => (v === undefined ? 'none' : withUnit(v, unit));
    return `${f(base)} → ${f(value)}`;
  }
  return `${fig(base)} → ${withUnit(value, unit)} (${formatChange(percentChange(base, value))})`;
}

export function formatChange(pct: number): string {
  if (!Number.isFinite(pct)) return pct > 0 ? '+inf%' : '-inf%';
  return `${pct >= 0 ? '+' : ''}${pct.toFixed(1)}%`;
}

export interface RuleCheck {
  /** Every gate that did not pass: breaches, and figures not measured or censored (see Breach.outcome). */
  breaches: Breach[];
  /** Figures a rule could not judge for want of a baseline figure, said rather than skipped silently. */
  notes: string[];
  /** Relative rules whose plain change would breach but stays within the baseline's measured spread. */
  withinNoise: string[];
  /** Said when a relative rule was judged without a noise estimate (the baseline is one run). */
  noNoiseEstimate: string | undefined;
}

const repeatsOf = (c: Column): readonly (readonly SummaryRow[])[] => c.repeats ?? [c.rows];

/** The rule's statistic of one figure in each repeat that measured it. */
function valuesIn(repeats: readonly (readonly SummaryRow[])[], key: string, rule: Rule): number[] {
  const out: number[] = [];
  for (const rows of repeats) {
    const row = selectRows(rows, rule).find((r) => rowKey(r) === key); // selectRows: implicit errors.<CODE> rows too
    const v = row && !isEmptyDistribution(row) ? statOf(row, rule.stat) : undefined;
    if (v !== undefined && !Number.isNaN(v)) out.push(v);
  }
  return out;
}

const fig = (v: number): string => String(Number(v.toPrecision(4)));

/** "231 → 300 ms (+29.9%)" for one run a side; with repeats, the medians and the baseline's range. */
function describeVerdict(v: RelativeVerdict, unit: string): string {
  if (!v.noiseEstimated) {
    const runs = v.candidate.runs > 1 ? ` (median of ${v.candidate.runs} runs)` : '';
    return `${describe(v.baseline.median, v.candidate.median, unit)}${runs}`;
  }
  return (
    `median ${fig(v.baseline.median)} → ${withUnit(v.candidate.median, unit)} (${formatChange(v.changePct)}); ` +
    `baseline range ${fig(v.baseline.min)}–${withUnit(v.baseline.max, unit)} over ${v.baseline.runs} runs, ` +
    `candidate ${v.candidate.runs} run(s): ${formatChange(v.beyondRangePct)} from the baseline's ${v.edge}`
  );
}

/** Why a row's figure cannot be judged: missing, empty or NaN; undefined when it has a value. */
function missingReason(row: SummaryRow | undefined, stat: Stat): string | undefined {
  if (!row) return 'no such figure in this run';
  if (isEmptyDistribution(row)) return 'no samples in this run';
  const v = statOf(row, stat);
  return v === undefined || Number.isNaN(v) ? 'no value in this run' : undefined;
}

/**
 * What makes a figure a lower bound for a rule: its censored cases in the candidate, and for a relative
 * rule in the baseline too (a change between lower bounds is no change one can state). Empty when none, or
 * when the rule allows censoring.
 */
function censoredSides(rule: Rule, sides: readonly { row: SummaryRow | undefined; label: string }[]): string[] {
  if (rule.allowCensored) return [];
  return (rule.relative ? sides : sides.slice(0, 1))
    .filter(({ row }) => (row?.censored ?? 0) > 0)
    .map(({ row, label }) => `${row!.censored} of ${row!.dist?.count ?? '?'} observations in ${label} did not end inside their window`);
}

const LOWER_BOUND = 'so the figure is a lower bound (add allow-censored to judge it anyway)';

/**
 * Every gate of every rule on every column after the baseline that did not pass (gate.ts). A figure empty,
 * NaN or absent in a candidate is "not measured"; one with censored cases (in the candidate, or for a
 * relative rule in the baseline) is "censored" unless the rule allows it. A relative rule is judged by
 * noise.ts over the repeats of both sides; an absolute rule on each repeat of the candidate (a violation in
 * any run is a violation). A rule that matched no figure at all is an error (it would otherwise pass
 * without checking anything), unless it is optional.
 */
export function findBreaches(columns: readonly Column[], rules: readonly Rule[]): RuleCheck {
  const check: RuleCheck = { breaches: [], notes: [], withinNoise: [], noNoiseEstimate: undefined };
  const [baseline, ...candidates] = columns;
  if (!baseline) return check;
  const baseRepeats = repeatsOf(baseline);
  const baseByKey = new Map(baseline.rows.map((r) => [rowKey(r), r]));
  if (rules.some((r) => r.relative) && candidates.length > 0 && baseRepeats.length < 2) {
    check.noNoiseEstimate =
      `no noise estimate: the baseline ${baseline.label} is one run, so a relative rule judges the plain change between ` +
      `single figures, and run-to-run noise alone can breach it. Repeat the baseline and the candidate (bench --repeat N, N >= 3) to judge changes against their spread`;
  }
  for (const rule of rules) {
    let judged = 0;
    const noBaseline: string[] = [];
    for (const col of candidates) {
      const repeats = repeatsOf(col);
      const fail = (row: SummaryRow, base: number | undefined, value: number | undefined, outcome: Breach['outcome'], detail: string, repeat?: number): void => {
        const column = repeat === undefined || repeats.length === 1 ? col.label : `${col.label} run ${repeat + 1}`;
        check.breaches.push({
          rule: rule.text, column, workload: row.workload, recipe: seriesName(row), figure: figureName(rule), baseline: base, value, outcome, detail,
          ...(rule.optional ? { optional: true } : {}),
        });
      };
      if (rule.relative) {
        for (const row of selectRows(col.rows, rule)) {
          const where = `${row.workload}${seriesName(row) ? ` / ${seriesName(row)}` : ''}`;
          const key = rowKey(row);
          const baseValues = valuesIn(baseRepeats, key, rule);
          if (baseValues.length === 0) {
            noBaseline.push(where);
            continue;
          }
          judged++;
          const values = valuesIn(repeats, key, rule);
          const missing = values.length === 0 ? (missingReason(row, rule.stat) ?? 'no figure in this run') : undefined;
          if (missing !== undefined) {
            fail(row, median(baseValues), undefined, 'not measured', `${describe(median(baseValues), undefined, unitOfStat(row, rule.stat))}: ${missing}`);
            continue;
          }
          const censored = censoredSides(rule, [{ row, label: col.label }, { row: baseByKey.get(key), label: baseline.label }]);
          if (censored.length > 0) {
            fail(row, median(baseValues), median(values), 'censored', `${describe(median(baseValues), median(values), unitOfStat(row, rule.stat))}: ${censored.join('; ')}, ${LOWER_BOUND}`);
            continue;
          }
          const verdict = judgeRelative(baseValues, values, rule.op, rule.amount);
          if (verdict.breach) fail(row, verdict.baseline.median, verdict.candidate.median, 'breach', describeVerdict(verdict, unitOfStat(row, rule.stat)));
          else if (verdict.noiseEstimated && holds(verdict.changePct, rule.op, rule.amount)) {
            check.withinNoise.push(`within noise, not a breach: ${rule.text}: ${col.label}, ${where} ${figureName(rule)} ${describeVerdict(verdict, unitOfStat(row, rule.stat))}`);
          }
        }
        continue;
      }
      repeats.forEach((rows, i) => {
        for (const row of selectRows(rows, rule)) {
          judged++;
          const baseValues = valuesIn(baseRepeats, rowKey(row), rule);
          const base = baseValues.length > 0 ? median(baseValues) : undefined;
          const missing = missingReason(row, rule.stat);
          if (missing !== undefined) {
            fail(row, base, undefined, 'not measured', `${describe(base, undefined, unitOfStat(row, rule.stat))}: ${missing}`, i);
            continue;
          }
          const value = statOf(row, rule.stat)!;
          const censored = censoredSides(rule, [{ row, label: col.label }]);
          if (censored.length > 0) {
            fail(row, base, value, 'censored', `${describe(base, value, unitOfStat(row, rule.stat))}: ${censored.join('; ')}, ${LOWER_BOUND}`, i);
            continue;
          }
          if (holds(value, rule.op, rule.amount)) fail(row, base, value, 'breach', describe(base, value, unitOfStat(row, rule.stat)), i);
        }
      });
    }
    if (noBaseline.length > 0) check.notes.push(`rule "${rule.text}": no baseline figure for ${noBaseline.join(', ')}`);
    if (judged === 0 && candidates.length > 0) {
      const why = noBaseline.length > 0 ? ` (the baseline lacks ${noBaseline.join(', ')})` : ` (no ${rule.recipe ? `${rule.recipe} ` : ''}${rule.metric} rows)`;
      if (!rule.optional) throw new RuleError(`rule "${rule.text}" matches no figure it could judge in the compared runs${why}`);
      for (const col of candidates) {
        check.breaches.push({
          rule: rule.text, column: col.label, workload: '', recipe: rule.recipe ?? '', figure: figureName(rule), baseline: undefined, value: undefined,
          outcome: 'not measured', optional: true, detail: `no figure to judge${why}`,
        });
      }
    }
  }
  return check;
}
