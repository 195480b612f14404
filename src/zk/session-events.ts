// Session state changes a timeline marks, as the client layer sees them: a session losing its server
// connection, getting it back, or expiring. Opening a session and closing it on purpose are not events.
import type { SessionState, ZkSession } from './session.ts';

export type SessionEvent = 'session disconnected' | 'session reconnected' | 'session expired';

/** The event a state change is, if any. */
export function sessionEventOf(from: SessionState, to: SessionState): SessionEvent | undefined {
  if (to === 'disconnected' && from !== 'disconnected') return 'session disconnected';
  if (to === 'connected' && from === 'disconnected') return 'session reconnected';
  if (to === 'expired') return 'session expired';
  return undefined;
}

/** Calls `onEvent` on each of the session's events from now on; returns a function that stops. */
export function watchSessionEvents(session: ZkSession, onEvent: (e: SessionEvent) => void): () => void {
  let last = session.state;
  return session.onStateChange((next) => {
    const e = sessionEventOf(last, next);
    last = next;
    if (e) onEvent(e);
  });
}
