// The watcher every watch recipe shares: a one-shot watch re-armed after every event by the style's own
// read. Events are handled by callbacks only (no promise per event), so that 5,000 watchers in one
// process cost what ZooKeeper's client costs, and each event is timestamped before anything else runs.
import type { ArmRecord, WatchEventRecord, WatcherTrace } from '../../measure/watch-records.ts';
import type { WatcherState } from '../../measure/watch-pacing.ts';
import { ZOK } from '../../zk/binding.ts';
import { ZkError } from '../../zk/errors.ts';
import type { OpKind } from '../../measure/request-counts.ts';
import type { Watcher, ZkSession } from '../../zk/session.ts';
import type { NodeWatcher, Seen, WatcherOptions } from './types.ts';

/** Issues the read that sets a style's watch; `done` gets the rc and, on ZOK, what the read saw. */
export type ArmingRead = (session: ZkSession, path: string, watcher: Watcher, done: (rc: number, seen: Seen | undefined) => void) => void;

export interface WatchStyle {
  /** The request kind of the read, for error messages. */
  op: OpKind;
  read: ArmingRead;
}

export class RearmingWatcher implements NodeWatcher {
  readonly id: number;
  private recorded: WatcherTrace | undefined;
  private armed = false;
  private version = Number.NaN;
  private stopped = false;

  constructor(
    private readonly session: ZkSession,
    private readonly path: string,
    private readonly style: WatchStyle,
    private readonly opts: WatcherOptions,
  ) {
    this.id = opts.id;
  }

  async arm(): Promise<Seen> {
    if (this.recorded || this.stopped) throw new Error(`watcher ${this.id}: arm() is called once, before stop()`);
    // Another session created the znode; this session's server may not have applied that yet (ZooKeeper
    // orders each client's view, not all clients' together), so it catches up with the leader first.
    await this.session.sync(this.path);
    return new Promise((resolve, reject) => {
      const startNs = this.opts.clock.now();
      this.style.read(this.session, this.path, this.fired, (rc, seen) => {
        const doneNs = this.opts.clock.now();
        if (rc !== ZOK || !seen) {
          this.stopped = true;
          reject(new ZkError(rc, this.style.op, this.path));
          return;
        }
        this.armedBy({ startNs, doneNs, version: seen.version });
        this.recorded = { watcher: this.id, arm: { startNs, doneNs, version: seen.version }, events: [] };
        resolve(seen);
      });
    });
  }

  get state(): WatcherState {
    return { armed: this.armed, version: this.version };
  }

  get trace(): WatcherTrace {
    if (!this.recorded) throw new Error(`watcher ${this.id} has no trace: arm() has not completed`);
    return this.recorded;
  }

  stop(): void {
    this.stopped = true;
  }

  /** The watch callback, the same for every registration: the arrival time first, then the rest. */
  private readonly fired: Watcher = () => {
    const arrivalNs = this.opts.clock.now();
    if (this.stopped) return;
    // ZooKeeper answers the read before it sends any event for a later change on the same connection.
    if (!this.recorded) throw new Error(`watcher ${this.id}: a watch event arrived before the read that set the watch was answered`);
    const armedVersion = this.version;
    this.armed = false;
    const delayMs = this.opts.rearmDelayMs ?? 0;
    if (delayMs > 0) setTimeout(() => this.rearm(armedVersion, arrivalNs), delayMs);
    else if (this.opts.rearmScheduler) this.opts.rearmScheduler(() => this.rearm(armedVersion, arrivalNs));
    else this.rearm(armedVersion, arrivalNs);
  };

  private rearm(armedVersion: number, arrivalNs: number): void {
    if (this.stopped) {
      this.record({ armedVersion, arrivalNs });
      return;
    }
    const startNs = this.opts.clock.now();
    this.style.read(this.session, this.path, this.fired, (rc, seen) => {
      const doneNs = this.opts.clock.now();
      if (rc !== ZOK || !seen) {
        this.stopped = true;
        this.record({ armedVersion, arrivalNs });
        this.opts.onError?.(new ZkError(rc, this.style.op, this.path), this);
        return;
      }
      const rearm: ArmRecord = { startNs, doneNs, version: seen.version };
      this.armedBy(rearm);
      this.record({ armedVersion, arrivalNs, rearm });
    });
  }

  private armedBy(arm: ArmRecord): void {
    this.version = arm.version;
    this.armed = true;
  }

  private record(event: WatchEventRecord): void {
    this.trace.events.push(event);
    this.opts.onEvent?.(event, this);
  }
}
