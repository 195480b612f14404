// One registry of every child process this process started (ZooKeeper JVMs, load workers), so that no
// way out of the process (normal exit, uncaught error, Ctrl-C, SIGTERM) leaves one running.
// Graceful stops are the owners' job; this is the last line: on 'exit' it SIGKILLs whatever is left.
const live = new Map<number, string>();
let exitHookInstalled = false;

/** Track a child by PID until `untrackChild` is called; `what` names it in diagnostics. */
export function trackChild(pid: number, what: string): void {
  live.set(pid, what);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', killAllTrackedChildren);
  }
}

export function untrackChild(pid: number): void {
  live.delete(pid);
}

export function trackedChildren(): ReadonlyMap<number, string> {
  return live;
}

/** Synchronous on purpose: it runs inside process.on('exit'), where nothing asynchronous completes. */
export function killAllTrackedChildren(): void {
  for (const pid of live.keys()) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  live.clear();
}

/** True while a process with this PID exists (signal 0 probes without sending anything). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
