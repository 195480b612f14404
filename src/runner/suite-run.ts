// A suite run: its workloads one after another, each a complete run directory inside one suite
// directory that also holds suite.json and the combined summary.csv. Staged like a single run, so the
// suite directory appears whole or not at all; an interrupted suite keeps the workloads that finished.
import fs from 'node:fs';
import path from 'node:path';
import { runId as makeRunId, safeName, stageDirectory } from '../results/run-directory.ts';
import type { RunOutcome } from '../results/run-record.ts';
import { formatSummaryCsv, summaryRows } from '../results/summary-csv.ts';
import type { Suite } from '../workload/suite.ts';
import { runBench, type BenchOptions, type BenchOutcome } from './bench-run.ts';
import { monotonicClock, RunClock } from '../measure/clock.ts';

export interface SuiteOptions extends Omit<BenchOptions, 'workload' | 'workloadFile' | 'runDirName' | 'clock'> {
  suite: Suite;
  /** Called after each workload, e.g. to print its table. */
  onRun: (run: BenchOutcome) => void;
  /** Name of the suite directory inside resultsDir; default the run id (<UTC timestamp>-<suite>). */
  suiteDirName?: string;
}

export interface SuiteOutcome {
  /** Absent when no workload finished a recipe. */
  dir: string | undefined;
  runs: BenchOutcome[];
  outcome: RunOutcome;
  failure: unknown;
}

export async function runSuite(o: SuiteOptions): Promise<SuiteOutcome> {
  const startedAt = new Date();
  const staged = stageDirectory(o.resultsDir, o.suiteDirName ?? makeRunId(o.suite.name, startedAt));
  const runs: BenchOutcome[] = [];
  let crash: unknown;
  try {
    for (const entry of o.suite.entries) {
      if (o.signal.aborted) break;
      let run: BenchOutcome;
      try {
        run = await runBench({
        ...o,
        workload: entry.workload,
        workloadFile: entry.file,
        resultsDir: staged.path,
        runDirName: safeName(entry.workload.name),
        // Each workload's times (e.g. to the first acquisition) count from its own start.
        clock: new RunClock(monotonicClock()),
      });
      } catch (err) {
        // e.g. its results could not be written: keep the workloads that finished, end the suite failed
        crash = err;
        break;
      }
      runs.push(run);
      o.onRun(run);
      if (run.record.outcome !== 'completed') break;
    }
    const stopped = runs.find((r) => r.record.outcome !== 'completed');
    const outcome: RunOutcome = crash !== undefined ? 'failed' : (stopped?.record.outcome ?? (o.signal.aborted ? 'interrupted' : 'completed'));
    const failure = crash ?? stopped?.failure;
    const written = runs.filter((r) => r.runDir !== undefined);
    if (written.length === 0) {
      staged.discard();
      return { dir: undefined, runs, outcome, failure };
    }
    const suiteJson = {
      suite: o.suite.name,
      description: o.suite.description,
      file: o.suite.file,
      outcome,
      startedAt: startedAt.toISOString(),
      endedAt: new Date().toISOString(),
      runs: written.map((r) => path.basename(r.runDir!)),
      failOn: o.suite.failOn,
      // Every workload's gates that did not pass (nightly reads them back); passes are in each run.json.
      gates: written.flatMap((r) => r.record.thresholds.filter((t) => t.outcome !== 'pass')),
    };
    fs.writeFileSync(path.join(staged.path, 'suite.json'), `${JSON.stringify(suiteJson, null, 2)}\n`);
    fs.writeFileSync(path.join(staged.path, 'summary.csv'), formatSummaryCsv(written.flatMap((r) => summaryRows(r.record))));
    const dir = staged.commit();
    // The sub-runs were written inside the staging directory: point at where they are now.
    for (const r of written) r.runDir = path.join(dir, path.basename(r.runDir!));
    return { dir, runs, outcome, failure };
  } catch (err) {
    staged.discard();
    throw err;
  }
}
