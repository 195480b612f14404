// A remote worker reaches the servers by its own --connect, not by the coordinator's addresses (the
// coordinator may name them as only it can reach them). Pure, so it is tested without ZooKeeper.
import type { ToWorker } from '../protocol.ts';
import { formatServer, parseConnect } from '../../zk/connect-string.ts';

/**
 * The coordinator's connect string names the servers as the coordinator reaches them; this worker reaches
 * them through its own --connect, which lists the same servers in the same order. Sessions pinned to one
 * server (ClientsPlan.connect) are mapped by that order.
 */
export function onOwnConnect(msg: Extract<ToWorker, { type: 'prepare' }>, own: string): Pick<typeof msg, 'sessions' | 'plan'> {
  const coordinator = parseConnect(msg.sessions.connect);
  const worker = parseConnect(own);
  // The run's nodes are at the same paths for both only under the same chroot.
  if (coordinator.chroot !== worker.chroot) {
    throw new Error(
      `this worker's --connect has ${worker.chroot ? `the chroot ${worker.chroot}` : 'no chroot'} and the coordinator's ${coordinator.chroot ? `the chroot ${coordinator.chroot}` : 'none'}: give the worker the same chroot`,
    );
  }
  const theirs = coordinator.servers.map(formatServer);
  const mine = worker.servers.map(formatServer);
  const chroot = worker.chroot ?? '';
  const pinned = msg.plan.connect;
  if (pinned && theirs.length !== mine.length) {
    throw new Error(`this worker's --connect lists ${mine.length} servers and the coordinator's ${theirs.length}: list the same servers in the same order`);
  }
  const map = (one: string): string =>
    parseConnect(one)
      .servers.map(formatServer)
      .map((server) => {
        const i = theirs.indexOf(server);
        if (i < 0) throw new Error(`a session is pinned to ${server}, which is not in the coordinator's connect string`);
        return mine[i]!;
      })
      .join(',') + chroot;
  return { sessions: { ...msg.sessions, connect: own }, plan: pinned ? { ...msg.plan, connect: pinned.map(map) } : msg.plan };
}

