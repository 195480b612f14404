// The interrupt matrix: a run interrupted at each stage by SIGINT to its process group (a terminal's
// Ctrl-C), SIGTERM to the coordinator alone, and SIGKILL to the coordinator alone; then what was left:
// processes of the run (found by the ZKBENCH_SUITE_ID every child inherits), its temp dir's contents,
// nftables tables of its PID, on an external ensemble the run's namespaces, and what run.json says. After
// SIGKILL, `zkbench clean` is run and what it removed is shown. Settings: `local` (a 1-server embedded
// ensemble of the run's own, local load processes), `external` (--connect to an ensemble this script
// starts), `remote` (the same, the clients on a `zkbench worker` started for the cell), `compose`
// (--compose-project: docker-compose.yml's 3 servers on a daemon of its own, the fault a `docker pause`;
// after each cell the project's containers are checked: none left paused or stopped). Prints one table.
//   npm run bench:interrupts [-- --settings local,external,remote,compose --stages warm-up,measured --signals SIGINT]
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { startEmbeddedEnsemble, type EmbeddedEnsemble } from '../src/ensemble/index.ts';
import { startComposeProject, type ComposeProject } from './compose-project.ts';
import { renderTable } from '../src/results/table-format.ts';
import { runNamespaces } from '../src/zk/run-namespaces.ts';
import { ZkSession } from '../src/zk/session.ts';

const ZKBENCH = fileURLToPath(new URL('../bin/zkbench.js', import.meta.url));
const { values } = parseArgs({ options: { stages: { type: 'string' }, signals: { type: 'string' }, settings: { type: 'string' } } });

interface Stage {
  name: string;
  /** Output that says the run is in this stage. */
  when: RegExp;
  /** How long after `when` to send the signal, ms. */
  afterMs: number;
  extra?: string[];
}

const SETTINGS = ['local', 'external', 'remote', 'compose'] as const;
type Setting = (typeof SETTINGS)[number];

const STAGES: Stage[] = [
  { name: 'ensemble start', when: /starting a 1-server ZooKeeper ensemble/, afterMs: 300 },
  // External and remote runs start no servers: their first stage is reaching the ensemble, or the workers.
  { name: 'connecting', when: /connecting to 127|finding the servers of compose project/, afterMs: 0 },
  { name: 'waiting for workers', when: /waiting for \d+ remote worker/, afterMs: 0 },
  { name: 'session opening', when: /opening \d+ sessions/, afterMs: 0, extra: ['--clients', '400'] },
  { name: 'warm-up', when: /clients running/, afterMs: 500 },
  { name: 'measured window', when: /measuring/, afterMs: 500 },
  // The pause comes 4 s after the clients start and lasts until 7 s.
  { name: 'fault active', when: /clients running/, afterMs: 4800, extra: ['--faults', '[{"at":"4s","action":"pause","target":"server:1"},{"at":"7s","action":"resume","target":"previous"}]', '--session-timeout-ms', '20000'] },
  { name: 'collection', when: /cleaning up/, afterMs: 0 },
];
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGKILL'] as const;
const stages = values.stages ? STAGES.filter((s) => values.stages!.split(',').some((w) => s.name.startsWith(w.trim()))) : STAGES;
const signals = values.signals ? SIGNALS.filter((s) => values.signals!.split(',').includes(s)) : SIGNALS;
const settings = values.settings ? SETTINGS.filter((s) => values.settings!.split(',').includes(s)) : SETTINGS;

/** The stages a setting goes through: only a local run starts servers and can harm them (faults). */
function stagesOf(setting: Setting): Stage[] {
  const skip: Record<Setting, string[]> = {
    local: ['connecting', 'waiting for workers'],
    external: ['ensemble start', 'waiting for workers', 'fault active'],
    remote: ['ensemble start', 'connecting', 'fault active'],
    compose: ['ensemble start', 'waiting for workers'],
  };
  return stages.filter((s) => !skip[setting].includes(s.name));
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function tagged(tag: string): number[] {
  const out: number[] = [];
  for (const n of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(n)) continue;
    try {
      if (fs.readFileSync(`/proc/${n}/environ`, 'utf8').split('\0').includes(`ZKBENCH_SUITE_ID=${tag}`)) out.push(Number(n));
    } catch {
      // gone
    }
  }
  return out;
}

function nftTablesOf(pid: number): string[] {
  const r = spawnSync('nft', ['list', 'tables'], { encoding: 'utf8' });
  return (r.stdout ?? '').split('\n').filter((l) => l.includes(`zkbench_${pid}_`));
}

/** The run namespaces left on the external ensemble (none for a local run). */
async function namespacesLeft(connect: string | undefined): Promise<string[]> {
  if (connect === undefined) return [];
  const session = await ZkSession.open({ connect, sessionTimeoutMs: 10_000, credential: null });
  try {
    return (await runNamespaces(session)).map((n) => `${n.path.split('/').pop()}${n.live ? ' (live)' : ''}`);
  } finally {
    session.close();
  }
}

/** A process by what it runs, e.g. `node load-process-main.ts (pid 123, parent 120)`. */
function describeProcess(pid: number): string {
  try {
    const args = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const parent = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1];
    const what = args.find((a) => /\.(ts|js|py)$|zookeeper|Driver/.test(a)) ?? args[0] ?? '?';
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (k: string): string => new RegExp(`^${k}:\\s*(.*)$`, 'm').exec(status)?.[1] ?? '?';
    return `${path.basename(args[0] ?? field('Name'))} ${path.basename(what)} (pid ${pid}, parent ${parent}, state ${field('State')})`;
  } catch {
    return `pid ${pid} (gone)`;
  }
}

interface Cell {
  setting: string;
  stage: string;
  signal: string;
  exit: string;
  left: string;
  runJson: string;
  clean: string;
}

/** Where a cell's run goes: its own embedded servers (none), an ensemble's connect string, a compose project. */
type Target = Pick<ComposeProject, 'connect' | 'composeProject' | 'env' | 'harmed'> | { connect: string; composeProject?: undefined; env?: undefined; harmed?: undefined };

async function cell(setting: Setting, stage: Stage, signal: (typeof SIGNALS)[number], base: string, target: Target | undefined): Promise<Cell> {
  const dir = fs.mkdtempSync(path.join(base, 'cell-'));
  const tmp = path.join(dir, 'tmp');
  fs.mkdirSync(tmp);
  const tsxCache = `tsx-${os.userInfo().uid}`;
  fs.symlinkSync(path.join(os.tmpdir(), tsxCache), path.join(tmp, tsxCache));
  const tag = `interrupts-${process.pid}-${path.basename(dir)}`;
  const env = { ...process.env, ...target?.env, TMPDIR: tmp, ZKBENCH_STATE_DIR: path.join(dir, 'state'), ZKBENCH_SUITE_ID: tag, CI: '1' };
  const results = path.join(dir, 'results');
  const extra = stage.extra ?? [];
  const clients = extra.includes('--clients') ? [] : ['--clients', '4']; // a flag given twice is a usage error
  const connect = target?.connect;
  const where = connect === undefined ? ['--servers', '1'] : ['--connect', connect, ...(target?.composeProject ? ['--compose-project', target.composeProject] : [])];
  const root = `/zkbench-interrupts-${process.pid}`;
  const remote = setting === 'remote' ? ['--remote-workers', '1', '--namespace', root] : [];
  // The remote worker, started for the cell with its environment (so it and its load processes are found).
  const worker =
    setting === 'remote' ? spawn(process.execPath, [ZKBENCH, 'worker', '--connect', connect!, '--name', `w-${path.basename(dir)}`, '--namespace', root], { env, stdio: 'ignore' }) : undefined;
  const args = ['bench', '--workload', 'lock-contention', '--recipes', 'predecessor', ...where, ...remote, ...clients, '--warmup-s', '3', '--duration-s', '6', '--results-dir', results, ...extra];
  const child = spawn(process.execPath, [ZKBENCH, ...args], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<string>((r) => child.on('close', (code, sig) => r(sig ? sig : String(code))));
  const deadline = Date.now() + 120_000;
  let sent = false;
  while (Date.now() < deadline && child.exitCode === null) {
    if (stage.when.test(out)) {
      await sleep(stage.afterMs);
      if (signal === 'SIGINT') process.kill(-child.pid!, 'SIGINT');
      else process.kill(child.pid!, signal);
      sent = true;
      break;
    }
    await sleep(20);
  }
  const exit = await Promise.race([exited, sleep(90_000).then(() => 'hung')]);
  if (exit === 'hung') process.kill(-child.pid!, 'SIGKILL');
  // What stops by itself (servers through their watchdog, load processes through their IPC channel) gets
  // 30 s. A remote worker outlives its coordinator by design (it serves the next run): its load processes must not.
  const others = (): number[] => tagged(tag).filter((p) => p !== worker?.pid);
  let procs = others();
  for (let i = 0; i < 60 && procs.length > 0; i++) {
    await sleep(500);
    procs = others();
  }
  let workerNote = '';
  if (worker) {
    const alive = worker.exitCode === null && worker.signalCode === null;
    const stopped = new Promise((r) => worker.once('close', r));
    worker.kill('SIGTERM');
    const gone = await Promise.race([stopped.then(() => true), sleep(30_000).then(() => false)]);
    workerNote = `worker ${alive ? 'served on' : 'had exited'}${gone ? '' : ', did not stop on SIGTERM'}`;
  }
  const leftFiles = fs.readdirSync(tmp).filter((n) => n !== tsxCache);
  const tables = nftTablesOf(child.pid!);
  // A killed coordinator's namespace stays marked live until its session expires: given that long.
  let spaces = await namespacesLeft(connect);
  for (let i = 0; i < 40 && signal !== 'SIGKILL' && spaces.length > 0; i++) {
    await sleep(500);
    spaces = await namespacesLeft(connect);
  }
  const harmed = (await target?.harmed?.()) ?? '';
  const left = [
    harmed,
    procs.length > 0 ? `${procs.length} process(es): ${procs.map(describeProcess).join(', ')}` : '',
    leftFiles.length > 0 ? `temp: ${leftFiles.join(' ')}` : '',
    tables.length > 0 ? `nft: ${tables.join(' ')}` : '',
    spaces.length > 0 ? `znodes: ${spaces.join(' ')}` : '',
  ].filter(Boolean).join('; ') || 'nothing';
  let runJson = 'no run dir';
  const runs = fs.existsSync(results) ? fs.readdirSync(results) : [];
  if (runs.length > 0) {
    try {
      const doc = JSON.parse(fs.readFileSync(path.join(results, runs[0]!, 'run.json'), 'utf8')) as { outcome: string; interruptedAt?: string };
      runJson = `${doc.outcome}${doc.interruptedAt ? ` at ${doc.interruptedAt}` : ''}`;
    } catch (err) {
      runJson = `unreadable: ${(err as Error).message}`;
    }
  } else {
    const m = /interrupted during the (.+?) stage/.exec(out);
    if (m) runJson = `none (said: interrupted during ${m[1]})`;
  }
  let clean = '-';
  if (leftFiles.length > 0 || spaces.length > 0 || signal === 'SIGKILL') {
    // A SIGKILLed coordinator's namespace is live until its session expires: clean again until it is gone.
    let removed = 0;
    let after: string[] = [];
    for (let i = 0; i < 12; i++) {
      const r = spawnSync(process.execPath, [ZKBENCH, 'clean', '--results-dir', results, ...(connect ? ['--connect', connect] : [])], { env, encoding: 'utf8' });
      removed += r.stdout.split('\n').filter((l) => l.startsWith('removed ')).length;
      after = [...fs.readdirSync(tmp).filter((n) => n !== tsxCache), ...(await namespacesLeft(connect))];
      if (after.length === 0) break;
      await sleep(5_000);
    }
    clean = `removed ${removed}; left ${after.length > 0 ? after.join(' ') : 'nothing'}`;
  }
  for (const pid of tagged(tag)) process.kill(pid, 'SIGKILL'); // never leave one, whatever the row says
  fs.rmSync(dir, { recursive: true, force: true });
  return {
    setting,
    stage: stage.name,
    signal: signal === 'SIGINT' ? 'SIGINT (group)' : `${signal} (coordinator)`,
    exit: sent ? exit : `${exit} (stage not seen)`,
    left: workerNote ? `${left}; ${workerNote}` : left,
    runJson,
    clean,
  };
}

const base = fs.mkdtempSync(path.join(os.tmpdir(), 'zkbench-interrupts-'));
let ensemble: EmbeddedEnsemble | undefined;
let composed: ComposeProject | undefined;
const problems: string[] = [];
try {
  const rows: Cell[] = [];
  for (const setting of settings) {
    let target: Target | undefined;
    if (setting === 'external' || setting === 'remote') {
      ensemble ??= await startEmbeddedEnsemble({ servers: 1, tickTimeMs: 2000, maxClientCnxns: 0, heapMb: 256, commitWakeupGuardMs: 1 });
      target = { connect: ensemble.connectString };
    } else if (setting === 'compose') {
      composed = await startComposeProject('zkbint');
      target = composed;
    }
    for (const stage of stagesOf(setting)) {
      for (const signal of signals) {
        const c = await cell(setting, stage, signal, base, target);
        rows.push(c);
        process.stderr.write(`${c.setting} × ${c.stage} × ${c.signal}: exit ${c.exit}, left ${c.left}, run.json ${c.runJson}, clean ${c.clean}\n`);
      }
    }
  }
  process.stdout.write(
    `${renderTable(['setting', 'stage', 'signal', 'exit', 'left after exit (30 s)', 'run directory', 'zkbench clean'], rows.map((r) => [r.setting, r.stage, r.signal, r.exit, r.left, r.runJson, r.clean]), 'left')}\n`,
  );
  const leftSomething = (r: Cell): boolean => r.left.replace(/; worker served on$/, '') !== 'nothing';
  const bad = rows.filter((r) => /not seen|hung|did not stop/.test(`${r.exit} ${r.left}`) || (r.signal.startsWith('SIGKILL') ? /process/.test(r.left) || !/left nothing/.test(r.clean) : leftSomething(r)));
  process.exitCode = bad.length > 0 ? 1 : 0;
} finally {
  await ensemble?.close();
  if (composed) problems.push(...(await composed.close()));
  fs.rmSync(base, { recursive: true, force: true });
  if (problems.length > 0) {
    process.stderr.write(`left by the compose setting:\n  ${problems.join('\n  ')}\n`);
    process.exitCode = 1;
  }
}
