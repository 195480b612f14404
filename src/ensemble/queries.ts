// The read-only questions every kind of ensemble answers the same way, from `srvr` and /proc.
import { fourLetterWord, parseSrvr, type SrvrInfo } from './four-letter-words.ts';
import { processCpuSeconds } from './proc-stat.ts';
import type { LeaderPoll, ServerInfo } from './types.ts';

/** `srvr` of one server, or undefined when it does not answer within `timeoutMs`. */
export async function probeServer(server: ServerInfo, timeoutMs = 2000): Promise<SrvrInfo | undefined> {
  try {
    return parseSrvr(await fourLetterWord(server.host, server.clientPort, 'srvr', timeoutMs));
  } catch {
    return undefined;
  }
}

/** One server's `srvr` answer, or why there was none (refused, timed out, a sentence that is not `srvr`'s). */
export type SrvrAnswer = { server: ServerInfo; srvr: SrvrInfo } | { server: ServerInfo; error: string };

/** What a server outside a quorum answers instead of its state: an answer, meaning "no leader here". */
const NOT_SERVING = 'not currently serving requests';

/** `srvr` of every server at once, each answer or its error. */
export function askSrvr(servers: readonly ServerInfo[], timeoutMs = 2000): Promise<SrvrAnswer[]> {
  return Promise.all(
    servers.map(async (server): Promise<SrvrAnswer> => {
      try {
        const text = await fourLetterWord(server.host, server.clientPort, 'srvr', timeoutMs);
        const srvr = parseSrvr(text);
        // A server that does not allow the word answers a sentence: that says nothing about leadership.
        if (srvr.mode === undefined && !text.includes(NOT_SERVING)) return { server, error: `answered ${JSON.stringify(text.trim().slice(0, 80))}, not srvr's state` };
        return { server, srvr };
      } catch (err) {
        return { server, error: (err as Error).message };
      }
    }),
  );
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
