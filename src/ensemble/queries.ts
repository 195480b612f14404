// The read-only questions every kind of ensemble answers the same way, from `srvr` and /proc.
import { fourLetterWord, parseSrvr, type SrvrInfo } from './four-letter-words.ts';
import { processCpuSeconds } from './proc-stat.ts';
import type { ServerInfo } from './types.ts';

/** `srvr` of one server, or undefined when it does not answer within `timeoutMs`. */
export async function probeServer(server: ServerInfo, timeoutMs = 2000): Promise<SrvrInfo | undefined> {
  try {
    return parseSrvr(await fourLetterWord(server.host, server.clientPort, 'srvr', timeoutMs));
  } catch {
    return undefined;
  }
}

/** The server in Mode leader (or standalone), asking all at once so a dead one costs one timeout. */
export async function findLeader(servers: readonly ServerInfo[], timeoutMs = 2000): Promise<ServerInfo | undefined> {
  const answers = await Promise.all(servers.map((s) => probeServer(s, timeoutMs)));
  const i = answers.findIndex((a) => a?.mode === 'leader' || a?.mode === 'standalone');
  return i >= 0 ? servers[i] : undefined;
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
