// The second half of the `election` figure (SPEC §2): from a fault to the ensemble accepting a write
// again. Every server but the faulted one is asked for a write every 10 ms (probe-write.ts: a session of
// its own and a setData over the wire protocol, one attempt in flight per server), and the figure ends
// when the first acknowledgement arrives. No client library sits in between: the npm client, once it
// has tried every server, waits up to a third of its session timeout before trying again, which would
// time the client rather than the ensemble.
import { noProbeFailures, probeWrite, tallyProbe } from '../ensemble/probe-write.ts';
import type { ProbeFailures } from '../measure/election-metrics.ts';
import type { ServerInfo } from '../ensemble/types.ts';
import type { RelNs, RunClock } from '../measure/clock.ts';

export const WRITE_PROBE_PERIOD_MS = 10;
/** A write stuck behind a leader nobody has noticed is gone is given up on after this long and tried again. */
const ATTEMPT_TIMEOUT_MS = 2000;
const PAYLOAD = Buffer.from('election-probe');

export interface WriteSeen {
  /** Run clock of the first acknowledged write; undefined when stopped first. */
  at: RelNs | undefined;
  /** Attempts and why those that failed did (attempts cut short by the end of the watch are not counted). */
  failures: ProbeFailures;
}

/** The first write acknowledged by a server other than `excluded`, and the attempts that failed before it. */
export function watchForWrite(servers: readonly ServerInfo[], excluded: number, path: string, clock: RunClock, stop: AbortSignal, periodMs = WRITE_PROBE_PERIOD_MS): Promise<WriteSeen> {
  const candidates = servers.filter((s) => s.id !== excluded);
  const failures = noProbeFailures();
  return new Promise((resolve) => {
    const inFlight = new Set<number>();
    const attempts = new AbortController();
    let done = false;
    const finish = (at: RelNs | undefined): void => {
      if (done) return;
      done = true;
      clearInterval(timer);
      stop.removeEventListener('abort', onStop);
      attempts.abort(); // the others stop at once
      resolve({ at, failures });
    };
    const onStop = (): void => finish(undefined);
    const attempt = (s: ServerInfo): void => {
      if (inFlight.has(s.id)) return;
      inFlight.add(s.id);
      void probeWrite(s.host, s.clientPort, path, PAYLOAD, { timeoutMs: ATTEMPT_TIMEOUT_MS, signal: attempts.signal }).then((r) => {
        const at = clock.now();
        inFlight.delete(s.id);
        if (done) return; // stopped by the watch's end, not failed
        tallyProbe(failures, s.id, r);
        if (r.ok) finish(at);
      });
    };
    const timer = setInterval(() => candidates.forEach(attempt), periodMs);
    if (stop.aborted || candidates.length === 0) return finish(undefined);
    stop.addEventListener('abort', onStop, { once: true });
    candidates.forEach(attempt);
  });
}
