// A server's state (mode, version) and its own figures (mntr), from wherever the server allows asking:
// the four-letter words on the client port, else its AdminServer (/commands/server_stats, /commands/mntr)
// when one answers. Servers set up locked down (`4lw.commands.whitelist=ruok`, or none) answer a four-letter
// word they do not allow with a sentence, which is no answer about their state.
import http from 'node:http';
import { fourLetterWord, parseSrvr, type ServerMode, type SrvrInfo } from './four-letter-words.ts';
import type { MntrValues } from './mntr.ts';
import type { ServerInfo } from './types.ts';

/** Where a figure came from: the four-letter words, the AdminServer, or nowhere (not measured). */
export type FigureSource = '4lw' | 'admin-server' | 'none';

/** What a server outside a quorum answers instead of its state: an answer, meaning "no leader here". */
export const NOT_SERVING = 'not currently serving requests';
const NOT_ALLOWED = /not in the whitelist|not executed/i;

/** GET /commands/<command> of a server's AdminServer, as JSON; rejects with a readable error. */
export function adminCommand(host: string, port: number, command: string, timeoutMs = 2000): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host, port, path: `/commands/${command}`, timeout: timeoutMs, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => {
        if (res.statusCode !== 200) return reject(new Error(`AdminServer ${host}:${port} /commands/${command}: HTTP ${res.statusCode}`));
        try {
          resolve(JSON.parse(body) as Record<string, unknown>);
        } catch {
          reject(new Error(`AdminServer ${host}:${port} /commands/${command}: not JSON`));
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error(`AdminServer ${host}:${port} /commands/${command}: no answer within ${timeoutMs} ms`)));
    req.on('error', (err) => reject(new Error(`AdminServer ${host}:${port} /commands/${command}: ${err.message}`)));
  });
}

const MODES: readonly ServerMode[] = ['leader', 'follower', 'standalone', 'observer'];

/** server_stats' answer as srvr's: server_state is the Mode, version the version line. */
export function srvrOfServerStats(json: Record<string, unknown>): SrvrInfo {
  const stats = (json['server_stats'] ?? {}) as Record<string, unknown>;
  const state = String(stats['server_state'] ?? '');
  const version = typeof json['version'] === 'string' ? json['version'] : typeof stats['version'] === 'string' ? stats['version'] : undefined;
  return {
    mode: (MODES as readonly string[]).includes(state) ? (state as ServerMode) : undefined,
    ...(version !== undefined ? { version: String(version).split(',')[0]!.trim() } : {}),
    ...(typeof stats['num_alive_client_connections'] === 'number' ? { connections: stats['num_alive_client_connections'] } : {}),
  };
}

/** One server's state and where it came from, or why there is none. */
export type StatusAnswer = { server: ServerInfo; srvr: SrvrInfo; source?: Exclude<FigureSource, 'none'> } | { server: ServerInfo; error: string };

/** `srvr` of one server; when the word is not allowed (or not answered), its AdminServer's server_stats. */
export async function askStatus(server: ServerInfo, timeoutMs = 2000): Promise<StatusAnswer> {
  let why: string;
  try {
    const text = await fourLetterWord(server.host, server.clientPort, 'srvr', timeoutMs);
    const srvr = parseSrvr(text);
    if (srvr.mode !== undefined || text.includes(NOT_SERVING)) return { server, srvr, source: '4lw' };
    why = NOT_ALLOWED.test(text) ? 'srvr is not allowed (4lw.commands.whitelist)' : `answered ${JSON.stringify(text.trim().slice(0, 80))}, not srvr's state`;
  } catch (err) {
    why = (err as Error).message;
  }
  if (server.adminPort === undefined) return { server, error: `${why}; no AdminServer known` };
  try {
    const json = await adminCommand(server.host, server.adminPort, 'server_stats', timeoutMs);
    return { server, srvr: srvrOfServerStats(json), source: 'admin-server' };
  } catch (err) {
    return { server, error: `${why}; ${(err as Error).message}` };
  }
}

/** The AdminServer's mntr keeps 4lw mntr's keys without their zk_ prefix; numbers as numbers. */
export function mntrOfAdmin(json: Record<string, unknown>, keys: readonly string[]): MntrValues {
  const out: MntrValues = {};
  for (const k of keys) {
    const v = json[k];
    if (typeof v === 'number' || typeof v === 'string') out[k] = v;
  }
  return out;
}

/** Where the ensemble's own figures come from, and what is missing and why (run.json: ensemble.figureSources, notMeasured). */
export interface FigureSources {
  /** Leader detection, the server version and the failover figures that poll the leader: srvr, or server_stats. */
  serverState: FigureSource;
  /** The ensemble's view of each window (server latency, queues, znodes...): mntr, or /commands/mntr. */
  serverView: FigureSource;
  missing: { figure: string; reason: string }[];
}

/** Ask every server once, the way the run will: which source answers each question. */
export async function probeFigureSources(servers: readonly ServerInfo[], timeoutMs = 2000): Promise<FigureSources> {
  const states = await Promise.all(servers.map((s) => askStatus(s, timeoutMs)));
  const views = await Promise.all(servers.map((s) => askMntrSource(s, timeoutMs)));
  const pick = (sources: (FigureSource | undefined)[]): FigureSource => (sources.includes('4lw') ? '4lw' : sources.includes('admin-server') ? 'admin-server' : 'none');
  const serverState = pick(states.map((a) => ('srvr' in a ? (a.source ?? '4lw') : undefined)));
  const serverView = pick(views.map((v) => v.source));
  const fix = 'allow the four-letter word (4lw.commands.whitelist) or turn the AdminServer on (admin.enableServer=true, admin.serverPort)';
  const missing: FigureSources['missing'] = [];
  if (serverState === 'none') {
    const why = states.flatMap((a) => ('error' in a ? [`server ${a.server.id}: ${a.error}`] : [])).join('; ');
    missing.push({ figure: 'leader, server version, failover leader polls', reason: `no server answered srvr or the AdminServer's server_stats (${why}); ${fix}` });
  }
  if (serverView === 'none') {
    const why = views.map((v) => `server ${v.id}: ${v.error}`).join('; ');
    missing.push({ figure: 'server view (mntr: server latency, queues, znodes, watches, fsync)', reason: `no server answered mntr or the AdminServer's /commands/mntr (${why}); ${fix}` });
  }
  return { serverState, serverView, missing };
}

async function askMntrSource(s: ServerInfo, timeoutMs: number): Promise<{ id: number; source?: FigureSource; error?: string }> {
  let error: string;
  try {
    const text = await fourLetterWord(s.host, s.clientPort, 'mntr', timeoutMs);
    if (/^zk_\w+/m.test(text)) return { id: s.id, source: '4lw' };
    error = NOT_ALLOWED.test(text) ? 'mntr is not allowed (4lw.commands.whitelist)' : `answered ${JSON.stringify(text.trim().slice(0, 80))}`;
  } catch (err) {
    error = (err as Error).message;
  }
  if (s.adminPort === undefined) return { id: s.id, error: `${error}; no AdminServer known` };
  try {
    await adminCommand(s.host, s.adminPort, 'mntr', timeoutMs);
    return { id: s.id, source: 'admin-server' };
  } catch (err) {
    return { id: s.id, error: `${error}; ${(err as Error).message}` };
  }
}
