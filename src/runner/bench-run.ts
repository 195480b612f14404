// One bench run, as its stages: plan → servers → load processes → the measured windows → collect →
// judge → write. Each stage is a module of its own (run-plan.ts, servers-stage.ts, load-stage.ts,
// windows-stage.ts, collect-stage.ts, gates-stage.ts); this file only sequences them, and stops what
// they started on every way out: the load when the windows end, the servers after the results are written.
import { takeClientLog } from '../process/client-log.ts';
import type { RunClock } from '../measure/clock.ts';
import { sweepStaleRunDirs } from '../process/run-owner.ts';
import type { RecipeResult } from '../results/recipe-result.ts';
import type { RunOutcome, RunRecord } from '../results/run-record.ts';
import { writeRun } from '../results/write-run.ts';
import type { RecipeProgress } from '../scenarios/context.ts';
import type { Workload } from '../workload/schema.ts';
import { collectRecord } from './collect-stage.ts';
import { judgeRun } from './gates-stage.ts';
import { LoadStage } from './load-stage.ts';
import { resolvePlan } from './run-plan.ts';
import { StageTracker } from './run-stage.ts';
import { applyAccess } from './namespace-access.ts';
import { ServersStage } from './servers-stage.ts';
import type { SaslOptions } from '../zk/security.ts';
import { measureWindows, nothingMeasured } from './windows-stage.ts';

export interface BenchOptions {
  workload: Workload;
  workloadFile: string;
  argv: string[];
  connect: string | undefined;
  /** --admin-port: the AdminServer port of every --connect server, asked when four-letter words are not allowed. */
  adminPort?: number | undefined;
  /** --compose-project: the servers are this docker compose project's containers, and faults may act on them. */
  composeProject?: string;
  resultsDir: string;
  /** Name of the run directory inside resultsDir; default the run id (<UTC timestamp>-<workload>). */
  runDirName?: string;
  /** Origin: the command's start (a suite: the workload's), so the first acquisition's timestamp is the time to it. */
  clock: RunClock;
  /** Aborts on Ctrl-C / SIGTERM. */
  signal: AbortSignal;
  progress: RecipeProgress & { recipeDone(r: RecipeResult): void };
  log: (line: string) => void;
  /** --auth: a credential given on the command line (warned about by the command). */
  auth?: string | undefined;
  /** Run the clients on `count` remote workers (`zkbench worker`) registered under `root`, waiting at most waitS for them. */
  remote?: { count: number; root: string; waitS: number };
  /** SASL credentials of the run's sessions (docs/tls-sasl.md); an embedded sasl ensemble brings its own. */
  sasl?: SaslOptions | undefined;
}

export interface BenchOutcome {
  record: RunRecord;
  /** Absent when nothing complete was measured (no recipe finished). */
  runDir: string | undefined;
  /** The failure, when outcome is 'failed'. */
  failure: unknown;
}

export async function runBench(given: BenchOptions): Promise<BenchOutcome> {
  const stages = new StageTracker(given.signal);
  const o: BenchOptions = { ...given, progress: stages.watch(given.progress) };
  const plan = resolvePlan(o);
  // What runs that are gone left (a coordinator killed with SIGKILL cannot remove its ensemble's dir), named.
  sweepStaleRunDirs(o.log);
  applyAccess(plan.access);
  const servers = new ServersStage(plan, o);
  const load = new LoadStage(plan, o);
  const measured = nothingMeasured();
  let outcome: RunOutcome = 'completed';
  let failure: unknown;
  let record: RunRecord;
  let runDir: string | undefined;
  try {
    try {
      const { ensemble, sessions } = await servers.acquire();
      stages.set('session opening');
      const { pool, coordinator, admin, workload } = await load.start(ensemble, sessions, servers.workload);
      stages.faultActive = () => load.injector?.anyDown() ?? false;
      servers.record.sessionTimeout = load.sessionTimeout;
      const t = load.sessionTimeout;
      if (t?.negotiatedMs !== undefined && t.negotiatedMs !== t.askedMs) o.log(`session timeout: ${t.askedMs} ms asked for, ${t.negotiatedMs} ms granted by the servers (the figures are for ${t.negotiatedMs} ms)`);
      await measureWindows(
        { workload, namespace: plan.namespace, ensemble, sessions, admin, pool, coordinator, injector: load.injector, probePath: load.probePath },
        o,
        measured,
      );
      if (o.signal.aborted) outcome = 'interrupted';
    } catch (err) {
      outcome = o.signal.aborted ? 'interrupted' : 'failed';
      failure = err;
    } finally {
      stages.set('collection');
      o.progress.phase('cleaning up');
      await load.close();
    }
    record = await collectRecord(
      {
        plan,
        workload: load.workload ?? servers.workload,
        ensemble: servers.ensemble,
        ensembleRecord: servers.record,
        fileMarks: servers.fileMarks,
        pool: load.pool,
        measured,
        outcome,
        failure,
      },
      o,
    );
    if (stages.interruptedAt !== undefined) {
      // A signal after every recipe finished (while cleaning up) leaves a complete run: said, not recorded.
      if (record.outcome === 'interrupted') record.interruptedAt = stages.interruptedAt;
      o.log(`interrupted during the ${stages.interruptedAt} stage`);
    }
    judgeRun(record, plan.scenario);
    stages.set('writing results');
    record.clientLog = takeClientLog();
    // Written before the servers stop, so a second Ctrl-C during their shutdown cannot lose it.
    // An interrupted run is written even when no recipe finished: its run.json says at which stage it stopped.
    runDir = record.recipes.length > 0 || record.outcome === 'interrupted' ? writeRun(o.resultsDir, o.runDirName ?? plan.runId, record) : undefined;
  } finally {
    await load.closeFaults(); // a second chance, e.g. after writing the results threw
    await servers.close();
  }
  return { record, runDir, failure };
}
