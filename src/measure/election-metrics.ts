// What each fault did (run.json `faults`), and the `election` figures of a recipe from them (SPEC §2):
//  - election_to_leader: from a fault that took the leader away (kill, pause, isolate of the server that
//    answered `Mode: leader` just before) to a server answering `srvr` with `Mode: leader` after an
//    election (polled every 10 ms);
//  - election_to_write: from the same fault to the first write the ensemble acknowledged again (a
//    dedicated session, not connected to the faulted server, retrying a small setData).
// One sample per fault that changed the leader, so they are distributions (ms): a schedule with two
// leader kills gives count 2, and thresholds can ask for `election_to_leader.max`. A fault after which
// the old leader kept its place (a pause shorter than the followers' patience) changed no leader and adds
// no sample; its record says so. Pure.
import { distribution, type Metric } from './metrics.ts';
import { newLatencyHistogram, recordNs } from './histogram.ts';
import type { RelNs } from './clock.ts';

export interface ElectionRecord {
  /** The leader the fault took away. */
  oldLeader: number;
  /** The server that answered leader first; undefined when none did before the watch ended. */
  leader: number | undefined;
  /** False when the old leader stayed leader (no election); undefined while unknown. */
  changed: boolean | undefined;
  /** From the fault (its effective moment) to that answer, ms. */
  toLeaderMs: number | undefined;
  /** From the fault to the first acknowledged write, ms. */
  toWriteMs: number | undefined;
}

export interface FaultRecord {
  recipe: string;
  /** 1-based entry of the workload's `faults`; undefined for what zkbench did to restore the ensemble after the recipe. */
  entry: number | undefined;
  action: string;
  /** The target as written (leader, server:2, previous, ...); 'restore' when zkbench restored the ensemble. */
  target: string;
  from?: string;
  /** The server it hit. */
  server: number | undefined;
  /** What the server was just before: leader, follower, standalone, not serving, no answer, killed, paused. */
  role: string | undefined;
  /** The process acted on (a restart: the new one). */
  pid: number | undefined;
  /** As scheduled: from the recipe's clients' start, ms. */
  scheduledMs: number | undefined;
  /** Run clock (ns since the run's origin, as timeline.csv's t_ms in ms) when it took effect. */
  atNs: RelNs | undefined;
  /** From the start of the action to its completion (process gone, stopped, serving; rules in place), ms. */
  tookMs: number | undefined;
  election?: ElectionRecord;
  /** What the control checked or could not do (a docker pause: that the server stopped answering). */
  note?: string;
  /** Why it could not be done. */
  error?: string;
}

export function electionMetrics(records: readonly FaultRecord[]): Metric[] {
  const changed = records.filter((r) => r.election?.changed === true).map((r) => r.election!);
  const toLeader = changed.filter((e) => e.toLeaderMs !== undefined);
  const toWrite = changed.filter((e) => e.toWriteMs !== undefined);
  const metrics: Metric[] = [];
  if (toLeader.length > 0) {
    const h = newLatencyHistogram();
    for (const e of toLeader) recordNs(h, e.toLeaderMs! * 1e6);
    metrics.push(distribution('election_to_leader', h));
  }
  if (toWrite.length > 0) {
    const h = newLatencyHistogram();
    for (const e of toWrite) recordNs(h, e.toWriteMs! * 1e6);
    metrics.push(distribution('election_to_write', h));
  }
  return metrics;
}
