// One bench run, start to end: servers, a namespace, the load processes, each recipe in turn, and the
// result files; everything it started is stopped again on every way out (the finally block).
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { createRequire } from 'node:module';
import type { Ensemble } from '../ensemble/index.ts';
import { markServerFiles, readServerFiles, type ServerFileMarks } from '../ensemble/server-files.ts';
import { takeServerView, type WindowEdge } from '../ensemble/server-view.ts';
import { serverLogRecords, warningEvents } from '../measure/server-logs.ts';
import type { RunClock } from '../measure/clock.ts';
import type { RecipeProgress, RecipeResult } from '../scenarios/context.ts';
import { scenarioById } from '../scenarios/registry.ts';
import { runId as makeRunId } from '../results/run-directory.ts';
import type { EnsembleRecord, RunOutcome, RunRecord } from '../results/run-record.ts';
import { writeRun } from '../results/write-run.ts';
import { summaryRows } from '../results/summary-csv.ts';
import { checkThresholds } from '../compare/thresholds.ts';
import { parseThreshold } from '../compare/rules.ts';
import type { Workload } from '../workload/schema.ts';
import { workloadWarnings } from '../workload/validate.ts';
import { seriesName } from '../results/series.ts';
import { WorkerPool } from '../workers/pool.ts';
import { assertPatchedBinding, BINDING_PATCH, bindingVersion } from '../zk/binding.ts';
import { ZkSession } from '../zk/session.ts';
import { deleteTree, ensurePath } from '../zk/tree.ts';
import { acquireEnsemble, ensembleSettingsFor } from './acquire-ensemble.ts';
import { LeaderPoller } from './leader-poller.ts';
import { serverBugNotes } from '../ensemble/known-server-bugs.ts';
import { scanRunRecord } from '../results/stall-scan.ts';
import { chooseWorkers } from '../workers/worker-count.ts';

const require = createRequire(import.meta.url);
const SUITE_VERSION = (require('../../package.json') as { version: string }).version;
const CONNECT_TIMEOUT_MS = 30_000;

export interface BenchOptions {
  workload: Workload;
  workloadFile: string;
  argv: string[];
  connect: string | undefined;
  resultsDir: string;
  /** Name of the run directory inside resultsDir; default the run id (<UTC timestamp>-<workload>). */
  runDirName?: string;
  /** Origin: the command's start (a suite: the workload's), so the first acquisition's timestamp is the time to it. */
  clock: RunClock;
  /** Aborts on Ctrl-C / SIGTERM. */
  signal: AbortSignal;
  progress: RecipeProgress & { recipeDone(r: RecipeResult): void };
  log: (line: string) => void;
}

export interface BenchOutcome {
  record: RunRecord;
  /** Absent when nothing complete was measured (no recipe finished). */
  runDir: string | undefined;
  /** The failure, when outcome is 'failed'. */
  failure: unknown;
}

function hostInfo(): RunRecord['host'] {
  const cpus = os.cpus();
  return {
    hostname: os.hostname(),
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
  };
}

/** Runs one recipe while polling the leader (at once when sessions lose their server); its timelines get the answers. */
async function withLeaderPolls(ensemble: Ensemble, pool: WorkerPool, clock: RunClock, run: () => Promise<RecipeResult[]>): Promise<RecipeResult[]> {
  const poller = new LeaderPoller(async () => (await ensemble.leader())?.id, clock).start();
  pool.onSessionEvents(() => poller.pollNow());
  try {
    const results = await run();
    const leaders = poller.stop();
    return results.map((r) => (r.timeline ? { ...r, timeline: { ...r.timeline, leaders } } : r));
  } finally {
    pool.onSessionEvents(undefined);
    poller.stop();
  }
}

export async function runBench(o: BenchOptions): Promise<BenchOutcome> {
  // Resolved below once it is known where the servers run (workers: 0 means "choose").
  let w = o.workload;
  const scenario = scenarioById(w.scenario);
  const warnings = workloadWarnings(w);
  for (const warning of warnings) o.log(`warning: ${warning}`);
  const startedAt = new Date();
  const runId = makeRunId(w.name, startedAt);
  // A random suffix: two runs started in the same second against one ensemble must not share nodes.
  const namespace = `/zkbench/${runId}-${randomBytes(3).toString('hex')}`;
  const recipes: RecipeResult[] = [];
  const ensembleRecord: EnsembleRecord = {
    kind: o.connect ? 'external' : 'embedded',
    connectString: o.connect ?? '',
    servers: w.servers,
    leaderId: undefined,
    serverVersion: undefined,
    settings: undefined,
    startMs: undefined,
    serverCpuPct: {},
    notes: [],
  };
  let outcome: RunOutcome = 'completed';
  let failure: unknown;
  let ensemble: Ensemble | undefined;
  /** Where the servers' logs stood when the run began; servers zkbench started only. */
  let serverFileMarks: ServerFileMarks | undefined;
  let admin: ZkSession | undefined;
  let pool: WorkerPool | undefined;
  let record: RunRecord;
  let runDir: string | undefined;

  try {
    try {
      assertPatchedBinding();
      o.progress.phase(o.connect ? `connecting to ${o.connect}` : `starting a ${w.servers}-server ZooKeeper ensemble`);
      const acquired = await acquireEnsemble(w, o.connect, o.signal);
      ensemble = acquired.ensemble;
      if (ensemble.kind !== 'external') serverFileMarks = markServerFiles(ensemble);
      for (const n of acquired.notes) o.log(n);
      Object.assign(ensembleRecord, {
        kind: ensemble.kind,
        connectString: ensemble.connectString,
        servers: ensemble.servers.length,
        settings: ensemble.settings ?? (ensemble.kind === 'external' ? undefined : ensembleSettingsFor(w)),
        startMs: acquired.startMs,
        leaderId: (await ensemble.leader())?.id,
        serverVersion: await ensemble.serverVersion(),
      });
      // Printed with the table's notes at the end (stdout), and in run.json.
      ensembleRecord.notes = serverBugNotes(ensembleRecord.serverVersion, ensemble.settings?.commitWakeupGuardMs);
      o.signal.throwIfAborted();
      w = { ...w, workers: chooseWorkers(w.workers, w.clients, ensemble.kind !== 'external') };
      const sessions = {
        connect: ensemble.connectString,
        sessionTimeoutMs: w.sessionTimeoutMs,
        connectTimeoutMs: CONNECT_TIMEOUT_MS,
        serversResolutionDelayMs: w.resolutionDelayMs,
      };
      admin = await ZkSession.open({ ...sessions, signal: o.signal });
      await ensurePath(admin, namespace, { exclusive: true });
      o.signal.throwIfAborted();
      const coordinator = await scenario.coordinator();
      pool = WorkerPool.start(scenario.loadProcesses?.(w) ?? w.workers);

      const serverView = (edge: WindowEdge) => takeServerView(ensemble!, edge);
      const cpuBefore = await ensemble.serverCpuSeconds();
      const cpuT0 = performance.now();
      for (const recipe of w.recipes) {
        if (o.signal.aborted) break;
        const ctx = { workload: w, pool, admin, namespace, clock: o.clock, sessions, progress: o.progress, signal: o.signal, serverCpuSeconds: () => ensemble!.serverCpuSeconds(), serverView };
        const results = await withLeaderPolls(ensemble, pool, o.clock, () => coordinator.runRecipe(ctx, recipe));
        const complete = results.filter((r) => !r.interrupted); // cut short: not comparable, not written
        for (const r of complete) {
          recipes.push(r);
          o.progress.recipeDone(r);
        }
        if (complete.length < results.length) break;
      }
      const cpuAfter = await ensemble.serverCpuSeconds();
      const wallS = (performance.now() - cpuT0) / 1000;
      for (const [id, s] of cpuAfter) {
        const before = cpuBefore.get(id);
        if (before !== undefined && wallS > 0) ensembleRecord.serverCpuPct[String(id)] = (100 * (s - before)) / wallS;
      }
      if (o.signal.aborted) outcome = 'interrupted';
    } catch (err) {
      outcome = o.signal.aborted ? 'interrupted' : 'failed';
      failure = err;
    } finally {
      o.progress.phase('cleaning up');
      await pool?.close().catch(() => undefined);
      if (admin) {
        // Ephemeral nodes of a load process that died live until its sessions expire: wait that long at most.
        await deleteTree(admin, namespace, w.sessionTimeoutMs + 2000).catch((err: unknown) =>
          o.log(`could not remove ${namespace}: ${(err as Error).message}`),
        );
        await admin.delete('/zkbench').catch(() => undefined); // succeeds only when no other run is using it
        admin.close();
      }
    }

    const firstAt = recipes[0]?.firstAcquisitionAt;
    record = {
      runId,
      workload: w,
      workloadFile: o.workloadFile,
      argv: o.argv,
      versions: { suite: SUITE_VERSION, node: process.version, zookeeperClient: `npm zookeeper ${bindingVersion()}${BINDING_PATCH === undefined ? ' (as shipped)' : ` + zkbench patch ${BINDING_PATCH}`}`, zookeeperServer: ensembleRecord.serverVersion },
      host: hostInfo(),
      ensemble: ensembleRecord,
      startedAt,
      endedAt: new Date(),
      outcome,
      error: failure === undefined ? undefined : String((failure as Error).message ?? failure),
      timeToFirstAcquisitionMs: firstAt === undefined ? undefined : firstAt / 1e6,
      recipes,
      ...(warnings.length > 0 ? { warnings } : {}),
      thresholds: [],
    };
    if (ensemble && serverFileMarks) {
      record.serverLogs = serverLogRecords(readServerFiles(ensemble.servers, serverFileMarks));
      // Log lines carry wall-clock times: placed on the run clock by one pairing of the two clocks, now.
      const [wallMs, runNs] = [Date.now(), o.clock.now()];
      const spans = recipes.map((r) => ({ recipe: seriesName(r), from: r.startedAt, to: r.endedAt }));
      record.events = [...(record.events ?? []), ...warningEvents(record.serverLogs, spans, (at) => runNs + (at.getTime() - wallMs) * 1e6)];
    }
    const rules = Object.entries(w.thresholds).map(([selector, requirement]) => parseThreshold(selector, requirement));
    if (recipes.length > 0) record.thresholds = checkThresholds(summaryRows(record), rules);
    if (recipes.length > 0) record.stalls = scanRunRecord(record);
    // Written before the servers stop, so a second Ctrl-C during their shutdown cannot lose it.
    runDir = recipes.length > 0 ? writeRun(o.resultsDir, o.runDirName ?? runId, record) : undefined;
  } finally {
    await ensemble?.close().catch((err: unknown) => o.log(`stopping the ensemble failed: ${(err as Error).message}`));
  }
  return { record, runDir, failure };
}
