// The sessions of one load process, one per client, with the means to start a client over: after a
// failure a session may still own a lock node it no longer knows about (a create applied just before
// the connection broke, a release whose delete failed), so the client gets a fresh session and the old
// one, closed, takes its ephemeral nodes with it. Counters of retired sessions are kept.
import { closeSessions, connectOf, openSessions, type OpenSessionsOptions } from './open-sessions.ts';
import { watchSessionEvents, type SessionEvent } from './session-events.ts';
import { addCounters, emptyCounters, type SessionCounters } from '../measure/request-counts.ts';
import { ZkSession } from './session.ts';

export class SessionSet {
  private readonly retired: ZkSession[] = [];
  /** Each session-event listener and the subscriptions to undo when it stops. */
  private readonly watchers = new Map<(e: SessionEvent) => void, (() => void)[]>();

  private constructor(
    private readonly options: OpenSessionsOptions,
    private readonly current: ZkSession[],
  ) {}

  static async open(opts: OpenSessionsOptions): Promise<SessionSet> {
    return new SessionSet(opts, await openSessions(opts));
  }

  get size(): number {
    return this.current.length;
  }

  at(i: number): ZkSession {
    const s = this.current[i];
    if (!s) throw new Error(`no session ${i}`);
    return s;
  }

  /** Close session i and put a fresh one in its place (connected where session i was). */
  async replace(i: number): Promise<ZkSession> {
    const old = this.at(i);
    old.close();
    this.retired.push(old);
    const fresh = await ZkSession.open({ ...this.options, connect: connectOf(this.options, i), signal: undefined });
    this.current[i] = fresh;
    for (const [l, subs] of this.watchers) subs.push(watchSessionEvents(fresh, l));
    return fresh;
  }

  /** Calls `onEvent` on the session events of every session, present and future, until the returned function is called. */
  watchEvents(onEvent: (e: SessionEvent) => void): () => void {
    const subs = this.current.map((s) => watchSessionEvents(s, onEvent));
    this.watchers.set(onEvent, subs);
    return () => {
      this.watchers.delete(onEvent);
      for (const u of subs) u();
    };
  }

  /** Requests and notifications of every session this set has held. */
  counters(): SessionCounters {
    const total = emptyCounters();
    for (const s of [...this.retired, ...this.current]) addCounters(total, s.counters);
    return total;
  }

  expiredCount(): number {
    return [...this.retired, ...this.current].filter((s) => s.state === 'expired').length;
  }

  closeAll(): void {
    closeSessions(this.current);
  }
}
