// Clock offset between two hosts from an NTP-style exchange (RFC 5905's on-wire arithmetic, one server
// timestamp): the worker stamps a probe when it leaves (t1) and when the answer arrives (t3), the
// coordinator stamps it when it answers (t2). Whatever the path's asymmetry, the coordinator's t2 lies
// between t1 and t3 on the worker's clock, so offset = t2 - (t1 + t3)/2 is within (t3 - t1)/2 of the truth.
// The sample with the smallest round trip gives the tightest bound. Pure; times are bigint ns.

/** One exchange: worker clock when sent and received, coordinator clock when it answered. */
export interface ClockSample {
  sentNs: bigint;
  remoteNs: bigint;
  receivedNs: bigint;
}

export interface ClockOffset {
  /** Coordinator clock minus worker clock at one instant, ns. */
  offsetNs: number;
  /** |true offset - offsetNs| <= boundNs: half the smallest round trip. */
  boundNs: number;
  /** That smallest round trip, ns. */
  rttNs: number;
  samples: number;
}

export function offsetFromSamples(samples: readonly ClockSample[]): ClockOffset {
  let best: ClockSample | undefined;
  for (const s of samples) {
    if (s.receivedNs < s.sentNs) throw new Error('clock sample received before it was sent');
    if (!best || s.receivedNs - s.sentNs < best.receivedNs - best.sentNs) best = s;
  }
  if (!best) throw new Error('no clock samples');
  const rtt = best.receivedNs - best.sentNs;
  // t2 - (t1 + t3)/2, kept exact in bigint before the (small) result becomes a number
  const twiceOffset = 2n * best.remoteNs - best.sentNs - best.receivedNs;
  return { offsetNs: Number(twiceOffset) / 2, boundNs: Number(rtt) / 2, rttNs: Number(rtt), samples: samples.length };
}

/**
 * The error bound of a difference of two timestamps taken in processes a and b, each converted to the
 * coordinator's clock with its own bound: 0 within one process, the sum of both bounds across two.
 */
export function pairBoundNs(boundA: number, boundB: number, sameProcess: boolean): number {
  return sameProcess ? 0 : boundA + boundB;
}

/** The largest pairBoundNs between any two different processes: the sum of the two largest bounds. */
export function worstPairBoundNs(bounds: readonly number[]): number {
  if (bounds.length < 2) return 0;
  const sorted = [...bounds].sort((a, b) => b - a);
  return sorted[0]! + sorted[1]!;
}
