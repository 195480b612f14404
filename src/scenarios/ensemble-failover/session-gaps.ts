// One session's unavailability around each fault (SPEC §2, censored observations). A fault's observation
// window runs from the moment it took effect to the next fault's, or to the end of the measured window.
// The session's figure for that fault is its longest gap in the window: the longest time without a
// success, each gap running from the previous success (or the window's start) to the next success. A gap
// still open when the window closes is censored: when it is the longest, the figure is its length so far
// (for a session that never came back: the whole window), a lower bound. Nothing after the window's end
// changes the figure.
//
// The load side hears of a fault a few ms after it took effect, so each session keeps its recent success
// times in a ring and, when told, closes the earlier window and opens the new one from that moment.
import type { TimeToEvent } from '../../measure/time-to-event.ts';

/** Successes kept per session: at a request per ms this reaches back about a second. */
const RING = 1024;

interface OpenWindow {
  entry: number;
  fromNs: number;
  /** The last success inside the window so far (the window's start before the first). */
  cursor: number;
  /** Each gap that was longer than every earlier one in the window: [its end, its length], ns. */
  records: [number, number][];
}

export class SessionGaps {
  private readonly ring = new Float64Array(RING);
  private count = 0;
  private open: OpenWindow | undefined;
  /** Fault entry → this session's figure for it, once its window has closed. */
  readonly figures = new Map<number, TimeToEvent>();

  succeeded(at: number): void {
    this.ring[this.count++ % RING] = at;
    if (this.open && at > this.open.fromNs) this.extend(this.open, at);
  }

  /** Fault `entry` took effect at `atNs` (heard of now, possibly a little later). */
  fault(entry: number, atNs: number): void {
    if (this.open) this.close(this.open, Math.max(atNs, this.open.fromNs));
    const w: OpenWindow = { entry, fromNs: atNs, cursor: atNs, records: [] };
    this.open = w;
    // Successes since the fault took effect, already seen: they belong to the new window.
    for (const t of this.successesAfter(atNs)) this.extend(w, t);
  }

  /** The measured window ended at `endNs` (or the run stopped then): the last fault's window closes there. */
  finish(endNs: number): void {
    if (this.open) this.close(this.open, Math.max(endNs, this.open.fromNs));
    this.open = undefined;
  }

  private extend(w: OpenWindow, at: number): void {
    const gap = at - w.cursor;
    const longest = w.records.at(-1)?.[1];
    if (longest === undefined || gap > longest) w.records.push([at, gap]);
    w.cursor = Math.max(w.cursor, at);
  }

  private close(w: OpenWindow, endNs: number): void {
    // Gaps that ended after endNs were seen before the next fault was heard of: they are not this window's.
    let longest: number | undefined;
    for (const [end, ns] of w.records) if (end <= endNs) longest = ns;
    const last = this.lastSuccessAtOrBefore(endNs);
    const openNs = endNs - Math.max(last ?? w.fromNs, w.fromNs);
    this.figures.set(
      w.entry,
      longest === undefined || openNs >= longest
        ? { ns: openNs, censored: true, windowNs: endNs - w.fromNs }
        : { ns: longest, censored: false, windowNs: endNs - w.fromNs },
    );
  }

  /** Recorded successes later than `t`, oldest first. */
  private successesAfter(t: number): number[] {
    const later: number[] = [];
    for (let k = 1; k <= Math.min(this.count, RING); k++) {
      const s = this.ring[(this.count - k) % RING]!;
      if (s <= t) break;
      later.push(s);
    }
    return later.reverse();
  }

  /**
   * The latest success at or before `t`; undefined when there was none. When the ring no longer reaches
   * back to `t` (more than RING successes since), the session was succeeding right up to it: `t` itself.
   */
  private lastSuccessAtOrBefore(t: number): number | undefined {
    const n = Math.min(this.count, RING);
    for (let k = 1; k <= n; k++) {
      const s = this.ring[(this.count - k) % RING]!;
      if (s <= t) return s;
    }
    return this.count > RING ? t : undefined;
  }
}
