// Time-to-event figures with their censored cases (SPEC §2, censored observations): every case has an
// observation window that opens at its event's cause (a fault, a change) and closes at the next fault or
// the measured window's end. A case whose event happened inside the window is recorded at its time; one
// whose event had not happened when the window closed is censored: recorded at what was observed by then
// (the window's length, or a gap's length so far), a lower bound, and counted beside the distribution.
// Nothing is left out. Pure.
import { newLatencyHistogram, recordNs } from './histogram.ts';
import { distribution, type Metric } from './metrics.ts';

/**
 * One case: its event came `ns` after its cause, inside an observation window of `windowNs`; or (censored)
 * it had not come when the window closed, and `ns` is what was observed by then.
 */
export interface TimeToEvent {
  ns: number;
  censored: boolean;
  windowNs: number;
}

/**
 * The distribution of `cases`, censored ones included at their recorded length, with their count and the
 * observation window: when the cases' windows differ, the shortest of the censored cases' (each of them
 * went unobserved at least that long), or of all cases' when none is censored. undefined when there is
 * no case at all: a figure without observations is "not measured", never an empty pass.
 */
export function timeToEventMetric(name: string, cases: readonly TimeToEvent[]): Metric | undefined {
  if (cases.length === 0) return undefined;
  const h = newLatencyHistogram();
  for (const c of cases) recordNs(h, c.ns);
  const censored = cases.filter((c) => c.censored);
  const windowNs = Math.min(...(censored.length > 0 ? censored : cases).map((c) => c.windowNs));
  return distribution(name, h, { count: censored.length, windowMs: windowNs / 1e6 });
}
