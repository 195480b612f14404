// `zkbench compare A B [C ...]`: runs side by side with ratios to the first; or, with --recipes, the
// recipes of one run side by side. Table and Markdown show each workload's headline figures, those its
// scenario leads with (the catalog hands them down); --all-figures, CSV and JSON every figure. A side may
// be a repeat set (bench --repeat N): its column shows the medians, and relative rules are judged against
// the spread of its repeats (compare/noise.ts). Runs that measured different things are refused (exit 7)
// unless --allow-incomparable; --fail-on rules turn regressions into exit 4, whether their figure is shown or not.
import { checkComparable, compareColumns, findBreaches, recipeColumns, type Breach, type Column } from '../compare/compare.ts';
import { gateExit, outcomeCounts } from '../compare/gate.ts';
import { breachLines, formatComparison, type Format } from '../compare/format.ts';
import { headlineView, type WorkloadFigures } from '../compare/headline.ts';
import { readSide, type Side } from '../compare/read-summary.ts';
import { RuleError } from '../compare/rules.ts';
import { comparabilityProblems, sideColumn } from '../compare/sides.ts';
import { DISTRIBUTION_STATS, type Stat } from '../measure/metric-catalog.ts';
import { EXIT } from '../process/exit-codes.ts';
import { headlineFigures, parseRule } from '../scenarios/catalog.ts';

export interface CompareArgs {
  runs: string[];
  recipes: string[] | undefined;
  format: Format;
  failOn: string[];
  stats: string[];
  /** Compare runs that differ in settings, or are interrupted or partial, with a warning naming each difference. */
  allowIncomparable?: boolean;
  /** Table and Markdown list every figure, not each scenario's headline figures. */
  allFigures?: boolean;
}

export interface ComparisonOptions {
  recipes: string[] | undefined;
  format: Format;
  failOn: string[];
  stats: string[];
  allowIncomparable: boolean;
  /** Every figure in table and Markdown too (default: each scenario's headline figures). */
  allFigures?: boolean;
}

/** Each workload's scenario, as the sides' run.json files name it (the first that does), and its headline figures. */
export function workloadFigures(sides: readonly Side[]): (workload: string) => WorkloadFigures {
  const scenarios = new Map<string, string>();
  for (const side of sides) {
    for (const run of side.runs) for (const s of run.settings ?? []) if (!scenarios.has(s.workload) && s.scenario !== 'unknown') scenarios.set(s.workload, s.scenario);
  }
  return (workload) => {
    const scenario = scenarios.get(workload);
    return { scenario, figures: scenario === undefined ? undefined : headlineFigures(scenario) };
  };
}

/** What a comparison prints and its exit code; the command writes it out. */
export interface ComparisonOutput {
  code: number;
  stdout: string;
  stderr: string;
}

/** The lines that refuse (or, allowed, warn about) runs that are not comparable. */
export function incomparableLines(problems: readonly string[], allowed: boolean): string[] {
  if (problems.length === 0) return [];
  const lines = problems.map((p) => `not comparable: ${p}`);
  return allowed
    ? [`WARNING: these runs are NOT COMPARABLE (${problems.length} difference(s)); compared anyway (--allow-incomparable): the ratios mix the differences with any change in the code`, ...lines]
    : [...lines, `refused: ${problems.length} difference(s) between what the runs measured; compare runs of the same settings, or pass --allow-incomparable to compare them anyway`];
}

/** The comparison of sides already read: the whole of `compare` but reading and writing. */
export function compareSides(sides: readonly Side[], o: ComparisonOptions): ComparisonOutput {
  const rules = o.failOn.map(parseRule);
  for (const s of o.stats) {
    if (!(DISTRIBUTION_STATS as readonly string[]).includes(s)) throw new RuleError(`--stats: unknown statistic "${s}"; allowed: ${DISTRIBUTION_STATS.join(', ')}`);
  }
  let columns: Column[];
  if (o.recipes) {
    if (sides.length !== 1) throw new RuleError('--recipes compares the recipes of one run: name exactly one run');
    if (rules.some((r) => r.recipe !== undefined)) throw new RuleError('with --recipes the recipes are the columns: rules must not name a recipe');
    columns = recipeColumns(sideColumn(sides[0]!), o.recipes);
  } else {
    if (sides.length < 2) throw new RuleError('name at least two runs to compare (or one run with --recipes a,b)');
    columns = sides.map(sideColumn);
  }
  checkComparable(columns);
  const problems = comparabilityProblems(sides);
  const warning = incomparableLines(problems, o.allowIncomparable);
  if (problems.length > 0 && !o.allowIncomparable) return { code: EXIT.notComparable, stdout: '', stderr: lines(warning) };
  const rows = compareColumns(columns, o.stats as Stat[]);
  const { breaches, notes, withinNoise, noNoiseEstimate } = findBreaches(columns, rules);
  // The warning heads a table or Markdown (so a saved comparison carries it); beside CSV or JSON, stderr.
  const humanReadable = o.format === 'table' || o.format === 'markdown';
  const view = o.allFigures ? undefined : headlineView(columns, workloadFigures(sides), o.recipes ? 'recipes' : 'runs');
  const stdout = (humanReadable ? lines(warning) : '') + formatComparison(columns.map((c) => c.label), rows, breaches, o.format, view);
  const err = [...(humanReadable ? [] : warning), ...(noNoiseEstimate ? [`note: ${noNoiseEstimate}`] : []), ...withinNoise, ...notes.map((n) => `note: ${n}`)];
  if (breaches.length === 0) return { code: EXIT.ok, stdout, stderr: lines(err) };
  // On stderr too, whatever the format: a machine-readable stdout must not hide what failed.
  if (o.format !== 'table') err.push(...breachLines(breaches));
  err.push(`fail_on: ${ruleOutcomes(breaches)}`);
  return { code: gateExit(breaches), stdout, stderr: lines(err) };
}

/** "1 breach, 1 not measured (...) of 2 rule(s)": what the rules' gates that did not pass concluded. */
export function ruleOutcomes(breaches: readonly Breach[]): string {
  const counts = outcomeCounts(breaches.map((b) => ({ ...b, reason: b.detail })));
  return `${counts.join(', ')} of ${new Set(breaches.map((b) => b.rule)).size} rule(s)`;
}

const lines = (ls: readonly string[]): string => ls.map((l) => `${l}\n`).join('');

export function compareCommand(args: CompareArgs): number {
  const sides = args.runs.map(readSide);
  const out = compareSides(sides, { recipes: args.recipes, format: args.format, failOn: args.failOn, stats: args.stats, allowIncomparable: args.allowIncomparable ?? false, allFigures: args.allFigures ?? false });
  process.stdout.write(out.stdout);
  process.stderr.write(out.stderr);
  return out.code;
}
