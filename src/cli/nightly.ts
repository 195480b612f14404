// `zkbench nightly` (npm run nightly): what the nightly CI job runs, runnable locally end to end.
// Runs a suite (nightly by default), compares it with a baseline (the previous night's results, or the
// suite's baseline kept in the repo) by the suite's fail_on rules, writes comparison.md and report.html
// into its directory, and exits as its gates say (docs/gates.md): 4 on a breach of those rules or of any
// workload threshold, 5 when a figure was not measured or the suite is unreadable or partial, 6 censored,
// 7 when tonight's run and the baseline are not comparable (docs/comparing-runs.md). With --repeat N both
// are repeat sets and relative rules are judged against the baseline's spread.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compareColumns, findBreaches } from '../compare/compare.ts';
import { breachLines, formatComparison } from '../compare/format.ts';
import { combineExits, fails, FAILING_OUTCOMES, gateExit, gateLine, outcomeCounts } from '../compare/gate.ts';
import { readSide, type Side } from '../compare/read-summary.ts';
import { RuleError, type Rule } from '../compare/rules.ts';
import { comparabilityProblems, sideColumn } from '../compare/sides.ts';
import { EXIT } from '../process/exit-codes.ts';
import { REPEATS_FILE, readRepeatSet } from '../results/repeat-set.ts';
import { safeName } from '../results/run-directory.ts';
import type { ThresholdResult } from '../results/run-record.ts';
import { parseSeriesName } from '../results/series.ts';
import { loadSuite, parseRule } from '../scenarios/catalog.ts';
import type { Suite } from '../workload/suite.ts';
import { runBenchCommand, type BenchArgs } from './bench.ts';
import { incomparableLines } from './compare.ts';

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

/** The verdict of every suite a night wrote: one suite directory, or each run of a repeat set (--repeat N). */
function nightVerdict(dir: string, suite: Pick<Suite, 'name' | 'entries'>): SuiteVerdict {
  if (!fs.existsSync(path.join(dir, REPEATS_FILE))) return readSuiteVerdict(dir, suite);
  const verdicts = readRepeatSet(dir).runs.map((run) => readSuiteVerdict(path.join(dir, run), suite));
  return { gates: verdicts.flatMap((v) => v.gates), problems: verdicts.flatMap((v) => v.problems) };
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
  if (code === EXIT.ok || isGateExit(code)) {
    const current = readSide(dir);
    current.label = `tonight (${current.label})`;
    baseline.label = `baseline (${baseline.label})`;
    verdict = compareWithBaseline(baseline, current, rules, { suite, baselineArg, dir, allowIncomparable: args.allowIncomparable ?? false });
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
  return code === EXIT.ok || isGateExit(code) ? combineExits([code, verdict]) : code;
}

const isGateExit = (code: number): boolean => FAILING_OUTCOMES.some((f) => f.exit === code);

/**
 * Tonight against the baseline: refused (exit 7, comparison.md saying why) when they are not comparable,
 * unless allowed; else the rules, written to comparison.md and printed. Returns the comparison's exit code.
 */
function compareWithBaseline(
  baseline: Side,
  current: Side,
  rules: readonly Rule[],
  o: { suite: Pick<Suite, 'name' | 'entries'>; baselineArg: string; dir: string; allowIncomparable: boolean },
): number {
  const problems = comparabilityProblems([baseline, current]);
  const warning = incomparableLines(problems, o.allowIncomparable);
  if (problems.length > 0 && !o.allowIncomparable) {
    const text = [`## ${o.suite.name}: not compared with \`${o.baselineArg}\``, '', ...warning.map((l) => `- ${l}`), ''].join('\n');
    fs.writeFileSync(path.join(o.dir, 'comparison.md'), `${text}\n`);
    process.stdout.write(`\n${warning.join('\n')}\n`);
    return EXIT.notComparable;
  }
  const columns = [sideColumn(baseline), sideColumn(current)];
  const { breaches, notes, withinNoise, noNoiseEstimate } = findBreaches(columns, rules);
  const night = nightVerdict(o.dir, o.suite);
  const thresholds = night.gates.filter(fails);
  const outcomes = [...outcomeCounts(breaches.map((b) => ({ ...b, reason: b.detail }))), ...(night.problems.length > 0 ? ['suite unreadable or partial'] : [])];
  const said = [...(noNoiseEstimate ? [`note: ${noNoiseEstimate}`] : []), ...withinNoise, ...notes.map((n) => `note: ${n}`)];
  const summary = [
    `## ${o.suite.name}: rules ${outcomes.join(', ') || 'all passed'}; thresholds ${outcomeCounts(night.gates).join(', ') || 'all passed'}`,
    '',
    ...warning.map((l) => `- ${l}`),
    `Compared with \`${o.baselineArg}\` by: ${rules.map((r) => `\`${r.text}\``).join(', ')}.`,
    '',
    ...night.problems.map((p) => `- NOT MEASURED: ${p}`),
    ...breachLines(breaches).map((l) => `- ${l}`),
    ...thresholds.map((t) => `- THRESHOLD ${gateLine(t)}`),
    ...said.map((n) => `- ${n}`),
    '',
  ].join('\n');
  fs.writeFileSync(path.join(o.dir, 'comparison.md'), `${summary}\n${formatComparison(columns.map((c) => c.label), compareColumns(columns), breaches, 'markdown')}`);
  if (warning.length > 0) process.stdout.write(`\n${warning.join('\n')}\n`);
  process.stdout.write(`\ncompared with ${o.baselineArg} by ${rules.length} rule(s): ${outcomes.join(', ') || 'all passed'}\n`);
  for (const l of [...night.problems.map((p) => `NOT MEASURED: ${p}`), ...breachLines(breaches), ...said]) process.stdout.write(`${l}\n`);
  return combineExits([gateExit(breaches), gateExit(thresholds), night.problems.length > 0 ? EXIT.notMeasured : EXIT.ok]);
}
