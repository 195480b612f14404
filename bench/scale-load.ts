// One load process of `npm run bench:scale` (bench/scale.ts forks it; a child process, not a worker
// thread: the addon crashes in threads). It opens its sessions through the suite's client layer
// (src/zk, the patched addon), timing each from its open() call to connected, measures its own memory
// before and after (after a full GC both times, so the deltas are what the sessions keep), then holds
// them idle, counting what happens to them, and closes them when told. It never outlives the
// coordinator: when the IPC channel closes it exits, and its sessions with it.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { RunClock, type RelNs } from '../src/measure/clock.ts';
import { encodeHistogram, newLatencyHistogram, recordNs } from '../src/measure/histogram.ts';
import { watchSessionEvents } from '../src/zk/session-events.ts';
import { ZkSession } from '../src/zk/session.ts';

export interface OpenOrder {
  type: 'open';
  origin: string;
  connect: string;
  count: number;
  sessionTimeoutMs: number;
  connectTimeoutMs: number;
  parallelism: number;
}

export interface Memory {
  rss: number;
  heapUsed: number;
  external: number;
}

export interface Opened {
  type: 'opened';
  asked: number;
  connected: number;
  failed: number;
  firstFailure: string | undefined;
  /** Run-clock ns of the first open() call and of the last session connected. */
  firstCallAt: RelNs;
  lastConnectedAt: RelNs;
  /** Encoded µs histogram of open() call → connected, per session. */
  connectLatency: string;
  /** After a full GC, before the first session and once all were open (bytes). */
  before: Memory;
  after: Memory;
}

/** What happened to the sessions so far in the idle hold. */
export interface HoldTally {
  type: 'tally' | 'held';
  seconds: number;
  /** Sessions that expired (the server gave them up: heartbeats missed for a whole session timeout). */
  expired: number;
  /** Sessions that lost their server connection at least once, and such losses in all. */
  sessionsDisconnected: number;
  disconnections: number;
  reconnections: number;
  /** Sessions connected now. */
  connectedNow: number;
  /** This process over the hold so far: CPU as % of one core, event-loop delay p99 and max (ms), memory now. */
  cpuPct: number;
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
  memory: Memory;
}

type Order = OpenOrder | { type: 'hold'; seconds: number } | { type: 'close' };

const gc = (globalThis as { gc?: () => void }).gc;
const sessions: ZkSession[] = [];
let closing = false;
/** Ends the idle hold early (close ordered). */
let endHold: (() => void) | undefined;

function send(msg: unknown): void {
  if (process.connected) process.send?.(msg);
}

function memory(): Memory {
  gc?.();
  const m = process.memoryUsage();
  return { rss: m.rss, heapUsed: m.heapUsed, external: m.external };
}

async function open(o: OpenOrder): Promise<void> {
  const clock = RunClock.fromOrigin(o.origin);
  const latency = newLatencyHistogram();
  const before = memory();
  let next = 0;
  let failed = 0;
  let firstFailure: string | undefined;
  let lastConnectedAt = 0;
  const firstCallAt = clock.now();
  const opener = async (): Promise<void> => {
    while (!closing && next < o.count) {
      next++;
      const t0 = clock.now();
      try {
        const s = await ZkSession.open({ connect: o.connect, sessionTimeoutMs: o.sessionTimeoutMs, connectTimeoutMs: o.connectTimeoutMs });
        const t1 = clock.now();
        if (closing) s.close();
        else sessions.push(s);
        recordNs(latency, t1 - t0);
        lastConnectedAt = Math.max(lastConnectedAt, t1);
      } catch (err) {
        failed++;
        firstFailure ??= (err as Error).message;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(o.parallelism, o.count) }, opener));
  const opened: Opened = {
    type: 'opened',
    asked: o.count,
    connected: sessions.length,
    failed,
    firstFailure,
    firstCallAt,
    lastConnectedAt,
    connectLatency: encodeHistogram(latency),
    before,
    after: memory(),
  };
  send(opened);
}

async function hold(seconds: number): Promise<void> {
  const expired = new Set<ZkSession>();
  const lostOnce = new Set<ZkSession>();
  let disconnections = 0;
  let reconnections = 0;
  const unwatch = sessions.map((s) =>
    watchSessionEvents(s, (e) => {
      if (e === 'session expired') expired.add(s);
      else if (e === 'session disconnected') {
        disconnections++;
        lostOnce.add(s);
      } else reconnections++;
    }),
  );
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const tally = (type: HoldTally['type']): HoldTally => {
    const wallMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const ms = (ns: number): number => Math.max(0, ns / 1e6 - 10); // Node records the 10 ms interval plus the delay
    return {
      type,
      seconds: wallMs / 1000,
      expired: expired.size,
      sessionsDisconnected: lostOnce.size,
      disconnections,
      reconnections,
      connectedNow: sessions.filter((s) => s.state === 'connected').length,
      cpuPct: wallMs > 0 ? (100 * (cpu.user + cpu.system)) / 1000 / wallMs : 0,
      loopDelayP99Ms: delay.count > 0 ? ms(delay.percentile(99)) : 0,
      loopDelayMaxMs: delay.count > 0 ? ms(delay.max) : 0,
      memory: memory(),
    };
  };
  const ticker = setInterval(() => send(tally('tally')), 10_000);
  await new Promise<void>((resolve) => {
    const end = setTimeout(resolve, seconds * 1000);
    endHold = () => {
      clearTimeout(end);
      resolve();
    };
  });
  endHold = undefined;
  clearInterval(ticker);
  delay.disable();
  for (const u of unwatch) u();
  send(tally('held'));
}

function closeAll(): void {
  closing = true;
  endHold?.();
  for (const s of sessions.splice(0)) s.close();
}

// Ctrl-C reaches the whole process group; the coordinator decides when this process closes its sessions.
process.on('SIGINT', () => undefined);
process.on('SIGTERM', () => undefined);
process.on('disconnect', () => {
  closeAll();
  process.exit(1);
});

process.on('message', (m: Order) => {
  const fail = (err: unknown): void => send({ type: 'failed', message: (err as Error)?.message ?? String(err) });
  if (m.type === 'open') open(m).catch(fail);
  else if (m.type === 'hold') hold(m.seconds).catch(fail);
  else {
    closeAll();
    // The close requests leave on the next turns of the loop: give them a moment before exiting.
    setTimeout(() => {
      send({ type: 'closed' });
      process.disconnect();
      process.exit(0);
    }, 500);
  }
});
send({ type: 'started' });
