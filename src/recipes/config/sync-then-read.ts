/**
 * sync-then-read — watch-reread with ZooKeeper's remedy for lagging servers: before every read (the first
 * one and each one after an event) the reader calls sync(path), and reads (getData with a watch) once the
 * sync completes. ZooKeeper Programmer's Guide, "Consistency Guarantees": sync makes the reader's server
 * catch up with the leader as of the moment the sync reaches it, so the read that follows on the same
 * session returns every update committed before the reader began its read: whatever the writer was told
 * is done, and whatever another reader already holds.
 * What breaks it: the price. Every read costs a round trip through the leader (one more request per
 * update per reader, all of them at the leader at once), so the reader holds the new value later and
 * more updates coalesce between the event and the read. ZooKeeper documents one gap left: a leader
 * change while the sync is in flight can still let an old leader answer it.
 */
import { RearmingWatcher, type WatchStyle } from '../watch/rearming-watcher.ts';
import { setDataWriter } from '../watch/set-data-writer.ts';
import { ZkError } from '../../zk/errors.ts';
import { ZINVALIDSTATE } from '../../zk/binding.ts';
import { CONFIG_RECIPE_INFO } from './catalog.ts';
import type { ConfigRecipe } from './types.ts';

// The read's start (taken by RearmingWatcher just before this runs) is the sync's: sync and read are one read.
const style: WatchStyle = {
  op: 'sync',
  read: (session, path, watcher, done) => {
    session.sync(path).then(
      () => session.watchData(path, watcher, (rc, stat) => done(rc, stat && { version: stat.version })),
      (err: unknown) => done(err instanceof ZkError ? err.code : ZINVALIDSTATE, undefined),
    );
  },
};

export const syncThenRead: ConfigRecipe = {
  id: 'sync-then-read',
  ...CONFIG_RECIPE_INFO['sync-then-read'],
  writer: setDataWriter,
  reader: (session, path, opts) => new RearmingWatcher(session, path, style, opts),
};
