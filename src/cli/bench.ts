// `zkbench bench`: parse, run, report. Ctrl-C or SIGTERM stops the run cleanly (a second Ctrl-C forces).
import fs from 'node:fs';
import path from 'node:path';
import { RunClock } from '../measure/clock.ts';
import { killAllTrackedChildren } from '../process/child-guard.ts';
import { loadWorkload } from '../workload/load.ts';
import { EXIT } from './exit-codes.ts';
import { describeFailure } from './failures.ts';
import { ProgressReporter } from './progress.ts';
import type { ThresholdResult } from '../compare/thresholds.ts';

export interface BenchArgs {
  workload: string;
  connect: string | undefined;
  resultsDir: string;
  overrides: Record<string, unknown>;
  argv: string[];
}

/** The command's start on the monotonic clock: process start, so "time to first acquisition" counts Node's start too. */
function commandStart(): bigint {
  return process.hrtime.bigint() - BigInt(Math.round(process.uptime() * 1e9));
}

class ResultsDirError extends Error {
  override readonly name = 'ResultsDirError';
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

export async function benchCommand(args: BenchArgs): Promise<number> {
  const { workload, file } = loadWorkload(args.workload, args.overrides);
  const resultsDir = path.resolve(args.resultsDir);
  checkResultsDir(resultsDir);
  // Loaded only now: the ZooKeeper addon is not needed to validate a workload, and a missing build
  // must surface as a clear message, not an import crash.
  const { runBench } = await import('../runner/bench-run.ts');

  const progress = new ProgressReporter(workload.recipes.length);
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

  const { record, runDir, failure } = await runBench({
    workload,
    workloadFile: file,
    argv: args.argv,
    connect: args.connect,
    resultsDir,
    clock: new RunClock(commandStart()),
    signal: controller.signal,
    progress,
    log: (line) => progress.log(line),
  });
  progress.end();

  if (record.recipes.length > 0) {
    const { resultTable } = await import('../results/terminal-table.ts');
    process.stdout.write(`\n${resultTable(record)}\n`);
    if (record.timeToFirstAcquisitionMs !== undefined) {
      process.stdout.write(`first acquisition ${(record.timeToFirstAcquisitionMs / 1000).toFixed(2)} s after the command started\n`);
    }
  }
  const breached = record.thresholds.filter((t) => t.status === 'breach');
  if (record.thresholds.length > 0) process.stdout.write(thresholdReport(record.thresholds));

  if (record.outcome === 'interrupted') {
    const reason = String(controller.signal.reason ?? 'SIGINT');
    process.stderr.write(
      runDir
        ? `interrupted: only the ${record.recipes.length} recipe(s) that finished were written (outcome "interrupted" in run.json)\n`
        : 'interrupted before any recipe finished: no results written\n',
    );
    if (runDir) process.stdout.write(`${runDir}\n`);
    return reason === 'SIGTERM' ? EXIT.terminated : EXIT.interrupted;
  }
  if (record.outcome === 'failed') {
    const { message, code } = describeFailure(failure);
    process.stderr.write(`error: ${message}\n`);
    if (runDir) {
      process.stderr.write(`the ${record.recipes.length} recipe(s) that finished were written (outcome "failed" in run.json)\n`);
      process.stdout.write(`${runDir}\n`);
    }
    return code;
  }
  process.stdout.write(`${runDir}\n`);
  return breached.length > 0 ? EXIT.breach : EXIT.ok;
}

function thresholdReport(results: readonly ThresholdResult[]): string {
  const value = (v: number | undefined) => (v === undefined ? 'none' : String(Number(v.toPrecision(4))));
  const lines = results
    .filter((t) => t.status !== 'pass')
    .map((t) => `${t.status === 'breach' ? 'BREACH' : 'not measured'}: ${t.threshold} (${t.workload} / ${t.recipe} ${t.figure} = ${value(t.value)})`);
  const passed = results.filter((t) => t.status === 'pass').length;
  return `thresholds: ${passed} of ${results.length} checks passed\n${lines.map((l) => `  ${l}\n`).join('')}`;
}
