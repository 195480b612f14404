// The read-only questions every kind of ensemble answers the same way, from `srvr` and /proc.
import type { SrvrInfo } from './four-letter-words.ts';
import { askStatus, type FigureSource, type StatusAnswer } from './server-status.ts';
import { processCpuSeconds } from './proc-stat.ts';
import type { LeaderPoll, ServerInfo } from './types.ts';

/** `srvr` of one server (or its AdminServer's server_stats), or undefined when neither answers within `timeoutMs`. */
export async function probeServer(server: ServerInfo, timeoutMs = 2000): Promise<SrvrInfo | undefined> {
  const a = await askStatus(server, timeoutMs);
  return 'srvr' in a ? a.srvr : undefined;
}

/** One server's `srvr` answer (from the four-letter word or the AdminServer), or why there was none. */
export type SrvrAnswer = StatusAnswer;

/** `srvr` of every server at once, each answer or its error. */
export function askSrvr(servers: readonly ServerInfo[], timeoutMs = 2000): Promise<SrvrAnswer[]> {
  return Promise.all(servers.map((server) => askStatus(server, timeoutMs)));
}

/** Where the servers' states came from in these answers: 4lw, the AdminServer, or none answered. */
export function sourceOfAnswers(answers: readonly SrvrAnswer[]): FigureSource {
  const sources = answers.flatMap((a) => ('source' in a ? [a.source] : []));
  return sources.includes('4lw') ? '4lw' : sources.includes('admin-server') ? 'admin-server' : 'none';
}

export function leaderOfAnswers(answers: readonly SrvrAnswer[]): LeaderPoll {
  const leading = answers.find((a) => 'srvr' in a && (a.srvr.mode === 'leader' || a.srvr.mode === 'standalone'));
  if (leading) return { leader: leading.server };
  const failed = answers.flatMap((a) => ('error' in a ? [`server ${a.server.id}: ${a.error}`] : []));
  if (answers.length === 0) return { leader: undefined, error: 'no server to ask' };
  return failed.length === 0 ? { leader: undefined } : { leader: undefined, error: failed.join('; ') };
}

export async function pollLeader(servers: readonly ServerInfo[], timeoutMs = 2000): Promise<LeaderPoll> {
  return leaderOfAnswers(await askSrvr(servers, timeoutMs));
}

/** The server in Mode leader (or standalone), asking all at once so a dead one costs one timeout. */
export async function findLeader(servers: readonly ServerInfo[], timeoutMs = 2000): Promise<ServerInfo | undefined> {
  return (await pollLeader(servers, timeoutMs)).leader;
}

/** Version from the first server (in list order) that reports one. */
export async function findServerVersion(servers: readonly ServerInfo[], timeoutMs = 2000): Promise<string | undefined> {
  const answers = await Promise.all(servers.map((s) => probeServer(s, timeoutMs)));
  return answers.find((a) => a?.version !== undefined)?.version;
}

/** server id -> CPU seconds for servers with a known, live PID. */
export function cpuSecondsByServer(servers: readonly ServerInfo[]): Map<number, number> {
  const cpu = new Map<number, number>();
  for (const s of servers) {
    if (s.pid === undefined) continue;
    const seconds = processCpuSeconds(s.pid);
    if (seconds !== undefined) cpu.set(s.id, seconds);
  }
  return cpu;
}

export function connectStringOf(servers: readonly ServerInfo[]): string {
  return servers.map((s) => `${s.host.includes(':') ? `[${s.host}]` : s.host}:${s.clientPort}`).join(',');
}
