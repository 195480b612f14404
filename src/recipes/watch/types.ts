// The watch family's one interface: a writer changes one znode and watchers hold one-shot watches on it,
// re-arming after every event. Every watch style is driven the same way, so a workload can run them all
// with identical parameters and compare them (SPEC §1, §2 "Watch family"; issue 8).
import type { RelNs, RunClock } from '../../measure/clock.ts';
import type { WatcherState, WriterState } from '../../measure/watch-pacing.ts';
import type { UpdateRecord, WatchEventRecord, WatcherTrace } from '../../measure/watch-records.ts';
import type { ZkError } from '../../zk/errors.ts';
import type { ZkSession } from '../../zk/session.ts';
import type { WatchRecipeId, WatchRecipeInfo } from './catalog.ts';

// The ids are declared with what each recipe is (catalog.ts, loaded without the recipes).
export { WATCH_RECIPE_IDS, type WatchRecipeId } from './catalog.ts';


/** Where timestamps come from: the run clock, or a hand-driven one in tests. */
export type TimeSource = Pick<RunClock, 'now'>;

export interface WatchRecipe extends WatchRecipeInfo {
  readonly id: WatchRecipeId;
  /** The one writer of the znode at `path`; its prepare() creates the znode. */
  writer(session: ZkSession, path: string, opts: WriterOptions): NodeWriter;
  /** A watcher of the znode at `path` (which must exist). */
  watcher(session: ZkSession, path: string, opts: WatcherOptions): NodeWatcher;
}

/** What a read that armed a watch saw. */
export interface Seen {
  /** The watched version: the data version, or the parent's cversion for child watches. */
  version: number;
  /** Child watches only: how many children the read listed. */
  children?: number;
}

export interface WatcherOptions {
  /** Names the watcher in its trace. */
  id: number;
  clock: TimeSource;
  /**
   * Time the application spends on each event before re-arming, ms (a slow watcher); 0 re-arms within
   * the event's callback. The event is timestamped before this delay, the re-arm after it.
   */
  rearmDelayMs?: number;
  /**
   * Runs each immediate re-arm (rearmDelayMs 0) when the caller chooses, e.g. after the events already
   * waiting in the same process are timestamped; absent: within the event's callback.
   */
  rearmScheduler?: (rearm: () => void) => void;
  /** Called when an event's record is complete (re-armed, or stopped before it could). */
  onEvent?: (record: WatchEventRecord, watcher: NodeWatcher) => void;
  /** A read failed (session lost, node gone): the watcher has stopped. */
  onError?: (err: ZkError, watcher: NodeWatcher) => void;
}

export interface NodeWatcher {
  readonly id: number;
  /**
   * Sets the first watch and resolves with what its read saw; call once. From then on every event is
   * handled by callbacks (no promise per event): timestamped on arrival, re-armed, recorded.
   */
  arm(): Promise<Seen>;
  /** Armed (a watch is set) and the version its last read saw: what `paced` waits on. */
  readonly state: WatcherState;
  /** The first arm and every event so far; throws before arm() completed. */
  readonly trace: WatcherTrace;
  /** No more re-arms; events that still arrive are ignored. A re-arm in flight completes and is recorded. */
  stop(): void;
}

export interface WriterOptions {
  clock: TimeSource;
  /** Data written with every update (setData's value, or the child's data). */
  payload?: Buffer;
}

export interface NodeWriter {
  /** Creates the znode if it is missing and learns its version; resolves with it. Call once, first. */
  prepare(): Promise<Seen>;
  /**
   * Sends the next update: sendNs is taken just before the request goes to the client, ackNs when its
   * acknowledgement arrives. Updates may overlap (rate pacing): the session keeps them in order. After a
   * failed update the writer no longer knows the version, and every later update rejects.
   */
  update(intendedNs?: RelNs): Promise<UpdateRecord>;
  /** Version of the last update sent, and whether every update sent is acknowledged. */
  readonly state: WriterState;
}
