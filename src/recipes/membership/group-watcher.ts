// The client both membership recipes share: a one-shot child watch on the group node, re-armed by the
// listing every event triggers, and a recipe-specific step that turns the listed children into addresses.
// Events are handled by callbacks only (no promise per event). A listing starts at once on every event,
// even while an earlier one is still reading: one session's requests are answered in the order they were
// sent, so listings complete in order and the last one published is the newest.
import type { RelNs } from '../../measure/clock.ts';
import { ZOK } from '../../zk/binding.ts';
import { ZkError } from '../../zk/errors.ts';
import type { Watcher, ZkSession } from '../../zk/session.ts';
import type { MemberList, MemberListOptions, MemberView } from './types.ts';

/**
 * Turns one listing's children into the members' addresses; calls `done` once, with the addresses, or
 * with an error (then the list stops). May read more (counting each read with `countRead`).
 */
export type ResolveAddresses = (
  children: readonly string[],
  done: (err: Error | undefined, addresses?: string[]) => void,
  countRead: () => void,
) => void;

export class GroupWatcher implements MemberList {
  private latest: MemberView | undefined;
  private issued = 0;
  private stopped = false;
  private started = false;
  /** Listings started and the newest one published, so a late listing can never replace a newer list. */
  private listings = 0;
  private published = 0;

  constructor(
    private readonly session: ZkSession,
    private readonly groupPath: string,
    private readonly resolveAddresses: ResolveAddresses,
    private readonly opts: MemberListOptions,
  ) {}

  get view(): MemberView | undefined {
    return this.latest;
  }

  get reads(): number {
    return this.issued;
  }

  start(): Promise<MemberView> {
    if (this.started) return Promise.reject(new Error(`member list of ${this.groupPath}: start() is called once`));
    this.started = true;
    return new Promise((resolve, reject) => this.list(undefined, (err, view) => (err ? reject(err) : resolve(view!))));
  }

  stop(): void {
    this.stopped = true;
  }

  /** The watch callback, the same for every registration: the arrival time first, then the listing. */
  private readonly fired: Watcher = () => {
    const arrivalNs = this.opts.clock.now();
    if (this.stopped) return;
    this.list(arrivalNs, (err) => {
      if (err) {
        this.stopped = true;
        this.opts.onError?.(err);
      }
    });
  };

  /** List the children (setting the next watch), resolve their addresses, publish the list. */
  private list(triggeredNs: RelNs | undefined, done: (err: Error | undefined, view?: MemberView) => void): void {
    const listing = ++this.listings;
    this.issued++;
    this.session.watchChildren(this.groupPath, this.fired, (rc, children) => {
      if (rc !== ZOK || !children) {
        done(new ZkError(rc, 'getChildren', this.groupPath));
        return;
      }
      this.resolveAddresses(
        children,
        (err, addresses) => {
          if (err || !addresses) {
            done(err ?? new Error(`member list of ${this.groupPath}: no addresses and no error`));
            return;
          }
          const view: MemberView = { atNs: this.opts.clock.now(), addresses: [...addresses].sort(), ...(triggeredNs !== undefined ? { triggeredNs } : {}) };
          if (listing > this.published && !this.stopped) {
            this.published = listing;
            this.latest = view;
            this.opts.onView?.(view);
          }
          done(undefined, view);
        },
        () => this.issued++,
      );
    });
  }
}
