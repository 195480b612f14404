// The membership scenario's own workload fields, typed, and what follows from them. index.ts declares the
// fields (specs, checks); the coordinator, the load side and the table read them from here.
import type { Workload } from '../../workload/schema.ts';

export interface MembershipFields {
  members: number;
  joins: number;
  leaves: number;
  crashes: number;
}
export type MembershipWorkload = Workload & MembershipFields;

/**
 * The last part of the measured window the churn leaves alone, so its last change can still be seen by every
 * client inside the window (a change that is not is censored, SPEC §2): a crashed server's node goes when its
 * session expires, up to a session timeout and a tick after the crash, plus a tick for the clients to list it.
 */
export function settleMs(w: MembershipWorkload): number {
  return w.crashes > 0 ? w.sessionTimeoutMs + 2 * w.tickTimeMs : 0;
}

/** Time between two changes: the window less its settling tail, shared by the changes. */
export function churnIntervalMs(w: MembershipWorkload): number {
  const changes = w.joins + w.leaves + w.crashes;
  const spanMs = Math.max(0, (w.durationS ?? 0) * 1000 - settleMs(w));
  return changes > 0 ? spanMs / changes : 0;
}
