// Stage 2 of a bench run: the servers. Starts (or finds) the ensemble, records what it is (kind, version,
// leader, settings, known server bugs), marks where the servers' logs stand, and settles what depends on
// where the servers run: the session settings and how many load processes to start. The ensemble is held
// from the moment it exists, so close() stops what was started even when acquiring failed half way.
import { existsSync } from 'node:fs';
import { ComposeEnsemble } from '../ensemble/compose/ensemble.ts';
import { keptStateFile, type Ensemble } from '../ensemble/index.ts';
import { serverBugNotes } from '../ensemble/known-server-bugs.ts';
import { probeFigureSources } from '../ensemble/server-status.ts';
import { usableNft } from '../ensemble/faults/nftables.ts';
import { markServerFiles, type ServerFileMarks } from '../ensemble/server-files.ts';
import type { EnsembleRecord } from '../results/run-record.ts';
import { chooseWorkers } from '../workers/worker-count.ts';
import type { SessionSettings } from '../workers/protocol.ts';
import type { Workload } from '../workload/schema.ts';
import { assertPatchedBinding } from '../zk/binding.ts';
import { routeOwnClientLog } from '../zk/own-client-log.ts';
import type { SaslOptions } from '../zk/security.ts';
import { acquireEnsemble, ensembleSettingsFor } from './acquire-ensemble.ts';
import { sessionSecurity, speakTlsToConnectString, TLS_INSECURE_WARNING, workloadTls } from './client-security.ts';
import type { RunPlan } from './run-plan.ts';

export const CONNECT_TIMEOUT_MS = 30_000;

export interface ServersOptions {
  connect: string | undefined;
  /** --admin-port: the AdminServer port of every --connect server. */
  adminPort?: number | undefined;
  composeProject?: string | undefined;
  signal: AbortSignal;
  progress: { phase(text: string): void };
  log: (line: string) => void;
  /** SASL credentials of the run's sessions (the coordinator's own; never sent to remote workers). */
  sasl?: SaslOptions | undefined;
}

export class ServersStage {
  ensemble: Ensemble | undefined;
  /** run.json's "ensemble": what is known so far (the defaults until the servers answer). */
  readonly record: EnsembleRecord;
  /** Where the servers' logs stood when the run began; servers zkbench started only. */
  fileMarks: ServerFileMarks | undefined;
  /** The plan's workload with its load processes chosen for where the servers run. */
  workload: Workload;
  sessions: SessionSettings | undefined;

  constructor(private readonly plan: RunPlan, private readonly o: ServersOptions) {
    this.workload = plan.workload;
    this.record = {
      kind: o.composeProject !== undefined ? 'compose' : o.connect ? 'external' : 'embedded',
      connectString: o.connect ?? '',
      servers: plan.workload.servers,
      leaderId: undefined,
      serverVersion: undefined,
      settings: undefined,
      startMs: undefined,
      serverCpuPct: {},
      notes: [],
    };
  }

  async acquire(): Promise<{ ensemble: Ensemble; sessions: SessionSettings }> {
    const { o } = this;
    const w = this.plan.workload;
    assertPatchedBinding();
    routeOwnClientLog();
    // Before the servers start: isolation needs nft and root (a compose project's servers are cut off by docker instead).
    if (o.composeProject === undefined && w.faults.some((f) => f.action === 'isolate')) usableNft();
    // TLS files are checked before anything starts; over TLS, zkbench's own srvr/mntr go over TLS too.
    const tls = workloadTls(w);
    if (tls && o.connect) speakTlsToConnectString(o.connect, tls);
    if (tls?.insecure) o.log(TLS_INSECURE_WARNING);
    o.progress.phase(
      o.composeProject !== undefined
        ? `finding the servers of compose project ${o.composeProject}`
        : o.connect
          ? `connecting to ${o.connect}`
          : // A kept ensemble's state file: the run will use it if its servers still run (acquire-ensemble.ts says which).
            existsSync(keptStateFile())
            ? `looking for the kept ensemble (${keptStateFile()}); a ${w.servers}-server one is started if it is gone`
            : `starting a ${w.servers}-server ZooKeeper ensemble`,
    );
    const acquired = await acquireEnsemble(w, o.connect, o.signal, o.composeProject, o.adminPort);
    const ensemble = (this.ensemble = acquired.ensemble);
    if (ensemble.kind === 'embedded' || ensemble.kind === 'kept') this.fileMarks = markServerFiles(ensemble);
    for (const n of acquired.notes) o.log(n);
    Object.assign(this.record, {
      kind: ensemble.kind,
      connectString: ensemble.connectString,
      servers: ensemble.servers.length,
      settings: ensemble.settings ?? (ensemble.kind === 'external' || ensemble.kind === 'compose' ? undefined : ensembleSettingsFor(w)),
      startMs: acquired.startMs,
      leaderId: (await ensemble.leader())?.id,
      serverVersion: await ensemble.serverVersion(),
    });
    // Where leader, version and the server view come from on servers that allow few four-letter words.
    this.record.figureSources = await probeFigureSources(ensemble.servers, 5000); // once per run: a busy host gets time to answer
    // Printed with the table's notes at the end (stdout), and in run.json.
    const guardMs = ensemble.settings?.commitWakeupGuardMs ?? (ensemble instanceof ComposeEnsemble ? ensemble.commitWakeupGuardMs : undefined);
    this.record.notes = [...serverBugNotes(this.record.serverVersion, guardMs), ...acquired.notMeasured, ...(tls?.insecure ? [TLS_INSECURE_WARNING] : [])];
    o.signal.throwIfAborted();
    this.workload = { ...w, workers: chooseWorkers(w.workers, w.clients, ensemble.kind !== 'external') };
    this.sessions = {
      connect: ensemble.connectString,
      sessionTimeoutMs: w.sessionTimeoutMs,
      connectTimeoutMs: CONNECT_TIMEOUT_MS,
      serversResolutionDelayMs: w.resolutionDelayMs,
      ...sessionSecurity(w, ensemble, o.sasl),
    };
    return { ensemble, sessions: this.sessions };
  }

  /** Stops the servers zkbench started (a kept or external ensemble is left running). */
  async close(): Promise<void> {
    await this.ensemble?.close().catch((err: unknown) => this.o.log(`stopping the ensemble failed: ${(err as Error).message}`));
  }
}
