// Messages through znodes, in order, either way: the sender creates PERSISTENT_SEQUENTIAL nodes under a
// mailbox, the receiver lists it with a child watch, reads each new node in sequence order, hands it on
// and deletes it. Messages are V8-serialized (what child_process IPC's 'advanced' serialization does), so
// a remote worker gets exactly what a local one would. A znode holds under 1 MB (jute.maxbuffer): a
// message over CHUNK_BYTES is written as pieces under the run's chunks node first, and the mailbox node
// that names them last, so a receiver never sees a message before all of it is there.
import { randomBytes } from 'node:crypto';
import v8 from 'node:v8';
import { ZNONODE, ZOO_PERSISTENT_SEQUENTIAL } from '../../zk/binding.ts';
import { isZkError } from '../../zk/errors.ts';
import type { ZkSession } from '../../zk/session.ts';

export const CHUNK_BYTES = 512 * 1024;
const INLINE = 0x49; // 'I': the message follows
const CHUNKED = 0x43; // 'C': JSON {id, pieces} follows

export class MailboxWriter {
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly session: ZkSession,
    private readonly mailbox: string,
    private readonly chunks: string,
    private readonly chunkBytes = CHUNK_BYTES,
  ) {}

  /** Queue a message; messages are written one after another, in the order sent. Rejects with the write's error. */
  send(msg: unknown): Promise<void> {
    const next = this.queue.then(() => this.write(v8.serialize(msg)));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async write(body: Buffer): Promise<void> {
    if (body.length <= this.chunkBytes) {
      await this.session.create(`${this.mailbox}/m-`, Buffer.concat([Buffer.from([INLINE]), body]), ZOO_PERSISTENT_SEQUENTIAL);
      return;
    }
    const id = randomBytes(8).toString('hex');
    const pieces = Math.ceil(body.length / this.chunkBytes);
    for (let i = 0; i < pieces; i++) {
      await this.session.create(`${this.chunks}/${id}-${i}`, body.subarray(i * this.chunkBytes, (i + 1) * this.chunkBytes));
    }
    const header = Buffer.from(JSON.stringify({ id, pieces }), 'utf8');
    await this.session.create(`${this.mailbox}/m-`, Buffer.concat([Buffer.from([CHUNKED]), header]), ZOO_PERSISTENT_SEQUENTIAL);
  }
}

/**
 * Reads a mailbox until stopped: every message once, in sequence order. `onGone` is called once when the
 * mailbox is deleted or the session can no longer read it (the run is over, or the session ended).
 */
export class MailboxReader {
  private stopped = false;
  private draining = false;
  private again = false;

  constructor(
    private readonly session: ZkSession,
    private readonly mailbox: string,
    private readonly chunks: string,
    private readonly onMessage: (msg: unknown) => void,
    private readonly onGone: (err: Error) => void,
  ) {}

  start(): this {
    void this.drain();
    return this;
  }

  stop(): void {
    this.stopped = true;
  }

  private async drain(): Promise<void> {
    if (this.stopped) return;
    if (this.draining) {
      this.again = true; // a watch fired while reading: list once more when done
      return;
    }
    this.draining = true;
    try {
      do {
        this.again = false;
        const names = await this.session.getChildren(this.mailbox, () => void this.drain());
        for (const name of names.sort()) {
          if (this.stopped) return;
          const msg = await this.read(`${this.mailbox}/${name}`);
          if (this.stopped) return;
          this.onMessage(msg);
        }
      } while (this.again && !this.stopped);
    } catch (err) {
      if (!this.stopped) {
        this.stopped = true;
        this.onGone(err as Error);
      }
    } finally {
      this.draining = false;
    }
  }

  private async read(path: string): Promise<unknown> {
    // A message is written once, by its create: a later version is somebody else's write (an open ACL).
    const sent = async (p: string): Promise<Buffer> => {
      const { data, stat } = await this.session.get(p);
      if (stat.version !== 0) throw new Error(`${p} was rewritten after it was sent (data version ${stat.version}): not the sender's message`);
      return data;
    };
    const data = await sent(path);
    let body: Buffer;
    const pieces: string[] = [];
    if (data[0] === CHUNKED) {
      const { id, pieces: n } = JSON.parse(data.subarray(1).toString('utf8')) as { id: string; pieces: number };
      const parts: Buffer[] = [];
      for (let i = 0; i < n; i++) {
        const piece = `${this.chunks}/${id}-${i}`;
        parts.push(await sent(piece));
        pieces.push(piece);
      }
      body = Buffer.concat(parts);
    } else if (data[0] === INLINE) {
      body = data.subarray(1);
    } else {
      throw new Error(`${path} is not a zkbench message`);
    }
    for (const p of [path, ...pieces]) await this.session.delete(p).catch((err) => (isZkError(err, ZNONODE) ? undefined : Promise.reject(err)));
    return v8.deserialize(body);
  }
}
