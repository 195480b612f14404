// Stopping a server by PID: SIGTERM for a clean shutdown, SIGKILL when it does not go in time; and
// pausing one (SIGSTOP, SIGCONT) for a fault. By PID only, never by name, so other people's JVMs on the
// machine are never touched.
import { isRunning, processState } from './proc-stat.ts';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Resolve true when `pid` has gone within `timeoutMs`. */
export async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isRunning(pid)) {
    if (Date.now() >= deadline) return false;
    await sleep(50);
  }
  return true;
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
export async function stopProcess(pid: number, graceMs = 5000): Promise<void> {
  if (!isRunning(pid)) return;
  signal(pid, 'SIGTERM');
  if (await waitForExit(pid, graceMs)) return;
  signal(pid, 'SIGKILL');
  if (!(await waitForExit(pid, 5000))) throw new Error(`process ${pid} survived SIGKILL for 5 s`);
}

/** Immediate SIGKILL (a crash fault); resolves once the process is gone. */
export async function killProcess(pid: number): Promise<void> {
  signal(pid, 'SIGKILL');
  if (!(await waitForExit(pid, 5000))) throw new Error(`process ${pid} survived SIGKILL for 5 s`);
}

/** Waits until the kernel reports `pid` in (or out of) the stopped state; false after `timeoutMs`. */
async function waitForStopped(pid: number, stopped: boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = processState(pid);
    if (state === undefined) return false; // gone
    if ((state === 'T') === stopped) return true;
    if (Date.now() >= deadline) return false;
    await sleep(1);
  }
}

/** SIGSTOP (a hung process: nothing it owns closes); resolves once the process is stopped. */
export async function pauseProcess(pid: number): Promise<void> {
  if (!isRunning(pid)) throw new Error(`process ${pid} is not running`);
  process.kill(pid, 'SIGSTOP');
  if (!(await waitForStopped(pid, true, 5000))) throw new Error(`process ${pid} did not stop within 5 s of SIGSTOP`);
}

/** SIGCONT; resolves once the process is no longer stopped. */
export async function resumeProcess(pid: number): Promise<void> {
  if (!isRunning(pid)) throw new Error(`process ${pid} is not running`);
  process.kill(pid, 'SIGCONT');
  if (!(await waitForStopped(pid, false, 5000))) throw new Error(`process ${pid} still stopped 5 s after SIGCONT`);
}
