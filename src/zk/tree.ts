// Whole-path operations the suite needs for its own bookkeeping nodes (not for recipes under test).
import { ZNODEEXISTS, ZNONODE, ZNOTEMPTY } from './binding.ts';
import { isZkError } from './errors.ts';
import type { ZkSession } from './session.ts';

/** Create every missing persistent node along `path` (mkdir -p). */
export async function ensurePath(session: ZkSession, path: string): Promise<void> {
  let prefix = '';
  for (const part of path.split('/').filter(Boolean)) {
    prefix += `/${part}`;
    try {
      await session.create(prefix);
    } catch (err) {
      if (!isZkError(err, ZNODEEXISTS)) throw err;
    }
  }
}

/** Delete a node and everything below it (rm -r); children that appear meanwhile are deleted too. */
export async function deleteTree(session: ZkSession, path: string): Promise<void> {
  for (let attempt = 0; attempt < 10; attempt++) {
    let children: string[];
    try {
      children = await session.getChildren(path);
    } catch (err) {
      if (isZkError(err, ZNONODE)) return;
      throw err;
    }
    await Promise.all(children.map((c) => deleteTree(session, `${path}/${c}`)));
    try {
      await session.delete(path);
      return;
    } catch (err) {
      if (isZkError(err, ZNONODE)) return;
      if (!isZkError(err, ZNOTEMPTY)) throw err;
      // an ephemeral child of a closing session appeared or lingered: list again
    }
  }
  throw new Error(`could not delete ${path}: children keep appearing`);
}
