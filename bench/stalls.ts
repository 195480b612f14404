// `npm run bench:stalls`: N back-to-back short runs on fresh embedded ensembles (lock-contention at 60
// clients, and primitives), each scanned for stalls: operations over 1 s or over 3x their series' p99
// (exact counts from the histograms), the timeline intervals where they happened (warm-up included),
// failed requests, and the events and server warnings around each. A benchmark that prints, not a test.
//
//   npm run bench:stalls                              # 30 lock runs, 30 primitives runs
//   npm run bench:stalls -- --runs 10 --kinds lock
//   npm run bench:stalls -- --runs 10 --commit-wakeup-guard-ms 0   # the servers as installed
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { scanRunDirectory, STALL_ABSOLUTE_MS, STALL_P99_FACTOR } from '../src/results/stall-scan.ts';
import type { StallScan } from '../src/results/run-record.ts';

const projectDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '30' },
    kinds: { type: 'string', default: 'lock,primitives' },
    'commit-wakeup-guard-ms': { type: 'string' },
    'results-dir': { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  process.stdout.write('usage: npm run bench:stalls -- [--runs N] [--kinds lock,primitives] [--commit-wakeup-guard-ms MS] [--results-dir DIR]\n');
  process.exit(0);
}

const KINDS: Record<string, string[]> = {
  lock: ['--workload', 'lock-contention', '--clients', '60', '--recipes', 'predecessor,children-watch', '--duration-s', '3', '--warmup-s', '1'],
  primitives: ['--workload', 'primitives', '--duration-s', '1', '--warmup-s', '0.5'],
};
const runs = Number(values.runs);
const kinds = values.kinds.split(',').map((k) => k.trim());
const unknown = kinds.filter((k) => !(k in KINDS));
if (!Number.isInteger(runs) || runs < 1 || unknown.length > 0) {
  process.stderr.write(`bench:stalls: --runs must be a positive integer and --kinds a list of ${Object.keys(KINDS).join(', ')}\n`);
  process.exit(2);
}
const resultsDir = values['results-dir'] ?? fs.mkdtempSync(path.join(os.tmpdir(), 'zkbench-stalls-'));
const extra = values['commit-wakeup-guard-ms'] === undefined ? [] : ['--commit-wakeup-guard-ms', values['commit-wakeup-guard-ms']];

let interrupted = false;
process.on('SIGINT', () => (interrupted = true)); // the child gets it too and writes an interrupted run

/** One bench run; resolves with its run directory (last stdout line), or undefined when none was written. */
function bench(args: string[]): Promise<{ dir: string | undefined; code: number; stderrTail: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(projectDir, 'bin', 'zkbench.js'), 'bench', ...args, ...extra, '--results-dir', resultsDir], {
      cwd: projectDir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-4000)));
    child.on('close', (code) => {
      const last = out.trim().split('\n').at(-1) ?? '';
      resolve({ dir: last && fs.existsSync(path.join(last, 'run.json')) ? last : undefined, code: code ?? 1, stderrTail: err });
    });
  });
}

interface Tally {
  runs: number;
  runsWithStalls: number;
  overAbsolute: number;
  overP99Factor: number;
  stalls: number;
  failedRequests: number;
  guardWakeups: number;
}
const tallies = new Map<string, Tally>(kinds.map((k) => [k, { runs: 0, runsWithStalls: 0, overAbsolute: 0, overP99Factor: 0, stalls: 0, failedRequests: 0, guardWakeups: 0 }]));

function guardWakeups(dir: string): number {
  // Server warnings are kept in the run directory; each guard wake-up is one WARN line.
  let n = 0;
  for (const f of ['server-warnings.log']) {
    const p = path.join(dir, f);
    if (fs.existsSync(p)) n += fs.readFileSync(p, 'utf8').split('\n').filter((l) => l.includes('zkbench guard: woke')).length;
  }
  return n;
}

function report(kind: string, i: number, dir: string, scan: StallScan): void {
  const t = tallies.get(kind)!;
  const overAbs = scan.series.reduce((a, s) => a + s.overAbsolute, 0);
  const overP99 = scan.series.reduce((a, s) => a + s.overP99Factor, 0);
  const stalls = scan.series.reduce((a, s) => a + s.stalls, 0);
  const failed = Object.values(scan.errors).reduce((a, b) => a + b, 0);
  const wakeups = guardWakeups(dir);
  const stalled = stalls > 0 || failed > 0 || scan.places.length > 0;
  t.runs++;
  t.overAbsolute += overAbs;
  t.overP99Factor += overP99;
  t.stalls += stalls;
  t.failedRequests += failed;
  t.guardWakeups += wakeups;
  if (stalled) t.runsWithStalls++;
  const worst = Math.max(0, ...scan.series.map((s) => s.maxMs), ...scan.places.map((p) => p.maxMs));
  process.stdout.write(
    `${kind} ${String(i + 1).padStart(2)}: stalls ${stalls} (>${STALL_ABSOLUTE_MS / 1000}s ${overAbs}, >${STALL_P99_FACTOR}xp99 ${overP99}), failed ${failed}, ` +
      `slowest ${worst.toFixed(1)} ms, guard wake-ups ${wakeups}${stalled ? '  STALL' : ''}  ${path.basename(dir)}\n`,
  );
  for (const s of scan.series.filter((x) => x.stalls > 0)) {
    process.stdout.write(`    ${s.recipe}.${s.metric}: ${s.stalls} stalled (over 1 s and ${STALL_P99_FACTOR}x its p99 of ${s.p99Ms.toFixed(2)} ms), max ${s.maxMs.toFixed(1)} ms of ${s.count}\n`);
  }
  for (const p of scan.places) {
    const slowest = p.ops > 0 ? `slowest ${p.maxMs.toFixed(0)} ms` : 'nothing completed';
    process.stdout.write(`    at ${(p.tMs / 1000).toFixed(1)} s (${p.phase}) ${p.recipe}: ${slowest}, ${p.errors} failed${p.events.length ? `; around it: ${p.events.join(' | ')}` : ''}\n`);
  }
  for (const [code, n] of Object.entries(scan.errors)) process.stdout.write(`    errors.${code}: ${n}\n`);
}

for (let i = 0; i < runs && !interrupted; i++) {
  for (const kind of kinds) {
    if (interrupted) break;
    const r = await bench(KINDS[kind]!);
    if (!r.dir) {
      process.stdout.write(`${kind} ${i + 1}: no run directory (exit ${r.code})\n${r.stderrTail.split('\n').slice(-8).join('\n')}\n`);
      if (r.code === 2 || r.code === 3) process.exit(r.code); // usage or environment: every run would fail alike
      continue;
    }
    report(kind, i, r.dir, scanRunDirectory(r.dir));
  }
}

process.stdout.write(`\nstall: an operation over ${STALL_ABSOLUTE_MS / 1000} s and over ${STALL_P99_FACTOR}x its series' p99 (measured window: histograms; warm-up too: timeline), or a failed request\n`);
for (const [kind, t] of tallies) {
  process.stdout.write(
    `${kind.padEnd(10)} runs ${t.runs}, runs with a stall ${t.runsWithStalls}, stalled ops ${t.stalls} (over 1 s ${t.overAbsolute}, over ${STALL_P99_FACTOR}x p99 ${t.overP99Factor}), failed requests ${t.failedRequests}, guard wake-ups ${t.guardWakeups}\n`,
  );
}
process.stdout.write(`${resultsDir}\n`);
