// `npm run bench:scale`: how many ZooKeeper sessions one load process, and one host across processes,
// keeps alive through the suite's client layer (src/zk over the patched addon). Per point (sessions ×
// load processes): the connect rate (first open() call to the last session connected, every process
// on the host's one monotonic clock) with p50/p99 connect latency, each process's memory per session
// (RSS and V8 heap after a full GC, before the first session and once all are open), then an idle hold
// that counts expired sessions (heartbeats not kept), connection losses and the servers' own count of
// connections. A benchmark that prints, not a test.
//
//   npm run bench:scale                                   # 10,000 in 1 process, 20,000 in 2; 300 s holds
//   npm run bench:scale -- --points 5000x1 --hold-s 30     # a quick look
//   npm run bench:scale -- --connect 127.0.0.2:2181,...    # a kept ensemble (zkbench ensemble up) or your own
//
// Limits it sets, and says so: RLIMIT_NOFILE of this process (inherited by the load processes and the
// server JVMs; a JVM lifts its soft limit to the hard one); the servers' heap (--heap-mb) and
// maxClientCnxns=0 (embedded). Everything it starts (sessions, load processes, JVMs) it stops, also on Ctrl-C.
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  connectExistingEnsemble,
  fourLetterWord,
  sessionTimeoutBounds,
  startEmbeddedEnsemble,
  type Ensemble,
  type EnsembleSettings,
} from '../src/ensemble/index.ts';
import { mntrNumber, parseMntr } from '../src/ensemble/mntr.ts';
import { RunClock } from '../src/measure/clock.ts';
import { decodeHistogram, newLatencyHistogram, valueAtPercentile } from '../src/measure/histogram.ts';
import { trackChild, untrackChild } from '../src/process/child-guard.ts';
import { runId } from '../src/results/run-directory.ts';
import type { HoldTally, Opened, OpenOrder } from './scale-load.ts';

const projectDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const LOAD_MAIN = path.join(projectDir, 'bench', 'scale-load.ts');
const TSX_LOADER = import.meta.resolve('tsx');

const { values } = parseArgs({
  options: {
    points: { type: 'string', default: '10000x1,20000x2' },
    'hold-s': { type: 'string', default: '300' },
    connect: { type: 'string' },
    servers: { type: 'string', default: '3' },
    'heap-mb': { type: 'string', default: '1024' },
    'tick-time-ms': { type: 'string', default: '2000' },
    'session-timeout-ms': { type: 'string', default: '30000' },
    'connect-timeout-ms': { type: 'string', default: '30000' },
    parallelism: { type: 'string', default: '64' },
    out: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
const USAGE =
  'usage: npm run bench:scale -- [--points 10000x1,20000x2] [--hold-s 300] [--connect HOST:PORT,...] [--servers 3] [--heap-mb 1024]\n' +
  '         [--tick-time-ms 2000] [--session-timeout-ms 30000] [--connect-timeout-ms 30000] [--parallelism 64] [--out DIR]\n' +
  '  a point is SESSIONSxPROCESSES: that many sessions dealt over that many load processes on this host\n';
if (values.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}

function usageError(message: string): never {
  process.stderr.write(`bench:scale: ${message}\n${USAGE}`);
  process.exit(2);
}
function positiveInt(flag: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) usageError(`--${flag} must be a positive integer, got "${text}"`);
  return n;
}

interface Point {
  sessions: number;
  processes: number;
}
const points: Point[] = values.points.split(',').map((p) => {
  const m = /^\s*(\d+)x(\d+)\s*$/.exec(p);
  if (!m) usageError(`--points: "${p}" is not SESSIONSxPROCESSES (e.g. 10000x1)`);
  return { sessions: positiveInt('points', m[1]!), processes: positiveInt('points', m[2]!) };
});
const holdS = Number(values['hold-s']);
if (!Number.isFinite(holdS) || holdS < 0) usageError(`--hold-s must be a number of seconds >= 0, got "${values['hold-s']}"`);
const servers = positiveInt('servers', values.servers);
const heapMb = positiveInt('heap-mb', values['heap-mb']);
const tickTimeMs = positiveInt('tick-time-ms', values['tick-time-ms']);
const sessionTimeoutMs = positiveInt('session-timeout-ms', values['session-timeout-ms']);
const connectTimeoutMs = positiveInt('connect-timeout-ms', values['connect-timeout-ms']);
const parallelism = positiveInt('parallelism', values.parallelism);
const startedAt = new Date();
const outDir = path.resolve(values.out ?? path.join(projectDir, 'results', runId('scale', startedAt)));

const log = (line: string): void => void process.stderr.write(`${line}\n`);
const loadAverage = (): number[] => os.loadavg().map((x) => Number(x.toFixed(2)));
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

// ---- Ctrl-C: close the sessions, stop the processes and the servers, keep what was measured -------------
const interrupt = new AbortController();
let signals = 0;
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    if (++signals > 1) process.exit(130); // a second one: now (child-guard kills what is left on exit)
    log(`bench:scale: ${sig}: closing the sessions, stopping the load processes and the servers (again to force)`);
    interrupt.abort(sig);
  });
}
class Interrupted extends Error {}
function untilInterrupted<T>(p: Promise<T>): Promise<T> {
  if (interrupt.signal.aborted) return Promise.reject(new Interrupted());
  return Promise.race([p, new Promise<never>((_, reject) => interrupt.signal.addEventListener('abort', () => reject(new Interrupted()), { once: true }))]);
}

// ---- File descriptors -------------------------------------------------------------------------------------
/** RLIMIT_NOFILE of this process: a socket per session in a load process, a connection per session on a server. */
function openFilesLimit(): { soft: number; hard: number } {
  const line = fs.readFileSync('/proc/self/limits', 'utf8').split('\n').find((l) => l.startsWith('Max open files'));
  const [soft, hard] = (line?.match(/\d+|unlimited/g) ?? []).map((v) => (v === 'unlimited' ? Number.POSITIVE_INFINITY : Number(v)));
  if (soft === undefined || hard === undefined) throw new Error('cannot read "Max open files" from /proc/self/limits');
  return { soft, hard };
}

/**
 * Enough for the largest load process (its sessions and ~500 more for Node, the addon and pipes) and, for
 * servers started here, a server's share of the largest point: each session picks a server at random, so
 * a server gets about sessions/servers (10% margin; all of them with one server) plus its own ~1,000 files.
 */
function raiseOpenFiles(): OpenFiles {
  const perProcess = Math.max(...points.map((p) => Math.ceil(p.sessions / p.processes))) + 512;
  const perServer = values.connect ? 0 : Math.max(...points.map((p) => Math.ceil((servers === 1 ? 1 : 1.1) * (p.sessions / servers)))) + 1024;
  const needed = Math.max(perProcess, perServer);
  const was = openFilesLimit();
  const record: OpenFiles = { before: was, needed, perLoadProcess: perProcess, perServer: perServer || undefined, set: was, how: 'unchanged (enough)' };
  if (was.soft >= needed) return record;
  const hard = Math.max(was.hard, needed);
  try {
    // prlimit(2) on this process (raising the hard limit needs CAP_SYS_RESOURCE); children inherit it.
    execFileSync('prlimit', ['--pid', String(process.pid), `--nofile=${needed}:${hard}`], { stdio: 'pipe' });
  } catch (err) {
    const why = ((err as { stderr?: Buffer }).stderr?.toString() || (err as Error).message).trim();
    process.stderr.write(
      `bench:scale: ${needed} open files are needed (a socket per session: ${perProcess} in the largest load process, ${perServer} on a server) ` +
        `but the limit is ${was.soft} (hard ${was.hard}) and raising it failed (${why}); raise \`ulimit -n\` to ${needed} as root (with CAP_SYS_RESOURCE) ` +
        `before running, use fewer sessions per process or more --servers, or --connect to servers with their own limits\n`,
    );
    process.exit(3);
  }
  return { ...record, set: openFilesLimit(), how: `prlimit --pid ${process.pid} --nofile=${needed}:${hard}` };
}

interface OpenFiles {
  before: { soft: number; hard: number };
  needed: number;
  perLoadProcess: number;
  perServer: number | undefined;
  set: { soft: number; hard: number };
  how: string;
}

// ---- The servers ------------------------------------------------------------------------------------------
async function serversView(ensemble: Ensemble): Promise<{ connections: number | undefined; perServer: (number | undefined)[] }> {
  const perServer = await Promise.all(
    ensemble.servers.map(async (s) => {
      try {
        return mntrNumber(parseMntr(await fourLetterWord(s.host, s.clientPort, 'mntr', 5000)), 'num_alive_connections');
      } catch {
        return undefined;
      }
    }),
  );
  return { connections: perServer.some((c) => c === undefined) ? undefined : perServer.reduce((a, b) => a! + b!, 0), perServer };
}

/** Resident memory of the server JVMs started here, bytes (undefined for --connect). */
function serversRss(ensemble: Ensemble): number | undefined {
  const pids = ensemble.servers.map((s) => s.pid);
  if (pids.some((p) => p === undefined)) return undefined;
  let sum = 0;
  for (const pid of pids) {
    const kb = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    if (kb === undefined) return undefined;
    sum += Number(kb) * 1024;
  }
  return sum;
}

// ---- Load processes ---------------------------------------------------------------------------------------
class LoadProcess {
  readonly child: ChildProcess;
  private readonly listeners = new Set<(m: { type: string }) => void>();
  exited: Promise<void>;

  constructor(readonly index: number) {
    this.child = fork(LOAD_MAIN, [], { execArgv: ['--expose-gc', '--import', TSX_LOADER], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const pid = this.child.pid;
    if (pid !== undefined) trackChild(pid, `scale load process ${index}`);
    this.child.on('message', (m: { type: string }) => {
      for (const l of [...this.listeners]) l(m);
    });
    this.exited = new Promise((resolve) =>
      this.child.once('exit', (code, signal) => {
        if (pid !== undefined) untrackChild(pid);
        for (const l of [...this.listeners]) l({ type: 'failed', message: `load process ${index} ${signal ? `killed by ${signal}` : `exited with ${code}`}` } as never);
        resolve();
      }),
    );
  }

  next<T>(type: string, onOther?: (m: { type: string }) => void): Promise<T> {
    return new Promise((resolve, reject) => {
      const l = (m: { type: string; message?: string }): void => {
        if (m.type === type) {
          this.listeners.delete(l);
          resolve(m as T);
        } else if (m.type === 'failed') {
          this.listeners.delete(l);
          reject(new Error(m.message));
        } else onOther?.(m);
      };
      this.listeners.add(l);
    });
  }

  send(m: unknown): void {
    if (this.child.connected) this.child.send(m as never);
  }

  /** Close its sessions and exit; SIGKILL after 30 s (closing 10,000 sessions takes a few seconds). */
  async close(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.send({ type: 'close' });
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 30_000);
    await this.exited;
    clearTimeout(timer);
  }
}

// ---- One point --------------------------------------------------------------------------------------------
interface PointResult {
  sessions: number;
  processes: number;
  outcome: 'completed' | 'interrupted';
  connected: number;
  failed: number;
  firstFailure?: string;
  connectS: number;
  connectRatePerS: number;
  connectLatencyMs: { p50: number; p99: number; max: number };
  perProcess: {
    sessions: number;
    connected: number;
    rssBytesPerSession: number;
    heapBytesPerSession: number;
    externalBytesPerSession: number;
    rssMbAfterOpen: number;
    hold?: Omit<HoldTally, 'type'>;
  }[];
  hold?: {
    seconds: number;
    expired: number;
    sessionsDisconnected: number;
    disconnections: number;
    connectedAtEnd: number;
    serverConnectionsAtEnd: number | undefined;
  };
  serverConnections: { before: number | undefined; afterOpen: number | undefined; afterClose: number | undefined };
  serverRssBytesPerSession?: number;
  loadAverage: { start: number[]; afterOpen: number[]; end: number[] };
}

async function runPoint(ensemble: Ensemble, point: Point, clock: RunClock): Promise<PointResult> {
  const { sessions, processes } = point;
  const counts = Array.from({ length: processes }, (_, i) => Math.floor(sessions / processes) + (i < sessions % processes ? 1 : 0));
  const loadStart = loadAverage();
  const before = await serversView(ensemble);
  const rssBefore = serversRss(ensemble);
  log(`\n== ${sessions} sessions over ${processes} load process(es) (load average ${loadStart.join(' ')}; servers hold ${before.connections ?? '?'} connections)`);
  const procs = Array.from({ length: processes }, (_, i) => new LoadProcess(i));
  const result: Partial<PointResult> & Pick<PointResult, 'sessions' | 'processes'> = { sessions, processes, outcome: 'interrupted' };
  try {
    await untilInterrupted(Promise.all(procs.map((p) => p.next('started'))));
    const order = (n: number): OpenOrder => ({ type: 'open', origin: clock.serializeOrigin(), connect: ensemble.connectString, count: n, sessionTimeoutMs, connectTimeoutMs, parallelism });
    const opened = await untilInterrupted(
      Promise.all(
        procs.map((p, i) => {
          const answer = p.next<Opened>('opened');
          p.send(order(counts[i]!));
          return answer;
        }),
      ),
    );
    const latency = newLatencyHistogram();
    for (const o of opened) latency.add(decodeHistogram(o.connectLatency));
    const connected = opened.reduce((s, o) => s + o.connected, 0);
    const first = Math.min(...opened.map((o) => o.firstCallAt));
    const last = Math.max(...opened.map((o) => o.lastConnectedAt));
    const connectS = (last - first) / 1e9;
    const afterOpen = await serversView(ensemble);
    const rssAfter = serversRss(ensemble);
    Object.assign(result, {
      connected,
      failed: opened.reduce((s, o) => s + o.failed, 0),
      ...(opened.find((o) => o.firstFailure) ? { firstFailure: opened.find((o) => o.firstFailure)!.firstFailure } : {}),
      connectS,
      connectRatePerS: connected / connectS,
      connectLatencyMs: { p50: valueAtPercentile(latency, 50) / 1000, p99: valueAtPercentile(latency, 99) / 1000, max: latency.maxValue / 1000 },
      perProcess: opened.map((o) => ({
        sessions: o.asked,
        connected: o.connected,
        rssBytesPerSession: (o.after.rss - o.before.rss) / o.connected,
        heapBytesPerSession: (o.after.heapUsed - o.before.heapUsed) / o.connected,
        externalBytesPerSession: (o.after.external - o.before.external) / o.connected,
        rssMbAfterOpen: o.after.rss / 2 ** 20,
      })),
      serverConnections: { before: before.connections, afterOpen: afterOpen.connections, afterClose: undefined },
      ...(rssBefore !== undefined && rssAfter !== undefined ? { serverRssBytesPerSession: (rssAfter - rssBefore) / connected } : {}),
      loadAverage: { start: loadStart, afterOpen: loadAverage(), end: [] },
    });
    log(
      `connected ${connected} of ${sessions} (${result.failed} failed) in ${connectS.toFixed(2)} s: ${result.connectRatePerS!.toFixed(0)} sessions/s, ` +
        `connect latency p50 ${result.connectLatencyMs!.p50.toFixed(1)} ms p99 ${result.connectLatencyMs!.p99.toFixed(1)} ms; servers hold ${afterOpen.connections ?? '?'} connections` +
        (result.serverRssBytesPerSession !== undefined ? `, their JVMs' RSS grew ${(result.serverRssBytesPerSession / 1024).toFixed(2)} KiB/session` : ''),
    );
    for (const [i, p] of result.perProcess!.entries()) {
      log(`  process ${i}: ${p.connected} sessions, RSS ${(p.rssBytesPerSession / 1024).toFixed(2)} KiB/session, V8 heap ${(p.heapBytesPerSession / 1024).toFixed(2)} KiB/session (RSS now ${p.rssMbAfterOpen.toFixed(0)} MiB)`);
    }

    if (holdS > 0) {
      log(`idle hold ${holdS} s (session timeout ${sessionTimeoutMs} ms: a session missing its heartbeats that long expires)`);
      const latest: (HoldTally | undefined)[] = procs.map(() => undefined);
      const progress = (): void => {
        const t = latest.filter((x): x is HoldTally => x !== undefined);
        if (t.length < procs.length) return;
        const sum = (k: 'expired' | 'sessionsDisconnected' | 'connectedNow'): number => t.reduce((s, x) => s + x[k], 0);
        log(`  ${t[0]!.seconds.toFixed(0)} s: expired ${sum('expired')}, sessions that lost their connection ${sum('sessionsDisconnected')}, connected now ${sum('connectedNow')}, load average ${loadAverage().join(' ')}`);
        latest.fill(undefined);
      };
      const held = await untilInterrupted(
        Promise.all(
          procs.map((p, i) => {
            const answer = p.next<HoldTally>('held', (m) => {
              if (m.type !== 'tally') return;
              latest[i] = m as HoldTally;
              progress();
            });
            p.send({ type: 'hold', seconds: holdS });
            return answer;
          }),
        ),
      );
      const atEnd = await serversView(ensemble);
      held.forEach((h, i) => {
        const { type: _type, ...rest } = h;
        result.perProcess![i]!.hold = rest;
      });
      result.hold = {
        seconds: Math.min(...held.map((h) => h.seconds)),
        expired: held.reduce((s, h) => s + h.expired, 0),
        sessionsDisconnected: held.reduce((s, h) => s + h.sessionsDisconnected, 0),
        disconnections: held.reduce((s, h) => s + h.disconnections, 0),
        connectedAtEnd: held.reduce((s, h) => s + h.connectedNow, 0),
        serverConnectionsAtEnd: atEnd.connections,
      };
      log(
        `hold over: expired ${result.hold.expired}, sessions that lost their connection ${result.hold.sessionsDisconnected}, connected ${result.hold.connectedAtEnd}; ` +
          `servers hold ${atEnd.connections ?? '?'} connections`,
      );
      for (const [i, p] of result.perProcess!.entries()) {
        log(`  process ${i}: CPU ${p.hold!.cpuPct.toFixed(1)}% of a core, event-loop delay p99 ${p.hold!.loopDelayP99Ms.toFixed(1)} ms max ${p.hold!.loopDelayMaxMs.toFixed(0)} ms, RSS ${(p.hold!.memory.rss / 2 ** 20).toFixed(0)} MiB`);
      }
    }
    result.outcome = 'completed';
  } catch (err) {
    if (!(err instanceof Interrupted)) throw err;
  } finally {
    await Promise.all(procs.map((p) => p.close()));
    // The servers drop a closed session's connection at once; wait for them to be back where they were.
    const deadline = Date.now() + 60_000;
    let now = await serversView(ensemble);
    while (now.connections !== undefined && before.connections !== undefined && now.connections > before.connections && Date.now() < deadline) {
      await sleep(500);
      now = await serversView(ensemble);
    }
    if (result.serverConnections) result.serverConnections.afterClose = now.connections;
    result.loadAverage = { ...(result.loadAverage ?? { start: loadStart, afterOpen: [] }), end: loadAverage() };
    log(`closed: the servers hold ${now.connections ?? '?'} connections (before: ${before.connections ?? '?'})`);
  }
  return result as PointResult;
}

// ---- Output -----------------------------------------------------------------------------------------------
function csvRows(results: readonly PointResult[]): string {
  const rows: (string | number)[][] = [['sessions', 'processes', 'process', 'metric', 'value', 'unit']];
  for (const r of results) {
    const add = (process: string, metric: string, value: number | undefined, unit: string): void =>
      void rows.push([r.sessions, r.processes, process, metric, value === undefined || Number.isNaN(value) ? '' : Number(value.toFixed(3)), unit]);
    add('all', 'connected', r.connected, 'sessions');
    add('all', 'failed', r.failed, 'sessions');
    add('all', 'connect_rate', r.connectRatePerS, 'sessions/s');
    add('all', 'connect_s', r.connectS, 's');
    add('all', 'connect_latency.p50', r.connectLatencyMs?.p50, 'ms');
    add('all', 'connect_latency.p99', r.connectLatencyMs?.p99, 'ms');
    add('all', 'connect_latency.max', r.connectLatencyMs?.max, 'ms');
    add('all', 'server_rss_per_session', r.serverRssBytesPerSession, 'bytes');
    if (r.hold) {
      add('all', 'hold_s', r.hold.seconds, 's');
      add('all', 'expired', r.hold.expired, 'sessions');
      add('all', 'sessions_disconnected', r.hold.sessionsDisconnected, 'sessions');
      add('all', 'connected_at_end', r.hold.connectedAtEnd, 'sessions');
      add('all', 'server_connections_at_end', r.hold.serverConnectionsAtEnd, 'connections');
    }
    add('all', 'load_average_1m.start', r.loadAverage?.start[0], 'load');
    add('all', 'load_average_1m.end', r.loadAverage?.end[0], 'load');
    for (const [i, p] of (r.perProcess ?? []).entries()) {
      add(String(i), 'connected', p.connected, 'sessions');
      add(String(i), 'rss_per_session', p.rssBytesPerSession, 'bytes');
      add(String(i), 'heap_per_session', p.heapBytesPerSession, 'bytes');
      add(String(i), 'external_per_session', p.externalBytesPerSession, 'bytes');
      if (p.hold) {
        add(String(i), 'expired', p.hold.expired, 'sessions');
        add(String(i), 'hold_cpu', p.hold.cpuPct, '% of a core');
        add(String(i), 'hold_loop_delay.p99', p.hold.loopDelayP99Ms, 'ms');
      }
    }
  }
  return rows.map((r) => r.join(',')).join('\n') + '\n';
}

function summary(results: readonly PointResult[]): string {
  const lines = ['sessions  processes  connected  expired  connect/s  connect p50  p99 ms  RSS/session  heap/session  load avg (start→end)'];
  for (const r of results) {
    const per = r.perProcess ?? [];
    const avg = (f: (p: PointResult['perProcess'][number]) => number): number => per.reduce((s, p) => s + f(p), 0) / Math.max(1, per.length);
    lines.push(
      [
        String(r.sessions).padStart(8),
        String(r.processes).padStart(9),
        String(r.connected ?? '-').padStart(9),
        String(r.hold?.expired ?? '-').padStart(7),
        (r.connectRatePerS?.toFixed(0) ?? '-').padStart(9),
        (r.connectLatencyMs?.p50.toFixed(1) ?? '-').padStart(11),
        (r.connectLatencyMs?.p99.toFixed(1) ?? '-').padStart(6),
        `${(avg((p) => p.rssBytesPerSession) / 1024).toFixed(2)} KiB`.padStart(11),
        `${(avg((p) => p.heapBytesPerSession) / 1024).toFixed(2)} KiB`.padStart(12),
        `  ${r.loadAverage?.start[0] ?? '?'}→${r.loadAverage?.end[0] ?? '?'}${r.outcome === 'interrupted' ? '  (interrupted)' : ''}`,
      ].join('  '),
    );
  }
  return lines.join('\n') + '\n';
}

// ---- Main -------------------------------------------------------------------------------------------------
async function main(): Promise<number> {
  const fd = raiseOpenFiles();
  const settings: EnsembleSettings | undefined = values.connect
    ? undefined
    : { servers, tickTimeMs, ...sessionTimeoutBounds(tickTimeMs, sessionTimeoutMs), maxClientCnxns: 0, heapMb, commitWakeupGuardMs: 1 };
  log(
    `open files (RLIMIT_NOFILE, inherited by the load processes and the server JVMs): soft ${fd.set.soft}, hard ${fd.set.hard} (${fd.how}); ` +
      `needed ${fd.perLoadProcess} per load process${fd.perServer ? `, ${fd.perServer} per server` : ''}`,
  );
  if (settings) {
    log(
      `embedded ensemble: ${servers} server(s), -Xmx${heapMb}m each, maxClientCnxns=0 (unlimited per client address), tickTime ${tickTimeMs} ms, ` +
        `session timeouts allowed ${settings.minSessionTimeoutMs}..${settings.maxSessionTimeoutMs} ms`,
    );
  } else log(`--connect ${values.connect}: its servers' heap, maxClientCnxns and file limits are as their owner set them`);
  log(`load processes: sessions of ${sessionTimeoutMs} ms timeout, ${parallelism} handshakes in flight per process, connect timeout ${connectTimeoutMs} ms`);

  const clock = new RunClock(process.hrtime.bigint());
  let ensemble: Ensemble | undefined;
  const results: PointResult[] = [];
  let outcome: 'completed' | 'interrupted' | 'failed' = 'completed';
  let failure: string | undefined;
  try {
    ensemble = await untilInterrupted<Ensemble>(values.connect ? connectExistingEnsemble(values.connect) : startEmbeddedEnsemble(settings!, { signal: interrupt.signal }));
    log(`servers: ${ensemble.connectString}`);
    for (const point of points) {
      if (interrupt.signal.aborted) break;
      results.push(await runPoint(ensemble, point, clock));
    }
    if (interrupt.signal.aborted) outcome = 'interrupted';
  } catch (err) {
    if (err instanceof Interrupted) outcome = 'interrupted';
    else {
      outcome = 'failed';
      failure = (err as Error).message;
      log(`bench:scale failed: ${failure}`);
    }
  } finally {
    await ensemble?.close().catch((err: Error) => log(`stopping the servers: ${err.message}`));
  }

  fs.mkdirSync(outDir, { recursive: true });
  const record = {
    startedAt: startedAt.toISOString(),
    endedAt: new Date().toISOString(),
    outcome,
    ...(failure ? { failure } : {}),
    host: { cpus: os.cpus().length, memoryMb: Math.round(os.totalmem() / 2 ** 20), node: process.version },
    settings: {
      points,
      holdS,
      sessionTimeoutMs,
      connectTimeoutMs,
      parallelism,
      openFiles: fd,
      ensemble: values.connect ? { kind: 'connect', connect: values.connect } : { kind: 'embedded', ...settings },
    },
    points: results,
  };
  fs.writeFileSync(path.join(outDir, 'scale.json'), JSON.stringify(record, null, 2) + '\n');
  fs.writeFileSync(path.join(outDir, 'scale.csv'), csvRows(results));
  process.stdout.write('\n' + summary(results));
  process.stdout.write(`${outDir}\n`);
  return outcome === 'completed' ? 0 : outcome === 'interrupted' ? 130 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    log(`bench:scale: ${(err as Error).stack ?? String(err)}`);
    process.exit(1);
  },
);
