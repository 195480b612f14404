// The event file a driver process writes during the window (docs/drivers.md, "Event format"): one line
// per event, `<kind> <client> <t_ns> [rest]`, with t_ns on CLOCK_MONOTONIC (Java System.nanoTime, Python
// time.monotonic_ns, Node process.hrtime.bigint: one clock on one host). Read after the run, never sent
// one by one. Times are turned into run-clock ns (RelNs) with the run's origin.
import type { MeasuredWindow } from '../measure/measured-window.ts';
import type { RelNs } from '../measure/clock.ts';

export interface DriverEvent {
  kind: string;
  client: number;
  /** Run-clock ns. */
  t: RelNs;
  /** What follows the timestamp (a ticket, an error's kind and message, a session state), or ''. */
  rest: string;
}

export class EventFileError extends Error {
  override name = 'EventFileError';
}

/** Every event of a file's text, in file order; `origin` is the run clock's origin (CLOCK_MONOTONIC ns). */
export function parseEvents(text: string, origin: bigint, source = 'event file'): DriverEvent[] {
  const out: DriverEvent[] = [];
  let lineNo = 0;
  for (const line of text.split('\n')) {
    lineNo++;
    if (line === '') continue;
    const [kind, client, t] = line.split(' ', 3);
    const restAt = (kind?.length ?? 0) + (client?.length ?? 0) + (t?.length ?? 0) + 3;
    if (!kind || client === undefined || t === undefined || !/^-?\d+$/.test(client) || !/^\d+$/.test(t)) {
      throw new EventFileError(`${source} line ${lineNo}: expected "<kind> <client> <t_ns> [rest]", got ${JSON.stringify(line.slice(0, 120))}`);
    }
    out.push({ kind, client: Number(client), t: Number(BigInt(t) - origin), rest: line.length > restAt - 1 ? line.slice(restAt) : '' });
  }
  return out;
}

/** One event as a driver writes it (tests, and the TypeScript side's own recordings). */
export function formatEvent(kind: string, client: number, tAbsNs: bigint, rest?: string): string {
  return `${kind} ${client} ${tAbsNs}${rest === undefined || rest === '' ? '' : ` ${rest}`}\n`;
}

/**
 * The windows a driver's events are replayed against: the one it was started with (`go`), whose measureFrom is
 * the interval grid's origin in every process, and the one decided after a pending warm-up (the same otherwise).
 */
export interface ReplayWindows {
  started: MeasuredWindow;
  decided: MeasuredWindow;
}

/** A window that was never pending: started and decided are one. */
export const fixedWindow = (w: MeasuredWindow): ReplayWindows => ({ started: w, decided: w });

