/**
 * exists-watch — a watch set by exists(): the same one-shot data watch as getData's, but the read returns
 * the stat only, not the value. The ZooKeeper Programmer's Guide, "ZooKeeper Watches": exists() sets a
 * data watch (it also fires on the znode's creation, which this suite does not use); it is how a client
 * waits for a change it will act on without needing the data, the cheapest re-arm of seed 000's
 * configuration readers when the version alone tells them to reload.
 * What breaks it: coalescing, as data-watch: updates between the event and the exists() that re-arms
 * bring no event; only the version jump in the stat shows they happened.
 */
import { WATCH_RECIPE_INFO } from './catalog.ts';
import { RearmingWatcher, type WatchStyle } from './rearming-watcher.ts';
import { setDataWriter } from './set-data-writer.ts';
import type { WatchRecipe } from './types.ts';

// ZNONODE (the znode is gone) also leaves a watch, one that fires on creation; here it ends the watcher.
const style: WatchStyle = {
  op: 'exists',
  read: (session, path, watcher, done) => session.watchExists(path, watcher, (rc, stat) => done(rc, stat && { version: stat.version })),
};

export const existsWatch: WatchRecipe = {
  id: 'exists-watch',
  ...WATCH_RECIPE_INFO['exists-watch'],
  writer: setDataWriter,
  watcher: (session, path, opts) => new RearmingWatcher(session, path, style, opts),
};
