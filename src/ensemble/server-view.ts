// The ensemble's own view of a measured window: `mntr` of every server at the window's start and end.
//
// Server-side latency over the window. ZooKeeper 3.8's latency figures are cumulative since the server
// started or since `srst` reset them. The window's mean request latency is taken from deltas of the
// cumulative `cnt_`/`sum_` summaries (readlatency + updatelatency), which needs no reset and is exact
// for any ensemble. A maximum cannot be had from cumulative counters, so the servers' statistics are
// reset (`srst`) when the window opens, and only on embedded ensembles: those servers serve this run
// alone. A kept ensemble may serve several runs at once (each has its own namespace for that reason),
// and a reset by one run would silently shorten another's window; an --connect ensemble is the user's,
// whose statistics are not ours to clear. There the maximum is left unknown.
import { fourLetterWord } from './four-letter-words.ts';
import { MNTR_KEYS, parseMntr, type MntrValues } from './mntr.ts';
import { adminCommand, mntrOfAdmin } from './server-status.ts';
import type { Ensemble, ServerInfo } from './types.ts';

export interface ServerMntr {
  id: number;
  /** Undefined when the server did not answer `mntr` (see `error`). */
  mntr?: MntrValues;
  /** Where mntr came from: the four-letter word or the AdminServer's /commands/mntr. */
  source?: '4lw' | 'admin-server';
  /** True when `srst` reset this server's statistics just before `mntr` was asked. */
  statsReset: boolean;
  error?: string;
}

export interface ServerViewSnapshot {
  /** Wall-clock moment the servers were asked (the window edge). */
  at: Date;
  servers: ServerMntr[];
}

export type WindowEdge = 'start' | 'end';

const TIMEOUT_MS = 2000;

/** Whether zkbench may reset the servers' statistics: see the comment at the top. */
export function mayResetServerStats(kind: Ensemble['kind']): boolean {
  return kind === 'embedded';
}

async function askServer(server: ServerInfo, reset: boolean): Promise<ServerMntr> {
  const { host, clientPort: port, id } = server;
  let error: string;
  let statsReset = false;
  try {
    if (reset) statsReset = /reset/i.test(await fourLetterWord(host, port, 'srst', TIMEOUT_MS));
    const text = await fourLetterWord(host, port, 'mntr', TIMEOUT_MS);
    const mntr = parseMntr(text);
    if (mntr !== undefined) return { id, mntr, statsReset, source: '4lw' };
    const said = text.trim().split('\n')[0] ?? '';
    error = said === '' ? 'empty answer to mntr' : `answered "${said.slice(0, 120)}"`;
  } catch (err) {
    error = (err as Error).message;
  }
  // A server that does not allow mntr may serve it over HTTP (its statistics are then not reset: no srst there).
  if (server.adminPort === undefined) return { id, statsReset, error };
  try {
    return { id, mntr: mntrOfAdmin(await adminCommand(host, server.adminPort, 'mntr', TIMEOUT_MS), MNTR_KEYS), statsReset: false, source: 'admin-server' };
  } catch (err) {
    return { id, statsReset, error: `${error}; ${(err as Error).message}` };
  }
}

/** `mntr` of every server at once (after `srst` at a window's start where allowed); never rejects. */
export async function takeServerView(ensemble: Pick<Ensemble, 'kind' | 'servers'>, edge: WindowEdge): Promise<ServerViewSnapshot> {
  const reset = edge === 'start' && mayResetServerStats(ensemble.kind);
  const at = new Date();
  const servers = await Promise.all(ensemble.servers.map((s) => askServer(s, reset)));
  return { at, servers };
}
