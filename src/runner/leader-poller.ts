// The leader over time, for the timeline: the servers' `srvr` about once a second while a recipe runs,
// at once when something suggests a change (sessions lost their connection, a fault), and every 200 ms
// while a leader it knew is gone, until one is elected again. Never two polls at a time. A fault's
// election watch (leader-watch.ts, every 10 ms) adds the new leader at the moment it saw it.
// A poll that fails (a server does not answer and none of the others leads) is kept as an error, not as
// "no leader": the leader is unknown then.
import type { RunClock } from '../measure/clock.ts';
import { leaderLost } from '../measure/leader-polls.ts';
import type { LeaderSample } from '../measure/timeline.ts';

/** One poll's answer: the leader's id, or none (with `error` when the poll failed and the leader is unknown). */
export interface LeaderAnswer {
  leader: number | undefined;
  error?: string | undefined;
}

const PERIOD_MS = 1000;
const ELECTION_PERIOD_MS = 200;

export class LeaderPoller {
  private readonly samples: LeaderSample[] = [];
  private timer: NodeJS.Timeout | undefined;
  private polling = false;
  private stopped = false;

  constructor(
    /** One poll of the servers; a rejection is a failed poll, with its message. */
    private readonly poll: () => Promise<LeaderAnswer>,
    private readonly clock: RunClock,
  ) {}

  /** Starts polling (the first poll at once). */
  start(): this {
    this.pollNow();
    return this;
  }

  /** Polls at once, unless a poll is under way (its answer is as fresh). */
  pollNow(): void {
    if (this.stopped || this.polling) return;
    clearTimeout(this.timer);
    this.polling = true;
    this.poll()
      .catch((err: unknown): LeaderAnswer => ({ leader: undefined, error: err instanceof Error ? err.message : String(err) }))
      .then(({ leader, error }) => {
        this.polling = false;
        if (this.stopped) return;
        // Stamped when the answer arrived: the leader was known from then on.
        this.samples.push({ atNs: this.clock.now(), leader, ...(error !== undefined ? { error } : {}) });
        // A failed poll says nothing about leadership: the pace follows the last answer.
        this.timer = setTimeout(() => this.pollNow(), leaderLost(this.samples) ? ELECTION_PERIOD_MS : PERIOD_MS);
      });
  }

  /** A leader found by someone else (the election watch), at the moment it was seen. */
  observe(atNs: number, leader: number): void {
    if (!this.stopped) this.samples.push({ atNs, leader, observed: true });
  }

  /** Stops polling (a poll under way is dropped) and returns every answer, oldest first. */
  stop(): LeaderSample[] {
    this.stopped = true;
    clearTimeout(this.timer);
    return this.samples.sort((a, b) => a.atNs - b.atNs);
  }
}
