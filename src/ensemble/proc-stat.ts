// Reads /proc/<pid>/stat: CPU time of server JVMs (the spec reports server CPU beside driver CPU)
// and whether a PID is really running (a zombie answers kill(pid, 0) but is already dead).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { isAlive } from '../process/child-guard.ts';

let clockTicks: number | undefined;

/** Kernel clock ticks per second (USER_HZ); 100 on every mainstream Linux, asked once to be sure. */
function ticksPerSecond(): number {
  if (clockTicks === undefined) {
    try {
      const n = Number.parseInt(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim(), 10);
      clockTicks = Number.isFinite(n) && n > 0 ? n : 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

/** Fields after "pid (comm)": comm may hold spaces and parentheses, so split after the last ')'. */
function statFields(pid: number): string[] | undefined {
  let text: string;
  try {
    text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  const close = text.lastIndexOf(')');
  if (close < 0) return undefined;
  return text.slice(close + 2).trim().split(/\s+/); // [0] = state (field 3), [11] = utime, [12] = stime
}

/** user+sys CPU seconds of a process, or undefined when it is gone or /proc is unavailable. */
export function processCpuSeconds(pid: number): number | undefined {
  const fields = statFields(pid);
  if (!fields) return undefined;
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) return undefined;
  return (utime + stime) / ticksPerSecond();
}

/** The process's state letter (R, S, D, T for stopped, Z, ...), or undefined when it is gone. */
export function processState(pid: number): string | undefined {
  return statFields(pid)?.[0];
}

/** True while the process exists and is not a zombie. */
export function isRunning(pid: number): boolean {
  if (!isAlive(pid)) return false;
  const state = statFields(pid)?.[0];
  return state !== 'Z' && state !== 'X';
}
