// ensemble-failover's figures from the processes' reports, the faults and the merged timeline: pure.
import { scalar, type Metric } from '../../measure/metrics.ts';
import { timeToEventMetric, type TimeToEvent } from '../../measure/time-to-event.ts';
import type { IntervalFigures, IntervalGrid } from '../../measure/timeline.ts';
import type { FailoverWorkerReport } from './plan.ts';

/** Throughput counts as recovered once it is back to this share of its level before the fault. */
export const RECOVERY_SHARE = 0.5;
/** The pre-fault level: mean operations per interval over this span before the fault. */
export const BASELINE_NS = 2e9;

export interface FaultMoment {
  entry: number;
  atNs: number;
}

/**
 * recovery of one fault: from the fault to the end of the last interval, before the next fault (or the end of
 * the measured window: `untilNs`), whose throughput was below RECOVERY_SHARE of the mean over the BASELINE_NS
 * before the fault; 0 when none was. Declared only by an interval inside the window (SPEC §2): when the last
 * whole interval before the window's end was still low, the case is censored at the window's length.
 * undefined when there is no level to recover to (nothing completed before the fault).
 */
export function recoveryCase(grid: IntervalGrid, intervals: readonly IntervalFigures[], fault: FaultMoment, untilNs: number): TimeToEvent | undefined {
  const at = (i: number): number => grid.gridFrom + i * grid.intervalNs;
  const ops = new Map(intervals.map((f) => [f.index, f.ops]));
  const first = Math.floor((fault.atNs - BASELINE_NS - grid.gridFrom) / grid.intervalNs);
  const faultIndex = Math.floor((fault.atNs - grid.gridFrom) / grid.intervalNs);
  if (faultIndex <= first) return undefined;
  let sum = 0;
  for (let i = first; i < faultIndex; i++) sum += ops.get(i) ?? 0;
  if (sum === 0) return undefined;
  const threshold = RECOVERY_SHARE * (sum / (faultIndex - first));
  const windowNs = Math.max(0, untilNs - fault.atNs);
  let lastLow: number | undefined;
  let last: number | undefined;
  for (let i = faultIndex; at(i + 1) <= untilNs; i++) {
    last = i;
    if ((ops.get(i) ?? 0) < threshold) lastLow = i;
  }
  // Still low in the window's last whole interval, or no whole interval to see: nothing declared it.
  if (last === undefined || lastLow === last) return { ns: windowNs, censored: true, windowNs };
  return { ns: lastLow === undefined ? 0 : at(lastLow + 1) - fault.atNs, censored: false, windowNs };
}

export interface FailoverFigures {
  metrics: Metric[];
  notes: string[];
}

/**
 * Final counter values read after the run, by writer id; lost_writes compares them with what was acknowledged
 * (left out when they could not be read: undefined).
 */
export function failoverFigures(reports: readonly FailoverWorkerReport[], finalValues: ReadonlyMap<number, number> | undefined, faultLabels: ReadonlyMap<number, string>): FailoverFigures {
  const metrics: Metric[] = [];
  const notes: string[] = [];
  const entries = [...faultLabels.keys()].sort((a, b) => a - b);
  for (const entry of entries) {
    // Every session is a case, those not back when the fault's window closed included (censored).
    const u = timeToEventMetric(`unavailable.${entry}`, reports.flatMap((r) => r.unavailable[entry] ?? []));
    if (u) metrics.push(u);
    else notes.push(`unavailable.${entry} not measured: no session heard of fault ${entry} (${faultLabels.get(entry)})`);
  }
  let lost = 0;
  const lostAt: string[] = [];
  for (const r of finalValues ? reports : []) {
    for (const [id, acked] of Object.entries(r.acknowledged)) {
      const final = finalValues!.get(Number(id));
      if (final === undefined || final < acked) {
        lost += acked - (final ?? 0);
        lostAt.push(`writer ${id}: ${acked} writes acknowledged, ${final === undefined ? 'its node holds nothing' : `its node counts ${final} writes`}`);
      }
    }
  }
  if (lostAt.length > 0) notes.push(`LOST WRITES: ${lostAt.slice(0, 5).join('; ')}`);
  const errors = new Map<string, number>();
  for (const r of reports) for (const [code, n] of Object.entries(r.errors)) errors.set(code, (errors.get(code) ?? 0) + n);
  metrics.push(
    ...(finalValues ? [scalar('lost_writes', 'count', lost)] : []),
    scalar('unknown_writes', 'count', reports.reduce((s, r) => s + r.unknownWrites, 0)),
    scalar('acknowledged_writes', 'count', reports.reduce((s, r) => s + Object.values(r.acknowledged).reduce((a, b) => a + b, 0), 0)),
    scalar('connection_losses', 'count', reports.reduce((s, r) => s + r.connectionLosses, 0)),
    // By code: errors.<CODE>, from the request figures (throughput-metrics.ts).
    scalar('failed_ops', 'count', [...errors.values()].reduce((a, b) => a + b, 0)),
  );
  return { metrics, notes };
}
