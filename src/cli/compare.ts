// `zkbench compare A B [C ...]`: runs side by side with ratios to the first; or, with --recipes, the
// recipes of one run side by side. --fail-on rules turn regressions into a dedicated exit code.
import { checkComparable, compareColumns, findBreaches, recipeColumns, type Breach, type Column } from '../compare/compare.ts';
import { gateExit, outcomeCounts } from '../compare/gate.ts';
import { breachLines, formatComparison, type Format } from '../compare/format.ts';
import { readColumn } from '../compare/read-summary.ts';
import { RuleError } from '../compare/rules.ts';
import { DISTRIBUTION_STATS, type Stat } from '../measure/metric-catalog.ts';
import { parseRule } from '../scenarios/catalog.ts';

export interface CompareArgs {
  runs: string[];
  recipes: string[] | undefined;
  format: Format;
  failOn: string[];
  stats: string[];
}

export function compareCommand(args: CompareArgs): number {
  const rules = args.failOn.map(parseRule);
  for (const s of args.stats) {
    if (!(DISTRIBUTION_STATS as readonly string[]).includes(s)) throw new RuleError(`--stats: unknown statistic "${s}"; allowed: ${DISTRIBUTION_STATS.join(', ')}`);
  }
  let columns: Column[];
  if (args.recipes) {
    if (args.runs.length !== 1) throw new RuleError('--recipes compares the recipes of one run: name exactly one run');
    if (rules.some((r) => r.recipe !== undefined)) throw new RuleError('with --recipes the recipes are the columns: rules must not name a recipe');
    columns = recipeColumns(readColumn(args.runs[0]!), args.recipes);
  } else {
    if (args.runs.length < 2) throw new RuleError('name at least two runs to compare (or one run with --recipes a,b)');
    columns = args.runs.map(readColumn);
  }
  checkComparable(columns);
  const rows = compareColumns(columns, args.stats as Stat[]);
  const { breaches, notes } = findBreaches(columns, rules);
  process.stdout.write(formatComparison(columns.map((c) => c.label), rows, breaches, args.format));
  for (const n of notes) process.stderr.write(`note: ${n}\n`);
  if (breaches.length > 0) {
    // On stderr too, whatever the format: a machine-readable stdout must not hide what failed.
    if (args.format !== 'table') for (const l of breachLines(breaches)) process.stderr.write(`${l}\n`);
    process.stderr.write(`fail_on: ${ruleOutcomes(breaches)}\n`);
  }
  return gateExit(breaches);
}

/** "1 breach, 1 not measured (...) of 2 rule(s)": what the rules' gates that did not pass concluded. */
export function ruleOutcomes(breaches: readonly Breach[]): string {
  const counts = outcomeCounts(breaches.map((b) => ({ ...b, reason: b.detail })));
  return `${counts.join(', ')} of ${new Set(breaches.map((b) => b.rule)).size} rule(s)`;
}
