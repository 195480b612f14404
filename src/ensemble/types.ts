// The shapes every ensemble source (embedded, kept, external, compose) shares, so scenarios never care
// where the servers came from.
import type { RelNs } from '../measure/clock.ts';
import type { IsolationScope } from './faults/fault-spec.ts';

export interface ServerInfo {
  id: number;
  host: string;
  clientPort: number;
  /** Known only for servers this host started (embedded, kept); needed for CPU figures and faults. */
  pid?: number;
  /** The server's log (its stdout and stderr) and GC log on this host: servers zkbench started only. */
  logFile?: string;
  /** Its AdminServer's HTTP port (/commands/...), where one is known to listen; asked when four-letter words are not allowed. */
  adminPort?: number;
  gcLogFile?: string;
}

/** A server whose process runs on this host under zkbench's control (embedded and kept ensembles). */
export interface ControlledServerInfo extends ServerInfo {
  quorumPort: number;
  electionPort: number;
  /** Its connections to the other servers leave from its own address (source-address.ts): isolation needs it. */
  sourceBound: boolean;
}

/**
 * What a control may say of an action beyond "done". A container engine acts somewhere inside its
 * command's round trip, so it reports when the action took effect (on the run clock it was given), and
 * what it checked (a pause that froze the server).
 */
export interface ActionReport {
  /** Run clock (ns) when it took effect; absent: when the action was asked for. */
  effectiveAt?: RelNs;
  /** Said in the run's log and kept in run.json with the fault. */
  note?: string;
}

/** Passed to each action: the run clock, for an ActionReport's effectiveAt. */
export interface ActionContext {
  now?: () => RelNs;
  signal?: AbortSignal;
}

/** What faults (src/ensemble/faults) do to the servers of an ensemble zkbench controls; by server id. */
export interface ServerControl {
  readonly servers: readonly ControlledServerInfo[];
  /** SIGKILL; resolves once the process is gone. */
  killServer(id: number, ctx?: ActionContext): Promise<void | ActionReport>;
  /** The same server id, config and data dir again; resolves once it reports a Mode (it serves). */
  restartServer(id: number, opts?: { timeoutMs?: number } & ActionContext): Promise<void | ActionReport>;
  /** SIGSTOP; resolves once the kernel reports the process stopped. */
  pauseServer(id: number, ctx?: ActionContext): Promise<void | ActionReport>;
  /** SIGCONT; resolves once the process runs again. */
  resumeServer(id: number, ctx?: ActionContext): Promise<void | ActionReport>;
  /**
   * Isolation by the control's own means (compose: the container taken off its networks), for the
   * scopes in `isolationScopes`; without it, faults/nftables.ts cuts servers off by their addresses.
   */
  isolateServer?(id: number, from: IsolationScope, ctx?: ActionContext): Promise<void | ActionReport>;
  healServer?(id: number, ctx?: ActionContext): Promise<void | ActionReport>;
  readonly isolationScopes?: readonly IsolationScope[];
}

export interface EnsembleSettings {
  servers: number;
  tickTimeMs: number;
  minSessionTimeoutMs?: number;
  maxSessionTimeoutMs?: number;
  /** Per-client-IP connection limit; 0 = unlimited, which load tests from one host need. */
  maxClientCnxns: number;
  heapMb: number;
  /**
   * Period of the servers' CommitWakeupGuard (src/ensemble/server-launcher), ms; 0 runs the servers as
   * installed. ZooKeeper 3.6.0-3.8.0 (Debian 12 ships 3.8.0) can lose a CommitProcessor wake-up
   * (ZOOKEEPER-4537) and hold a request until another one reaches the server: seconds.
   */
  commitWakeupGuardMs: number;
  /**
   * Embedded servers, set up locked down as many production ones are: `all` allows every four-letter word
   * (the default), `ruok` only that one, `none` none. zkbench then asks the AdminServer, if on.
   */
  fourLetterWords?: 'all' | 'ruok' | 'none';
  /** Embedded servers: the AdminServer (/commands/...) on a port of its own per server (default off). */
  adminServer?: boolean;
  /**
   * Embedded: locked down as production ensembles are (security.ts): 'tls' serves clients only over TLS,
   * 'sasl' refuses every session that has not authenticated with SASL DIGEST-MD5. Absent: 'none'.
   */
  security?: 'none' | 'tls' | 'sasl';
}

export interface Ensemble {
  /** embedded: started by this process; kept: by `zkbench ensemble up`; external: --connect; compose: --compose-project. */
  readonly kind: 'embedded' | 'kept' | 'external' | 'compose';
  /** "host1:p1,host2:p2,..." (servers zkbench starts: 127.0.0.2:p1,127.0.0.3:p2,...) */
  readonly connectString: string;
  readonly servers: readonly ServerInfo[];
  /** Known for embedded and kept ensembles. */
  readonly settings: EnsembleSettings | undefined;
  /** The server answering `srvr` with Mode: leader (or standalone for 1 server). */
  leader(): Promise<ServerInfo | undefined>;
  /** The same question, keeping apart "no server leads" (every server answered) and "unknown" (some did not: why). */
  pollLeader(): Promise<LeaderPoll>;
  /** From the `srvr` "Zookeeper version:" line of the first server that answers. */
  serverVersion(): Promise<string | undefined>;
  /** server id -> user+sys CPU seconds from /proc/<pid>/stat; empty when pids are unknown. */
  serverCpuSeconds(): Promise<Map<number, number>>;
  /** embedded: stop every server and remove its temp dir; kept/external: no-op. */
  close(): Promise<void>;
  /** Embedded and kept ensembles: their servers' processes, for faults; undefined for --connect. */
  readonly control?: ServerControl;
}

export const DEFAULT_ENSEMBLE_SETTINGS: EnsembleSettings = {
  servers: 3,
  tickTimeMs: 2000,
  maxClientCnxns: 0,
  heapMb: 512,
  commitWakeupGuardMs: 1,
};

/**
 * Session-timeout bounds for a server config. The server clamps every session's timeout into
 * [min, max]; these grant `wantedMs` as well as ZooKeeper's usual 2 to 20 ticks.
 */
export function sessionTimeoutBounds(tickTimeMs: number, wantedMs = 0): { minSessionTimeoutMs: number; maxSessionTimeoutMs: number } {
  return { minSessionTimeoutMs: 2 * tickTimeMs, maxSessionTimeoutMs: Math.max(20 * tickTimeMs, wantedMs) };
}

/**
 * One poll of the leader: the server in Mode leader (or standalone), or none. "No leader" needs every
 * server's answer; when one did not answer and none of the others leads, the leader is unknown (it may
 * be the one that did not answer), and `error` says who did not answer and why.
 */
export interface LeaderPoll {
  leader: ServerInfo | undefined;
  error?: string;
}
