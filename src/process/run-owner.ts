// Who owns a temporary directory of a run: the PID and start time of the process that made it, written
// into the directory (zkbench-owner.json), so a later run or `zkbench clean` can tell a live run's files
// from those of a run that is gone (a coordinator killed with SIGKILL cannot remove its own). A PID alone
// is not enough: PIDs are reused, so the process's start time (since boot, /proc/PID/stat) must match too.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const OWNER_FILE = 'zkbench-owner.json';
/** Temporary directories of zkbench runs that are swept: embedded ensembles (servers' configs, data, logs). */
export const RUN_TEMP_PREFIXES = ['zkbench-ensemble-'];
/** A directory with no owner file (made by an older zkbench) is young for this long: its servers may not have started yet. */
export const UNOWNED_GRACE_MS = 120_000;

export interface Owner {
  pid: number;
  /** The process's start time in clock ticks since boot (field 22 of /proc/PID/stat); undefined off Linux. */
  startTicks: number | undefined;
  createdAt: string;
}

/** Field 22 of /proc/PID/stat: the process's start time since boot, in clock ticks. */
export function processStartTicks(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const v = Number(fields[19]); // field 22 counted from 1, less pid and comm, less the state at [0]: index 19
    return Number.isFinite(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

export function writeOwner(dir: string, pid = process.pid): void {
  const owner: Owner = { pid, startTicks: processStartTicks(pid), createdAt: new Date().toISOString() };
  fs.writeFileSync(path.join(dir, OWNER_FILE), `${JSON.stringify(owner)}\n`);
}

export function readOwner(dir: string): Owner | undefined {
  try {
    const o = JSON.parse(fs.readFileSync(path.join(dir, OWNER_FILE), 'utf8')) as Owner;
    return Number.isInteger(o.pid) ? o : undefined;
  } catch {
    return undefined;
  }
}

/** True while the owner's process runs: same PID and, where known, the same start time. */
export function ownerAlive(o: Owner): boolean {
  try {
    process.kill(o.pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (o.startTicks === undefined) return true;
  const now = processStartTicks(o.pid);
  return now === undefined || now === o.startTicks;
}

/** Command lines of every process (Linux /proc); empty where /proc is not there. */
function commandLines(): string[] {
  let names: string[];
  try {
    names = fs.readdirSync('/proc').filter((n) => /^\d+$/.test(n));
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const n of names) {
    try {
      out.push(fs.readFileSync(`/proc/${n}/cmdline`, 'utf8').replaceAll('\0', ' '));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

export interface StaleDir {
  dir: string;
  /** Why it is taken as stale, for the user. */
  why: string;
}

/**
 * Run temp dirs under `tmp` whose run is gone: the owner file names a process that no longer runs; or,
 * without one (an older zkbench), no process names the directory on its command line (a server's does)
 * and it is older than UNOWNED_GRACE_MS. A directory of a live run is never listed.
 */
export function staleRunDirs(tmp = os.tmpdir(), now = Date.now()): StaleDir[] {
  let names: string[];
  try {
    names = fs.readdirSync(tmp).filter((n) => RUN_TEMP_PREFIXES.some((p) => n.startsWith(p)));
  } catch {
    return [];
  }
  let cmds: string[] | undefined;
  const out: StaleDir[] = [];
  for (const name of names) {
    const dir = path.join(tmp, name);
    let stat: fs.Stats;
    try {
      stat = fs.lstatSync(dir);
    } catch {
      continue;
    }
    if (!stat.isDirectory()) continue;
    const owner = readOwner(dir);
    if (owner) {
      if (!ownerAlive(owner)) out.push({ dir, why: `its run (pid ${owner.pid}) is gone` });
      continue;
    }
    if (now - stat.mtimeMs < UNOWNED_GRACE_MS) continue;
    cmds ??= commandLines();
    if (!cmds.some((c) => c.includes(dir))) out.push({ dir, why: 'no owner recorded and no process uses it' });
  }
  return out;
}

/** Removes the stale run temp dirs (see staleRunDirs), naming each through `log`; returns what it removed. */
export function sweepStaleRunDirs(log: (line: string) => void, tmp = os.tmpdir()): StaleDir[] {
  const removed: StaleDir[] = [];
  for (const s of staleRunDirs(tmp)) {
    try {
      fs.rmSync(s.dir, { recursive: true, force: true });
      removed.push(s);
      log(`removed stale temporary directory ${s.dir} (${s.why})`);
    } catch (err) {
      log(`could not remove stale temporary directory ${s.dir}: ${(err as Error).message}`);
    }
  }
  return removed;
}
