// lock-failover's `recovery` figure (SPEC §2, Failover family): from a disruption to the moment the lock
// recipe works again, i.e. to the next acquisition, the first hold that began (the recipe reported the
// lock held) after it. Disruptions are the workload's faults that break something (kill, pause, isolate
// of a server; their restart, resume and heal repair) and the paused holder (from its SIGSTOP: the lock
// works again once the holder's session has expired and another client holds it). A handoff the ensemble
// committed just before a fault can still land just after it, so a fault may show a recovery of a few ms:
// that lock did not stop working. One case per disruption, so each kind is a distribution. A disruption's
// observation window runs to the next fault or holder pause, or to the measured window's end: one with no
// acquisition inside it counts as `unrecovered` and is a censored case at the window's length (SPEC §2,
// censored observations), never left out; an acquisition after the window does not recover it. Pure.
import type { RelNs } from '../../measure/clock.ts';
import { scalar, type Metric } from '../../measure/metrics.ts';
import { timeToEventMetric } from '../../measure/time-to-event.ts';

/** fault: one of the workload's faults; pause: the lock holder's load process stopped. */
export type DisruptionKind = 'fault' | 'pause';

/** Fault actions that take something away; the others (restart, resume, heal) undo one. */
export const DISRUPTING_ACTIONS: readonly string[] = ['kill', 'pause', 'isolate'];

export interface Disruption {
  kind: DisruptionKind;
  /** Run clock, when it took effect. */
  atNs: RelNs;
}

export interface Recovery extends Disruption {
  /** From the disruption to the next acquisition, ns; undefined when none came inside its window. */
  recoveryNs: RelNs | undefined;
  /** From the disruption to the next fault or holder pause, or the measured window's end. */
  windowNs: number;
}

/**
 * Each disruption with the time to the first hold that began after it inside its window (`heldAt`: every
 * hold's start, any order). `boundaries`: every fault's and holder pause's moment, where a window closes
 * (the disruptions' own included); `untilNs`: the measured window's end.
 */
export function lockRecoveries(heldAt: readonly RelNs[], disruptions: readonly Disruption[], boundaries: readonly RelNs[], untilNs: RelNs): Recovery[] {
  const sorted = [...heldAt].sort((a, b) => a - b);
  return disruptions.map((d) => {
    const end = Math.min(untilNs, ...boundaries.filter((t) => t > d.atNs));
    const next = sorted.find((t) => t > d.atNs && t <= end);
    return { ...d, recoveryNs: next === undefined ? undefined : next - d.atNs, windowNs: Math.max(0, end - d.atNs) };
  });
}

/** `recovery.fault`, `recovery.pause` (the kinds that happened, unrecovered ones censored) and `unrecovered`. */
export function recoveryMetrics(recoveries: readonly Recovery[]): Metric[] {
  const metrics: Metric[] = [];
  for (const kind of ['fault', 'pause'] as const) {
    const cases = recoveries
      .filter((r) => r.kind === kind)
      .map((r) => (r.recoveryNs === undefined ? { ns: r.windowNs, censored: true, windowNs: r.windowNs } : { ns: r.recoveryNs, censored: false, windowNs: r.windowNs }));
    const m = timeToEventMetric(`recovery.${kind}`, cases);
    if (m) metrics.push(m);
  }
  metrics.push(scalar('unrecovered', 'count', recoveries.filter((r) => r.recoveryNs === undefined).length));
  return metrics;
}
