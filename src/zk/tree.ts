// Whole-path operations the suite needs for its own bookkeeping nodes (not for recipes under test).
// They ride out a lost connection: a fault a workload injects (a leader killed, a server restarted that
// then drops its clients while it syncs, ZOOKEEPER-4394) must not fail the bookkeeping between recipes.
import { ZCONNECTIONLOSS, ZNODEEXISTS, ZNONODE, ZNOTEMPTY, ZOPERATIONTIMEOUT } from './binding.ts';
import { isZkError } from './errors.ts';
import type { ZkSession } from './session.ts';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** How long bookkeeping waits for its session to find a server again after a lost connection. */
export const RECONNECT_WAIT_MS = 30_000;

/** A request that may or may not have been applied: the connection went while it was in flight. */
export const isConnectionLoss = (err: unknown): boolean => isZkError(err, ZCONNECTIONLOSS) || isZkError(err, ZOPERATIONTIMEOUT);

/**
 * Resolves once the session is connected; rejects when it ends, does not reconnect within `timeoutMs`,
 * or the signal it was opened with fires (Ctrl-C: a stopping run must not wait for servers).
 */
export function whenConnected(session: ZkSession, timeoutMs = RECONNECT_WAIT_MS): Promise<void> {
  if (session.state === 'connected') return Promise.resolve();
  if (session.state === 'closed' || session.state === 'expired') return Promise.reject(new Error(`the session was ${session.state}`));
  if (session.signal?.aborted) return Promise.reject(new Error('stopped while waiting for a server'));
  return new Promise((resolve, reject) => {
    const done = (err?: Error) => {
      clearTimeout(timer);
      unsubscribe();
      session.signal?.removeEventListener('abort', onAbort);
      if (err) reject(err);
      else resolve();
    };
    const onAbort = (): void => done(new Error('stopped while waiting for a server'));
    const timer = setTimeout(() => done(new Error(`the session found no serving server within ${timeoutMs} ms`)), timeoutMs);
    const unsubscribe = session.onStateChange((s) => {
      if (s === 'connected') done();
      else if (s === 'expired' || s === 'closed') done(new Error(`the session was ${s} while waiting for a server`));
    });
    session.signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Runs `op` again after a lost connection, once the session is connected again (ops must be idempotent
 * or tell a repeat apart, as ensurePath and deleteTree do).
 */
export async function acrossConnectionLoss<T>(session: ZkSession, op: (retry: boolean) => Promise<T>, timeoutMs = RECONNECT_WAIT_MS): Promise<T> {
  const giveUpAt = Date.now() + timeoutMs;
  for (let retry = false; ; retry = true) {
    try {
      return await op(retry);
    } catch (err) {
      const left = giveUpAt - Date.now();
      if (!isConnectionLoss(err) || left <= 0) throw err;
      await whenConnected(session, left).catch(() => {
        throw err;
      });
    }
  }
}

/**
 * Create every missing persistent node along `path` (mkdir -p). With `exclusive`, the last node must be
 * new: two runs must never share a namespace. A parent removed meanwhile (another run tidying up
 * `/zkbench`) is created again.
 */
export async function ensurePath(session: ZkSession, path: string, opts: { exclusive?: boolean } = {}): Promise<void> {
  const parts = path.split('/').filter(Boolean);
  // After a lost connection the exclusive node may be there because this very create reached the server;
  // the namespaces passed as exclusive are unique per run, so an existing one is then taken as ours.
  let lastCreateLost = false;
  const createOne = async (prefix: string, last: boolean): Promise<void> => {
    try {
      await acrossConnectionLoss(session, (retry) => {
        if (retry && last) lastCreateLost = true;
        return session.create(prefix);
      });
    } catch (err) {
      if (!isZkError(err, ZNODEEXISTS) || (opts.exclusive && last && !lastCreateLost)) throw err;
    }
  };
  for (let attempt = 0; ; attempt++) {
    try {
      let prefix = '';
      for (const [i, part] of parts.entries()) {
        prefix += `/${part}`;
        await createOne(prefix, i === parts.length - 1);
      }
      return;
    } catch (err) {
      if (!isZkError(err, ZNONODE) || attempt >= 5) throw err;
    }
  }
}

/**
 * Delete a node and everything below it (rm -r). Ephemeral children of a session that died without
 * closing last until the server expires it, so deletion is retried until `deadlineMs` has passed.
 */
export async function deleteTree(session: ZkSession, path: string, deadlineMs = 0): Promise<void> {
  const giveUpAt = Date.now() + deadlineMs;
  for (let attempt = 0; attempt < 10 || Date.now() < giveUpAt; attempt++) {
    if (attempt >= 10) await sleep(250);
    let children: string[];
    try {
      children = await acrossConnectionLoss(session, () => session.getChildren(path));
    } catch (err) {
      if (isZkError(err, ZNONODE)) return;
      throw err;
    }
    await Promise.all(children.map((c) => deleteTree(session, `${path}/${c}`, 0)));
    try {
      // A repeat after a lost connection finds the node gone if the first delete was applied: ZNONODE.
      await acrossConnectionLoss(session, () => session.delete(path));
      return;
    } catch (err) {
      if (isZkError(err, ZNONODE)) return;
      if (!isZkError(err, ZNOTEMPTY)) throw err;
      // an ephemeral child of a closing session appeared or lingered: list again
    }
  }
  throw new Error(`could not delete ${path}: it still has children (a session that owns them has not expired yet)`);
}
