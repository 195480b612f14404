// The configuration family's one interface (SPEC §1 "Configuration", seed 000): one writer updates a
// configuration znode, readers keep a data watch on it and hold the newest value they read. Readers and
// the writer are the watch family's (recipes/watch): a configuration recipe differs only in how a reader
// reads the new value after an event, so every recipe runs with identical parameters and compares.
import type { NodeWatcher, NodeWriter, WatcherOptions, WriterOptions } from '../watch/types.ts';
import type { ZkSession } from '../../zk/session.ts';
import type { ConfigRecipeId, ConfigRecipeInfo } from './catalog.ts';

// The ids are declared with what each recipe is (catalog.ts, loaded without the recipes).
export { CONFIG_RECIPE_IDS, type ConfigRecipeId } from './catalog.ts';


export interface ConfigRecipe extends ConfigRecipeInfo {
  readonly id: ConfigRecipeId;
  /** The one writer of the configuration znode at `path` (setData); its prepare() creates the znode. */
  writer(session: ZkSession, path: string, opts: WriterOptions): NodeWriter;
  /**
   * A reader of the znode at `path`: arm() reads it and sets a data watch; every event is followed by
   * the recipe's read, which returns the value the reader then holds and sets the next watch. Its trace
   * (watch-records.ts) holds every read: start, completion and the version it returned.
   */
  reader(session: ZkSession, path: string, opts: WatcherOptions): NodeWatcher;
}
