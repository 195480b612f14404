// The leader over time, for the timeline: the servers' `srvr` about once a second while a recipe runs,
// at once when something suggests a change (sessions lost their connection, a fault), and every 200 ms
// while a leader it knew is gone, until one is elected again. Never two polls at a time. A fault's
// election watch (leader-watch.ts, every 10 ms) adds the new leader at the moment it saw it.
import type { RunClock } from '../measure/clock.ts';
import type { LeaderSample } from '../measure/timeline.ts';

const PERIOD_MS = 1000;
const ELECTION_PERIOD_MS = 200;

export class LeaderPoller {
  private readonly samples: LeaderSample[] = [];
  private timer: NodeJS.Timeout | undefined;
  private polling = false;
  private stopped = false;

  constructor(
    /** The leader's server id, or undefined when no server says leader (or none answers). */
    private readonly findLeader: () => Promise<number | undefined>,
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
    this.findLeader()
      .catch(() => undefined)
      .then((leader) => {
        this.polling = false;
        if (this.stopped) return;
        // Stamped when the answer arrived: the leader was known from then on.
        this.samples.push({ atNs: this.clock.now(), leader });
        const lost = leader === undefined && this.samples.some((s) => s.leader !== undefined);
        this.timer = setTimeout(() => this.pollNow(), lost ? ELECTION_PERIOD_MS : PERIOD_MS);
      });
  }

  /** A leader found by someone else (the election watch), at the moment it was seen. */
  observe(atNs: number, leader: number): void {
    if (!this.stopped) this.samples.push({ atNs, leader });
  }

  /** Stops polling (a poll under way is dropped) and returns every answer, oldest first. */
  stop(): LeaderSample[] {
    this.stopped = true;
    clearTimeout(this.timer);
    return this.samples.sort((a, b) => a.atNs - b.atNs);
  }
}
