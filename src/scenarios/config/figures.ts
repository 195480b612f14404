/**
 * The config scenario's figures (SPEC §2 "Watch family": converge, stale_reads; issue 8 point 4) from the
 * writer's acknowledged updates and every reader's trace (watch-records.ts). Pure: no clock, no ZooKeeper.
 *
 * What a reader holds. A reader holds the value its last completed read returned; an event alone gives it
 * no data. So reader r holds update u (version v) from the completion of its first read that returned v
 * or newer (newer counts: a reader that skipped v by coalescing holds a configuration at least as new).
 * - hold(r, u) = that completion − u's send (the writer's call).
 * - converge(u) = max over the readers of hold(r, u): from the writer's call until every reader holds v
 *   or newer. Timed from the send, the one moment the change is known to start (the commit itself is not
 *   visible to any client); `converge_from_ack` is the same moment after the writer's acknowledgement,
 *   for updates every reader held only at or after it, and `converged_before_ack` counts the others
 *   (never clamped to 0). An update some reader never held (it stopped, or its read failed) counts in
 *   `converge_incomplete`, and is a censored case of `converge` (SPEC §2, censored observations): its
 *   observation window runs from its send to the measured window's end (the readers' last moment when
 *   there is none), and it is recorded at that length, or at its latest hold if later, a lower bound.
 *
 * What is stale. Versions are the znode's data version, so "older" is exact. A read is stale when it
 * returned version x although a version newer than x was already known to exist when the read began:
 * some client of the run had observed it (the writer's acknowledgement of it, a reader's event announcing
 * it, or a reader's read returning it) strictly before the read's start (for sync-then-read, before its
 * sync). Every such observation implies the leader had committed it, so a stale read is one that is not
 * linearizable, as the harness can prove from the shared monotonic clock; a read overlapping the write
 * is never stale. Of them:
 * - `stale_reads.own`: the reader itself had already seen the newer version (its own event or read):
 *   SPEC's "a client seeing an older version after a newer one" taken per session. ZooKeeper forbids it
 *   (a session's reads never go back, a watch event comes before the data it announces), so it must be 0
 *   in every recipe; counting it checks the driver and the guarantees.
 * - `stale_reads.after_ack`: the writer had been told a newer version was applied before the read began
 *   (seed 000's operator: "I changed the configuration, and a reader still read the old one").
 * - `stale_reads`: all of them, the others being newer versions known only through another reader.
 *   `stale_age` = the read's start − the moment a version newer than the one it returned first became
 *   known: how long the reader's server had been behind what the run knew.
 * Reads count when they started inside the measured window; updates when they were sent inside it.
 */
import type { RelNs } from '../../measure/clock.ts';
import { newLatencyHistogram, recordNs, type Histogram } from '../../measure/histogram.ts';
import { inWindow, type MeasuredWindow } from '../../measure/measured-window.ts';
import { distribution, type Censoring, type Metric } from '../../measure/metrics.ts';
import { accountWatcher, watchFigures, type WatchFigures } from '../../measure/watch-metrics.ts';
import type { ArmRecord, UpdateRecord, WatcherTrace } from '../../measure/watch-records.ts';

/** One reader's trace and the server its session was pinned to (undefined: wherever the client chose). */
export interface ReaderRecord {
  server: number | undefined;
  trace: WatcherTrace;
}

export interface ConfigInput {
  updates: readonly UpdateRecord[];
  readers: readonly ReaderRecord[];
  /** Updates count when sent inside it, reads when started inside it; everything counts when absent. */
  window?: MeasuredWindow;
}

/** What the readers pinned to one server saw: how a lagging server shows. */
export interface ServerFigures {
  server: number | undefined;
  readers: number;
  reads: number;
  staleReads: number;
  hold: Histogram;
}

export interface ConfigFigures {
  /** Updates sent inside the window. */
  updates: number;
  /** Censored cases included (updates some reader never held), counted in convergeCensoring. */
  converge: Histogram;
  convergeCensoring: Censoring;
  convergeFromAck: Histogram;
  convergedBeforeAck: number;
  convergeIncomplete: number;
  hold: Histogram;
  /** Reads (a reader's first read and every read after an event) started inside the window. */
  reads: number;
  staleReads: number;
  staleOwn: number;
  staleAfterAck: number;
  staleAge: Histogram;
  perServer: ServerFigures[];
  /** The watch family's figures of the same run: notify latency, coalesced, re-read cost, late sends. */
  watch: WatchFigures;
}

/** A moment some client learned that `version` (and so every older version) exists. */
interface Observation {
  t: RelNs;
  version: number;
}

/** When versions first became known, from observations of them or of anything newer. */
class Knowledge {
  /** Observed versions, ascending, and for each the earliest observation of it or of a newer one. */
  private readonly versions: number[];
  private readonly earliestFrom: RelNs[];

  constructor(observations: Iterable<Observation>) {
    const byVersion = new Map<number, RelNs>();
    for (const o of observations) byVersion.set(o.version, Math.min(byVersion.get(o.version) ?? Infinity, o.t));
    this.versions = [...byVersion.keys()].sort((a, b) => a - b);
    // Seeing v proves every older version exists: a suffix minimum, newest first.
    this.earliestFrom = new Array<RelNs>(this.versions.length);
    let earliest = Infinity;
    for (let i = this.versions.length - 1; i >= 0; i--) this.earliestFrom[i] = earliest = Math.min(earliest, byVersion.get(this.versions[i]!)!);
  }

  /** When a version newer than `version` first became known; Infinity if none ever did. */
  newerKnownAt(version: number): RelNs {
    let lo = 0;
    let hi = this.versions.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.versions[mid]! > version) hi = mid;
      else lo = mid + 1;
    }
    return lo < this.versions.length ? this.earliestFrom[lo]! : Infinity;
  }
}

/** Every read a reader completed, with the events it had had, in its own order. */
function readerObservations(trace: WatcherTrace): { reads: ArmRecord[]; observations: Observation[] } {
  const acc = accountWatcher(trace);
  const observations: Observation[] = [
    ...acc.arms.map((a) => ({ t: a.doneNs, version: a.version })),
    ...acc.events.map((e) => ({ t: e.arrivalNs, version: e.version })),
  ];
  return { reads: acc.arms, observations };
}

export function configFigures(input: ConfigInput): ConfigFigures {
  const counts = (t: RelNs): boolean => input.window === undefined || inWindow(t, input.window);
  const counted = input.updates.filter((u) => counts(u.sendNs)).sort((a, b) => a.version - b.version);
  const readers = input.readers.map((r) => ({ ...r, ...readerObservations(r.trace) }));

  const acks = input.updates.map((u) => ({ t: u.ackNs, version: u.version }));
  const everyone = new Knowledge([...acks, ...readers.flatMap((r) => r.observations)]);
  const acked = new Knowledge(acks);

  const f: ConfigFigures = {
    updates: counted.length,
    converge: newLatencyHistogram(),
    convergeCensoring: { count: 0, windowMs: Number.NaN },
    convergeFromAck: newLatencyHistogram(),
    convergedBeforeAck: 0,
    convergeIncomplete: 0,
    hold: newLatencyHistogram(),
    reads: 0,
    staleReads: 0,
    staleOwn: 0,
    staleAfterAck: 0,
    staleAge: newLatencyHistogram(),
    perServer: [],
    watch: watchFigures({ updates: input.updates, watchers: input.readers.map((r) => r.trace), ...(input.window ? { window: input.window } : {}) }),
  };
  const servers = new Map<number | undefined, ServerFigures>();
  const serverOf = (s: number | undefined): ServerFigures => {
    let sf = servers.get(s);
    if (!sf) servers.set(s, (sf = { server: s, readers: 0, reads: 0, staleReads: 0, hold: newLatencyHistogram() }));
    return sf;
  };

  // Per update, the latest moment a reader came to hold it; undefined once some reader never did.
  const lastHold = new Map<number, RelNs | undefined>(counted.map((u) => [u.version, -Infinity]));
  // The same, over the readers that did: a censored update's observed part.
  const latestHold = new Map<number, RelNs>();

  for (const r of readers) {
    const sf = serverOf(r.server);
    sf.readers++;
    // Stale reads: each counted read against what was known before it began. The reader's own events and
    // reads precede its next read in its own thread, so they count up to the read's start inclusive.
    const own = [...r.observations].sort((a, b) => a.t - b.t);
    let seen = -Infinity;
    let k = 0;
    for (const read of r.reads) {
      while (k < own.length && own[k]!.t <= read.startNs) seen = Math.max(seen, own[k++]!.version);
      if (!counts(read.startNs)) continue;
      f.reads++;
      sf.reads++;
      const knownAt = everyone.newerKnownAt(read.version);
      if (!(knownAt < read.startNs)) continue;
      f.staleReads++;
      sf.staleReads++;
      recordNs(f.staleAge, read.startNs - knownAt);
      if (seen > read.version) f.staleOwn++;
      if (acked.newerKnownAt(read.version) < read.startNs) f.staleAfterAck++;
    }
    // Holds: the first completed read returning each counted version or newer (reads complete in order).
    let i = 0;
    for (const u of counted) {
      while (i < r.reads.length && r.reads[i]!.version < u.version) i++;
      const read = r.reads[i];
      if (read === undefined) {
        lastHold.set(u.version, undefined);
        continue;
      }
      recordNs(f.hold, read.doneNs - u.sendNs);
      recordNs(sf.hold, read.doneNs - u.sendNs);
      latestHold.set(u.version, Math.max(latestHold.get(u.version) ?? -Infinity, read.doneNs));
      const last = lastHold.get(u.version);
      if (last !== undefined) lastHold.set(u.version, Math.max(last, read.doneNs));
    }
  }

  // Where every update's observation closes: the measured window's end, else the readers' last moment.
  const endNs = input.window?.stopAt ?? Math.max(...readers.flatMap((r) => [...r.reads.map((x) => x.doneNs), ...r.trace.events.map((e) => e.arrivalNs)]));
  let shortestCensoredNs = Infinity;
  for (const u of counted) {
    const last = lastHold.get(u.version);
    if (last === undefined || readers.length === 0) {
      f.convergeIncomplete++;
      if (readers.length === 0) continue; // nobody to converge: no case, and converge is not measured
      const windowNs = Math.max(0, endNs - u.sendNs);
      recordNs(f.converge, Math.max(windowNs, (latestHold.get(u.version) ?? -Infinity) - u.sendNs));
      f.convergeCensoring.count++;
      shortestCensoredNs = Math.min(shortestCensoredNs, windowNs);
      continue;
    }
    recordNs(f.converge, last - u.sendNs);
    if (last >= u.ackNs) recordNs(f.convergeFromAck, last - u.ackNs);
    else f.convergedBeforeAck++;
  }
  if (f.convergeCensoring.count > 0) f.convergeCensoring.windowMs = shortestCensoredNs / 1e6;
  f.perServer = [...servers.values()].sort((a, b) => (a.server ?? -1) - (b.server ?? -1));
  return f;
}

/**
 * The writer's update latencies, over updates intended in the measured window: `latency` from the intended
 * start to the acknowledgement, `service_time` from the send.
 */
export function writerLatencies(updates: readonly UpdateRecord[], window: MeasuredWindow): Metric[] {
  const latency = newLatencyHistogram();
  const service = newLatencyHistogram();
  for (const u of updates) {
    const intended = u.intendedNs ?? u.sendNs;
    if (!inWindow(intended, window)) continue;
    recordNs(latency, u.ackNs - intended);
    recordNs(service, u.ackNs - u.sendNs);
  }
  return [distribution('latency', latency), distribution('service_time', service)];
}
