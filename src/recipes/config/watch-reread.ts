/**
 * watch-reread — seed 000's configuration management as the seed describes it: every reader reads the
 * configuration znode with a data watch and, on the event, reads it again, which returns the new value
 * and sets the next watch (the watch family's `data-watch` reader and setData writer, unchanged).
 * ZooKeeper Programmer's Guide, "ZooKeeper Watches" and "Consistency Guarantees": a client sees the
 * event before the data that changed, and one session's reads never go back in time, even across
 * reconnections; but the read is answered by the reader's own server from what that server has applied.
 * What breaks it: two readers on different servers are not in step. A follower that lags serves a
 * reader the old value after the writer was told the update is done, or after another reader already
 * holds the new one ("Consistency Guarantees": simultaneously consistent cross-client views are not
 * promised; a client that must see the latest value calls sync first). Between an event and the
 * re-read, further updates coalesce, as in every one-shot watch.
 */
import { dataWatch } from '../watch/data-watch.ts';
import { setDataWriter } from '../watch/set-data-writer.ts';
import { CONFIG_RECIPE_INFO } from './catalog.ts';
import type { ConfigRecipe } from './types.ts';

export const watchReread: ConfigRecipe = {
  id: 'watch-reread',
  ...CONFIG_RECIPE_INFO['watch-reread'],
  writer: setDataWriter,
  reader: (session, path, opts) => dataWatch.watcher(session, path, opts),
};
