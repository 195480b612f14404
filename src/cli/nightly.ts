// `zkbench nightly` (npm run nightly): what the nightly CI job runs, runnable locally end to end.
// Runs a suite (nightly by default), compares it with a baseline (the previous night's results, or the
// suite's baseline kept in the repo) by the suite's fail_on rules, writes comparison.md and report.html
// into its directory, and exits 4 on a breach of those rules or of any workload threshold.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compareColumns, findBreaches } from '../compare/compare.ts';
import { breachLines, formatComparison } from '../compare/format.ts';
import { readColumn } from '../compare/read-summary.ts';
import { RuleError, type Rule } from '../compare/rules.ts';
import type { ThresholdResult } from '../results/run-record.ts';
import { type Suite } from '../workload/suite.ts';
import { runBenchCommand, type BenchArgs } from './bench.ts';
import { EXIT } from './exit-codes.ts';
import { parseSeriesName } from '../results/series.ts';
import { loadSuite, parseRule } from '../scenarios/catalog.ts';

const BASELINES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../baselines');

export interface NightlyArgs extends Omit<BenchArgs, 'workload'> {
  suite: string;
  /** A run/suite directory, its summary.csv, or a folder holding run directories (the newest is used). */
  baseline: string | undefined;
  /** Replace the suite's fail_on rules. */
  failOn: string[];
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
  const baseline = readColumn(baselineArg);

  const { code, dir } = await runBenchCommand({ ...args, workload: undefined });
  if (!dir) return code;

  let compareBreaches = 0;
  if (code === EXIT.ok || code === EXIT.breach) {
    const current = readColumn(dir);
    current.label = `tonight (${current.label})`;
    baseline.label = `baseline (${baseline.label})`;
    const columns = [baseline, current];
    const { breaches, notes } = findBreaches(columns, rules);
    compareBreaches = breaches.length;
    const thresholds = thresholdBreaches(dir);
    const summary = [
      `## ${suite.name}: ${breaches.length} rule breach(es), ${thresholds.length} threshold breach(es)`,
      '',
      `Compared with \`${baselineArg}\` by: ${rules.map((r) => `\`${r.text}\``).join(', ')}.`,
      '',
      ...breachLines(breaches).map((l) => `- ${l}`),
      ...thresholds.map((t) => `- THRESHOLD BREACH ${t.threshold}: ${t.workload} / ${t.recipe} ${t.figure} = ${t.value ?? 'none'}`),
      ...notes.map((n) => `- note: ${n}`),
      '',
    ].join('\n');
    fs.writeFileSync(path.join(dir, 'comparison.md'), `${summary}\n${formatComparison(columns.map((c) => c.label), compareColumns(columns), breaches, 'markdown')}`);
    process.stdout.write(`\ncompared with ${baselineArg} by ${rules.length} rule(s): ${breaches.length} breach(es)\n`);
    for (const l of [...breachLines(breaches), ...notes.map((n) => `note: ${n}`)]) process.stdout.write(`${l}\n`);
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
  return compareBreaches > 0 || code === EXIT.breach ? EXIT.breach : EXIT.ok;
}
