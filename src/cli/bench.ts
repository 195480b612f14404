// `zkbench bench`: one workload (--workload) or a suite of them (--suite): parse, run, report.
// Ctrl-C or SIGTERM stops the run cleanly (a second Ctrl-C forces). The last line of stdout is the
// run (or suite) directory, or with --repeat N the repeat set holding the N runs.
import fs from 'node:fs';
import path from 'node:path';
import { combineExits, gateExit, gateReport } from '../compare/gate.ts';
import { monotonicClock, RunClock } from '../measure/clock.ts';
import { killAllTrackedChildren } from '../process/child-guard.ts';
import { repeatDirName, writeRepeatSet } from '../results/repeat-set.ts';
import { runId as makeRunId, stageDirectory, sweepStaleStagingDirs } from '../results/run-directory.ts';
import type { RunRecord } from '../results/run-record.ts';
import { resultTable } from '../results/terminal-table.ts';
import type { BenchOutcome } from '../runner/bench-run.ts';
import { loadSuite, loadWorkload } from '../scenarios/catalog.ts';
import { scenarioById } from '../scenarios/registry.ts';
import type { Workload } from '../workload/schema.ts';
import { refuseFaultsOnConnect } from '../runner/acquire-ensemble.ts';
import { refuseRemote } from '../runner/run-plan.ts';
import { commandHint } from '../process/command-hint.ts';
import { WorkloadError } from '../workload/validate.ts';
import { EXIT } from '../process/exit-codes.ts';
import { describeFailure } from './failures.ts';
import { chooseCredential, chooseNodeAcl } from '../zk/credentials.ts';
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
  /** --admin-port: the AdminServer port of every --connect server. */
  adminPort?: number | undefined;
  /** --auth: a credential on the command line (warned about; --auth-file and ZKBENCH_AUTH are the safe ways). */
  auth?: string | undefined;
  /** --repeat N: N runs of the same workload (or suite) into one repeat set directory (results/repeat-set.ts). */
  repeat?: number;
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
  const deadDrivers = records.flatMap((r) => r.recipes.flatMap((x) => (x.lostProcesses ?? []).map((what) => `partial: ${r.runId} / ${x.recipe}: ${what}; the figures cover the other driver processes' clients only (run.json "partial": true)\n`)));
  for (const line of deadDrivers) process.stderr.write(line);
  return lost.length > 0 || deadDrivers.length > 0;
}

/** Messages and exit code for how a run ended; `dir` is printed last on stdout when there is one. */
function finish(outcome: RunRecord['outcome'], failure: unknown, dir: string | undefined, completedParts: string, signal: AbortSignal, gates: number, partial = false): number {
  if (outcome === 'interrupted') {
    process.stderr.write(
      dir && completedParts.startsWith('0 ')
        ? 'interrupted before any recipe finished: the run directory records where it stopped (run.json: outcome "interrupted", interruptedAt), with no figures\n'
        : dir
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
  if (args.repeat !== undefined && (!Number.isInteger(args.repeat) || args.repeat < 1)) {
    throw new WorkloadError(`--repeat ${args.repeat}: expected a whole number of runs, at least 1`);
  }
  const suite = args.suite !== undefined ? loadSuite(args.suite, args.overrides) : undefined;
  const single = args.workload !== undefined ? loadWorkload(args.workload, args.overrides) : undefined;
  const workloads = suite ? suite.entries.map((e) => e.workload) : [single!.workload];
  for (const w of workloads) {
    refuseFaultsOnConnect(w, args.connect, args.composeProject);
    // Before the results dir is made: a refused command line leaves nothing behind.
    if (args.remote) refuseRemote(w.scenario, scenarioById(w.scenario).loadProcesses !== undefined, args.connect, args.remote.count);
    // A credential that cannot be read or used stops the command before anything starts.
    chooseNodeAcl(w.acl, chooseCredential({ authFile: w.authFile, inline: args.auth })?.credential);
  }
  const inline = args.auth !== undefined ? chooseCredential({ inline: args.auth }) : undefined;
  if (inline?.warning) process.stderr.write(`${inline.warning}\n`);
  const resultsDir = path.resolve(args.resultsDir);
  checkResultsDir(resultsDir);
  // Loaded only now: the ZooKeeper addon is not needed to validate a workload, and a missing build
  // must surface as a clear message, not an import crash.
  const { runBench } = await import('../runner/bench-run.ts');
  const { runSuite } = await import('../runner/suite-run.ts');

  const steps = (w: Workload): number => w.recipes.length * (scenarioById(w.scenario).resultsPerRecipe?.(w) ?? 1);
  const repeat = args.repeat ?? 1;
  const progress = new ProgressReporter(workloads.reduce((n, w) => n + steps(w), 0) * repeat);
  const controller = interruptOnSignals(progress);
  // A run directory a killed run never finished (a hidden staging directory), named as it goes.
  sweepStaleStagingDirs(resultsDir, (line) => progress.log(line));
  const common = {
    argv: args.argv,
    connect: args.connect,
    ...(args.composeProject !== undefined ? { composeProject: args.composeProject } : {}),
    resultsDir,
    signal: controller.signal,
    progress,
    log: (line: string) => progress.log(line),
    ...(args.remote ? { remote: args.remote } : {}),
    auth: args.auth,
    adminPort: args.adminPort,
  };

  /** One run of the workload or suite into parent (named dirName there, else by its run id). */
  const runOnce = async (parent: string, dirName: string | undefined, clock: RunClock): Promise<OnceOutcome> => {
    if (suite) {
      const out = await runSuite({
        ...common,
        resultsDir: parent,
        suite,
        ...(dirName !== undefined ? { suiteDirName: dirName } : {}),
        onRun: (run) => {
          progress.end();
          printRun(run.record, 'workload');
        },
      });
      progress.end();
      return { ...out, records: out.runs.map((r) => r.record), parts: 'workloads', gates: gatesOf(out.runs) };
    }
    const run = await runBench({ ...common, resultsDir: parent, clock, workload: single!.workload, workloadFile: single!.file, ...(dirName !== undefined ? { runDirName: dirName } : {}) });
    progress.end();
    printRun(run.record, 'command');
    return { outcome: run.record.outcome, failure: run.failure, dir: run.runDir, records: [run.record], parts: `${run.record.recipes.length} recipe(s)`, gates: gatesOf([run]) };
  };

  if (repeat === 1) {
    const once = await runOnce(resultsDir, undefined, new RunClock(commandStart()));
    return { code: finish(once.outcome, once.failure, once.dir, once.parts, controller.signal, once.gates, reportPartial(once.records)), dir: once.dir };
  }
  const name = suite ? suite.name : single!.workload.name;
  const set = await runRepeats(resultsDir, name, repeat, controller.signal, (parent, i) => {
    if (i > 1) process.stdout.write(`\nrepeat ${i} of ${repeat}\n`);
    return runOnce(parent, repeatDirName(i), i === 1 ? new RunClock(commandStart()) : new RunClock(monotonicClock()));
  });
  const partial = reportPartial(set.runs.flatMap((r) => r.records));
  const last = set.runs.at(-1);
  return {
    code: finish(set.outcome, last?.failure, set.dir, `repeats (${set.runs.filter((r) => r.dir !== undefined).length} of ${repeat})`, controller.signal, combineExits(set.runs.map((r) => r.gates)), partial),
    dir: set.dir,
  };
}

interface OnceOutcome {
  outcome: RunRecord['outcome'];
  failure: unknown;
  dir: string | undefined;
  records: RunRecord[];
  /** What finished, for the closing message: "2 recipe(s)", "workloads". */
  parts: string;
  /** The exit code of its gates (EXIT.ok when every gate passed). */
  gates: number;
}

/**
 * --repeat N: the runs one after another into one repeat set directory (results/repeat-set.ts), staged
 * like a run so it appears whole or not at all. The set stops at the first run that does not complete;
 * the runs written before it are kept and repeats.json says how the set ended.
 */
async function runRepeats(
  resultsDir: string,
  name: string,
  repeat: number,
  signal: AbortSignal,
  runOnce: (parent: string, i: number) => Promise<OnceOutcome>,
): Promise<{ dir: string | undefined; runs: OnceOutcome[]; outcome: RunRecord['outcome'] }> {
  const startedAt = new Date();
  const staged = stageDirectory(resultsDir, makeRunId(`${name}-x${repeat}`, startedAt));
  const runs: OnceOutcome[] = [];
  try {
    let outcome: RunRecord['outcome'] = 'completed';
    for (let i = 1; i <= repeat; i++) {
      if (signal.aborted) {
        outcome = 'interrupted';
        break;
      }
      const once = await runOnce(staged.path, i);
      runs.push(once);
      if (once.outcome !== 'completed') {
        outcome = once.outcome;
        break;
      }
    }
    const written = runs.filter((r) => r.dir !== undefined);
    if (written.length === 0) {
      staged.discard();
      return { dir: undefined, runs, outcome };
    }
    writeRepeatSet(staged.path, {
      name,
      asked: repeat,
      runs: written.map((r) => path.basename(r.dir!)),
      outcome,
      startedAt: startedAt.toISOString(),
      endedAt: new Date().toISOString(),
    });
    const dir = staged.commit();
    for (const r of written) r.dir = path.join(dir, path.basename(r.dir!));
    return { dir, runs, outcome };
  } catch (err) {
    staged.discard();
    throw err;
  }
}
