// `npm run bench:distributed`: one workload run distributed (3 `zkbench worker`s, each in its
// own network namespace, test/helpers/netns.ts) and locally (`--workers 3`), alternating, against one
// embedded ensemble that listens for clients on every host address; prints each run and the medians. A
// benchmark that prints, not a test (needs root and iproute2, like the distributed tests).
//
//   node --import tsx bench/distributed.ts                          # lock-contention, predecessor, 60 clients, 10 s, 3 pairs
//   node --import tsx bench/distributed.ts --pairs 5 --clients 100
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startEmbeddedEnsemble } from '../src/ensemble/index.ts';
import { parseCsv } from '../src/results/read-csv.ts';
import { NetNamespaces } from '../test/helpers/netns.ts';

const projectDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ZKBENCH = path.join(projectDir, 'bin/zkbench.js');
const { values } = parseArgs({
  options: {
    pairs: { type: 'string', default: '3' },
    clients: { type: 'string', default: '60' },
    recipe: { type: 'string', default: 'predecessor' },
    'duration-s': { type: 'string', default: '10' },
  },
});

interface Figures {
  mode: string;
  throughput: number;
  acquireP50: number;
  acquireP99: number;
  handoffP50: number;
  handoffP99: number;
  saturated: number;
  clocks: string;
}

function run(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [ZKBENCH, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (code) => (code === 0 ? resolve(out.trim().split('\n').at(-1)!) : reject(new Error(`zkbench exited ${code}:\n${err}`))));
  });
}

function figures(mode: string, runDir: string): Figures {
  const rows = parseCsv(fs.readFileSync(path.join(runDir, 'summary.csv'), 'utf8'));
  const get = (metric: string, col: string): number => Number(rows.find((r) => r['metric'] === metric)?.[col]);
  const record = JSON.parse(fs.readFileSync(path.join(runDir, 'run.json'), 'utf8')) as { workers?: { name: string; clock: { offsetMs: number; boundMs: number } }[] };
  return {
    mode,
    throughput: get('throughput', 'value'),
    acquireP50: get('acquire', 'p50'),
    acquireP99: get('acquire', 'p99'),
    handoffP50: get('handoff', 'p50'),
    handoffP99: get('handoff', 'p99'),
    saturated: get('driver.saturated', 'value'),
    clocks: (record.workers ?? []).map((w) => `${w.name} ${(w.clock.offsetMs * 1000).toFixed(1)}±${(w.clock.boundMs * 1000).toFixed(1)}µs`).join(' '),
  };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const hosts = NetNamespaces.create(3);
const ensemble = await startEmbeddedEnsemble({ servers: 3, tickTimeMs: 2000, maxClientCnxns: 0, heapMb: 512, commitWakeupGuardMs: 1 }, { clientsOnEveryAddress: true });
const root = `/zkbench-bench-${process.pid}`;
const resultsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zkbench-distributed-'));
const workers: ChildProcess[] = [];
try {
  for (const [k, ns] of hosts.namespaces.entries()) {
    const connect = ensemble.servers.map((s) => `${ns.hostAddress}:${s.clientPort}`).join(',');
    workers.push(hosts.spawn(ns, process.execPath, [ZKBENCH, 'worker', '--connect', connect, '--name', `ns${k}`, '--namespace', root]));
  }
  const common = ['bench', '--workload', 'lock-contention', '--recipes', values.recipe!, '--clients', values.clients!, '--duration-s', values['duration-s']!, '--connect', ensemble.connectString, '--results-dir', resultsDir];
  const all: Figures[] = [];
  for (let i = 0; i < Number(values.pairs); i++) {
    for (const mode of ['distributed', 'local'] as const) {
      const extra = mode === 'distributed' ? ['--remote-workers', '3', '--namespace', root] : ['--workers', '3'];
      const f = figures(mode, await run([...common, ...extra]));
      all.push(f);
      console.log(`${mode.padEnd(11)} acq/s ${f.throughput.toFixed(1)}  acquire p50/p99 ${f.acquireP50}/${f.acquireP99} ms  handoff p50/p99 ${f.handoffP50}/${f.handoffP99} ms  saturated ${f.saturated}  ${f.clocks}`);
    }
  }
  for (const mode of ['distributed', 'local']) {
    const of = all.filter((f) => f.mode === mode);
    const m = (k: keyof Figures): string => String(median(of.map((f) => f[k] as number)));
    console.log(`median ${mode.padEnd(11)} acq/s ${m('throughput')}  acquire p50/p99 ${m('acquireP50')}/${m('acquireP99')} ms  handoff p50/p99 ${m('handoffP50')}/${m('handoffP99')} ms`);
  }
  console.log(`runs in ${resultsDir}`);
} finally {
  for (const w of workers) w.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 1000));
  hosts.cleanup();
  await ensemble.close();
}
