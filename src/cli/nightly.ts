// `zkbench nightly` (npm run nightly): what the nightly CI job runs, runnable locally end to end.
// Runs a suite (nightly by default), draws report.html into its directory, compares it with a baseline
// (the previous night's results, or the baseline kept in the repo) by the suite's fail_on rules, and
// exits 4 on a breach of those rules or of any workload threshold.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compareColumns, findBreaches } from '../compare/compare.ts';
import { formatComparison } from '../compare/format.ts';
import { readColumn } from '../compare/read-summary.ts';
import { parseRule } from '../compare/rules.ts';
import { loadSuite } from '../workload/suite.ts';
import { runBenchCommand, type BenchArgs } from './bench.ts';
import { EXIT } from './exit-codes.ts';

export const REPO_BASELINE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../baselines/nightly');

export interface NightlyArgs extends Omit<BenchArgs, 'workload'> {
  suite: string;
  /** A run/suite directory, its summary.csv, or a folder holding run directories (the newest is used). */
  baseline: string | undefined;
  /** Replace the suite's fail_on rules. */
  failOn: string[];
}

export async function nightlyCommand(args: NightlyArgs): Promise<number> {
  // Check the rules and the baseline before spending minutes on the suite.
  const suite = loadSuite(args.suite, args.overrides);
  const rules = (args.failOn.length > 0 ? args.failOn : suite.failOn).map(parseRule);
  const baselineArg = args.baseline ?? process.env['ZKBENCH_BASELINE'] ?? REPO_BASELINE;
  const baseline = readColumn(baselineArg);

  const { code, dir } = await runBenchCommand({ ...args, workload: undefined });
  if (!dir || (code !== EXIT.ok && code !== EXIT.breach)) return code;

  const { writeReport } = await import('../report/index.ts');
  const report = await writeReport([dir], path.join(dir, 'report.html'));
  process.stderr.write(`report: ${report}\n`);

  const current = readColumn(dir);
  current.label = `tonight (${current.label})`;
  baseline.label = `baseline (${baseline.label})`;
  const columns = [baseline, current];
  const rows = compareColumns(columns);
  const breaches = findBreaches(columns, rules);
  fs.writeFileSync(path.join(dir, 'comparison.md'), formatComparison(columns.map((c) => c.label), rows, breaches, 'markdown'));
  process.stdout.write(`\ncompared with ${baselineArg} by ${rules.length} rule(s): ${breaches.length} breach(es)\n`);
  for (const b of breaches) process.stdout.write(`BREACH ${b.rule}: ${b.workload}${b.recipe ? ` / ${b.recipe}` : ''} ${b.figure} ${b.detail}\n`);
  process.stdout.write(`${dir}\n`);
  return breaches.length > 0 || code === EXIT.breach ? EXIT.breach : EXIT.ok;
}
