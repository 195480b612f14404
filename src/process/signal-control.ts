// Kill, pause and resume one child process by signal (SIGKILL, SIGSTOP, SIGCONT): what a fault does to a
// load process or an external driver process. A pause or resume of a process that has exited does
// nothing, and a resume only follows a pause.
import type { ChildProcess } from 'node:child_process';

export interface SignalControl {
  kill(): void;
  pause(): void;
  resume(): void;
}

export function signalControl(child: ChildProcess, exited: () => boolean): SignalControl {
  let paused = false;
  return {
    kill: () => child.kill('SIGKILL'),
    pause: () => {
      if (exited()) return;
      paused = true;
      child.kill('SIGSTOP');
    },
    resume: () => {
      if (exited() || !paused) return;
      paused = false;
      child.kill('SIGCONT');
    },
  };
}
