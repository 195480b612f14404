// The comparison under a workload's charts: recipes against the first recipe in each run, and runs (or
// repeat sets, bench --repeat) against the first, on the scenario's key figures. A ratio is the other's
// figure over the baseline's; with repeat sets, the median of each side and the range the ratio spans
// over the repeats (its noise). Two runs whose settings differ (compare/run-settings.ts) are not compared:
// the page says which settings differ.
import { settingDifferences, settingsOf, stateOf, stateProblems } from '../compare/run-settings.ts';
import { spread, type Spread } from '../compare/noise.ts';
import { recipesOf, summaryRowOf, type ReportRun } from './read-run.ts';
import type { KeyFigure } from '../scenarios/report-view.ts';

export interface Side {
  name: string;
  runs: ReportRun[];
}

/** Runs as sides: the repeats of one set are one side, any other run is a side of its own. */
export function sidesOf(runs: readonly ReportRun[]): Side[] {
  const sides = new Map<string, ReportRun[]>();
  for (const r of runs) {
    const key = r.repeatSet ?? r.name;
    sides.set(key, [...(sides.get(key) ?? []), r]);
  }
  return [...sides].map(([name, rs]) => ({ name, runs: rs }));
}

/** One key figure of a recipe over a side's runs. */
function valuesOf(side: Side, recipe: string, k: KeyFigure): number[] {
  return side.runs.map((r) => summaryRowOf(r, recipe, k.metric)?.[k.stat]).filter((v): v is number => v !== undefined && Number.isFinite(v));
}

export interface Ratio {
  figure: string;
  unit: string;
  recipe: string;
  baseline: Spread;
  other: Spread;
  /** other median / baseline median. */
  ratio: number;
  /** The ratio's range over the repeats (min/max .. max/min), when a side has two or more. */
  range: [number, number] | undefined;
}

function ratioOf(figure: KeyFigure, recipe: string, base: number[], other: number[]): Ratio | undefined {
  if (base.length === 0 || other.length === 0) return undefined;
  const b = spread(base);
  const o = spread(other);
  if (b.median === 0) return undefined;
  const range: [number, number] | undefined = base.length > 1 || other.length > 1 ? [o.min / b.max, o.max / b.min] : undefined;
  return { figure: figure.header, unit: figure.unit, recipe, baseline: b, other: o, ratio: o.median / b.median, range };
}

export interface SideComparison {
  baseline: string;
  other: string;
  /** Why the two cannot be compared; empty when they can. */
  notComparable: string[];
  ratios: Ratio[];
}

/** Each side against the first. */
export function compareSides(sides: readonly Side[], figures: readonly KeyFigure[]): SideComparison[] {
  const [base, ...others] = sides;
  if (!base) return [];
  return others.map((side) => {
    const problems = [
      ...settingDifferences(settingsOf(base.runs[0]!.json), settingsOf(side.runs[0]!.json)).map((d) => `different ${d}`),
      ...[...base.runs, ...side.runs].flatMap((r) => stateProblems(stateOf(r.json)).map((p) => `${r.name}: ${p}`)),
    ];
    const recipes = recipesOf(base.runs[0]!).filter((r) => recipesOf(side.runs[0]!).includes(r));
    const ratios = problems.length > 0 ? [] : recipes.flatMap((recipe) => figures.map((k) => ratioOf(k, recipe, valuesOf(base, recipe, k), valuesOf(side, recipe, k))).filter((x): x is Ratio => x !== undefined));
    return { baseline: base.name, other: side.name, notComparable: problems, ratios };
  });
}

export interface RecipeComparison {
  side: string;
  baselineRecipe: string;
  ratios: Ratio[];
}

/** Within each side: every recipe against the first (one ensemble, one run: the same conditions); the points of a sweep (recipe@watchers) against the first recipe's point at the same count. */
export function compareRecipes(sides: readonly Side[], figures: readonly KeyFigure[]): RecipeComparison[] {
  return sides.flatMap((side) => {
    const series = recipesOf(side.runs[0]!);
    const split = (s: string): [string, string] => {
      const at = s.lastIndexOf('@');
      return at < 0 ? [s, ''] : [s.slice(0, at), s.slice(at)];
    };
    const first = series[0] === undefined ? undefined : split(series[0])[0];
    if (first === undefined) return [];
    const pairs = series.filter((s) => split(s)[0] !== first).map((s) => [`${first}${split(s)[1]}`, s] as const).filter(([base]) => series.includes(base));
    const ratios = pairs.flatMap(([base, s]) => figures.map((k) => ratioOf(k, s, valuesOf(side, base, k), valuesOf(side, s, k))).filter((x): x is Ratio => x !== undefined));
    return ratios.length === 0 ? [] : [{ side: side.name, baselineRecipe: first, ratios }];
  });
}
