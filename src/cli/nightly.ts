// `zkbench nightly` (npm run nightly): what the nightly CI job runs, runnable locally end to end.
// Runs a suite (nightly by default), compares it with a baseline (the previous night's results, or the
// suite's baseline kept in the repo) by the suite's fail_on rules, writes comparison.md and report.html
// into its directory, and exits 4 on a breach of those rules or of any workload threshold, 7 when tonight's
// run and the baseline are not comparable (docs/comparing-runs.md). With --repeat N both are repeat sets
// and relative rules are judged against the baseline's spread.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compareColumns, findBreaches } from '../compare/compare.ts';
import { breachLines, formatComparison } from '../compare/format.ts';
import { readSide, type Side } from '../compare/read-summary.ts';
import { comparabilityProblems, sideColumn } from '../compare/sides.ts';
import { incomparableLines } from './compare.ts';
import { parseRule, RuleError, type Rule } from '../compare/rules.ts';
import type { ThresholdResult } from '../compare/thresholds.ts';
import { loadSuite, type Suite } from '../workload/suite.ts';
import { runBenchCommand, type BenchArgs } from './bench.ts';
import { EXIT } from './exit-codes.ts';
import { parseSeriesName } from '../results/series.ts';

const BASELINES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../baselines');

export interface NightlyArgs extends Omit<BenchArgs, 'workload'> {
  suite: string;
  /** A run/suite directory, its summary.csv, or a folder holding run directories (the newest is used). */
  baseline: string | undefined;
  /** Replace the suite's fail_on rules. */
  failOn: string[];
  /** Compare with a baseline of other settings (or interrupted, partial, without run.json), warning about each difference. */
  allowIncomparable?: boolean;
}

/** A rule naming a recipe that no workload of the suite runs would only fail after the whole suite. */
function checkRulesAgainstSuite(rules: readonly Rule[], suite: Suite): void {
  const recipes = new Set(suite.entries.flatMap((e) => e.workload.recipes));
  for (const r of rules) {
    if (r.recipe !== undefined && !recipes.has(parseSeriesName(r.recipe).recipe as never)) {
      throw new RuleError(`rule "${r.text}" names ${r.recipe}, which no workload of suite ${suite.name} runs (${[...recipes].join(', ')})`);
    }
  }
}

function thresholdBreaches(dir: string): ThresholdResult[] {
  try {
    return (JSON.parse(fs.readFileSync(path.join(dir, 'suite.json'), 'utf8')) as { thresholdBreaches?: ThresholdResult[] }).thresholdBreaches ?? [];
  } catch {
    return [];
  }
}

export async function nightlyCommand(args: NightlyArgs): Promise<number> {
  // Check the rules and the baseline before spending minutes on the suite.
  const suite = loadSuite(args.suite, args.overrides);
  const rules = (args.failOn.length > 0 ? args.failOn : suite.failOn).map(parseRule);
  checkRulesAgainstSuite(rules, suite);
  const baselineArg = args.baseline ?? process.env['ZKBENCH_BASELINE'] ?? path.join(BASELINES_DIR, suite.name);
  const baseline = readSide(baselineArg);
  // A baseline that cannot stand for its settings (no run.json, cut short, mixed repeats) is refused now.
  const unusable = comparabilityProblems([baseline]);
  if (unusable.length > 0 && !args.allowIncomparable) {
    process.stderr.write(incomparableLines(unusable, false).map((l) => `${l}\n`).join(''));
    return EXIT.notComparable;
  }

  const { code, dir } = await runBenchCommand({ ...args, workload: undefined });
  if (!dir) return code;

  let verdict: number = EXIT.ok;
  if (code === EXIT.ok || code === EXIT.breach) {
    const current = readSide(dir);
    current.label = `tonight (${current.label})`;
    baseline.label = `baseline (${baseline.label})`;
    verdict = compareWithBaseline(baseline, current, rules, { suite: suite.name, baselineArg, dir, allowIncomparable: args.allowIncomparable ?? false });
  }

  // The report comes last and cannot change the verdict: a drawing problem is reported, not fatal.
  try {
    const { createReport } = await import('../report/index.ts');
    const report = await createReport([dir], path.join(dir, 'report.html'));
    for (const w of report.warnings) process.stderr.write(`report: ${w}\n`);
    process.stderr.write(`report: ${report.path}\n`);
  } catch (err) {
    process.stderr.write(`report: could not be drawn: ${(err as Error).message}\n`);
  }
  process.stdout.write(`${dir}\n`);
  if (code !== EXIT.ok && code !== EXIT.breach) return code;
  if (verdict === EXIT.notComparable) return verdict;
  return verdict === EXIT.breach || code === EXIT.breach ? EXIT.breach : EXIT.ok;
}

/**
 * Tonight against the baseline: refused (exit 7, comparison.md saying why) when they are not comparable,
 * unless allowed; else the rules, written to comparison.md and printed. Returns the comparison's exit code.
 */
function compareWithBaseline(
  baseline: Side,
  current: Side,
  rules: readonly Rule[],
  o: { suite: string; baselineArg: string; dir: string; allowIncomparable: boolean },
): number {
  const problems = comparabilityProblems([baseline, current]);
  const warning = incomparableLines(problems, o.allowIncomparable);
  if (problems.length > 0 && !o.allowIncomparable) {
    const text = [`## ${o.suite}: not compared with \`${o.baselineArg}\``, '', ...warning.map((l) => `- ${l}`), ''].join('\n');
    fs.writeFileSync(path.join(o.dir, 'comparison.md'), `${text}\n`);
    process.stdout.write(`\n${warning.join('\n')}\n`);
    return EXIT.notComparable;
  }
  const columns = [sideColumn(baseline), sideColumn(current)];
  const { breaches, notes, withinNoise, noNoiseEstimate } = findBreaches(columns, rules);
  const thresholds = thresholdBreaches(o.dir);
  const said = [...(noNoiseEstimate ? [`note: ${noNoiseEstimate}`] : []), ...withinNoise, ...notes.map((n) => `note: ${n}`)];
  const summary = [
    `## ${o.suite}: ${breaches.length} rule breach(es), ${thresholds.length} threshold breach(es)`,
    '',
    ...warning.map((l) => `- ${l}`),
    `Compared with \`${o.baselineArg}\` by: ${rules.map((r) => `\`${r.text}\``).join(', ')}.`,
    '',
    ...breachLines(breaches).map((l) => `- ${l}`),
    ...thresholds.map((t) => `- THRESHOLD BREACH ${t.threshold}: ${t.workload} / ${t.recipe} ${t.figure} = ${t.value ?? 'none'}`),
    ...said.map((n) => `- ${n}`),
    '',
  ].join('\n');
  fs.writeFileSync(path.join(o.dir, 'comparison.md'), `${summary}\n${formatComparison(columns.map((c) => c.label), compareColumns(columns), breaches, 'markdown')}`);
  if (warning.length > 0) process.stdout.write(`\n${warning.join('\n')}\n`);
  process.stdout.write(`\ncompared with ${o.baselineArg} by ${rules.length} rule(s): ${breaches.length} breach(es)\n`);
  for (const l of [...breachLines(breaches), ...said]) process.stdout.write(`${l}\n`);
  return breaches.length > 0 ? EXIT.breach : EXIT.ok;
}
