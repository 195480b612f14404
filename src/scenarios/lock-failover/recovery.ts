// lock-failover's `recovery` figure (SPEC §2, Failover family): from a disruption to the moment the lock
// recipe works again, i.e. to the next acquisition, the first hold that began (the recipe reported the
// lock held) after it. Disruptions are the workload's faults that break something (kill, pause, isolate
// of a server; their restart, resume and heal repair) and the paused holder (from its SIGSTOP: the lock
// works again once the holder's session has expired and another client holds it). A handoff the ensemble
// committed just before a fault can still land just after it, so a fault may show a recovery of a few ms:
// that lock did not stop working. One sample per disruption, so each kind is a distribution; a disruption
// with no acquisition after it before the clients stopped counts as `unrecovered`. Pure.
import type { RelNs } from '../../measure/clock.ts';
import { newLatencyHistogram, recordNs } from '../../measure/histogram.ts';
import { distribution, scalar, type Metric } from '../../measure/metrics.ts';

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
  /** From the disruption to the next acquisition, ns; undefined when none followed. */
  recoveryNs: RelNs | undefined;
}

/** Each disruption with the time to the first hold that began after it (`heldAt`: every hold's start, any order). */
export function lockRecoveries(heldAt: readonly RelNs[], disruptions: readonly Disruption[]): Recovery[] {
  const sorted = [...heldAt].sort((a, b) => a - b);
  return disruptions.map((d) => {
    const next = sorted.find((t) => t > d.atNs);
    return { ...d, recoveryNs: next === undefined ? undefined : next - d.atNs };
  });
}

/** `recovery.fault`, `recovery.pause` (only the kinds that recovered at least once) and `unrecovered`. */
export function recoveryMetrics(recoveries: readonly Recovery[]): Metric[] {
  const metrics: Metric[] = [];
  for (const kind of ['fault', 'pause'] as const) {
    const samples = recoveries.filter((r) => r.kind === kind && r.recoveryNs !== undefined);
    if (samples.length === 0) continue;
    const h = newLatencyHistogram();
    for (const r of samples) recordNs(h, r.recoveryNs!);
    metrics.push(distribution(`recovery.${kind}`, h));
  }
  metrics.push(scalar('unrecovered', 'count', recoveries.filter((r) => r.recoveryNs === undefined).length));
  return metrics;
}
