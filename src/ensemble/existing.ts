// An ensemble somebody else runs (--connect, docker compose) or a kept one: we only observe it
// through four-letter words, and closing it is never ours to do.
import { parseConnect } from '../zk/connect-string.ts';
import { commandHint } from '../process/command-hint.ts';
import { fourLetterWord } from './four-letter-words.ts';
import { connectStringOf, cpuSecondsByServer, findLeader, findServerVersion, pollLeader } from './queries.ts';
import type { KeptServerControl } from './kept-control.ts';
import { SecurityError } from '../zk/security.ts';
import type { Ensemble, EnsembleSettings, LeaderPoll, ServerInfo } from './types.ts';

export class UnreachableEnsembleError extends Error {
  override name = 'UnreachableEnsembleError';
  readonly addresses: readonly string[];
  constructor(addresses: readonly string[], detail: string) {
    super(
      `No ZooKeeper server answered at ${addresses.join(', ')} (${detail}). Is the ensemble running? ` +
        `\`docker compose up -d\` starts the one in docker-compose.yml; \`${commandHint('ensemble up')}\` starts an embedded one; ` +
        'check the host:port list.',
    );
    this.addresses = addresses;
  }
}

/**
 * "h1:p1,h2:p2[/chroot]" (IPv6 as [::1]:p; a missing port means 2181) -> servers numbered 1..n in list
 * order. The chroot, if any, is the sessions' business (chrootOf): servers are asked without it.
 */
export function parseConnectString(connectString: string): ServerInfo[] {
  return parseConnect(connectString).servers.map((s, i) => ({ id: i + 1, host: s.host, clientPort: s.port }));
}

export class ObservedEnsemble implements Ensemble {
  readonly connectString: string;
  constructor(
    readonly kind: 'kept' | 'external',
    readonly servers: readonly ServerInfo[],
    readonly settings: EnsembleSettings | undefined,
    /** Servers that did not answer `srvr` when the ensemble was opened. */
    readonly unreachable: readonly ServerInfo[] = [],
    /** A kept ensemble's servers, for faults (its servers run on this host); never for --connect. */
    readonly control?: KeptServerControl,
    /** --connect's chroot: the sessions' paths live under it. */
    readonly chroot?: string,
  ) {
    this.connectString = connectStringOf(servers) + (chroot ?? '');
  }

  leader(): Promise<ServerInfo | undefined> {
    return findLeader(this.servers);
  }

  pollLeader(): Promise<LeaderPoll> {
    return pollLeader(this.servers);
  }

  serverVersion(): Promise<string | undefined> {
    return findServerVersion(this.servers);
  }

  async serverCpuSeconds(): Promise<Map<number, number>> {
    return this.control?.cpuSeconds() ?? cpuSecondsByServer(this.servers);
  }

  async close(): Promise<void> {
    // not ours to stop
  }
}

/**
 * Probe every server of `connectString` with `srvr` (about 3 s at most). Resolves when at least one
 * answers (the silent ones are in `unreachable`); otherwise rejects with UnreachableEnsembleError.
 */
export async function connectExistingEnsemble(
  connectString: string,
  kind: 'kept' | 'external' = 'external',
  opts: { timeoutMs?: number; settings?: EnsembleSettings; adminPort?: number } = {},
): Promise<ObservedEnsemble> {
  // --admin-port: each server's AdminServer, asked when a four-letter word is not allowed (server-status.ts).
  const servers = parseConnectString(connectString).map((s) => (opts.adminPort !== undefined ? { ...s, adminPort: opts.adminPort } : s));
  const timeoutMs = opts.timeoutMs ?? 3000;
  const refusals: unknown[] = [];
  // An empty answer (something accepted and closed) is not a ZooKeeper server either.
  const failures = await Promise.all(
    servers.map(async (s) => {
      try {
        const text = await fourLetterWord(s.host, s.clientPort, 'srvr', timeoutMs);
        return text.trim() === '' ? `${s.host}:${s.clientPort}: empty answer` : undefined;
      } catch (err) {
        refusals.push(err);
        return (err as Error).message;
      }
    }),
  );
  const unreachable = servers.filter((_, i) => failures[i] !== undefined);
  // Every server refused by its certificate (TLS): that, with its fix, not "is the ensemble running?".
  if (unreachable.length === servers.length && refusals.every((e) => e instanceof SecurityError)) throw refusals[0]!;
  if (unreachable.length === servers.length) {
    throw new UnreachableEnsembleError(
      servers.map((s) => `${s.host}:${s.clientPort}`),
      failures.join('; '),
    );
  }
  return new ObservedEnsemble(kind, servers, opts.settings, unreachable, undefined, parseConnect(connectString).chroot);
}
