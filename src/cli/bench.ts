// `zkbench bench`: one workload (--workload) or a suite of them (--suite): parse, run, report.
// Ctrl-C or SIGTERM stops the run cleanly (a second Ctrl-C forces). The last line of stdout is the
// run (or suite) directory.
import fs from 'node:fs';
import path from 'node:path';
import { gateExit, gateReport } from '../compare/gate.ts';
import { RunClock } from '../measure/clock.ts';
import { killAllTrackedChildren } from '../process/child-guard.ts';
import type { RunRecord } from '../results/run-record.ts';
import { resultTable } from '../results/terminal-table.ts';
import type { BenchOutcome } from '../runner/bench-run.ts';
import { scenarioById } from '../scenarios/registry.ts';
import type { Workload } from '../workload/schema.ts';
import { refuseFaultsOnConnect } from '../runner/acquire-ensemble.ts';
import { commandHint } from '../process/command-hint.ts';
import { WorkloadError } from '../workload/validate.ts';
import { EXIT } from '../process/exit-codes.ts';
import { describeFailure } from './failures.ts';
import { ProgressReporter } from './progress.ts';
import { loadSuite, loadWorkload } from '../scenarios/catalog.ts';

export interface BenchArgs {
  workload: string | undefined;
  suite: string | undefined;
  connect: string | undefined;
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

function printRun(record: RunRecord, origin: string): void {
  if (record.recipes.length > 0) {
    process.stdout.write(`\n${resultTable(record, scenarioById(record.workload.scenario).table(record))}\n`);
    if (record.timeToFirstAcquisitionMs !== undefined) {
      process.stdout.write(`first acquisition ${(record.timeToFirstAcquisitionMs / 1000).toFixed(2)} s after the ${origin} started\n`);
    }
  }
  if (record.thresholds.length > 0) process.stdout.write(gateReport('thresholds', record.thresholds).map((l) => `${l}\n`).join(''));
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
function finish(outcome: RunRecord['outcome'], failure: unknown, dir: string | undefined, completedParts: string, signal: AbortSignal, gates: number, partial = false): number {
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
  return gates;
}

/** The exit code of the runs' gates (thresholds and main figures): exit-codes.ts's precedence. */
const gatesOf = (runs: readonly BenchOutcome[]): number => gateExit(runs.flatMap((r) => r.record.thresholds));

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
  for (const w of workloads) refuseFaultsOnConnect(w, args.connect);
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
    return { code: finish(out.outcome, out.failure, out.dir, 'workloads', controller.signal, gatesOf(out.runs), partial), dir: out.dir };
  }
  const run = await runBench({ ...common, clock: new RunClock(commandStart()), workload: single!.workload, workloadFile: single!.file });
  progress.end();
  printRun(run.record, 'command');
  return {
    code: finish(run.record.outcome, run.failure, run.runDir, `${run.record.recipes.length} recipe(s)`, controller.signal, gatesOf([run]), reportPartial([run.record])),
    dir: run.runDir,
  };
}
