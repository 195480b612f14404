// Where a run's servers come from: --compose-project (a docker compose project's containers), --connect
// (an existing ensemble), else the one `zkbench ensemble up` keeps running, else a fresh embedded
// ensemble shaped by the workload.
import {
  connectExistingEnsemble,
  openKeptEnsemble,
  parseConnectString,
  keptStateFile,
  sessionTimeoutBounds,
  startEmbeddedEnsemble,
  type Ensemble,
  type EnsembleSettings,
} from '../ensemble/index.ts';
import { openComposeEnsemble } from '../ensemble/compose/ensemble.ts';
import type { Workload } from '../workload/schema.ts';
import { commandHint } from '../process/command-hint.ts';
import { WorkloadError } from '../workload/validate.ts';

export function ensembleSettingsFor(w: Workload): EnsembleSettings {
  return {
    servers: w.servers,
    tickTimeMs: w.tickTimeMs,
    ...sessionTimeoutBounds(w.tickTimeMs, w.sessionTimeoutMs),
    maxClientCnxns: 0,
    heapMb: 512,
    commitWakeupGuardMs: w.commitWakeupGuardMs,
    ...(w.fourLetterWords !== 'all' ? { fourLetterWords: w.fourLetterWords as 'ruok' | 'none' } : {}),
    ...(w.adminServer === 'on' ? { adminServer: true } : {}),
    ...(w.ensembleSecurity !== 'none' ? { security: w.ensembleSecurity } : {}),
  };
}

/**
 * Faults act on server processes (signals) and on this host's packet filter, or on containers whose
 * compose project the user named: an ensemble reached with --connect alone is none of these, so a
 * workload with faults is refused against one before anything starts.
 */
/** --connect as given must name servers (checked before anything starts): a usage error, exit 2, else. */
export function checkConnectString(connect: string | undefined): void {
  if (connect === undefined) return;
  try {
    parseConnectString(connect);
  } catch (err) {
    throw new WorkloadError(`--connect: ${(err as Error).message}`);
  }
}

export function refuseFaultsOnConnect(w: Workload, connect: string | undefined, composeProject?: string): void {
  checkConnectString(connect);
  if (!connect || composeProject !== undefined || w.faults.length === 0) return;
  throw new WorkloadError(
    `--connect: workload "${w.name}" has faults (field "faults"), and zkbench kills, pauses and cuts off only servers it runs on this host ` +
      `(an embedded ensemble, or one kept by \`${commandHint('ensemble up')}\`) or the containers of a docker compose project named with --compose-project, ` +
      `not ${connect}; drop --connect, name the compose project those servers belong to, or remove the faults`,
  );
}

export interface AcquiredEnsemble {
  ensemble: Ensemble;
  /** Time to start it, for an embedded ensemble. */
  startMs: number | undefined;
  notes: string[];
  /** Figures this ensemble cannot give, said in the run's notes (run.json too). */
  notMeasured: string[];
}

export async function acquireEnsemble(w: Workload, connect: string | undefined, signal: AbortSignal, composeProject?: string, adminPort?: number): Promise<AcquiredEnsemble> {
  if (composeProject !== undefined) {
    const ensemble = await openComposeEnsemble(composeProject, connect);
    const notes = [`compose project ${composeProject}: servers ${ensemble.control.servers.map((s) => `${s.id} (${s.container})`).join(', ')} at ${ensemble.connectString}`];
    return { ensemble, startMs: undefined, notes, notMeasured: ensemble.notMeasured() };
  }
  if (connect) {
    const ensemble = await connectExistingEnsemble(connect, 'external', adminPort !== undefined ? { adminPort } : {});
    const silent = ensemble.unreachable.map((s) => `${s.host}:${s.clientPort}`);
    const notes = silent.length > 0 ? [`warning: ${silent.join(', ')} did not answer; running against the servers that did`] : [];
    return { ensemble, startMs: undefined, notes, notMeasured: [] };
  }
  const kept = await openKeptEnsemble();
  if (kept) {
    const notes = [`using the ensemble kept by \`${commandHint('ensemble up')}\` (${kept.connectString}; state in ${keptStateFile()})`];
    const s = kept.settings;
    if (s && (s.servers !== w.servers || s.tickTimeMs !== w.tickTimeMs)) {
      notes.push(
        `note: it has ${s.servers} server(s), tickTime ${s.tickTimeMs} ms; the workload asks for ${w.servers} server(s), tickTime ${w.tickTimeMs} ms (run.json records what was used)`,
      );
    }
    const min = s?.minSessionTimeoutMs;
    const max = s?.maxSessionTimeoutMs;
    if ((min !== undefined && w.sessionTimeoutMs < min) || (max !== undefined && w.sessionTimeoutMs > max)) {
      notes.push(`note: it clamps session timeouts to [${min}, ${max}] ms; the workload asks for ${w.sessionTimeoutMs} ms`);
    }
    return { ensemble: kept, startMs: undefined, notes, notMeasured: [] };
  }
  const t0 = performance.now();
  const ensemble = await startEmbeddedEnsemble(ensembleSettingsFor(w), { signal });
  return { ensemble, startMs: performance.now() - t0, notes: [], notMeasured: [] };
}
