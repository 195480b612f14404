// Running the bench runner in-process against a test ensemble, quietly, into a temp results dir.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after } from 'node:test';
import { RunClock } from '../../src/measure/clock.ts';
import { scalarValue } from '../../src/measure/metrics.ts';
import { runBench, type BenchOutcome } from '../../src/runner/bench-run.ts';
import { loadWorkload } from '../../src/scenarios/catalog.ts';
import type { ProgressTick } from '../../src/scenarios/context.ts';
import type { SaslOptions } from '../../src/zk/security.ts';


export const resultsParent = fs.mkdtempSync(path.join(os.tmpdir(), 'zkbench-test-results-'));
// Removed after the file's last test, whether or not the file uses it (importing this module creates it).
after(() => fs.rmSync(resultsParent, { recursive: true, force: true }));

const quiet = { recipeStart: () => undefined, phase: () => undefined, tick: () => undefined, recipeDone: () => undefined };

/**
 * Runs a shipped workload with overrides against `connect`, or on an ensemble of its own when undefined
 * (a workload with faults needs one zkbench controls); `log` receives the run's log lines.
 */
export async function bench(
  workload: string,
  connect: string | undefined,
  overrides: Record<string, unknown>,
  opts: { resultsDir?: string; log?: (line: string) => void; onTick?: (t: ProgressTick) => void; sasl?: SaslOptions } = {},
): Promise<BenchOutcome> {
  const { workload: w, file } = loadWorkload(workload, overrides);
  const outcome = await runBench({
    workload: w,
    workloadFile: file,
    argv: [],
    connect,
    resultsDir: opts.resultsDir ?? resultsParent,
    clock: new RunClock(process.hrtime.bigint()),
    signal: new AbortController().signal,
    progress: opts.onTick ? { ...quiet, tick: opts.onTick } : quiet,
    log: opts.log ?? (() => undefined),
    ...(opts.sasl ? { sasl: opts.sasl } : {}),
  });
  if (outcome.failure) throw outcome.failure;
  return outcome;
}

/** A scalar figure of one recipe of a run. */
export function figure(outcome: BenchOutcome, recipe: string, metric: string): number {
  const r = outcome.record.recipes.find((x) => x.recipe === recipe);
  if (!r) throw new Error(`recipe ${recipe} not in the run`);
  const v = scalarValue(r.metrics, metric);
  if (v === undefined) throw new Error(`no ${metric} for ${recipe}`);
  return v;
}
