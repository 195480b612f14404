// What the lock family derives from every holder's (acquire, held, released) timestamps, across all
// clients and processes: mutual-exclusion violations, hand-off times and FIFO order (SPEC §2).
// Pure functions over plain records, so the checker can be tested both ways without ZooKeeper.
import type { RelNs } from './clock.ts';

/** One successful acquisition, timestamps on the run clock. */
export interface HoldRecord {
  client: number;
  /** acquire() was called. */
  tAcquire: RelNs;
  /** Open loop (`rate`): the attempt's intended start on the schedule (`latency` is timed from it; `acquire` stays from tAcquire). */
  tIntended?: RelNs;
  /** The recipe reported the lock held. */
  tHeld: RelNs;
  /** release() was called (before the release request is sent). */
  tReleased: RelNs;
  /** Queue position: the znode sequence number for queue recipes, else the acquire() call time. */
  ticket: number;
  /** The load process that recorded it, when holds of processes with different clocks are compared. */
  process?: number;
}

export interface Violation {
  /** The holder that still held the lock... */
  holder: HoldRecord;
  /** ...when this contender also believed it held it. */
  intruder: HoldRecord;
  overlapNs: number;
}

/** Sort a copy by the held moment; ties keep client order so results are deterministic. */
export function byHeldTime(records: readonly HoldRecord[]): HoldRecord[] {
  return [...records].sort((a, b) => a.tHeld - b.tHeld || a.client - b.client);
}

/** Overlaps found: violations (beyond the clocks' error bound) and undecidable ones (within it). */
export interface OverlapCheck {
  violations: Violation[];
  undecidable: Violation[];
}

/**
 * Every acquisition that began while another holder had not yet released. A sweep over the records in
 * held order, keeping the holds not yet released; each intruding hold counts once, against the hold it
 * overlaps most. When the two holds' timestamps come from clocks that may disagree by up to
 * `pairBoundNs(a, b)` (two hosts: their offsets' bounds added), an overlap no longer than that bound could
 * be the clocks' error rather than two holders: it is `undecidable`, and a violation only when some
 * overlap of the intruder exceeds its pair's bound. On one host every bound is 0.
 */
export function classifyOverlaps(records: readonly HoldRecord[], pairBoundNs: (a: HoldRecord, b: HoldRecord) => number = () => 0): OverlapCheck {
  const out: OverlapCheck = { violations: [], undecidable: [] };
  let active: HoldRecord[] = [];
  for (const r of byHeldTime(records)) {
    active = active.filter((h) => h.tReleased > r.tHeld);
    let decided: Violation | undefined;
    let within: Violation | undefined;
    for (const h of active) {
      const v = { holder: h, intruder: r, overlapNs: Math.min(h.tReleased, r.tReleased) - r.tHeld };
      if (v.overlapNs > pairBoundNs(h, r)) {
        if (!decided || v.overlapNs > decided.overlapNs) decided = v;
      } else if (!within || v.overlapNs > within.overlapNs) within = v;
    }
    if (decided) out.violations.push(decided);
    else if (within) out.undecidable.push(within);
    active.push(r);
  }
  return out;
}

/** Overlapping holds on one clock (every bound 0): classifyOverlaps' violations. */
export function findViolations(records: readonly HoldRecord[]): Violation[] {
  return classifyOverlaps(records).violations;
}

/**
 * Hand-off times: from one holder's release() to the next holder's held moment, counted only when the
 * next holder was already waiting at the release (otherwise the gap is idle time, not coordination) and
 * the two holds do not overlap (an overlap is a violation, not a hand-off).
 */
export function handoffTimes(records: readonly HoldRecord[]): number[] {
  const sorted = byHeldTime(records);
  const out: number[] = [];
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1]!;
    const next = sorted[i]!;
    if (next.tAcquire <= prev.tReleased && next.tHeld >= prev.tReleased) out.push(next.tHeld - prev.tReleased);
  }
  return out;
}

/**
 * FIFO inversions: pairs where a contender that queued earlier (lower ticket) was served later. Counted in
 * O(n log n) as the inversions of the held order read in ticket order.
 */
export function fifoInversions(records: readonly HoldRecord[]): number {
  const heldInTicketOrder = [...records]
    .sort((a, b) => a.ticket - b.ticket || a.tAcquire - b.tAcquire)
    .map((r) => r.tHeld);
  return countInversions(heldInTicketOrder);
}

/** Number of pairs i < j with values[i] > values[j] (merge sort). */
export function countInversions(values: readonly number[]): number {
  const a = [...values];
  const buf = new Array<number>(a.length);
  let inversions = 0;
  for (let width = 1; width < a.length; width *= 2) {
    for (let lo = 0; lo < a.length; lo += 2 * width) {
      const mid = Math.min(lo + width, a.length);
      const hi = Math.min(lo + 2 * width, a.length);
      let i = lo;
      let j = mid;
      let k = lo;
      while (i < mid && j < hi) {
        if (a[i]! <= a[j]!) buf[k++] = a[i++]!;
        else {
          inversions += mid - i;
          buf[k++] = a[j++]!;
        }
      }
      while (i < mid) buf[k++] = a[i++]!;
      while (j < hi) buf[k++] = a[j++]!;
      for (let x = lo; x < hi; x++) a[x] = buf[x]!;
    }
  }
  return inversions;
}

/** Jain's fairness index over per-client counts: 1 when all equal, 1/n when one client got everything. */
export function jainIndex(counts: readonly number[]): number | undefined {
  if (counts.length === 0) return undefined;
  let sum = 0;
  let sumSq = 0;
  for (const c of counts) {
    sum += c;
    sumSq += c * c;
  }
  return sumSq === 0 ? undefined : (sum * sum) / (counts.length * sumSq);
}
