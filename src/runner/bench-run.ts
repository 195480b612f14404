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
import { ComposeEnsemble } from '../ensemble/compose/ensemble.ts';
import { acquireEnsemble, ensembleSettingsFor, refuseFaultsOnConnect } from './acquire-ensemble.ts';
import { LeaderPoller } from './leader-poller.ts';
import { serverBugNotes } from '../ensemble/known-server-bugs.ts';
import { scanRunRecord } from '../results/stall-scan.ts';
import { chooseWorkers } from '../workers/worker-count.ts';
import { FaultInjector } from '../ensemble/faults/injector.ts';
import { usableNft } from '../ensemble/faults/nftables.ts';
import type { FaultRecord } from '../measure/election-metrics.ts';
import { RecipeFaults } from './fault-run.ts';
import { RemoteWorkerGroup } from '../workers/remote/coordinator-side.ts';
import { remoteClockFigures, workerRecords } from './remote-run.ts';
import { WorkloadError } from '../workload/validate.ts';

const require = createRequire(import.meta.url);
const SUITE_VERSION = (require('../../package.json') as { version: string }).version;
const CONNECT_TIMEOUT_MS = 30_000;
const ADMIN_SESSION_TIMEOUT_MS = 30_000;
const adminTimeout = (w: Workload): number => Math.max(w.sessionTimeoutMs, ADMIN_SESSION_TIMEOUT_MS);

export interface BenchOptions {
  workload: Workload;
  workloadFile: string;
  argv: string[];
  connect: string | undefined;
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
  /** Run the clients on `count` remote workers (`zkbench worker`) registered under `root`, waiting at most waitS for them. */
  remote?: { count: number; root: string; waitS: number };
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

/**
 * Runs one recipe while polling the leader (at once when sessions lose their server), and its fault
 * schedule when the workload has one; its timelines get the leaders and the faults' events, its figures
 * the election's. The schedule is finished (the ensemble restored) on every way out of the recipe.
 */
async function runRecipeWatched(
  ensemble: Ensemble,
  pool: WorkerPool,
  clock: RunClock,
  faultsFor: ((poller: LeaderPoller) => RecipeFaults) | undefined,
  restartKilled: () => boolean,
  faultRecords: FaultRecord[],
  run: (faults: RecipeFaults | undefined) => Promise<RecipeResult[]>,
): Promise<RecipeResult[]> {
  const poller = new LeaderPoller(async () => (await ensemble.leader())?.id, clock).start();
  pool.onSessionEvents(() => poller.pollNow());
  const faults = faultsFor?.(poller);
  try {
    let results: RecipeResult[] | undefined;
    let failure: unknown;
    try {
      results = await run(faults);
    } catch (err) {
      failure = err;
    }
    if (faults) {
      try {
        const done = await faults.finish({ restartKilled: restartKilled() });
        results = results?.map((r) => ({
          ...r,
          metrics: [...r.metrics, ...done.metrics],
          ...(r.timeline ? { timeline: { ...r.timeline, events: [...r.timeline.events, ...done.events].sort((a, b) => a.atNs - b.atNs) } } : {}),
        }));
      } catch (err) {
        failure ??= err;
      } finally {
        faultRecords.push(...faults.records);
      }
    }
    if (failure !== undefined) throw failure;
    const leaders = poller.stop();
    return results!.map((r) => (r.timeline ? { ...r, timeline: { ...r.timeline, leaders } } : r));
  } finally {
    pool.onSessionEvents(undefined);
    poller.stop();
  }
}

/** What --remote-workers needs, checked before anything starts. */
function refuseRemote(scenario: string, ownProcesses: boolean, connect: string | undefined, count: number): void {
  if (!Number.isInteger(count) || count < 1) throw new WorkloadError(`--remote-workers must be a whole number of at least 1, got ${count}`);
  if (!connect) {
    throw new WorkloadError('--remote-workers needs --connect host:port,...: the workers must reach the ensemble before the run starts, so it cannot be one this run starts');
  }
  if (ownProcesses) {
    throw new WorkloadError(`the ${scenario} scenario decides its own load processes (it kills or pauses them, or uses none): run it with local --workers`);
  }
}

export async function runBench(o: BenchOptions): Promise<BenchOutcome> {
  // Resolved below once it is known where the servers run (workers: 0 means "choose").
  let w = o.workload;
  refuseFaultsOnConnect(w, o.connect, o.composeProject); // before anything starts
  const scenario = scenarioById(w.scenario);
  if (o.remote) refuseRemote(scenario.id, scenario.loadProcesses !== undefined, o.connect, o.remote.count);
  const warnings = workloadWarnings(w);
  for (const warning of warnings) o.log(`warning: ${warning}`);
  const startedAt = new Date();
  const runId = makeRunId(w.name, startedAt);
  // A random suffix: two runs started in the same second against one ensemble must not share nodes.
  const namespace = `/zkbench/${runId}-${randomBytes(3).toString('hex')}`;
  const recipes: RecipeResult[] = [];
  const ensembleRecord: EnsembleRecord = {
    kind: o.composeProject !== undefined ? 'compose' : o.connect ? 'external' : 'embedded',
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
  /** The remote workers claimed for this run (--remote-workers). */
  let remoteGroup: RemoteWorkerGroup | undefined;
  let record: RunRecord;
  let runDir: string | undefined;
  /** The workload's faults: what does them, and what they did. */
  let injector: FaultInjector | undefined;
  const faultRecords: FaultRecord[] = [];

  try {
    try {
      assertPatchedBinding();
      // Before the servers start: isolation needs nft and root (a compose project's servers are cut off by docker instead).
      if (o.composeProject === undefined && w.faults.some((f) => f.action === 'isolate')) usableNft();
      o.progress.phase(
        o.composeProject !== undefined
          ? `finding the servers of compose project ${o.composeProject}`
          : o.connect
            ? `connecting to ${o.connect}`
            : `starting a ${w.servers}-server ZooKeeper ensemble`,
      );
      const acquired = await acquireEnsemble(w, o.connect, o.signal, o.composeProject);
      ensemble = acquired.ensemble;
      if (ensemble.kind === 'embedded' || ensemble.kind === 'kept') serverFileMarks = markServerFiles(ensemble);
      for (const n of acquired.notes) o.log(n);
      Object.assign(ensembleRecord, {
        kind: ensemble.kind,
        connectString: ensemble.connectString,
        servers: ensemble.servers.length,
        settings: ensemble.settings ?? (ensemble.kind === 'external' || ensemble.kind === 'compose' ? undefined : ensembleSettingsFor(w)),
        startMs: acquired.startMs,
        leaderId: (await ensemble.leader())?.id,
        serverVersion: await ensemble.serverVersion(),
      });
      // Printed with the table's notes at the end (stdout), and in run.json.
      const guardMs = ensemble.settings?.commitWakeupGuardMs ?? (ensemble instanceof ComposeEnsemble ? ensemble.commitWakeupGuardMs : undefined);
      ensembleRecord.notes = [...serverBugNotes(ensembleRecord.serverVersion, guardMs), ...acquired.notMeasured];
      o.signal.throwIfAborted();
      w = { ...w, workers: chooseWorkers(w.workers, w.clients, ensemble.kind !== 'external') };
      const sessions = {
        connect: ensemble.connectString,
        sessionTimeoutMs: w.sessionTimeoutMs,
        connectTimeoutMs: CONNECT_TIMEOUT_MS,
        serversResolutionDelayMs: w.resolutionDelayMs,
      };
      if (w.faults.length > 0) {
        // Checked before the first session: a run that cannot do its faults starts nothing.
        if (!ensemble.control) throw new Error(`the ${ensemble.kind} ensemble's servers are not under zkbench's control; faults need an embedded or kept ensemble`);
        injector = await FaultInjector.open(
          ensemble.control,
          o.clock,
          w.faults.filter((f) => f.action === 'isolate').map((f) => f.from ?? 'servers'),
        );
      }
      // The coordinator's own session sets up and checks, and measures nothing: it asks for a long timeout
      // (the servers cap it at 20 ticks), so a workload's short one cannot expire it on a busy host.
      admin = await ZkSession.open({ ...sessions, sessionTimeoutMs: adminTimeout(w), signal: o.signal });
      await ensurePath(admin, namespace, { exclusive: true });
      const probePath = `${namespace}/election-probe`; // what the election's write probe sets
      if (injector) await ensurePath(admin, probePath);
      o.signal.throwIfAborted();
      const coordinator = await scenario.coordinator();
      if (o.remote) {
        // The rendezvous (claims, mailboxes, barriers) is ZooKeeper traffic on the system under test: it
        // happens before each window opens (plans, clock exchange, barrier entry) and after it closes (results).
        o.progress.phase(`waiting for ${o.remote.count} remote worker(s) under ${o.remote.root}/workers`);
        remoteGroup = await RemoteWorkerGroup.gather({
          admin,
          root: o.remote.root,
          runName: namespace.slice(namespace.lastIndexOf('/') + 1),
          count: o.remote.count,
          waitMs: o.remote.waitS * 1000,
          connect: o.connect!,
          signal: o.signal,
          log: o.log,
        });
        pool = WorkerPool.over(remoteGroup.channels, () => o.clock.now());
        w = { ...w, workers: o.remote.count };
      } else pool = WorkerPool.start(scenario.loadProcesses?.(w) ?? w.workers);

      const serverView = (edge: WindowEdge) => takeServerView(ensemble!, edge);
      const cpuBefore = await ensemble.serverCpuSeconds();
      const cpuT0 = performance.now();
      for (const [index, recipe] of w.recipes.entries()) {
        if (o.signal.aborted) break;
        const ctx = { workload: w, pool, admin, namespace, clock: o.clock, sessions, progress: o.progress, signal: o.signal, serverCpuSeconds: () => ensemble!.serverCpuSeconds(), serverView };
        const faultsFor = injector
          ? (poller: LeaderPoller) =>
              new RecipeFaults({
                recipe,
                faults: w.faults,
                seed: w.seed,
                injector: injector!,
                control: ensemble!.control!,
                clock: o.clock,
                signal: o.signal,
                probePath,
                log: o.log,
                leaderSeen: (atNs, leader) => poller.observe(atNs, leader),
              })
          : undefined;
        // Killed servers come back for the next recipe; after the last one (or Ctrl-C) an embedded
        // ensemble is about to stop anyway, while a kept or compose one must be left whole.
        const restartKilled = (): boolean => ensemble!.kind === 'kept' || ensemble!.kind === 'compose' || (index < w.recipes.length - 1 && !o.signal.aborted);
        const lostBefore = pool.lost().length;
        const measured = await runRecipeWatched(ensemble, pool, o.clock, faultsFor, restartKilled, faultRecords, (faults) =>
          coordinator.runRecipe(faults ? { ...ctx, faults } : ctx, recipe),
        );
        const results = pool.remote ? measured.map((r) => remoteClockFigures(r, pool!, lostBefore)) : measured;
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
      await remoteGroup?.close().catch((err: unknown) => o.log(`releasing the remote workers failed: ${(err as Error).message}`));
      // Whatever a fault left in place (Ctrl-C mid-fault) is undone before the namespace goes and the servers stop.
      await injector?.close().catch((err: unknown) => o.log(`undoing the faults failed: ${(err as Error).message}`));
      if (admin && (admin.state === 'closed' || admin.state === 'expired') && ensemble) {
        // A fault can cost the admin session its life (the npm client closes a session it finds stuck
        // after a server died): the clean-up gets a new one.
        const reopened = await ZkSession.open({ connect: ensemble.connectString, sessionTimeoutMs: adminTimeout(w), connectTimeoutMs: CONNECT_TIMEOUT_MS }).catch(() => undefined);
        if (reopened) admin = reopened;
      }
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
      ...(faultRecords.length > 0 ? { faults: faultRecords } : {}),
      ...(pool?.remote ? { workers: workerRecords(pool), partial: pool.lost().length > 0 } : {}),
      thresholds: [],
    };
    // The servers' own logs: files on this host for servers zkbench started, docker logs for a compose project's.
    const serverTexts =
      ensemble && serverFileMarks
        ? readServerFiles(ensemble.servers, serverFileMarks)
        : ensemble instanceof ComposeEnsemble
          ? await ensemble.serverLogs(startedAt)
          : undefined;
    if (serverTexts) {
      record.serverLogs = serverLogRecords(serverTexts);
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
    await injector?.close().catch(() => undefined); // a second chance, e.g. after writing the results threw
    await ensemble?.close().catch((err: unknown) => o.log(`stopping the ensemble failed: ${(err as Error).message}`));
  }
  return { record, runDir, failure };
}
