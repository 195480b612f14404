// `npm run bench:security`: what TLS and SASL cost, on one ensemble, in one sitting, alternating (issue 19,
// docs/tls-sasl.md). One embedded ensemble serves plaintext and TLS on two ports per server and offers SASL
// DIGEST-MD5 without requiring it; every round runs each measure three ways, the order rotating per round:
//   plain  the plaintext port, no SASL
//   tls    the TLS port (the ensemble's own CA, chain and name checked)
//   sasl   the plaintext port, every session authenticated with DIGEST-MD5
// Measures: client CPU per request (throughput `set`, 50 sessions), hand-off p50 (lock-contention
// `predecessor`, 100 clients), notify_from_send p50 (watch-fanout `data-watch`, 1,000 watchers), and the
// session connect rate (N sessions opened 64 at a time through the suite's client layer).
// A benchmark that prints, not a test. Every run directory is kept under --results-dir.
//
//   npm run bench:security                          # 3 rounds, 1 server, 5 s windows
//   npm run bench:security -- --rounds 5 --servers 3 --duration-s 10
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startEmbeddedEnsemble, type EmbeddedEnsemble } from '../src/ensemble/index.ts';
import { RunClock } from '../src/measure/clock.ts';
import { valueAtPercentile } from '../src/measure/histogram.ts';
import { findMetric, scalarValue } from '../src/measure/metrics.ts';
import { runBench } from '../src/runner/bench-run.ts';
import { loadWorkload } from '../src/scenarios/catalog.ts';
import { closeSessions, openSessions } from '../src/zk/open-sessions.ts';
import type { SaslOptions, TlsOptions } from '../src/zk/security.ts';

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    servers: { type: 'string', default: '1' },
    'duration-s': { type: 'string', default: '5' },
    'connect-sessions': { type: 'string', default: '500' },
    'results-dir': { type: 'string', default: 'results/security-cost' },
  },
});
const ROUNDS = Number(args.rounds);
const DURATION_S = Number(args['duration-s']);
const CONNECT_SESSIONS = Number(args['connect-sessions']);
const resultsDir = path.resolve(args['results-dir']!);
fs.mkdirSync(resultsDir, { recursive: true });

type Variant = 'plain' | 'tls' | 'sasl';
const VARIANTS: readonly Variant[] = ['plain', 'tls', 'sasl'];
interface Way {
  connect: string;
  tls?: TlsOptions;
  sasl?: SaslOptions;
}

const quiet = { recipeStart: () => undefined, phase: () => undefined, tick: () => undefined, recipeDone: () => undefined };

async function run(workload: string, way: Way, overrides: Record<string, unknown>): Promise<ReturnType<typeof runBench>> {
  const { workload: w, file } = loadWorkload(workload, { ...overrides, ...(way.tls?.ca ? { tls_ca: way.tls.ca } : {}), replace_thresholds: {} });
  const outcome = await runBench({
    workload: w,
    workloadFile: file,
    argv: [],
    connect: way.connect,
    resultsDir,
    clock: new RunClock(process.hrtime.bigint()),
    signal: new AbortController().signal,
    progress: quiet,
    log: () => undefined,
    ...(way.sasl ? { sasl: way.sasl } : {}),
  });
  if (outcome.failure) throw outcome.failure;
  return outcome;
}

const p50Ms = (outcome: Awaited<ReturnType<typeof runBench>>, metric: string): number => {
  const m = findMetric(outcome.record.recipes[0]!.metrics, metric);
  return m?.kind === 'distribution' && m.histogram.totalCount > 0 ? valueAtPercentile(m.histogram, 50) / 1000 : Number.NaN;
};

const MEASURES: { name: string; unit: string; measure: (way: Way) => Promise<{ value: number; runDir?: string | undefined }> }[] = [
  {
    name: 'client CPU per request (set, 50 sessions)',
    unit: 'µs',
    measure: async (way) => {
      const o = await run('throughput', way, { recipes: 'set', clients: 50, duration_s: DURATION_S, warmup_s: 1 });
      return { value: scalarValue(o.record.recipes[0]!.metrics, 'client_cpu_per_request') ?? Number.NaN, runDir: o.runDir };
    },
  },
  {
    name: 'hand-off p50 (predecessor, 100 clients)',
    unit: 'ms',
    measure: async (way) => {
      const o = await run('lock-contention', way, { recipes: 'predecessor', clients: 100, duration_s: DURATION_S, warmup_s: 1 });
      return { value: p50Ms(o, 'handoff'), runDir: o.runDir };
    },
  },
  {
    name: 'notify_from_send p50 (data-watch, 1,000 watchers)',
    unit: 'ms',
    measure: async (way) => {
      const o = await run('watch-fanout', way, { recipes: 'data-watch', watchers: '1000', clients: 1000, duration_s: DURATION_S, warmup_s: 2 });
      return { value: p50Ms(o, 'notify_from_send'), runDir: o.runDir };
    },
  },
  {
    name: `session connect rate (${CONNECT_SESSIONS} sessions, 64 at a time)`,
    unit: 'sessions/s',
    measure: async (way) => {
      const t0 = performance.now();
      const sessions = await openSessions({ ...way, sessionTimeoutMs: 30_000, count: CONNECT_SESSIONS, parallelism: 64 });
      const s = (performance.now() - t0) / 1000;
      closeSessions(sessions);
      await new Promise((r) => setTimeout(r, 2000)); // the servers close them before the next measure
      return { value: CONNECT_SESSIONS / s };
    },
  },
];

const median = (xs: number[]): number => {
  const v = xs.filter(Number.isFinite).sort((a, b) => a - b);
  return v.length === 0 ? Number.NaN : v.length % 2 ? v[(v.length - 1) / 2]! : (v[v.length / 2 - 1]! + v[v.length / 2]!) / 2;
};
const fmt = (x: number): string => (Number.isFinite(x) ? (Math.abs(x) >= 100 ? x.toFixed(0) : x.toPrecision(3)) : 'not measured');

let ensemble: EmbeddedEnsemble | undefined;
const stop = async () => {
  await ensemble?.close().catch(() => undefined);
};
process.once('SIGINT', () => void stop().then(() => process.exit(130)));
try {
  ensemble = await startEmbeddedEnsemble(
    { servers: Number(args.servers), tickTimeMs: 2000, minSessionTimeoutMs: 4000, maxSessionTimeoutMs: 40_000, maxClientCnxns: 0, heapMb: 1024, commitWakeupGuardMs: 1, security: 'tls' },
    { comparable: true },
  );
  const own = ensemble.clientSecurity!;
  const ways: Record<Variant, Way> = {
    plain: { connect: ensemble.plaintextConnectString! },
    tls: { connect: ensemble.connectString, tls: { ca: own.tls!.ca } },
    sasl: { connect: ensemble.plaintextConnectString!, sasl: own.sasl! },
  };
  console.log(`ensemble: ${ensemble.servers.length} server(s); plaintext ${ways.plain.connect}, TLS ${ways.tls.connect}; ${ROUNDS} rounds, ${DURATION_S} s windows`);
  const values = new Map<string, Record<Variant, number[]>>();
  for (let round = 0; round < ROUNDS; round++) {
    for (const m of MEASURES) {
      const row = values.get(m.name) ?? { plain: [], tls: [], sasl: [] };
      values.set(m.name, row);
      // The order rotates per round, so no variant always runs first (or right after another).
      const order = VARIANTS.map((_, i) => VARIANTS[(i + round) % VARIANTS.length]!);
      for (const v of order) {
        const { value, runDir } = await m.measure(ways[v]);
        row[v].push(value);
        console.log(`round ${round + 1} ${v.padEnd(5)} ${m.name}: ${fmt(value)} ${m.unit}${runDir ? ` (${runDir})` : ''}`);
      }
    }
  }
  console.log('\nmedian of the rounds (each round: plain, tls, sasl in rotating order)\n');
  console.log(`| measure | unit | plaintext | TLS | TLS/plain | SASL | SASL/plain |\n|---|---|---|---|---|---|---|`);
  for (const m of MEASURES) {
    const row = values.get(m.name)!;
    const [p, t, s] = [median(row.plain), median(row.tls), median(row.sasl)];
    console.log(`| ${m.name} | ${m.unit} | ${fmt(p)} | ${fmt(t)} | ${fmt(t / p)} | ${fmt(s)} | ${fmt(s / p)} |`);
  }
} finally {
  await stop();
}
