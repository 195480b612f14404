// Stopping a server by PID: SIGTERM for a clean shutdown, SIGKILL when it does not go in time.
// By PID only, never by name, so other people's JVMs on the machine are never touched.
import { isRunning } from './proc-stat.ts';

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
