// A remote worker reaches the servers by its own --connect, not by the coordinator's addresses (the
// coordinator may name them as only it can reach them). Pure, so it is tested without ZooKeeper.
import type { ToWorker } from '../protocol.ts';

/**
 * The coordinator's connect string names the servers as the coordinator reaches them; this worker reaches
 * them through its own --connect, which lists the same servers in the same order. Sessions pinned to one
 * server (ClientsPlan.connect) are mapped by that order.
 */
export function onOwnConnect(msg: Extract<ToWorker, { type: 'prepare' }>, own: string): Pick<typeof msg, 'sessions' | 'plan'> {
  const theirs = msg.sessions.connect.split(',');
  const mine = own.split(',');
  const pinned = msg.plan.connect;
  if (pinned && theirs.length !== mine.length) {
    throw new Error(`this worker's --connect lists ${mine.length} servers and the coordinator's ${theirs.length}: list the same servers in the same order`);
  }
  const map = (one: string): string =>
    one
      .split(',')
      .map((server) => {
        const i = theirs.indexOf(server);
        if (i < 0) throw new Error(`a session is pinned to ${server}, which is not in the coordinator's connect string`);
        return mine[i]!;
      })
      .join(',');
  return { sessions: { ...msg.sessions, connect: own }, plan: pinned ? { ...msg.plan, connect: pinned.map(map) } : msg.plan };
}

