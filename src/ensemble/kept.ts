// `zkbench ensemble up|status|down`: an embedded ensemble that outlives the command that started
// it, so many bench runs can share one warm ensemble. What it is lives in a small JSON state file.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { commandHint } from '../process/command-hint.ts';
import { startEmbeddedEnsemble } from './embedded.ts';
import { ObservedEnsemble } from './existing.ts';
import { KeptServerControl, type KeptServerInfo } from './kept-control.ts';
import type { ServerMode } from './four-letter-words.ts';
import type { ZooKeeperInstallation } from './installation.ts';
import { isRunning } from './proc-stat.ts';
import { probeServer } from './queries.ts';
import { stopProcess } from './stop-process.ts';
import type { EnsembleSettings } from './types.ts';

export interface KeptServer {
  id: number;
  host: string;
  clientPort: number;
  pid: number;
  logFile: string;
  /** Absent in state files written before GC logs were kept. */
  gcLogFile?: string;
  /** Absent in state files written before faults: such an ensemble cannot be isolated (one address for all). */
  quorumPort?: number;
  electionPort?: number;
  sourceBound?: boolean;
}

export interface KeptEnsembleState {
  version: 1;
  baseDir: string;
  startedAt: string;
  connectString: string;
  settings: EnsembleSettings;
  zookeeperVersion?: string;
  servers: KeptServer[];
}

export interface KeptServerStatus extends KeptServer {
  alive: boolean;
  /** undefined when the server does not answer or is not serving (no quorum). */
  mode: ServerMode | undefined;
}

export interface KeptEnsembleStatus {
  /** True while at least one server process of the kept ensemble runs. */
  up: boolean;
  stateFile: string;
  state?: KeptEnsembleState;
  servers: KeptServerStatus[];
  /** Id of the server in Mode leader (or standalone). */
  leader?: number;
}

/** Read at call time so tests and users can point ZKBENCH_STATE_DIR elsewhere. */
export function keptStateFile(): string {
  const dir = process.env.ZKBENCH_STATE_DIR ?? path.join(os.tmpdir(), 'zkbench');
  return path.join(dir, 'ensemble.json');
}

function readState(file: string): KeptEnsembleState | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    const state = JSON.parse(text) as KeptEnsembleState;
    if (state.version !== 1 || !Array.isArray(state.servers) || typeof state.baseDir !== 'string') throw new Error('unexpected shape');
    return state;
  } catch (err) {
    throw new Error(`kept-ensemble state file ${file} is unreadable (${(err as Error).message}); stop its servers by hand if any run, then delete the file`);
  }
}

function writeState(file: string, state: KeptEnsembleState): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(state, null, 2) + '\n');
  fs.renameSync(tmp, file); // atomic: a concurrent status never reads half a file
}

/**
 * Alive and still our server: after a reboot a recorded PID may belong to an unrelated process, so
 * it must also carry the ensemble's base dir on its command line (where /proc lets us check).
 */
function isOurServer(pid: number, baseDir: string): boolean {
  if (!isRunning(pid)) return false;
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(baseDir);
  } catch {
    return true; // no /proc: trust the PID
  }
}

/** Remove the ensemble's directory, but only one that looks like ours. */
function removeBaseDir(baseDir: string): void {
  const ours = path.basename(baseDir).startsWith('zkbench-ensemble-') || fs.existsSync(path.join(baseDir, 'zoo1.cfg'));
  if (ours) fs.rmSync(baseDir, { recursive: true, force: true });
}

function removeState(file: string, state: KeptEnsembleState): void {
  removeBaseDir(state.baseDir);
  fs.rmSync(file, { force: true });
}

function anyAlive(state: KeptEnsembleState): boolean {
  return state.servers.some((s) => isOurServer(s.pid, state.baseDir));
}

/** `ensemble up` while one is up: the environment is not what the command needs (exit 3). */
export class KeptEnsembleRunningError extends Error {
  override readonly name = 'KeptEnsembleRunningError';
}

/** Start a detached ensemble and record it; refuses when one is already up. */
export async function upKeptEnsemble(
  settings: EnsembleSettings,
  opts: { startTimeoutMs?: number; installation?: ZooKeeperInstallation; signal?: AbortSignal } = {},
): Promise<KeptEnsembleState> {
  const file = keptStateFile();
  const existing = readState(file);
  if (existing && anyAlive(existing)) {
    throw new KeptEnsembleRunningError(
      `a kept ensemble is already up (${existing.connectString}, started ${existing.startedAt}, state in ${file}); ` +
        `use it as it is, or stop it first with \`${commandHint('ensemble down')}\``,
    );
  }
  if (existing) removeState(file, existing); // stale: its servers are gone

  const startOpts: Parameters<typeof startEmbeddedEnsemble>[1] = { detached: true };
  if (opts.startTimeoutMs !== undefined) startOpts.startTimeoutMs = opts.startTimeoutMs;
  if (opts.installation !== undefined) startOpts.installation = opts.installation;
  if (opts.signal !== undefined) startOpts.signal = opts.signal;
  const ensemble = await startEmbeddedEnsemble(settings, startOpts);
  try {
    const state: KeptEnsembleState = {
      version: 1,
      baseDir: ensemble.baseDir,
      startedAt: new Date().toISOString(),
      connectString: ensemble.connectString,
      settings: ensemble.settings,
      servers: ensemble.servers.map((s) => {
        if (s.pid === undefined) throw new Error(`server ${s.id} has no pid`);
        return {
          id: s.id,
          host: s.host,
          clientPort: s.clientPort,
          pid: s.pid,
          logFile: s.logFile,
          gcLogFile: s.gcLogFile,
          quorumPort: s.quorumPort,
          electionPort: s.electionPort,
          sourceBound: s.sourceBound,
        };
      }),
    };
    const version = await ensemble.serverVersion();
    if (version !== undefined) state.zookeeperVersion = version;
    writeState(file, state);
    return state;
  } catch (err) {
    await ensemble.close().catch(() => {});
    throw err;
  }
}

/** Process and `srvr` mode of every server of the kept ensemble (`up: false` when there is none). */
export async function keptEnsembleStatus(): Promise<KeptEnsembleStatus> {
  const stateFile = keptStateFile();
  const state = readState(stateFile);
  if (!state) return { up: false, stateFile, servers: [] };
  const servers = await Promise.all(
    state.servers.map(async (s): Promise<KeptServerStatus> => {
      const alive = isOurServer(s.pid, state.baseDir);
      const info = alive ? await probeServer(s, 1000) : undefined;
      return { ...s, alive, mode: info?.mode };
    }),
  );
  const status: KeptEnsembleStatus = { up: servers.some((s) => s.alive), stateFile, state, servers };
  const leader = servers.find((s) => s.mode === 'leader' || s.mode === 'standalone');
  if (leader) status.leader = leader.id;
  return status;
}

/** Stop every server (SIGTERM, SIGKILL after 5 s) and remove its dir and the state file. */
export async function downKeptEnsemble(): Promise<KeptEnsembleState | undefined> {
  const file = keptStateFile();
  const state = readState(file);
  if (!state) return undefined;
  await Promise.all(state.servers.filter((s) => isOurServer(s.pid, state.baseDir)).map((s) => stopProcess(s.pid)));
  removeState(file, state);
  return state;
}

/** A server restarted by a fault has a new PID: recorded so `ensemble down` stops that one. */
function recordRestartedPid(file: string, id: number, pid: number): void {
  const state = readState(file);
  const server = state?.servers.find((s) => s.id === id);
  if (!state || !server) return;
  server.pid = pid;
  writeState(file, state);
}

/** The kept ensemble as an Ensemble (kind 'kept'), or undefined when none is up; a stale state file is removed. */
export async function openKeptEnsemble(): Promise<ObservedEnsemble | undefined> {
  const file = keptStateFile();
  const state = readState(file);
  if (!state) return undefined;
  if (!anyAlive(state)) {
    removeState(file, state);
    return undefined;
  }
  const servers: KeptServerInfo[] = state.servers.map((s) => ({
    id: s.id,
    host: s.host,
    clientPort: s.clientPort,
    pid: s.pid,
    logFile: s.logFile,
    ...(s.gcLogFile !== undefined ? { gcLogFile: s.gcLogFile } : {}),
    // An older state file: no ports recorded, so isolation refuses it (faults/nftables.ts needs distinct addresses anyway).
    quorumPort: s.quorumPort ?? 0,
    electionPort: s.electionPort ?? 0,
    sourceBound: s.sourceBound ?? false,
  }));
  const down = servers.filter((s) => s.pid === undefined || !isOurServer(s.pid, state.baseDir));
  const control = new KeptServerControl(servers, (id, pid) => recordRestartedPid(file, id, pid));
  return new ObservedEnsemble('kept', servers, state.settings, down, control);
}
