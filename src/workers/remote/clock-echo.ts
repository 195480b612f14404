// The clock exchange between a remote worker and the coordinator, over UDP rather than znodes: a znode
// round trip costs a write through the leader and a watch (milliseconds), a datagram a fraction of one,
// and the bound is half the round trip. The coordinator answers every probe with its monotonic clock;
// the worker keeps the sample with the smallest round trip (src/measure/clock-offset.ts).
import dgram from 'node:dgram';
import os from 'node:os';
import { monotonicClock, type Clock } from '../../measure/clock.ts';
import { offsetFromSamples, type ClockOffset, type ClockSample } from '../../measure/clock-offset.ts';

const PROBE_BYTES = 20; // u32 sequence, i64 worker send time, i64 coordinator time (answers only)
const PROBE_TIMEOUT_MS = 300;
export const DEFAULT_EXCHANGES = 32;

export class ClockEchoError extends Error {
  override readonly name = 'ClockEchoError';
}

/** The coordinator's end: answers probes on every IPv4 address of this host. */
export class ClockEchoServer {
  private constructor(
    private readonly socket: dgram.Socket,
    readonly port: number,
  ) {}

  static start(clock: Clock = monotonicClock): Promise<ClockEchoServer> {
    return new Promise((resolve, reject) => {
      const socket = dgram.createSocket('udp4');
      socket.on('message', (msg, from) => {
        if (msg.length < 12) return;
        const answer = Buffer.alloc(PROBE_BYTES);
        msg.copy(answer, 0, 0, 12);
        answer.writeBigInt64BE(clock(), 12);
        socket.send(answer, from.port, from.address);
      });
      socket.once('error', reject);
      socket.bind(0, '0.0.0.0', () => {
        socket.off('error', reject);
        socket.on('error', () => undefined); // a probe from a worker that is gone: nothing to do
        resolve(new ClockEchoServer(socket, socket.address().port));
      });
    });
  }

  /** The addresses a worker may reach it on: every IPv4 address of this host, loopback last. */
  static addresses(): string[] {
    const all = Object.values(os.networkInterfaces()).flatMap((list) => list ?? []);
    const v4 = all.filter((a) => a.family === 'IPv4');
    return [...v4.filter((a) => !a.internal), ...v4.filter((a) => a.internal)].map((a) => a.address);
  }

  close(): void {
    this.socket.close();
  }
}

/**
 * The worker's end: `exchanges` probes, one at a time, to the first of `addresses` that answers; the
 * offset of the coordinator's clock against `clock`, with its bound.
 */
export async function measureClockOffset(addresses: readonly string[], port: number, exchanges = DEFAULT_EXCHANGES, clock: Clock = monotonicClock): Promise<ClockOffset & { address: string }> {
  const socket = dgram.createSocket('udp4');
  const waiting = new Map<number, (s: ClockSample) => void>();
  socket.on('error', () => undefined); // an unreachable address: its probes just go unanswered
  socket.on('message', (msg) => {
    if (msg.length < PROBE_BYTES) return;
    const received = clock();
    const seq = msg.readUInt32BE(0);
    waiting.get(seq)?.({ sentNs: msg.readBigInt64BE(4), remoteNs: msg.readBigInt64BE(12), receivedNs: received });
  });
  await new Promise<void>((resolve) => socket.bind(0, resolve));
  let seq = 0;
  const probe = (address: string): Promise<ClockSample | undefined> => {
    const id = ++seq;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        waiting.delete(id);
        resolve(undefined);
      }, PROBE_TIMEOUT_MS);
      waiting.set(id, (s) => {
        clearTimeout(timer);
        waiting.delete(id);
        resolve(s);
      });
      const msg = Buffer.alloc(12);
      msg.writeUInt32BE(id, 0);
      msg.writeBigInt64BE(clock(), 4);
      socket.send(msg, port, address, () => undefined);
    });
  };
  try {
    // Which address answers: all at once, the first answer wins.
    const first = await Promise.all(addresses.map(async (a) => ({ a, s: await probe(a) })));
    const reachable = first.find((x) => x.s !== undefined);
    if (!reachable) {
      throw new ClockEchoError(
        `no answer from the coordinator's clock echo (udp port ${port} on ${addresses.join(', ')}): ` +
          'the worker must reach the coordinator host over UDP; open that port or route the worker to one of those addresses',
      );
    }
    const samples: ClockSample[] = [reachable.s!];
    for (let i = 1; i < exchanges; i++) {
      const s = await probe(reachable.a);
      if (s) samples.push(s);
    }
    return { ...offsetFromSamples(samples), address: reachable.a };
  } finally {
    socket.close();
  }
}
