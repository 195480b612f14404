/**
 * child-watch — seed 001's server list, reduced to its watch: clients list a group znode's children with
 * a watch and list them again on every change (getChildren with a watch). Here the writer adds and
 * removes one child, alternately, so every update is one child event. The ZooKeeper Programmer's Guide,
 * "ZooKeeper Watches": a child watch is a one-time trigger set by getChildren, fired by a child's creation
 * or deletion. The watched version is the group znode's cversion (getChildren2's stat), which counts every
 * child created or deleted, so a listing tells exactly how many changes happened since the last one.
 * What breaks it: coalescing. Changes between the event and the listing that re-arms bring no event; a
 * child that came and went in that gap is never seen at all (the list looks unchanged), only the cversion
 * jump shows it. Every re-arm also transfers the whole child list, so its cost grows with the group.
 */
import { ensurePath } from '../../zk/tree.ts';
import type { ZkSession } from '../../zk/session.ts';
import { WATCH_RECIPE_INFO } from './catalog.ts';
import { RearmingWatcher, type WatchStyle } from './rearming-watcher.ts';
import type { NodeWriter, WatchRecipe, WriterOptions } from './types.ts';
import { VersionedWriter } from './versioned-writer.ts';

/** The one child the writer adds and removes. */
export const TOGGLED_CHILD = 'member';

const style: WatchStyle = {
  op: 'getChildren',
  read: (session, path, watcher, done) =>
    session.watchChildren(path, watcher, (rc, children, stat) => done(rc, children && stat && { version: stat.cversion, children: children.length })),
};

function childWriter(session: ZkSession, path: string, opts: WriterOptions): NodeWriter {
  const payload = opts.payload ?? Buffer.alloc(0);
  const child = `${path}/${TOGGLED_CHILD}`;
  // Whether the child exists once every update sent so far is applied (they are applied in order).
  let present = false;
  return new VersionedWriter(path, opts.clock, {
    async prepare() {
      await ensurePath(session, path);
      const children = await session.getChildren(path);
      const stat = await session.exists(path);
      if (!stat) throw new Error(`${path} vanished right after it was created: another client is removing it`);
      present = children.includes(TOGGLED_CHILD);
      return { version: stat.cversion, children: children.length };
    },
    // create and delete do not report the parent's cversion: the writer's count is the version.
    async write() {
      present = !present;
      if (present) await session.create(child, payload);
      else await session.delete(child);
      return undefined;
    },
  });
}

export const childWatch: WatchRecipe = {
  id: 'child-watch',
  ...WATCH_RECIPE_INFO['child-watch'],
  writer: childWriter,
  watcher: (session, path, opts) => new RearmingWatcher(session, path, style, opts),
};
