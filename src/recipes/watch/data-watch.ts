/**
 * data-watch — seed 000's configuration management: readers hold a data watch on one znode and, on every
 * change, read the new value, which sets the next watch (getData with a watch). The ZooKeeper
 * Programmer's Guide, "ZooKeeper Watches": a watch is a one-time trigger, and a client sees the event
 * before it can see the data that changed; re-arming means reading again.
 * What breaks it: coalescing. Between an event and the read that re-arms, the znode may change again;
 * those changes bring no event of their own, the read shows only the newest value, and a reader never
 * learns the intermediate values existed except by the version jump. The slower the re-arm (a larger
 * value, a busy reader, a far server), the more updates fall in the gap.
 */
import { WATCH_RECIPE_INFO } from './catalog.ts';
import { RearmingWatcher, type WatchStyle } from './rearming-watcher.ts';
import { setDataWriter } from './set-data-writer.ts';
import type { WatchRecipe } from './types.ts';

const style: WatchStyle = {
  op: 'get',
  read: (session, path, watcher, done) => session.watchData(path, watcher, (rc, stat) => done(rc, stat && { version: stat.version })),
};

export const dataWatch: WatchRecipe = {
  id: 'data-watch',
  ...WATCH_RECIPE_INFO['data-watch'],
  writer: setDataWriter,
  watcher: (session, path, opts) => new RearmingWatcher(session, path, style, opts),
};
