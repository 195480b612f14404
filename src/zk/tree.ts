// Whole-path operations the suite needs for its own bookkeeping nodes (not for recipes under test).
import { ZNODEEXISTS, ZNONODE, ZNOTEMPTY } from './binding.ts';
import { isZkError } from './errors.ts';
import type { ZkSession } from './session.ts';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Create every missing persistent node along `path` (mkdir -p). With `exclusive`, the last node must be
 * new: two runs must never share a namespace. A parent removed meanwhile (another run tidying up
 * `/zkbench`) is created again.
 */
export async function ensurePath(session: ZkSession, path: string, opts: { exclusive?: boolean } = {}): Promise<void> {
  const parts = path.split('/').filter(Boolean);
  for (let attempt = 0; ; attempt++) {
    try {
      let prefix = '';
      for (const [i, part] of parts.entries()) {
        prefix += `/${part}`;
        try {
          await session.create(prefix);
        } catch (err) {
          if (!isZkError(err, ZNODEEXISTS) || (opts.exclusive && i === parts.length - 1)) throw err;
        }
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
      children = await session.getChildren(path);
    } catch (err) {
      if (isZkError(err, ZNONODE)) return;
      throw err;
    }
    await Promise.all(children.map((c) => deleteTree(session, `${path}/${c}`, 0)));
    try {
      await session.delete(path);
      return;
    } catch (err) {
      if (isZkError(err, ZNONODE)) return;
      if (!isZkError(err, ZNOTEMPTY)) throw err;
      // an ephemeral child of a closing session appeared or lingered: list again
    }
  }
  throw new Error(`could not delete ${path}: it still has children (a session that owns them has not expired yet)`);
}
