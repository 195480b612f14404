// `zkbench ensemble up|status|down`: keep one embedded ensemble running between bench runs.
import { downKeptEnsemble, keptEnsembleStatus, upKeptEnsemble, DEFAULT_ENSEMBLE_SETTINGS, sessionTimeoutBounds } from '../ensemble/index.ts';
import { renderTable } from '../results/table-format.ts';
import { commandHint } from '../process/command-hint.ts';

/** Workloads may ask for session timeouts up to this long from a kept ensemble. */
const KEPT_MAX_SESSION_TIMEOUT_MS = 60_000;

export async function ensembleUp(servers: number, tickTimeMs: number): Promise<number> {
  // Ctrl-C while the servers come up stops them: they are detached, and nothing would know them later.
  const abort = new AbortController();
  const onSignal = (sig: NodeJS.Signals): void => abort.abort(new Error(`${sig}: ensemble start abandoned`));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const state = await upKeptEnsemble(
    { ...DEFAULT_ENSEMBLE_SETTINGS, servers, tickTimeMs, ...sessionTimeoutBounds(tickTimeMs, KEPT_MAX_SESSION_TIMEOUT_MS) },
    { signal: abort.signal },
  );
  process.stdout.write(
    `ensemble up: ${state.connectString} (ZooKeeper ${state.zookeeperVersion ?? '?'}, pids ${state.servers.map((s) => s.pid).join(' ')})\n` +
      `bench runs use it until \`${commandHint('ensemble down')}\`; logs in ${state.baseDir}\n`,
  );
  return 0;
}

export async function ensembleStatus(): Promise<number> {
  const status = await keptEnsembleStatus();
  if (!status.up) {
    process.stdout.write(`no kept ensemble is running (start one with \`${commandHint('ensemble up')}\`)\n`);
    return 1;
  }
  const rows = status.servers.map((s) => [String(s.id), `${s.host}:${s.clientPort}`, String(s.pid), s.alive ? 'running' : 'gone', s.mode ?? '-']);
  process.stdout.write(`${renderTable(['server', 'address', 'pid', 'process', 'mode'], rows, 'left')}\n`);
  process.stdout.write(`connect string: ${status.state?.connectString}; leader: ${status.leader ?? 'none'}\n`);
  return 0;
}

export async function ensembleDown(): Promise<number> {
  const state = await downKeptEnsemble();
  process.stdout.write(state ? `stopped the kept ensemble (pids ${state.servers.map((s) => s.pid).join(' ')})\n` : 'no kept ensemble was running\n');
  return 0;
}
