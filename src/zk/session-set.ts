// The sessions of one load process, one per client, with the means to start a client over: after a
// failure a session may still own a lock node it no longer knows about (a create applied just before
// the connection broke, a release whose delete failed), so the client gets a fresh session and the old
// one, closed, takes its ephemeral nodes with it. Counters of retired sessions are kept. A slot whose
// replacement failed holds no session (a closed handle must never be used again) until replaced again.
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
    /** undefined: the slot's session was closed and its replacement failed. */
    private readonly current: (ZkSession | undefined)[],
  ) {}

  static async open(opts: OpenSessionsOptions): Promise<SessionSet> {
    return new SessionSet(opts, await openSessions(opts));
  }

  /** The TLS and SASL its sessions were opened with, for a further session of the same process (a guard's). */
  get security(): Pick<OpenSessionsOptions, 'tls' | 'sasl'> {
    return { tls: this.options.tls, sasl: this.options.sasl };
  }

  get size(): number {
    return this.current.length;
  }

  at(i: number): ZkSession {
    if (i < 0 || i >= this.current.length) throw new Error(`no session ${i}`);
    const s = this.current[i];
    if (!s) throw new Error(`session ${i} was closed and its replacement failed: replace it again before using it`);
    return s;
  }

  /** Session i, or undefined while its slot is empty (closed, replacement failed). */
  held(i: number): ZkSession | undefined {
    return this.current[i];
  }

  /**
   * Close session i and put a fresh one in its place (connected where session i was). When the fresh
   * one cannot be opened the slot is left empty and the error is thrown: call replace(i) again.
   */
  async replace(i: number): Promise<ZkSession> {
    if (i < 0 || i >= this.current.length) throw new Error(`no session ${i}`);
    const old = this.current[i];
    if (old) {
      old.close();
      this.retired.push(old);
      this.current[i] = undefined;
    }
    const fresh = await ZkSession.open({ ...this.options, connect: connectOf(this.options, i), signal: undefined });
    this.current[i] = fresh;
    for (const [l, subs] of this.watchers) subs.push(watchSessionEvents(fresh, l));
    return fresh;
  }

  /** Calls `onEvent` on the session events of every session, present and future, until the returned function is called. */
  watchEvents(onEvent: (e: SessionEvent) => void): () => void {
    const subs = this.live().map((s) => watchSessionEvents(s, onEvent));
    this.watchers.set(onEvent, subs);
    return () => {
      this.watchers.delete(onEvent);
      for (const u of subs) u();
    };
  }

  /** Requests and notifications of every session this set has held. */
  counters(): SessionCounters {
    const total = emptyCounters();
    for (const s of [...this.retired, ...this.live()]) addCounters(total, s.counters);
    return total;
  }

  expiredCount(): number {
    return [...this.retired, ...this.live()].filter((s) => s.state === 'expired').length;
  }

  closeAll(): void {
    closeSessions(this.live());
  }

  private live(): ZkSession[] {
    return this.current.filter((s): s is ZkSession => s !== undefined);
  }
}
