// The writer every watch recipe shares: it numbers its updates and knows the version each one makes. A
// session's requests are applied in the order they were sent, so with the znode to itself the writer's
// k-th update makes (version before the first) + k, even with several updates in flight. Writes that
// report the version they made (setData) are checked against it; another writer is an error, not noise.
import type { RelNs } from '../../measure/clock.ts';
import type { WriterState } from '../../measure/watch-pacing.ts';
import type { UpdateRecord } from '../../measure/watch-records.ts';
import type { NodeWriter, Seen, TimeSource } from './types.ts';

/** What a style's writer does to the znode: sets it up, and sends one update (the version made, if known). */
export interface WriteStyle {
  prepare(): Promise<Seen>;
  /** Issues the request synchronously (the send time is taken just before the call). */
  write(): Promise<number | undefined>;
}

export class VersionedWriter implements NodeWriter {
  private base: number | undefined;
  private sent = 0;
  private acked = 0;
  private failure: Error | undefined;

  constructor(
    private readonly path: string,
    private readonly clock: TimeSource,
    private readonly style: WriteStyle,
  ) {}

  async prepare(): Promise<Seen> {
    if (this.base !== undefined) throw new Error(`writer of ${this.path}: prepare() is called once`);
    const seen = await this.style.prepare();
    this.base = seen.version;
    return seen;
  }

  get state(): WriterState {
    return { version: (this.base ?? Number.NaN) + this.sent, acked: this.acked === this.sent };
  }

  async update(intendedNs?: RelNs): Promise<UpdateRecord> {
    if (this.base === undefined) throw new Error(`writer of ${this.path}: call prepare() before update()`);
    if (this.failure) throw this.failure;
    const seq = ++this.sent;
    const version = this.base + seq;
    const sendNs = this.clock.now();
    let made: number | undefined;
    try {
      made = await this.style.write();
    } catch (err) {
      this.failure ??= new Error(
        `writer of ${this.path}: update ${seq} failed (${err instanceof Error ? err.message : String(err)}), so the version of every later update is unknown`,
        { cause: err },
      );
      throw err;
    }
    const ackNs = this.clock.now();
    this.acked++;
    if (made !== undefined && made !== version) {
      this.failure = new Error(
        `${this.path} reached version ${made} where update ${seq} should have made ${version}: another client writes it, ` +
          'and a watch run needs the znode to itself (use a fresh path)',
      );
      throw this.failure;
    }
    return { seq, version, ...(intendedNs !== undefined ? { intendedNs } : {}), sendNs, ackNs };
  }
}
