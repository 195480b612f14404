// The double barrier of ZooKeeper's "Recipes and Solutions", for one schedule of a distributed run:
// participants enter by creating an EPHEMERAL node under the barrier and wait for its `ready` node; they
// leave by deleting theirs and waiting until no participant node is left. Two departures from the recipe,
// both because the coordinator owns the schedule: `ready` is created by the coordinator (once every
// worker still alive has its sessions open) and carries the run window, so entering tells each worker
// when to start; and a leaver deletes its own node first and then waits on the remaining ones (the
// recipe's lowest/highest dance saves watches, which a handful of workers do not need). A participant
// that dies leaves by itself: its node goes with its session, so nobody waits for it forever.
import { ZNODEEXISTS, ZNONODE, ZOO_EPHEMERAL } from '../../zk/binding.ts';
import { isZkError } from '../../zk/errors.ts';
import type { ZkSession } from '../../zk/session.ts';

const READY = 'ready';

function aborted(signal: AbortSignal): Error {
  return new Error(`barrier wait aborted (${String(signal.reason)})`);
}

/** Resolves on the next node event of a watch set by `arm` (which resolves whether it already holds). */
async function waitUntil(arm: (watcher: () => void) => Promise<boolean>, signal: AbortSignal): Promise<void> {
  for (;;) {
    if (signal.aborted) throw aborted(signal);
    let fired!: () => void;
    const event = new Promise<void>((r) => (fired = r));
    if (await arm(() => fired())) return;
    await new Promise<void>((resolve, reject) => {
      const onAbort = (): void => reject(aborted(signal));
      signal.addEventListener('abort', onAbort, { once: true });
      void event.then(() => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      });
    });
  }
}

export class DoubleBarrier {
  constructor(
    private readonly session: ZkSession,
    readonly path: string,
    private readonly name: string,
  ) {}

  /** Enter and wait for the coordinator's ready node; resolves with its data. */
  async enter(signal: AbortSignal): Promise<Buffer> {
    const readyPath = `${this.path}/${READY}`;
    await this.session.create(`${this.path}/${this.name}`, '', ZOO_EPHEMERAL).catch((err) => {
      if (!isZkError(err, ZNODEEXISTS)) throw err;
    });
    await waitUntil(async (w) => (await this.session.exists(readyPath, w)) !== null, signal);
    return (await this.session.get(readyPath)).data;
  }

  /** Leave, and wait until every other participant has left (or died). */
  async leave(signal: AbortSignal): Promise<void> {
    await this.session.delete(`${this.path}/${this.name}`).catch((err) => {
      if (!isZkError(err, ZNONODE)) throw err;
    });
    await waitUntil(async (w) => {
      const left = (await this.session.getChildren(this.path)).filter((c) => c !== READY).sort();
      if (left.length === 0) return true;
      // Wait on one of them; when it goes, look again. A node gone between the listing and the watch counts as an event.
      const stat = await this.session.exists(`${this.path}/${left[0]}`, w);
      if (stat === null) w();
      return false;
    }, signal);
  }

  /** The coordinator's side: let everyone in, handing them `data` (the run window). Idempotent. */
  static async open(session: ZkSession, path: string, data: Buffer): Promise<void> {
    await session.create(`${path}/${READY}`, data).catch((err) => {
      if (!isZkError(err, ZNODEEXISTS)) throw err;
    });
  }
}
