// Who owns a temporary directory of a run: the PID and start time of the process that made it, written
// into the directory (zkbench-owner.json), so a later run or `zkbench clean` can tell a live run's files
// from those of a run that is gone (a coordinator killed with SIGKILL cannot remove its own). A PID alone
// is not enough: PIDs are reused, so the process's start time (since boot, /proc/PID/stat) must match too.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const OWNER_FILE = 'zkbench-owner.json';
/**
 * Temporary directories of zkbench runs that are swept: any `zkbench-*` directory with an owner file
 * (embedded ensembles' configs, data and logs; external drivers' working directories) whose run is gone;
 * without an owner file, only an embedded ensemble's (an older zkbench wrote none).
 */
export const RUN_TEMP_PREFIX = 'zkbench-';
export const UNOWNED_RUN_TEMP_PREFIXES = ['zkbench-ensemble-'];
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
 * without one, an embedded ensemble's directory (an older zkbench) that no process names on its command
 * line (a server's does) and older than UNOWNED_GRACE_MS. A directory of a live run is never listed, nor
 * any directory without an owner file but those.
 */
export function staleRunDirs(tmp = os.tmpdir(), now = Date.now()): StaleDir[] {
  let names: string[];
  try {
    names = fs.readdirSync(tmp).filter((n) => n.startsWith(RUN_TEMP_PREFIX));
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
    if (!UNOWNED_RUN_TEMP_PREFIXES.some((p) => name.startsWith(p)) || now - stat.mtimeMs < UNOWNED_GRACE_MS) continue;
    cmds ??= commandLines();
    if (!cmds.some((c) => c.includes(dir))) out.push({ dir, why: 'no owner recorded and no process uses it' });
  }
  return out;
}

/** Removes each stale directory, naming it (`removed <what> <dir> (<why>)`) through `log`; returns what it removed. */
export function removeStale<T extends StaleDir>(stale: readonly T[], what: string, log: (line: string) => void): T[] {
  const removed: T[] = [];
  for (const s of stale) {
    try {
      fs.rmSync(s.dir, { recursive: true, force: true });
      removed.push(s);
      log(`removed ${what} ${s.dir} (${s.why})`);
    } catch (err) {
      log(`could not remove ${what} ${s.dir}: ${(err as Error).message}`);
    }
  }
  return removed;
}

/** Removes the stale run temp dirs (see staleRunDirs), naming each through `log`; returns what it removed. */
export function sweepStaleRunDirs(log: (line: string) => void, tmp = os.tmpdir()): StaleDir[] {
  return removeStale(staleRunDirs(tmp), 'stale temporary directory', log);
}

/** An owner written into a name (a staging directory's): `p<pid>s<start ticks>`, no start time: `p<pid>s`. */
export function ownerTag(pid = process.pid): string {
  return `p${pid}s${processStartTicks(pid) ?? ''}`;
}

/** The owner a name's tag names (ownerTag), or undefined when the name carries none. */
export function ownerOfTag(name: string): Owner | undefined {
  const m = /(?:^|[.-])p(\d+)s(\d*)-/.exec(name);
  if (!m) return undefined;
  return { pid: Number(m[1]), startTicks: m[2] ? Number(m[2]) : undefined, createdAt: '' };
}
