// What the coordinator tells one load process to do in the ensemble-failover scenario, and what it hears
// back: its sessions' unavailability around each fault, its writers' acknowledged counter values.
import type { TimeToEvent } from '../../measure/time-to-event.ts';

export interface FailoverPlan {
  /** Every client has its own counter node, <nodesPath>/<client id>, created by the coordinator with "0". */
  nodesPath: string;
  clientIds: number[];
  /** Clients with an id below this write (conditional setData of their counter); the others read it. */
  writers: number;
}

/** Coordinator → load process: fault `entry` took effect at run-clock `atNs`. */
export interface FaultTookEffect {
  entry: number;
  atNs: number;
}

export interface FailoverWorkerReport {
  /** Encoded µs histogram of request latency (measured window), as the throughput scenario records it. */
  latency: string;
  ops: number;
  lastAt: number | undefined;
  errors: Record<string, number>;
  /**
   * Fault entry → per session, its longest time without a success in the fault's window (to the next fault or
   * the measured window's end), censored when that gap was still open at the window's end (session-gaps.ts).
   */
  unavailable: Record<string, TimeToEvent[]>;
  /** Writer client id → the highest counter value the ensemble acknowledged to it. */
  acknowledged: Record<string, number>;
  /** Conditional setData calls whose outcome the client never learnt (connection loss): applied or not. */
  unknownWrites: number;
  /** Connection losses: a session's moves to disconnected. */
  connectionLosses: number;
  /** Fresh sessions (in place of expired ones) that could not be opened, by error message. */
  replacementFailures: Record<string, number>;
}
