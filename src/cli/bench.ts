// `zkbench bench`: one workload (--workload) or a suite of them (--suite): parse, run, report.
// Ctrl-C or SIGTERM stops the run cleanly (a second Ctrl-C forces). The last line of stdout is the
// run (or suite) directory.
import fs from 'node:fs';
import path from 'node:path';
import type { ThresholdResult } from '../compare/thresholds.ts';
import { RunClock } from '../measure/clock.ts';
import { killAllTrackedChildren } from '../process/child-guard.ts';
import type { RunRecord } from '../results/run-record.ts';
import { resultTable } from '../results/terminal-table.ts';
import type { BenchOutcome } from '../runner/bench-run.ts';
import { scenarioById } from '../scenarios/registry.ts';
import { loadWorkload } from '../workload/load.ts';
import type { Workload } from '../workload/schema.ts';
import { refuseFaultsOnConnect } from '../runner/acquire-ensemble.ts';
import { commandHint } from './command-hint.ts';
import { loadSuite } from '../workload/suite.ts';
import { WorkloadError } from '../workload/validate.ts';
import { EXIT } from './exit-codes.ts';
import { describeFailure } from './failures.ts';
import { ProgressReporter } from './progress.ts';

export interface BenchArgs {
  workload: string | undefined;
  suite: string | undefined;
  connect: string | undefined;
  /** --compose-project NAME: the servers are that docker compose project's containers; faults may act on them. */
  composeProject?: string;
  resultsDir: string;
  overrides: Record<string, unknown>;
  argv: string[];
  /** --remote-workers N (--remote-wait-s, --namespace): the clients run on `zkbench worker` processes. */
  remote?: { count: number; waitS: number; root: string };
}

class ResultsDirError extends Error {
  override readonly name = 'ResultsDirError';
}

/** The command's start on the monotonic clock: process start, so "time to first acquisition" counts Node's start too. */
function commandStart(): bigint {
  return process.hrtime.bigint() - BigInt(Math.round(process.uptime() * 1e9));
}

/** Find out now, not after a long run, that the results cannot be written. */
function checkResultsDir(dir: string): void {
  try {
    fs.mkdirSync(dir, { recursive: true });
    fs.accessSync(dir, fs.constants.W_OK);
  } catch (err) {
    throw new ResultsDirError(`cannot write results to ${dir} (${(err as Error).message}); choose another with --results-dir`);
  }
}

/** First Ctrl-C/SIGTERM: abort the run gracefully. Second: kill what we started and leave at once. */
function interruptOnSignals(progress: ProgressReporter): AbortController {
  const controller = new AbortController();
  let signals = 0;
  const onSignal = (sig: NodeJS.Signals): void => {
    signals++;
    if (signals === 1) {
      progress.log(`${sig}: stopping the run and the servers (press Ctrl-C again to force)`);
      controller.abort(sig);
    } else {
      killAllTrackedChildren();
      process.exit(sig === 'SIGTERM' ? EXIT.terminated : EXIT.interrupted);
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return controller;
}

function thresholdReport(results: readonly ThresholdResult[]): string {
  const value = (v: number | undefined) => (v === undefined ? 'none' : String(Number(v.toPrecision(4))));
  const lines = results
    .filter((t) => t.status === 'breach' || t.status === 'not measured')
    .map((t) => `${t.status === 'breach' ? 'BREACH' : 'not measured'}: ${t.threshold} (${t.workload} / ${t.recipe} ${t.figure} = ${value(t.value)})`);
  const notRun = results.filter((t) => t.status === 'not run');
  if (notRun.length > 0) lines.push(`not checked: ${notRun.map((t) => t.threshold).join('; ')} (recipe not in this run)`);
  const checked = results.length - notRun.length;
  const passed = results.filter((t) => t.status === 'pass').length;
  return `thresholds: ${passed} of ${checked} checks passed\n${lines.map((l) => `  ${l}\n`).join('')}`;
}

function printRun(record: RunRecord, origin: string): void {
  if (record.recipes.length > 0) {
    process.stdout.write(`\n${resultTable(record)}\n`);
    if (record.timeToFirstAcquisitionMs !== undefined) {
      process.stdout.write(`first acquisition ${(record.timeToFirstAcquisitionMs / 1000).toFixed(2)} s after the ${origin} started\n`);
    }
  }
  if (record.thresholds.length > 0) process.stdout.write(thresholdReport(record.thresholds));
}

/** Remote workers lost during the runs: named on stderr; the run's figures are partial (exit 1). */
function reportPartial(records: readonly RunRecord[]): boolean {
  const lost = records.flatMap((r) => (r.workers ?? []).filter((wk) => wk.state === 'lost').map((wk) => ({ run: r.runId, wk })));
  for (const { run, wk } of lost) {
    process.stderr.write(`partial: remote worker ${wk.name} (${wk.host}) was lost at ${((wk.atMs ?? 0) / 1000).toFixed(2)} s of ${run} (${wk.reason}); the figures cover the other workers' clients only (run.json "partial": true)\n`);
  }
  return lost.length > 0;
}

/** Messages and exit code for how a run ended; `dir` is printed last on stdout when there is one. */
function finish(outcome: RunRecord['outcome'], failure: unknown, dir: string | undefined, completedParts: string, signal: AbortSignal, breached: boolean, partial = false): number {
  if (outcome === 'interrupted') {
    process.stderr.write(
      dir
        ? `interrupted: the ${completedParts} that finished were written (outcome "interrupted"); a recipe cut short was not\n`
        : 'interrupted before any recipe finished: no results written\n',
    );
    if (dir) process.stdout.write(`${dir}\n`);
    return String(signal.reason) === 'SIGTERM' ? EXIT.terminated : EXIT.interrupted;
  }
  if (outcome === 'failed') {
    const { message, code } = describeFailure(failure);
    process.stderr.write(`error: ${message}\n`);
    if (dir) {
      process.stderr.write(`the ${completedParts} that finished were written (outcome "failed")\n`);
      process.stdout.write(`${dir}\n`);
    }
    return code;
  }
  process.stdout.write(`${dir}\n`);
  if (partial) return EXIT.failed;
  return breached ? EXIT.breach : EXIT.ok;
}

const breachedIn = (runs: readonly BenchOutcome[]): boolean => runs.some((r) => r.record.thresholds.some((t) => t.status === 'breach'));

export async function benchCommand(args: BenchArgs): Promise<number> {
  return (await runBenchCommand(args)).code;
}

/** The bench command's work; also returns the run (or suite) directory, for `zkbench nightly`. */
export async function runBenchCommand(args: BenchArgs): Promise<{ code: number; dir: string | undefined }> {
  if ((args.workload === undefined) === (args.suite === undefined)) {
    throw new WorkloadError(`name what to run: --workload NAME or --suite NAME (see \`${commandHint('list')}\`)`);
  }
  const suite = args.suite !== undefined ? loadSuite(args.suite, args.overrides) : undefined;
  const single = args.workload !== undefined ? loadWorkload(args.workload, args.overrides) : undefined;
  const workloads = suite ? suite.entries.map((e) => e.workload) : [single!.workload];
  for (const w of workloads) refuseFaultsOnConnect(w, args.connect, args.composeProject);
  const resultsDir = path.resolve(args.resultsDir);
  checkResultsDir(resultsDir);
  // Loaded only now: the ZooKeeper addon is not needed to validate a workload, and a missing build
  // must surface as a clear message, not an import crash.
  const { runBench } = await import('../runner/bench-run.ts');
  const { runSuite } = await import('../runner/suite-run.ts');

  const steps = (w: Workload): number => w.recipes.length * (scenarioById(w.scenario).resultsPerRecipe?.(w) ?? 1);
  const progress = new ProgressReporter(workloads.reduce((n, w) => n + steps(w), 0));
  const controller = interruptOnSignals(progress);
  const common = {
    argv: args.argv,
    connect: args.connect,
    ...(args.composeProject !== undefined ? { composeProject: args.composeProject } : {}),
    resultsDir,
    signal: controller.signal,
    progress,
    log: (line: string) => progress.log(line),
    ...(args.remote ? { remote: args.remote } : {}),
  };

  if (suite) {
    const out = await runSuite({
      ...common,
      suite,
      onRun: (run) => {
        progress.end();
        printRun(run.record, 'workload');
      },
    });
    progress.end();
    const partial = reportPartial(out.runs.map((r) => r.record));
    return { code: finish(out.outcome, out.failure, out.dir, 'workloads', controller.signal, breachedIn(out.runs), partial), dir: out.dir };
  }
  const run = await runBench({ ...common, clock: new RunClock(commandStart()), workload: single!.workload, workloadFile: single!.file });
  progress.end();
  printRun(run.record, 'command');
  return {
    code: finish(run.record.outcome, run.failure, run.runDir, `${run.record.recipes.length} recipe(s)`, controller.signal, breachedIn([run]), reportPartial([run.record])),
    dir: run.runDir,
  };
}
