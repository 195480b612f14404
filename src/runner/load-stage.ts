// Stage 3 of a bench run: the load. The coordinator's own session and the run's namespace, the fault
// injector when the workload has faults, the scenario's coordinator side, and the load processes (local
// children, or remote workers gathered through ZooKeeper). Each is held as soon as it exists, so close()
// undoes exactly what was started, in reverse: processes, remote workers, faults, then the namespace.
import type { Ensemble } from '../ensemble/index.ts';
import { FaultInjector } from '../ensemble/faults/injector.ts';
import type { RunClock } from '../measure/clock.ts';
import type { ScenarioCoordinator } from '../scenarios/scenario.ts';
import { WorkerPool } from '../workers/pool.ts';
import type { SessionSettings } from '../workers/protocol.ts';
import { RemoteWorkerGroup } from '../workers/remote/coordinator-side.ts';
import type { Workload } from '../workload/schema.ts';
import { ZkSession } from '../zk/session.ts';
import { liveMarker, RUNS_ROOT } from '../zk/run-namespaces.ts';
import { deleteTree, ensurePath } from '../zk/tree.ts';
import type { RunPlan } from './run-plan.ts';
import { createNamespace } from './namespace-access.ts';
import { CONNECT_TIMEOUT_MS } from './servers-stage.ts';

const ADMIN_SESSION_TIMEOUT_MS = 30_000;
const adminTimeout = (w: Workload): number => Math.max(w.sessionTimeoutMs, ADMIN_SESSION_TIMEOUT_MS);

export interface LoadOptions {
  clock: RunClock;
  connect: string | undefined;
  signal: AbortSignal;
  progress: { phase(text: string): void };
  log: (line: string) => void;
  /** Run the clients on `count` remote workers registered under `root`, waiting at most waitS for them. */
  remote?: { count: number; root: string; waitS: number } | undefined;
}

export class LoadStage {
  admin: ZkSession | undefined;
  /** The run's session settings (TLS, SASL too), for an admin session opened again after a fault. */
  private sessionSettings: SessionSettings | undefined;
  pool: WorkerPool | undefined;
  /** The remote workers claimed for this run (--remote-workers). */
  remoteGroup: RemoteWorkerGroup | undefined;
  /** The workload's faults: what does them. */
  injector: FaultInjector | undefined;
  coordinator: ScenarioCoordinator | undefined;
  /** What the election's write probe sets. */
  readonly probePath: string;
  /** The workload as run, once start() has it: with remote workers, `workers` is their count. */
  workload: Workload | undefined;
  private ensemble: Ensemble | undefined;
  /** The workload's session timeout, asked for and granted (start()). */
  sessionTimeout: { askedMs: number; negotiatedMs: number | undefined } | undefined;

  constructor(private readonly plan: RunPlan, private readonly o: LoadOptions) {
    this.probePath = `${plan.namespace}/election-probe`;
  }

  async start(ensemble: Ensemble, sessions: SessionSettings, workload: Workload): Promise<{ pool: WorkerPool; coordinator: ScenarioCoordinator; admin: ZkSession; workload: Workload }> {
    const { o, plan } = this;
    this.ensemble = ensemble;
    let w = (this.workload = workload);
    if (w.faults.length > 0) {
      // Checked before the first session: a run that cannot do its faults starts nothing.
      if (!ensemble.control) throw new Error(`the ${ensemble.kind} ensemble's servers are not under zkbench's control; faults need an embedded or kept ensemble`);
      this.injector = await FaultInjector.open(
        ensemble.control,
        o.clock,
        w.faults.filter((f) => f.action === 'isolate').map((f) => f.from ?? 'servers'),
      );
    }
    // The coordinator's own session sets up and checks, and measures nothing: it asks for a long timeout
    // (the servers cap it at 20 ticks), so a workload's short one cannot expire it on a busy host.
    this.sessionSettings = sessions;
    const admin = (this.admin = await ZkSession.open({ ...sessions, sessionTimeoutMs: adminTimeout(w), signal: o.signal }));
    // What the servers grant the workload's session timeout (they clamp it to their min and max): one session
    // asking for it, opened and closed, so the run prints and records the timeout its clients really have.
    const asked = await ZkSession.open({ ...sessions, sessionTimeoutMs: w.sessionTimeoutMs, signal: o.signal });
    this.sessionTimeout = { askedMs: w.sessionTimeoutMs, negotiatedMs: asked.negotiatedTimeoutMs };
    asked.close();
    await createNamespace(admin, plan.namespace, plan.access);
    if (this.injector) await ensurePath(admin, this.probePath);
    o.signal.throwIfAborted();
    const coordinator = (this.coordinator = await plan.scenario.coordinator());
    if (o.remote) {
      // The rendezvous (claims, mailboxes, barriers) is ZooKeeper traffic on the system under test: it
      // happens before each window opens (plans, clock exchange, barrier entry) and after it closes (results).
      o.progress.phase(`waiting for ${o.remote.count} remote worker(s) under ${o.remote.root}/workers`);
      this.remoteGroup = await RemoteWorkerGroup.gather({
        admin,
        root: o.remote.root,
        runName: plan.namespace.slice(plan.namespace.lastIndexOf('/') + 1),
        count: o.remote.count,
        waitMs: o.remote.waitS * 1000,
        connect: o.connect!,
        signal: o.signal,
        log: o.log,
      });
      this.pool = WorkerPool.over(this.remoteGroup.channels, () => o.clock.now());
      w = this.workload = { ...w, workers: o.remote.count };
    } else this.pool = WorkerPool.start(plan.scenario.loadProcesses?.(w) ?? w.workers);
    return { pool: this.pool, coordinator, admin, workload: w };
  }

  /** Everything start() began, undone: on every way out of the run, before the servers stop. */
  async close(): Promise<void> {
    const { o, plan } = this;
    await this.pool?.close().catch(() => undefined);
    await this.remoteGroup?.close().catch((err: unknown) => o.log(`releasing the remote workers failed: ${(err as Error).message}`));
    // Whatever a fault left in place (Ctrl-C mid-fault) is undone before the namespace goes and the servers stop.
    await this.injector?.close().catch((err: unknown) => o.log(`undoing the faults failed: ${(err as Error).message}`));
    let admin = this.admin;
    if (admin && (admin.state === 'closed' || admin.state === 'expired') && this.ensemble) {
      // A fault can cost the admin session its life (the npm client closes a session it finds stuck
      // after a server died): the clean-up gets a new one.
      const reopened = await ZkSession.open({
        ...(this.sessionSettings ?? { connect: this.ensemble.connectString }),
        sessionTimeoutMs: adminTimeout(this.workload ?? plan.workload),
        connectTimeoutMs: CONNECT_TIMEOUT_MS,
      }).catch(() => undefined);
      if (reopened) admin = reopened;
    }
    if (admin) {
      // Ephemeral nodes of a load process that died live until its sessions expire: wait that long at most.
      await deleteTree(admin, plan.namespace, (this.workload ?? plan.workload).sessionTimeoutMs + 2000).catch((err: unknown) =>
        o.log(`could not remove ${plan.namespace}: ${(err as Error).message}`),
      );
      await admin.delete(liveMarker(plan.namespace)).catch(() => undefined);
      await admin.delete(RUNS_ROOT).catch(() => undefined); // succeeds only when no other run is using it
      admin.close();
    }
  }

  /** A second chance to undo the faults, e.g. after writing the results threw. */
  async closeFaults(): Promise<void> {
    await this.injector?.close().catch(() => undefined);
  }
}
