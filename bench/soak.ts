// The soak (docs/soak.md): on a kept ensemble it starts itself, one steady load runs the whole time while
// every scenario runs in turn, short, through the `bench` command (the failover ones kill, restart and
// pause servers, so faults come between the other scenarios). Every 10 s it samples, of every process of
// the soak (found by parent links from its own children, and the kept servers from its own state file),
// resident memory and open descriptors (/proc), and, of node processes, heap and event-loop delay p99
// (a preloaded probe, soak-probe.mjs). It fits each long-lived process's growth after the warm-up, sums
// errors, expired sessions and lost writes from the runs' run.json, and judges them against the bounds
// (src/measure/soak-verdict.ts, README "Soak bounds"). Writes samples.csv, soak.json and soak.svg.
//   npm run bench:soak [-- --minutes 30 --results-dir results --leak]
// A failed verdict exits 4 (like a breached threshold), nothing judged 5, Ctrl-C 130, SIGTERM 143.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { EXIT } from '../src/process/exit-codes.ts';
import { descendants, readParents, readProcSample } from '../src/process/proc-tree.ts';
import { parseJstatGcHeader, parseJstatGcHeapMiB } from '../src/process/jstat.ts';
import { DEFAULT_SOAK_BOUNDS, judgeSoak, type ProcessKind, type SoakMetric, type SoakSeries } from '../src/measure/soak-verdict.ts';
import { renderTable } from '../src/results/table-format.ts';
import { soakChart } from './soak-chart.ts';

const ZKBENCH = fileURLToPath(new URL('../bin/zkbench.js', import.meta.url));
const PROBE = pathToFileURL(fileURLToPath(new URL('./soak-probe.mjs', import.meta.url))).href;
const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '30' },
    'warmup-minutes': { type: 'string' },
    'interval-s': { type: 'string', default: '10' },
    'results-dir': { type: 'string', default: 'results' },
    leak: { type: 'boolean', default: false },
  },
});
const minutes = Number(values.minutes);
const intervalS = Number(values['interval-s']);
const warmupS = values['warmup-minutes'] !== undefined ? Number(values['warmup-minutes']) * 60 : Math.min(300, minutes * 15);
if (!(minutes > 0) || !(intervalS > 0) || !(warmupS >= 0) || warmupS >= minutes * 60) {
  process.stderr.write('bench:soak: --minutes and --interval-s must be positive numbers, and the warm-up shorter than the soak\n');
  process.exit(EXIT.usage);
}
const leak = values.leak || process.env.ZKBENCH_TEST_LEAK === '1';

const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '');
const outDir = path.resolve(values['results-dir'], `${stamp}-soak${leak ? '-leak' : ''}`);
const runsDir = path.join(outDir, 'runs');
const logsDir = path.join(outDir, 'logs');
fs.mkdirSync(runsDir, { recursive: true });
fs.mkdirSync(logsDir, { recursive: true });
const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zkbench-soak-'));
const probeDir = path.join(stateDir, 'probe');
fs.mkdirSync(probeDir);
const env: NodeJS.ProcessEnv = {
  ...process.env,
  CI: '1',
  ZKBENCH_STATE_DIR: stateDir,
  ZKBENCH_SOAK_PROBE_DIR: probeDir,
  NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import ${PROBE}`.trim(),
};
if (leak) env.ZKBENCH_TEST_LEAK = '1';
else delete env.ZKBENCH_TEST_LEAK;

const say = (s: string): void => void process.stderr.write(`[soak ${((Date.now() - (t0 || Date.now())) / 1000).toFixed(0)}s] ${s}\n`);
let t0 = 0;

// ---- children: each in its own process group, so a stop reaches its whole tree ----
const children = new Set<ChildProcess>();
let stopping: NodeJS.Signals | undefined;

function run(name: string, args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<number> {
  const log = fs.openSync(path.join(logsDir, `${name}.log`), 'w');
  const child = spawn(process.execPath, [ZKBENCH, ...args], { env: { ...env, ...extraEnv }, detached: true, stdio: ['ignore', log, log] });
  children.add(child);
  return new Promise((resolve) => {
    child.on('close', (code, sig) => {
      children.delete(child);
      fs.closeSync(log);
      resolve(code ?? (sig === 'SIGINT' ? 130 : sig === 'SIGTERM' ? 143 : 1));
    });
  });
}

async function stopChildren(sig: NodeJS.Signals): Promise<void> {
  const waits = [...children].map((c) => new Promise<void>((r) => (c.exitCode !== null || c.signalCode !== null ? r() : c.once('close', () => r()))));
  for (const c of children) {
    try {
      process.kill(-c.pid!, sig === 'SIGTERM' ? 'SIGTERM' : 'SIGINT');
    } catch {
      // gone already
    }
  }
  const hard = setTimeout(() => {
    for (const c of children) {
      try {
        process.kill(-c.pid!, 'SIGKILL');
      } catch {
        // gone
      }
    }
  }, 60_000);
  await Promise.all(waits);
  clearTimeout(hard);
}

for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    if (stopping) return;
    stopping = sig;
    say(`${sig}: stopping the runs, then the ensemble`);
    void stopChildren(sig);
  });
}

// ---- sampling ----
interface Row {
  tS: number;
  pid: number;
  kind: ProcessKind;
  label: string;
  rssMiB?: number;
  fds?: number;
  heapMiB?: number;
  eldP99Ms?: number;
}
const rows: Row[] = [];
const labels = new Map<number, { kind: ProcessKind; label: string }>();
const ownEld = monitorEventLoopDelay({ resolution: 20 });
ownEld.enable();

interface KeptState {
  baseDir?: string;
  servers: { id: number; pid?: number }[];
}
function keptState(): KeptState | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(stateDir, 'ensemble.json'), 'utf8')) as KeptState;
  } catch {
    return undefined; // not up yet, or down
  }
}
function keptServers(): Map<number, number> {
  const out = new Map<number, number>();
  for (const s of keptState()?.servers ?? []) if (s.pid !== undefined) out.set(s.pid, s.id);
  return out;
}

function classify(pid: number, cmdline: string[], serverId: number | undefined): { kind: ProcessKind; label: string } | undefined {
  if (pid === process.pid) return { kind: 'soak', label: `soak (pid ${pid})` };
  const line = cmdline.join(' ');
  if (serverId !== undefined || line.includes('QuorumPeerMain')) return { kind: 'server', label: `server ${serverId ?? '?'} (pid ${pid})` };
  if (line.includes('load-process-main')) return { kind: 'load', label: `load process (pid ${pid})` };
  if (cmdline.some((a) => a.endsWith('zkbench.js')) && cmdline.includes('bench')) {
    const name = cmdline[cmdline.indexOf('--name') + 1] ?? '?';
    return { kind: 'coordinator', label: `coordinator ${name} (pid ${pid})` };
  }
  if (/java|python|node/.test(path.basename(cmdline[0] ?? '')) && !cmdline.includes('ensemble')) return { kind: 'driver', label: `driver ${path.basename(cmdline[0]!)} (pid ${pid})` };
  return undefined; // shells, watchdogs, `ensemble up|down`
}

// Server heap: one `jstat -gc PID <interval>` per server process for its whole life (one JVM start per
// server, not one per sample); its latest line is the server's heap at each sample.
const jstats = new Map<number, { child: ChildProcess; heapMiB?: number; at: number }>();
function watchHeap(pid: number): void {
  if (jstats.has(pid)) return;
  const child = spawn('jstat', ['-gc', String(pid), `${intervalS * 1000}`], { stdio: ['ignore', 'pipe', 'ignore'] });
  const m: { child: ChildProcess; heapMiB?: number; at: number } = { child, at: 0 };
  jstats.set(pid, m);
  child.on('error', () => undefined); // no jstat: server heap not measured
  let header: string[] | undefined;
  let buf = '';
  child.stdout!.on('data', (d: Buffer) => {
    buf += d.toString();
    const lines = buf.split('\n');
    buf = lines.pop()!;
    for (const l of lines) {
      header ??= parseJstatGcHeader(l);
      const v = header ? parseJstatGcHeapMiB(header, l) : undefined;
      if (v !== undefined) Object.assign(m, { heapMiB: v, at: Date.now() });
    }
  });
}
/** Stops every jstat and waits for them (a few seconds at most), so none outlives the soak. */
async function stopHeapWatches(): Promise<void> {
  const running = [...jstats.values()].map((j) => j.child).filter((c) => c.exitCode === null && c.signalCode === null);
  const exited = running.map((c) => new Promise<void>((r) => c.once('close', () => r())));
  for (const c of running) c.kill('SIGTERM');
  const late = setTimeout(() => running.forEach((c) => c.kill('SIGKILL')), 5_000);
  await Promise.all(exited);
  clearTimeout(late);
}

function probe(pid: number): { heapMiB?: number; eldP99Ms?: number } {
  try {
    const doc = JSON.parse(fs.readFileSync(path.join(probeDir, `${pid}.json`), 'utf8')) as { at: number; heapUsedMiB: number; eldP99Ms: number };
    if (Date.now() - doc.at > 2.5 * intervalS * 1000) return {}; // stale: not this interval's
    return { heapMiB: doc.heapUsedMiB, eldP99Ms: doc.eldP99Ms };
  } catch {
    return {};
  }
}

function sample(): void {
  const tS = (Date.now() - t0) / 1000;
  const servers = keptServers();
  const jstatPids = new Set([...jstats.values()].map((j) => j.child.pid));
  const pids = new Set([...descendants([process.pid], readParents()), ...servers.keys()]);
  for (const pid of pids) {
    if (jstatPids.has(pid)) continue;
    const s = readProcSample(pid);
    if (!s) continue;
    const known = labels.get(pid) ?? classify(pid, s.cmdline, servers.get(pid));
    if (!known) continue;
    labels.set(pid, known);
    const row: Row = { tS, pid, ...known, ...(s.rssMiB !== undefined ? { rssMiB: s.rssMiB } : {}), ...(s.fds !== undefined ? { fds: s.fds } : {}) };
    if (pid === process.pid) {
      row.heapMiB = process.memoryUsage().heapUsed / 2 ** 20;
      row.eldP99Ms = ownEld.percentile(99) / 1e6;
      ownEld.reset();
    } else if (known.kind === 'server') {
      watchHeap(pid);
      const j = jstats.get(pid)!;
      if (j.heapMiB !== undefined && Date.now() - j.at < 2.5 * intervalS * 1000) row.heapMiB = j.heapMiB;
    } else {
      Object.assign(row, probe(pid));
    }
    rows.push(row);
  }
}

// ---- the runs ----
const faults = (f: object[]): string => JSON.stringify(f);
// Kills hit server 3 only, so servers 1 and 2 live the whole soak and their growth can be judged.
const CYCLE: { name: string; args: string[] }[] = [
  // The external drivers too (a JVM and a Python process per run): sampled while they live, like load processes.
  { name: 'lock-contention', args: ['--workload', 'lock-contention', '--recipes', 'predecessor,exclusive-node,curator-mutex,kazoo-lock', '--clients', '10', '--duration-s', '6', '--warmup-s', '1'] },
  {
    name: 'ensemble-failover',
    args: [
      // A restart on a busy host can take 10 s (the server must answer a Mode): the window leaves room for
      // the pause after it, which would otherwise not be done before the clients stop (a failed run).
      '--workload', 'ensemble-failover', '--clients', '8', '--duration-s', '24', '--warmup-s', '1',
      '--faults', faults([{ at: '3s', action: 'kill', target: 'server:3' }, { at: '6s', action: 'restart', target: 'previous' }, { at: '12s', action: 'pause', target: 'leader' }, { at: '14s', action: 'resume', target: 'previous' }]),
    ],
  },
  { name: 'watch-fanout', args: ['--workload', 'watch-fanout', '--recipes', 'data-watch', '--watchers', '20', '--clients', '20', '--duration-s', '5', '--warmup-s', '1'] },
  {
    name: 'lock-failover',
    args: ['--workload', 'lock-failover', '--recipes', 'predecessor', '--faults', faults([{ at: '2s', action: 'kill', target: 'server:3' }, { at: '4s', action: 'restart', target: 'previous' }])],
  },
  { name: 'config-propagation', args: ['--workload', 'config-propagation', '--recipes', 'watch-reread', '--readers', '6', '--clients', '7', '--duration-s', '6', '--warmup-s', '1'] },
  { name: 'membership-churn', args: ['--workload', 'membership-churn', '--recipes', 'names-only', '--clients', '10', '--members', '5', '--joins', '3', '--leaves', '3', '--crashes', '1', '--duration-s', '12'] },
  { name: 'election-failover', args: ['--workload', 'election-failover', '--recipes', 'predecessor-election', '--clients', '3', '--leader-closes', '1', '--leader-crashes', '1', '--leader-pauses', '1', '--duration-s', '24'] },
];

// A breached threshold, an unmeasured or censored gate is a finished run (faults make errors); anything else is a failed one.
const FINISHED_EXITS: number[] = [EXIT.ok, EXIT.breach, EXIT.notMeasured, EXIT.censored];
let stoppedEarly = false;

interface RunOutcome {
  name: string;
  exit: number;
}
const outcomes: RunOutcome[] = [];
let exitCode: number = EXIT.ok;
let sampler: NodeJS.Timeout | undefined;
try {
  say(`output in ${outDir}${leak ? ' (planted leak: ZKBENCH_TEST_LEAK=1 in load processes)' : ''}`);
  say('starting a kept 3-server ensemble (tickTime 200 ms)');
  // The servers' heap is committed and touched at start (-Xms = -Xmx, AlwaysPreTouch): their resident
  // memory then starts where a warmed server's is, and what grows after is growth, not the heap filling in.
  const up = await run('ensemble-up', ['ensemble', 'up', '--servers', '3', '--tick-time-ms', '200'], { JDK_JAVA_OPTIONS: '-Xms512m -XX:+AlwaysPreTouch' });
  if (up !== 0) throw Object.assign(new Error(`the kept ensemble did not start (exit ${up}); see ${path.join(logsDir, 'ensemble-up.log')}`), { exit: EXIT.environment });
  t0 = Date.now();
  const endAt = t0 + minutes * 60_000;
  sample();
  sampler = setInterval(sample, intervalS * 1000);
  // The steady load: open loop, few sessions, the whole soak long.
  const steadyS = Math.max(10, Math.round(minutes * 60 - 5));
  const steady = run('steady-throughput', ['bench', '--workload', 'throughput', '--name', 'steady-throughput', '--recipes', 'set', '--clients', '8', '--workers', '1', '--rate', '100', '--warmup-s', '2', '--duration-s', String(steadyS), '--replace-thresholds', '{}', '--results-dir', runsDir]).then(
    (exit) => void outcomes.push({ name: 'steady-throughput', exit }),
  );
  let n = 0;
  let failedInARow = 0;
  while (!stopping && Date.now() < endAt) {
    const c = CYCLE[n % CYCLE.length]!;
    n++;
    say(`run ${n}: ${c.name}`);
    const exit = await run(`${String(n).padStart(3, '0')}-${c.name}`, ['bench', ...c.args, '--name', c.name, '--workers', '1', '--replace-thresholds', '{}', '--results-dir', runsDir]);
    outcomes.push({ name: c.name, exit });
    if (exit !== 0) say(`run ${n} (${c.name}) exited ${exit}; see ${logsDir}`);
    failedInARow = FINISHED_EXITS.includes(exit) ? 0 : failedInARow + 1;
    if (failedInARow >= 3) {
      say('3 runs in a row failed: the soak stops here (their logs say why)');
      stoppedEarly = true;
      await stopChildren('SIGINT');
      break;
    }
  }
  await steady;
} catch (err) {
  say((err as Error).message);
  exitCode = (err as { exit?: number }).exit ?? EXIT.failed;
} finally {
  if (sampler) clearInterval(sampler);
  await stopHeapWatches();
  if (children.size > 0) await stopChildren(stopping ?? 'SIGINT');
  say('stopping the kept ensemble');
  const kept = keptState();
  const down = await run('ensemble-down', ['ensemble', 'down']);
  // Whatever `ensemble down` managed, the soak's servers do not outlive it: those still running are
  // stopped by their PIDs (from the soak's own state file), and their directory removed.
  const known = (kept?.servers ?? []).map((s) => s.pid).filter((pid): pid is number => pid !== undefined);
  for (let i = 0; i < 20 && known.some((pid) => readProcSample(pid) !== undefined); i++) await new Promise((r) => setTimeout(r, 500));
  const alive = known.filter((pid) => readProcSample(pid) !== undefined);
  if (down !== 0 || alive.length > 0) {
    say(`ensemble down exited ${down}${alive.length > 0 ? `; stopping servers ${alive.join(' ')} by PID` : ''}`);
    for (const pid of alive) process.kill(pid, 'SIGTERM');
    for (let i = 0; i < 20 && alive.some((pid) => readProcSample(pid) !== undefined); i++) await new Promise((r) => setTimeout(r, 500));
    for (const pid of alive) if (readProcSample(pid) !== undefined) process.kill(pid, 'SIGKILL');
    if (kept?.baseDir?.includes('zkbench-ensemble-')) fs.rmSync(kept.baseDir, { recursive: true, force: true });
  }
  fs.rmSync(stateDir, { recursive: true, force: true });
}

// ---- what the runs said ----
interface RunJson {
  outcome: string;
  workload?: { name?: string };
  recipes?: { recipe: string; metrics?: Record<string, { value?: number | null }> }[];
}
const sums: Record<'errors' | 'sessions_expired' | 'lost_writes', number | undefined> = { errors: undefined, sessions_expired: undefined, lost_writes: undefined };
const runOutcomes: Record<string, number> = {};
for (const d of fs.readdirSync(runsDir)) {
  let doc: RunJson;
  try {
    doc = JSON.parse(fs.readFileSync(path.join(runsDir, d, 'run.json'), 'utf8')) as RunJson;
  } catch {
    runOutcomes['no run.json'] = (runOutcomes['no run.json'] ?? 0) + 1;
    continue;
  }
  runOutcomes[doc.outcome] = (runOutcomes[doc.outcome] ?? 0) + 1;
  for (const r of doc.recipes ?? []) {
    for (const k of Object.keys(sums) as (keyof typeof sums)[]) {
      const v = r.metrics?.[k]?.value;
      if (typeof v === 'number' && Number.isFinite(v)) sums[k] = (sums[k] ?? 0) + v;
    }
  }
}
// Runs the soak itself stopped (Ctrl-C, SIGTERM) did not fail: the soak's outcome says it was interrupted.
const failedRuns = outcomes.filter((o) => !FINISHED_EXITS.includes(o.exit) && !(stopping && [EXIT.interrupted, EXIT.terminated].includes(o.exit as 130)));

// ---- judge, write ----
const endS = t0 ? (Date.now() - t0) / 1000 : 0;
const byPid = new Map<number, Row[]>();
for (const r of rows) byPid.set(r.pid, [...(byPid.get(r.pid) ?? []), r]);
const series: SoakSeries[] = [];
for (const [, rs] of byPid) {
  for (const metric of ['rssMiB', 'fds', 'heapMiB'] as SoakMetric[]) {
    const samples = rs.filter((r) => r[metric] !== undefined).map((r) => ({ tS: r.tS, value: r[metric]! }));
    if (samples.length > 0) series.push({ label: rs[0]!.label, kind: rs[0]!.kind, metric, samples });
  }
}
const verdict = judgeSoak(series, { lostWrites: sums.lost_writes }, { warmupS, endS });
if (stopping) verdict.reasons.push(`interrupted (${stopping}): figures cover ${endS.toFixed(0)} s`);
if (failedRuns.length > 0) {
  const byKind = new Map<string, number>();
  for (const o of failedRuns) byKind.set(`${o.name} (exit ${o.exit})`, (byKind.get(`${o.name} (exit ${o.exit})`) ?? 0) + 1);
  verdict.reasons.push(`${failedRuns.length} run(s) failed: ${[...byKind].map(([k, c]) => `${c} × ${k}`).join(', ')}${stoppedEarly ? '; stopped after 3 in a row' : ''}`);
}
const overall = stopping ? 'interrupted' : failedRuns.length > 0 || exitCode !== EXIT.ok ? 'fail' : verdict.verdict;

const csvCell = (v: number | undefined): string => (v === undefined ? '' : v.toFixed(3));
fs.writeFileSync(
  path.join(outDir, 'samples.csv'),
  ['t_s,pid,kind,label,rss_mib,fds,heap_mib,eld_p99_ms', ...rows.map((r) => [r.tS.toFixed(1), r.pid, r.kind, `"${r.label}"`, csvCell(r.rssMiB), r.fds ?? '', csvCell(r.heapMiB), csvCell(r.eldP99Ms)].join(','))].join('\n') + '\n',
);
const soakDoc = {
  verdict: overall,
  reasons: verdict.reasons,
  minutes,
  warmupS,
  intervalS,
  measuredS: endS,
  plantedLeak: leak,
  bounds: DEFAULT_SOAK_BOUNDS,
  notMeasured: ['event-loop delay of servers (JVMs) and drivers', 'heap of drivers (JVM, Python)'],
  runs: { started: outcomes.length, byExit: Object.fromEntries([...new Set(outcomes.map((o) => o.exit))].map((e) => [e, outcomes.filter((o) => o.exit === e).length])), byOutcome: runOutcomes },
  totals: { errors: sums.errors ?? 'not measured', sessionsExpired: sums.sessions_expired ?? 'not measured', lostWrites: sums.lost_writes ?? 'not measured' },
  growth: verdict.series.map((s) => ({
    process: s.label,
    kind: s.kind,
    metric: s.metric,
    perHour: s.growth?.slopePerHour ?? 'not measured',
    stdErrPerHour: s.growth?.stdErrPerHour ?? 'not measured',
    samples: s.growth?.samples ?? 0,
    boundPerHour: s.boundPerHour ?? null,
    verdict: s.verdict,
  })),
};
fs.writeFileSync(path.join(outDir, 'soak.json'), `${JSON.stringify(soakDoc, null, 2)}\n`);
const panel = (title: string, unit: string, key: 'rssMiB' | 'fds' | 'heapMiB' | 'eldP99Ms'): Parameters<typeof soakChart>[1][number] => ({
  title,
  unit,
  series: [...byPid.values()].map((rs) => ({ label: rs[0]!.label, kind: rs[0]!.kind, points: rs.filter((r) => r[key] !== undefined).map((r) => ({ tS: r.tS, value: r[key]! })) })),
});
fs.writeFileSync(
  path.join(outDir, 'soak.svg'),
  soakChart(`zkbench soak ${stamp}: ${overall}`, [panel('resident memory', 'MiB', 'rssMiB'), panel('open file descriptors', 'count', 'fds'), panel('heap used (node processes)', 'MiB', 'heapMiB'), panel('event-loop delay p99 (node processes)', 'ms', 'eldP99Ms')], endS, warmupS),
);

const fmt = (v: number | undefined, d = 1): string => (v === undefined ? 'not measured' : v.toFixed(d));
const judged = verdict.series.filter((s) => s.metric !== 'heapMiB' && s.verdict !== 'not judged');
process.stdout.write(
  `${renderTable(
    ['process', 'figure', 'growth/hour', '± (std err)', 'samples', 'bound/hour', 'verdict'],
    judged.map((s) => [s.label, s.metric === 'fds' ? 'fds' : 'RSS MiB', fmt(s.growth?.slopePerHour), fmt(s.growth?.stdErrPerHour), String(s.growth?.samples ?? 0), String(s.boundPerHour), s.verdict]),
    'left',
  )}\n` +
    `processes sampled: ${byPid.size} (${verdict.series.filter((s) => s.metric === 'rssMiB' && s.verdict === 'not judged').length} lived too short a part of the soak to be judged)\n` +
    `runs: ${outcomes.length} (${Object.entries(soakDoc.runs.byExit).map(([e, c]) => `exit ${e}: ${c}`).join(', ')}); errors ${sums.errors ?? 'not measured'}, sessions expired ${sums.sessions_expired ?? 'not measured'}, lost writes ${sums.lost_writes ?? 'not measured'}\n` +
    `verdict: ${overall}${verdict.reasons.length > 0 ? `\n  ${verdict.reasons.join('\n  ')}` : ''}\n${outDir}\n`,
);
process.exitCode =
  stopping === 'SIGINT' ? EXIT.interrupted : stopping === 'SIGTERM' ? EXIT.terminated : exitCode !== EXIT.ok ? exitCode : overall === 'fail' ? EXIT.breach : overall === 'not measured' ? EXIT.notMeasured : EXIT.ok;
