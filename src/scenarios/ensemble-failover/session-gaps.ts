// Per session: its longest time without a success from a fault until the next fault (or the end), counted
// from its last success before the interruption (an interruption still going on at the next fault counts
// to its end); so a session whose server goes down a few ms after the
// fault (a follower noticing its leader's death) is measured by that outage, not by the few ms. The load
// side learns a fault's time a few ms after it took effect, so each session keeps its recent success
// times in a ring and looks back from there.

/** Successes kept per session: at a request per ms this reaches back about a second. */
const RING = 1024;

export class SessionGaps {
  private readonly ring = new Float64Array(RING);
  private count = 0;
  private current: { entry: number; atNs: number } | undefined;
  /** Faults announced since this session's last success: its next success ends an interruption of each. */
  private unresolved: number[] = [];
  /** Fault entry → the longest gap between consecutive successes ending after it (before the next fault), ns. */
  readonly gaps = new Map<number, number>();

  succeeded(at: number): void {
    const last = this.count > 0 ? this.ring[(this.count - 1) % RING]! : undefined;
    if (this.current && last !== undefined && at > this.current.atNs) this.longer(this.current.entry, at - last);
    // A fault announced while an earlier one's interruption went on: that interruption ends here too.
    if (last !== undefined) for (const entry of this.unresolved) this.longer(entry, at - last);
    this.unresolved = [];
    this.ring[this.count++ % RING] = at;
  }

  /** Fault `entry` took effect at `atNs`: gaps from here on count for it, including those since atNs. */
  fault(entry: number, atNs: number): void {
    this.current = undefined;
    const n = Math.min(this.count, RING);
    let later: number | undefined;
    let reached = false;
    for (let k = 1; k <= n; k++) {
      const t = this.ring[(this.count - k) % RING]!;
      if (later !== undefined) this.longer(entry, later - t);
      later = t;
      if (t <= atNs) {
        reached = true;
        break;
      }
    }
    // The ring does not reach back to the fault (the session had not succeeded for longer than it
    // covers, or never had): no interruption is attributed to this fault.
    if (!reached) {
      this.gaps.delete(entry);
      return;
    }
    this.current = { entry, atNs };
    if (later === undefined || later <= atNs) this.unresolved.push(entry);
  }

  private longer(entry: number, ns: number): void {
    this.gaps.set(entry, Math.max(this.gaps.get(entry) ?? 0, ns));
  }

  /** Faults after which this session had no success before the run stopped. */
  pending(): number[] {
    return [...this.unresolved];
  }
}
