// What /proc says of a process, read for a soak's samples: its parent (to find a run's processes by
// ancestry from the processes it started, never by name across the machine), resident memory, open
// file descriptors and command line. The parsers are pure (text in, figures out); the readers return
// undefined for a process that is gone or unreadable, never 0.
import fs from 'node:fs';

/** The parent PID from /proc/PID/stat; the command name (field 2) may hold spaces and parentheses. */
export function parseStatPpid(stat: string): number | undefined {
  const close = stat.lastIndexOf(')');
  if (close < 0) return undefined;
  const fields = stat.slice(close + 2).split(' ');
  const ppid = Number(fields[1]); // fields after the name: state, ppid, ...
  return Number.isInteger(ppid) ? ppid : undefined;
}

/** Resident set size in KiB from /proc/PID/status (VmRSS); undefined when absent (a kernel thread, a zombie). */
export function parseStatusRssKiB(status: string): number | undefined {
  const m = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  return m ? Number(m[1]) : undefined;
}

/** Every PID descending from `roots` (the roots included when alive), given each process's parent. */
export function descendants(roots: readonly number[], parentOf: ReadonlyMap<number, number>): number[] {
  const children = new Map<number, number[]>();
  for (const [pid, ppid] of parentOf) {
    const list = children.get(ppid) ?? [];
    list.push(pid);
    children.set(ppid, list);
  }
  const out: number[] = [];
  const seen = new Set<number>();
  const queue = roots.filter((r) => parentOf.has(r));
  while (queue.length > 0) {
    const pid = queue.shift()!;
    if (seen.has(pid)) continue;
    seen.add(pid);
    out.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return out;
}

/** Every process's parent, from /proc (processes that vanish while read are skipped). */
export function readParents(procDir = '/proc'): Map<number, number> {
  const out = new Map<number, number>();
  for (const n of fs.readdirSync(procDir)) {
    if (!/^\d+$/.test(n)) continue;
    try {
      const ppid = parseStatPpid(fs.readFileSync(`${procDir}/${n}/stat`, 'utf8'));
      if (ppid !== undefined) out.set(Number(n), ppid);
    } catch {
      // gone
    }
  }
  return out;
}

export interface ProcSample {
  rssMiB: number | undefined;
  fds: number | undefined;
  cmdline: string[];
}

/** One process's RSS, open descriptors and command line now; undefined when it is gone. */
export function readProcSample(pid: number, procDir = '/proc'): ProcSample | undefined {
  try {
    const cmdline = fs.readFileSync(`${procDir}/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    const rss = parseStatusRssKiB(fs.readFileSync(`${procDir}/${pid}/status`, 'utf8'));
    let fds: number | undefined;
    try {
      fds = fs.readdirSync(`${procDir}/${pid}/fd`).length;
    } catch {
      fds = undefined; // not ours to read
    }
    return { rssMiB: rss === undefined ? undefined : rss / 1024, fds, cmdline };
  } catch {
    return undefined;
  }
}
