// What the leader polls of a recipe came to (src/runner/leader-poller.ts): how many found a leader, how
// many were answered by every server with none leading, and how many failed, by error. A failed poll
// says nothing about leadership: it is counted apart, never as "no leader". Pure, over the samples.
import type { LeaderSample, TimelineEvent } from './timeline.ts';

export interface LeaderPollCounts {
  /** Polls made (a leader seen by a fault's election watch is not a poll). */
  polls: number;
  withLeader: number;
  /** Every server answered, none leads. */
  noLeader: number;
  /** Failed polls (a server did not answer and none of the others leads): the leader unknown. */
  errors: number;
  /** Failed polls by their error. */
  byError: Record<string, number>;
  lastError?: string;
}

export function leaderPollCounts(samples: readonly LeaderSample[]): LeaderPollCounts {
  const counts: LeaderPollCounts = { polls: 0, withLeader: 0, noLeader: 0, errors: 0, byError: {} };
  for (const s of samples) {
    if (s.observed) continue;
    counts.polls++;
    if (s.error !== undefined) {
      counts.errors++;
      counts.byError[s.error] = (counts.byError[s.error] ?? 0) + 1;
      counts.lastError = s.error;
    } else if (s.leader === undefined) counts.noLeader++;
    else counts.withLeader++;
  }
  return counts;
}

/** True when the latest answer named no leader and an earlier answer named one: an election is under way. Failed polls are skipped. */
export function leaderLost(samples: readonly LeaderSample[]): boolean {
  const answered = samples.filter((s) => s.error === undefined);
  return answered.length > 0 && answered.at(-1)!.leader === undefined && answered.some((s) => s.leader !== undefined);
}

/** A timeline event where each run of failed polls begins (and with another error than the run before), so an empty leader cell can be told apart. */
export function leaderPollErrorEvents(samples: readonly LeaderSample[], recipe: string): TimelineEvent[] {
  const events: TimelineEvent[] = [];
  let previous: string | undefined;
  for (const s of samples) {
    if (s.observed) continue;
    if (s.error !== undefined && s.error !== previous) events.push({ atNs: s.atNs, recipe, source: 'leader-poll', text: `leader poll failed: ${s.error}` });
    previous = s.error;
  }
  return events;
}

/** The notes' line when polls failed; nothing when none did. */
export function leaderPollNote(c: LeaderPollCounts): string | undefined {
  if (c.errors === 0) return undefined;
  return `leader polls: ${c.errors} of ${c.polls} polls failed, the leader unknown then (not "no leader"; empty in timeline.csv's leader column); last error: ${c.lastError}`;
}
