// Messages between the coordinator and its load processes (child_process IPC, or znodes for remote
// workers; both with V8's structured serialization). Load runs in child processes, not worker_threads:
// the npm zookeeper addon keeps process-wide V8 handles and crashes when several threads load it.
import type { RelNs } from '../measure/clock.ts';
import type { DriverHealth } from '../measure/driver-health.ts';
import type { IntervalReport } from '../measure/timeline.ts';
import type { LiveCount, RunWindow } from '../measure/measured-window.ts';
import type { SessionCounters } from '../measure/request-counts.ts';
import type { SaslOptions, TlsOptions } from '../zk/security.ts';

/** What the channel knows about the clock of the process at its end, relative to the coordinator's run clock. */
export interface ClockSync {
  /** The coordinator's clock minus the process's at one instant (0 on this host); its times are converted by it. */
  offsetNs: number;
  /** |true offset - offsetNs| <= boundNs (half the smallest round trip; 0 on this host). */
  boundNs: number;
  /** Remote workers: the smallest round trip of the exchange and how many samples it kept from. */
  rttNs?: number;
  samples?: number;
}

/** What the coordinator tells one load process to drive: the scenario's id and its own plan (JSON). */
export interface ClientsPlan {
  scenario: string;
  /** Sessions the process opens before the start (its SessionSet). */
  sessions: number;
  /**
   * The connect string of each session, by its index in the SessionSet (e.g. one server's address, to pin a
   * session to that server); absent: every session gets the run's connect string and its client picks.
   */
  connect?: string[];
  plan: unknown;
}

export interface SessionSettings {
  connect: string;
  sessionTimeoutMs: number;
  connectTimeoutMs: number;
  serversResolutionDelayMs: number;
  /** TLS to the servers (paths of PEM files on this host: remote workers use their own, docs/tls-sasl.md). */
  tls?: TlsOptions | undefined;
  /** SASL DIGEST-MD5 of every session; never sent to remote workers (they authenticate with their own credentials). */
  sasl?: SaslOptions | undefined;
}

export type ToWorker =
  /** Open the sessions for this plan; answer 'ready'. */
  | { type: 'prepare'; origin: string; sessions: SessionSettings; plan: ClientsPlan }
  /** Start at window.startAt; answer 'result' when done. */
  | { type: 'go'; window: RunWindow }
  /** Stop contending now (Ctrl-C): withdraw, close sessions, answer 'result'. */
  | { type: 'stop' }
  /** A scenario's own message to its running load side (ScenarioRun.onMessage). */
  | { type: 'scenario'; data: unknown }
  /** The measured window of a run that started with a pending one, decided once every process was warm (scenarios/warmup-gate.ts). */
  | { type: 'window'; window: RunWindow }
  | { type: 'exit' };

export interface WorkerResult {
  /** What the scenario's load side reported (its own JSON; its coordinator reads it). */
  report: unknown;
  counters: SessionCounters;
  /** Why `counters` were not counted (an external driver: the library's requests are not seen from outside it); absent when they were. */
  uncounted?: string;
  health: DriverHealth;
  sessionsExpired: number;
  /** Operations completed from the start to the end of contention, warm-up included. */
  completed: number;
  /** Per-interval operations, failures and latency, and the session events, for timeline.csv. */
  timeline: IntervalReport;
}

export type FromWorker =
  /** Sessions open; a remote worker adds its clock against the coordinator's, measured just before. */
  | { type: 'ready'; connectMs: number; clock?: ClockSync }
  /** Completed operations so far (acquisitions, requests), all and measured, at a run-clock time; session events so far. */
  | ({ type: 'progress'; sessionEvents: number } & LiveCount)
  | { type: 'result'; result: WorkerResult }
  /** A scenario's own message from its running load side (ScenarioLink.post). */
  | { type: 'scenario'; data: unknown }
  /** Every client of this process got ready to be measured at `at` (ScenarioLink.warm; a pending window waits for it). */
  | { type: 'warm'; at: RelNs }
  | { type: 'failed'; name: string; message: string };
