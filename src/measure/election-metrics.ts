// What each fault did (run.json `faults`), and the `election` figures of a recipe from them (SPEC §2):
//  - election_to_leader: from a fault that took the leader away (kill, pause, isolate of the server that
//    answered `Mode: leader` just before) to a server answering `srvr` with `Mode: leader` after an
//    election (polled every 10 ms);
//  - election_to_write: from the same fault to the first write the ensemble acknowledged again (a
//    dedicated session, not connected to the faulted server, retrying a small setData).
// One case per fault that took the leader away, so they are distributions (ms): a schedule with two
// leader kills gives count 2, and thresholds can ask for `election_to_leader.max`. Each fault's
// observation window runs to the next fault of the schedule or the measured window's end: a leader or a
// write not seen inside it is a censored case, counted at the window's length (SPEC §2, censored
// observations), never left out. A fault after which the old leader answered leader again (a pause
// shorter than the followers' patience) changed no leader and is no case; its record says so. Pure.
import type { RelNs } from './clock.ts';
import type { Metric } from './metrics.ts';
import { timeToEventMetric, type TimeToEvent } from './time-to-event.ts';

/** The probe's attempts that failed, by error ("server 2: closed by the server"), and the last one's. */
export interface ProbeFailures {
  attempts: number;
  failed: number;
  byError: Record<string, number>;
  lastError?: string;
}

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
  /** The write probe's attempts up to that write, and why those that failed did. */
  writeProbe?: ProbeFailures;
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

/**
 * election_to_leader and election_to_write over the recipe's faults; `windowEndNs` is the measured window's
 * end (or the moment the clients stopped, if earlier), where the last fault's window closes.
 */
export function electionMetrics(records: readonly FaultRecord[], windowEndNs: RelNs): Metric[] {
  const done = records.filter((r) => r.entry !== undefined && r.atNs !== undefined).sort((a, b) => a.atNs! - b.atNs!);
  const toLeader: TimeToEvent[] = [];
  const toWrite: TimeToEvent[] = [];
  for (const [i, r] of done.entries()) {
    const e = r.election;
    if (!e) continue;
    const windowNs = Math.max(0, Math.min(done[i + 1]?.atNs ?? windowEndNs, windowEndNs) - r.atNs!);
    const inWindow = (ms: number | undefined): ms is number => ms !== undefined && ms * 1e6 <= windowNs;
    // The old leader kept its place (answered leader again once resumed or healed): no election, no case.
    if (e.changed === false) continue;
    const caseOf = (ms: number | undefined): TimeToEvent => (inWindow(ms) ? { ns: ms * 1e6, censored: false, windowNs } : { ns: windowNs, censored: true, windowNs });
    toLeader.push(caseOf(e.toLeaderMs));
    toWrite.push(caseOf(e.toWriteMs));
  }
  return [timeToEventMetric('election_to_leader', toLeader), timeToEventMetric('election_to_write', toWrite)].filter((m) => m !== undefined);
}
