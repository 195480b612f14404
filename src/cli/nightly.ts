// `zkbench nightly` (npm run nightly): what the nightly CI job runs, runnable locally end to end.
// Runs a suite (nightly by default), compares it with a baseline (the previous night's results, or the
// suite's baseline kept in the repo) by the suite's fail_on rules, writes comparison.md and report.html
// into its directory, and exits as its gates say (docs/gates.md): 4 on a breach of those rules or of any
// workload threshold, 5 when a figure was not measured or the suite is unreadable or partial, 6 censored.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compareColumns, findBreaches } from '../compare/compare.ts';
import { breachLines, formatComparison } from '../compare/format.ts';
import { readColumn } from '../compare/read-summary.ts';
import { RuleError, type Rule } from '../compare/rules.ts';
import { combineExits, fails, FAILING_OUTCOMES, gateExit, gateLine, outcomeCounts } from '../compare/gate.ts';
import type { ThresholdResult } from '../results/run-record.ts';
import { safeName } from '../results/run-directory.ts';
import { type Suite } from '../workload/suite.ts';
import { runBenchCommand, type BenchArgs } from './bench.ts';
import { EXIT } from '../process/exit-codes.ts';
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

/** What suite.json says of the suite's own gates, and what makes it unfit to judge (unreadable, partial). */
interface SuiteVerdict {
  /** Every workload gate that did not pass (suite-run.ts writes them). */
  gates: ThresholdResult[];
  /** Why the suite cannot be judged whole: each makes the night "not measured". */
  problems: string[];
}

/**
 * The suite directory's suite.json, read strictly: a file that cannot be read or parsed, a suite that did
 * not complete, or one that lacks a workload of the suite is a problem, never "0 breaches".
 */
export function readSuiteVerdict(dir: string, suite: Pick<Suite, 'name' | 'entries'>): SuiteVerdict {
  const file = path.join(dir, 'suite.json');
  let doc: { outcome?: unknown; runs?: unknown; gates?: unknown };
  try {
    doc = JSON.parse(fs.readFileSync(file, 'utf8')) as typeof doc;
  } catch (err) {
    return { gates: [], problems: [`${file} could not be read (${(err as Error).message}): the suite's thresholds are unknown`] };
  }
  const problems: string[] = [];
  if (!Array.isArray(doc.gates)) problems.push(`${file} has no "gates" list: the suite's thresholds are unknown`);
  if (doc.outcome !== 'completed') problems.push(`suite ${suite.name} did not complete (outcome ${JSON.stringify(doc.outcome)})`);
  const runs = Array.isArray(doc.runs) ? (doc.runs as unknown[]) : [];
  const missing = suite.entries.map((e) => safeName(e.workload.name)).filter((name) => !runs.includes(name));
  if (missing.length > 0) problems.push(`suite ${suite.name} is partial: no results for ${missing.join(', ')}`);
  return { gates: Array.isArray(doc.gates) ? (doc.gates as ThresholdResult[]) : [], problems };
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

  let judged = code;
  if (code === EXIT.ok || isGateExit(code)) {
    const current = readColumn(dir);
    current.label = `tonight (${current.label})`;
    baseline.label = `baseline (${baseline.label})`;
    const columns = [baseline, current];
    const { breaches, notes } = findBreaches(columns, rules);
    const verdict = readSuiteVerdict(dir, suite);
    const thresholds = verdict.gates.filter(fails);
    const said = [...outcomeCounts(breaches.map((b) => ({ ...b, reason: b.detail }))), ...(verdict.problems.length > 0 ? ['suite unreadable or partial'] : [])];
    const summary = [
      `## ${suite.name}: rules ${said.join(', ') || 'all passed'}; thresholds ${outcomeCounts(verdict.gates).join(', ') || 'all passed'}`,
      '',
      `Compared with \`${baselineArg}\` by: ${rules.map((r) => `\`${r.text}\``).join(', ')}.`,
      '',
      ...verdict.problems.map((p) => `- NOT MEASURED: ${p}`),
      ...breachLines(breaches).map((l) => `- ${l}`),
      ...thresholds.map((t) => `- THRESHOLD ${gateLine(t)}`),
      ...notes.map((n) => `- note: ${n}`),
      '',
    ].join('\n');
    fs.writeFileSync(path.join(dir, 'comparison.md'), `${summary}\n${formatComparison(columns.map((c) => c.label), compareColumns(columns), breaches, 'markdown')}`);
    process.stdout.write(`\ncompared with ${baselineArg} by ${rules.length} rule(s): ${said.join(', ') || 'all passed'}\n`);
    for (const l of [...verdict.problems.map((p) => `NOT MEASURED: ${p}`), ...breachLines(breaches), ...notes.map((n) => `note: ${n}`)]) process.stdout.write(`${l}\n`);
    judged = combineExits([code, gateExit(breaches), gateExit(thresholds), verdict.problems.length > 0 ? EXIT.notMeasured : EXIT.ok]);
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
  return judged;
}

const isGateExit = (code: number): boolean => FAILING_OUTCOMES.some((f) => f.exit === code);
