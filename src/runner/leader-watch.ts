// The first half of the `election` figure (SPEC §2): from a fault that took the leader away to a server
// answering `srvr` with `Mode: leader`. Every server is asked every 10 ms (one question in flight per
// server: a stopped or cut-off one costs its timeout, not a pile of sockets), and an answer is stamped
// when it arrives, so the figure is late by at most one period plus the answer's trip.
// The old leader's own "leader" answers do not end the watch until it has been seen not leading (an
// isolated leader keeps saying leader until it notices it lost its quorum), except once its fault was
// undone (a paused leader resumed before anyone elected another): then the leader never changed.
import { fourLetterWord, parseSrvr } from '../ensemble/four-letter-words.ts';
import type { ServerInfo } from '../ensemble/types.ts';
import type { RelNs, RunClock } from '../measure/clock.ts';

export const LEADER_WATCH_PERIOD_MS = 10;
const PROBE_TIMEOUT_MS = 500;

export interface LeaderSeen {
  /** Run clock: when the answer arrived. */
  atNs: RelNs;
  leader: number;
  /** False when the old leader kept (or got back) its place without being seen to step down. */
  changed: boolean;
}

export interface LeaderWatchOptions {
  /** The fault on the old leader was undone (resume, heal, restart). */
  isUndone: () => boolean;
  /** Ends the watch without an answer. */
  stop: AbortSignal;
  periodMs?: number;
}

export function watchForLeader(servers: readonly ServerInfo[], clock: RunClock, oldLeader: number, opts: LeaderWatchOptions): Promise<LeaderSeen | undefined> {
  const periodMs = opts.periodMs ?? LEADER_WATCH_PERIOD_MS;
  return new Promise((resolve) => {
    const inFlight = new Set<number>();
    let oldLeaderStepped = false;
    let done = false;
    const finish = (seen: LeaderSeen | undefined): void => {
      if (done) return;
      done = true;
      clearInterval(timer);
      opts.stop.removeEventListener('abort', onStop);
      resolve(seen);
    };
    const onStop = (): void => finish(undefined);
    const ask = (s: ServerInfo): void => {
      if (inFlight.has(s.id)) return;
      inFlight.add(s.id);
      fourLetterWord(s.host, s.clientPort, 'srvr', PROBE_TIMEOUT_MS)
        .then((text) => {
          const atNs = clock.now();
          const mode = parseSrvr(text).mode;
          if (done) return;
          if (s.id === oldLeader && mode !== 'leader') oldLeaderStepped = true; // answered, and not as leader
          if (mode !== 'leader') return;
          if (s.id !== oldLeader || oldLeaderStepped) finish({ atNs, leader: s.id, changed: true });
          else if (opts.isUndone()) finish({ atNs, leader: s.id, changed: false });
        })
        .catch(() => undefined) // no answer: it says nothing about leadership
        .finally(() => inFlight.delete(s.id));
    };
    const timer = setInterval(() => {
      for (const s of servers) ask(s);
    }, periodMs);
    if (opts.stop.aborted) return finish(undefined);
    opts.stop.addEventListener('abort', onStop, { once: true });
    for (const s of servers) ask(s);
  });
}
