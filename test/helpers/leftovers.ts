// What a test suite can leave on the machine, listed so the suite can say what it left: entries of the
// system temp dir named like zkbench's (zkb*, screenshots), processes of the suite (found by the
// ZKBENCH_SUITE_ID in their environment, which every child inherits; or, without one, by a zkbench-like
// command line), nftables tables and network namespaces named by zkbench, docker containers, networks
// and images of zkbench test projects when a daemon answers. A snapshot taken when the suite starts is
// subtracted, so what other people on the host had (or have) is not this suite's leftover.
// Read only: it lists, it never removes or kills anything.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface Inventory {
  tempEntries: string[];
  /** "pid command line" */
  processes: string[];
  nftTables: string[];
  netns: string[];
  docker: string[];
}

const TEMP_PATTERN = /^zkb|\.png$/;
/** Command lines of what zkbench and its tests start (servers, their watchdog, load processes, drivers, the CLI, the test dockerd). */
const ZKBENCH_COMMAND = /QuorumPeerMain|zkbench-watchdog|load-process-main|bin\/zkbench\.js|zkbench-dockerd|zkbench-(curator|kazoo|driver)/;

export function suiteId(): string {
  return process.env['ZKBENCH_SUITE_ID'] ?? `runner${process.ppid}`;
}

/** Where the suite's start snapshot is kept (not matched by TEMP_PATTERN). */
export function snapshotFile(id = suiteId()): string {
  return path.join(os.tmpdir(), `.zkbench-suite-${id}.json`);
}

function read(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function parentOf(pid: number): number | undefined {
  const stat = read(`/proc/${pid}/stat`);
  if (!stat) return undefined;
  // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so split after the last ')'.
  const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  return Number.isInteger(ppid) ? ppid : undefined;
}

/** This process and its ancestors: the suite's runner carries the suite id and is not a leftover. */
function selfAndAncestors(): Set<number> {
  const out = new Set<number>();
  for (let pid: number | undefined = process.pid; pid !== undefined && pid > 0 && !out.has(pid); pid = parentOf(pid)) out.add(pid);
  return out;
}

function pids(): number[] {
  return fs.readdirSync('/proc').filter((n) => /^\d+$/.test(n)).map(Number);
}

/** Processes of this suite (environment tag) or, without a tag, zkbench-like command lines. Read from /proc, before anything is spawned. */
export function suiteProcesses(id = process.env['ZKBENCH_SUITE_ID']): string[] {
  const mine = selfAndAncestors();
  const out: string[] = [];
  for (const pid of pids()) {
    if (mine.has(pid)) continue;
    const cmdline = read(`/proc/${pid}/cmdline`);
    if (!cmdline) continue; // gone, or a kernel thread
    const command = cmdline.split('\0').filter(Boolean).join(' ');
    // tsx's esbuild service, a child of the runner and of this very process: theirs, not a leftover.
    if (/esbuild --service/.test(command) && mine.has(parentOf(pid) ?? -1)) continue;
    const ours = id !== undefined ? (read(`/proc/${pid}/environ`) ?? '').split('\0').includes(`ZKBENCH_SUITE_ID=${id}`) : ZKBENCH_COMMAND.test(command);
    if (ours) out.push(`${pid} ${command.slice(0, 200)}`);
  }
  return out.sort();
}

/**
 * Whether a temp entry is someone else's: a live process outside the suite names it on its command line
 * (another person's embedded ensemble: its servers do), or its zkbench-owner.json names a live process
 * outside the suite. On a shared host those appear during the suite without being its leftovers.
 */
export function usedByOthers(entry: string, id = process.env['ZKBENCH_SUITE_ID']): string | undefined {
  const full = path.join(os.tmpdir(), entry);
  const outsider = (pid: number): boolean => id === undefined || !(read(`/proc/${pid}/environ`) ?? '').split('\0').includes(`ZKBENCH_SUITE_ID=${id}`);
  const owner = read(path.join(full, 'zkbench-owner.json'));
  if (owner) {
    const pid = (JSON.parse(owner) as { pid?: number }).pid;
    if (pid !== undefined && fs.existsSync(`/proc/${pid}`) && outsider(pid)) return `owned by live process ${pid}`;
  }
  for (const pid of pids()) {
    const cmd = read(`/proc/${pid}/cmdline`);
    if (cmd?.includes(full) && outsider(pid)) return `used by live process ${pid}`;
  }
  return undefined;
}

function lines(command: string, args: string[], env?: NodeJS.ProcessEnv): string[] | undefined {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000, ...(env ? { env } : {}) })
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
  } catch {
    return undefined; // the tool is missing, not permitted, or no daemon answers: nothing of that kind to list
  }
}

function dockerLeftovers(): string[] {
  if (!lines('docker', ['version', '--format', '{{.Server.Version}}'])) return [];
  const containers = (lines('docker', ['ps', '--all', '--format', 'container {{.Names}} {{.Label "com.docker.compose.project"}}']) ?? []).filter((l) => /zkb/.test(l));
  const networks = (lines('docker', ['network', 'ls', '--format', 'network {{.Name}}']) ?? []).filter((l) => /zkb/.test(l));
  const images = (lines('docker', ['images', '--format', 'image {{.Repository}}:{{.Tag}}']) ?? []).filter((l) => /zkbench-test|zkbtest/.test(l));
  return [...containers, ...networks, ...images];
}

export function inventory(): Inventory {
  const processes = suiteProcesses(); // first: the commands below are children of this process for a moment
  return {
    tempEntries: fs.readdirSync(os.tmpdir()).filter((n) => TEMP_PATTERN.test(n)).sort(),
    processes,
    nftTables: (lines('nft', ['list', 'tables']) ?? []).filter((l) => /zkbench/.test(l)),
    netns: (lines('ip', ['netns', 'list']) ?? []).map((l) => l.split(' ')[0]!).filter((n) => /^zkb/.test(n)),
    docker: dockerLeftovers(),
  };
}

/** What `now` has that `before` had not, kind by kind ("kind: item" lines); processes are compared by their PID. */
export function leftoversSince(before: Inventory, now: Inventory): string[] {
  const out: string[] = [];
  const key = (kind: keyof Inventory, item: string): string => (kind === 'processes' ? item.split(' ')[0]! : item);
  for (const kind of Object.keys(now) as (keyof Inventory)[]) {
    const had = new Set(before[kind].map((i) => key(kind, i)));
    for (const item of now[kind]) if (!had.has(key(kind, item))) out.push(`${kind}: ${item}`);
  }
  return out;
}

export function saveSnapshot(inv: Inventory, file = snapshotFile()): void {
  fs.writeFileSync(file, JSON.stringify(inv));
}

export function loadSnapshot(file = snapshotFile()): Inventory | undefined {
  const text = read(file);
  return text === undefined ? undefined : (JSON.parse(text) as Inventory);
}
