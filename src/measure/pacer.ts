// Open-loop pacing (issue 10 point 3): every operation has an intended start on a fixed schedule, computed
// from its index (never "sleep, then send", which drifts by every late wake-up), and is sent then whatever
// became of the earlier ones, up to `maxInFlight` unanswered per client. Latency is then taken from the
// intended start (coordinated omission corrected, as wrk2 and YCSB's measurement.interval=intended do) as
// well as from the actual start; see open-loop.ts for the figures. Pure: time comes from the injected
// clock, and the caller owns the timers and the requests.
//
// The schedule: client slot i of this pacer does its k-th operation (k = 0, 1, ...) at
//   startNs + (k + phase_i) / ratePerClient,
// phase_i in [0, 1). Giving client g of N (over every load process) the phase g/N spreads the whole run's
// operations evenly, one every 1/(N * ratePerClient). Operations are released in order of intended start.
//
// What happens to an operation whose intended start has come:
//  - its client has fewer than maxInFlight unanswered: it starts now (late when now - intended exceeds
//    lateToleranceNs: the driver woke late);
//  - else it waits in its client's queue and starts when an answer frees a slot (late, "waited");
//  - the queue holds at most `maxWaiting`: an operation that comes due while it is full is dropped, never
//    sent (the queue's older operations keep their place, so the latencies of what was sent keep the whole
//    wait). The schedule goes on regardless: the rate is never lowered; a dropped operation is counted, and
//    the run is flagged (open-loop.ts), never hidden.
// At the stop nothing more comes due, but what waits is still sent as slots free: those operations were
// due inside the run, and their latency (the wait included) is part of it. The caller may give up on them
// later (stop(true)): they are then dropped.
import type { RelNs } from './clock.ts';

export interface Now {
  now(): RelNs;
}

export interface PacerOptions {
  /** Operations per second of each client (> 0). */
  ratePerClient: number;
  /** One entry per client slot: its offset into its period, as a fraction in [0, 1), ascending. */
  phases: readonly number[];
  /** Intended start of the first operation of a client with phase 0. */
  startNs: RelNs;
  /** No operation is intended at or after this (the stop); undefined: until stop(). */
  endNs?: RelNs;
  /** Unanswered operations a client may have (>= 1). */
  maxInFlight: number;
  /** Operations a client's queue holds once its slots are full (>= 0). */
  maxWaiting: number;
  /** A start later than intended by more than this is late. */
  lateToleranceNs: number;
  /** Which operations the counts cover (the measured window), by intended start, or for `startedInWindow` by actual start. */
  measured?: (t: RelNs) => boolean;
}

/** One operation, released to the caller to send now. */
export interface PacedOp {
  /** The client slot (index into `phases`). */
  client: number;
  /** Its intended start on the schedule. */
  intendedNs: RelNs;
  /** When the pacer released it: the caller sends it at once. */
  startNs: RelNs;
}

/** Counts over the operations the `measured` predicate admits (by intended start unless said otherwise). */
export interface PacerCounts {
  /** Operations whose intended start came (sent, waiting or dropped). */
  due: number;
  /** Operations started. */
  started: number;
  /** Operations actually started in the window (by actual start): what the achieved rate counts. */
  startedInWindow: number;
  /** Started more than the tolerance after their intended start, for whatever reason. */
  late: number;
  /** Of the late, those that had waited for a free in-flight slot (the server was slow to answer). */
  lateWaited: number;
  /** Never sent: came due with the client's queue full, or still waiting when the driver gave up on them (stop(true)). */
  dropped: number;
  /** Most unanswered operations of one client at once, over the whole run. */
  inFlightMax: number;
}

export function emptyPacerCounts(): PacerCounts {
  return { due: 0, started: 0, startedInWindow: 0, late: 0, lateWaited: 0, dropped: 0, inFlightMax: 0 };
}

/** Sums the counts of several pacers (load processes); inFlightMax is the largest. */
export function addPacerCounts(into: PacerCounts, c: PacerCounts): PacerCounts {
  into.due += c.due;
  into.started += c.started;
  into.startedInWindow += c.startedInWindow;
  into.late += c.late;
  into.lateWaited += c.lateWaited;
  into.dropped += c.dropped;
  into.inFlightMax = Math.max(into.inFlightMax, c.inFlightMax);
  return into;
}

/** Phases spreading `clientIds` (of `totalClients` over every process) evenly over a period: id / total. */
export function evenPhases(clientIds: readonly number[], totalClients: number): number[] {
  return clientIds.map((id) => id / totalClients);
}

export class Pacer {
  readonly counts: PacerCounts = emptyPacerCounts();
  private readonly periodNs: number;
  private readonly inFlight: number[];
  /** Per client: intended starts waiting for a slot, oldest first (a queue read from `head`). */
  private readonly waiting: { times: RelNs[]; head: number }[];
  /** Index of the next operation to come due, over all clients: op j is client j mod n's (j div n)-th. */
  private next = 0;
  private stopped = false;
  private readonly measured: (t: RelNs) => boolean;

  constructor(
    private readonly o: PacerOptions,
    private readonly clock: Now,
  ) {
    if (!(o.ratePerClient > 0) || !Number.isFinite(o.ratePerClient)) throw new Error(`a pacer needs a rate above 0 operations/s per client, not ${o.ratePerClient}`);
    if (o.phases.length === 0) throw new Error('a pacer needs at least one client');
    o.phases.forEach((p, i) => {
      if (!(p >= 0 && p < 1) || (i > 0 && p < o.phases[i - 1]!)) throw new Error(`pacer phases must be ascending in [0, 1): ${o.phases.join(', ')}`);
    });
    if (!(o.maxInFlight >= 1) || !(o.maxWaiting >= 0)) throw new Error(`a pacer needs maxInFlight >= 1 and maxWaiting >= 0, not ${o.maxInFlight} and ${o.maxWaiting}`);
    this.periodNs = 1e9 / o.ratePerClient;
    this.inFlight = o.phases.map(() => 0);
    this.waiting = o.phases.map(() => ({ times: [], head: 0 }));
    this.measured = o.measured ?? (() => true);
  }

  /** Intended start of operation j (over all clients): computed from j, so no error accumulates. */
  private intendedOf(j: number): RelNs {
    const n = this.o.phases.length;
    return this.o.startNs + (Math.floor(j / n) + this.o.phases[j % n]!) * this.periodNs;
  }

  /** The intended start of the next operation to come due; undefined once none will (the end, or stopped). */
  nextDueNs(): RelNs | undefined {
    if (this.stopped) return undefined;
    const t = this.intendedOf(this.next);
    return this.o.endNs !== undefined && t >= this.o.endNs ? undefined : t;
  }

  /** Every operation due by now: those that may start now are returned (send them at once); the rest wait or are dropped. */
  release(): PacedOp[] {
    const now = this.clock.now();
    const out: PacedOp[] = [];
    for (let t = this.nextDueNs(); t !== undefined && t <= now; t = this.nextDueNs()) {
      const client = this.next % this.o.phases.length;
      this.next++;
      const counted = this.measured(t);
      if (counted) this.counts.due++;
      if (this.inFlight[client]! < this.o.maxInFlight) {
        out.push(this.begin(client, t, now, false));
        continue;
      }
      const q = this.waiting[client]!;
      if (q.times.length - q.head < this.o.maxWaiting) q.times.push(t);
      else if (counted) this.counts.dropped++;
    }
    return out;
  }

  /** An operation of `client` was answered (or failed): its slot is free; the client's oldest waiting operation, if any, starts now. */
  finished(client: number): PacedOp | undefined {
    if (!(this.inFlight[client]! > 0)) throw new Error(`pacer: client ${client} has no operation in flight`);
    this.inFlight[client]!--;
    const q = this.waiting[client]!;
    if (q.head === q.times.length) return undefined;
    const intended = q.times[q.head++]!;
    if (q.head > 1024 && q.head * 2 > q.times.length) {
      q.times.splice(0, q.head); // keep the queue's array from growing without bound
      q.head = 0;
    }
    return this.begin(client, intended, this.clock.now(), true);
  }

  /**
   * The stop: nothing more comes due; operations already waiting still start as answers free their slots,
   * unless `dropWaiting` (a driver that cannot go on, e.g. a writer whose versions are lost): then they are
   * dropped.
   */
  stop(dropWaiting = false): void {
    this.stopped = true;
    if (!dropWaiting) return;
    for (const q of this.waiting) {
      for (let i = q.head; i < q.times.length; i++) if (this.measured(q.times[i]!)) this.counts.dropped++;
      q.times.length = 0;
      q.head = 0;
    }
  }

  /** Unanswered operations, over all clients (none means none waits either: an operation waits only behind a full client). */
  get inFlightNow(): number {
    return this.inFlight.reduce((a, b) => a + b, 0);
  }

  private begin(client: number, intendedNs: RelNs, now: RelNs, waited: boolean): PacedOp {
    const n = ++this.inFlight[client]!;
    if (n > this.counts.inFlightMax) this.counts.inFlightMax = n;
    if (this.measured(intendedNs)) {
      this.counts.started++;
      if (now - intendedNs > this.o.lateToleranceNs) {
        this.counts.late++;
        if (waited) this.counts.lateWaited++;
      }
    }
    if (this.measured(now)) this.counts.startedInWindow++;
    return { client, intendedNs, startNs: now };
  }
}
