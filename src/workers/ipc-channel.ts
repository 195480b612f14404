// A local load process: a forked child (cli/load-process-main.ts) spoken to over child_process IPC. Same host,
// same monotonic clock: offset 0, bound 0.
import { childAccessEnv } from '../zk/credentials.ts';
import { fork, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { trackChild, untrackChild } from '../process/child-guard.ts';
import { routeClientLog } from '../process/client-log.ts';
import { signalControl } from '../process/signal-control.ts';
import type { ProcessControl, WorkerChannel } from './channel.ts';
import type { FromWorker, ToWorker } from './protocol.ts';

// The entry point lives with the other process entry points in cli/ (it hands the scenario registry down);
// it is forked by path, not imported.
const WORKER_MAIN = fileURLToPath(new URL('../cli/load-process-main.ts', import.meta.url));
// An absolute loader URL, so load processes find tsx whatever the current directory is.
const TSX_LOADER = import.meta.resolve('tsx');
const EXIT_GRACE_MS = 5000;

export class IpcChannel implements WorkerChannel {
  readonly remote = false;
  private readonly child: ChildProcess;
  private exited: string | undefined;
  private readonly messageListeners: ((m: FromWorker) => void)[] = [];
  private readonly deathListeners: ((reason: string) => void)[] = [];
  readonly control: ProcessControl;

  constructor(readonly index: number) {
    this.child = fork(WORKER_MAIN, [], {
      execArgv: ['--import', TSX_LOADER],
      // stderr read here: the C client's log lines go to the run's client.log, the rest to the terminal.
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
      serialization: 'advanced',
      // The run's identity reaches the load process in its environment, never in a message or a file.
      env: childAccessEnv(process.env),
    });
    if (this.child.stderr) routeClientLog(this.child.stderr, `load process ${index}`);
    const pid = this.child.pid;
    if (pid !== undefined) trackChild(pid, `load process ${index}`);
    this.child.on('message', (m: FromWorker) => {
      for (const l of this.messageListeners) l(m);
    });
    this.child.on('exit', (code, signal) => {
      if (pid !== undefined) untrackChild(pid);
      this.die(signal ? `killed by ${signal}` : `exited with code ${code}`);
    });
    // A failed fork or a message to a process that just died: whoever waits hears of it, the run does not crash.
    this.child.on('error', (err) => this.die(err.message));
    this.control = signalControl(this.child, () => this.exited !== undefined);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get label(): string {
    return `load process ${this.index} (pid ${this.pid})`;
  }

  get identity(): WorkerChannel['identity'] {
    return { name: `load process ${this.index}`, host: os.hostname(), pid: this.pid };
  }

  get deathReason(): string | undefined {
    return this.exited;
  }

  private die(reason: string): void {
    if (this.exited !== undefined) return;
    this.exited = reason;
    for (const l of this.deathListeners) l(reason);
  }

  send(msg: ToWorker): void {
    // Delivery errors surface through the 'error' event above.
    if (this.exited === undefined && this.child.connected) this.child.send(msg, (err) => err && this.die(err.message));
  }

  onMessage(listener: (msg: FromWorker) => void): void {
    this.messageListeners.push(listener);
  }

  onDeath(listener: (reason: string) => void): void {
    this.deathListeners.push(listener);
  }

  async close(): Promise<void> {
    if (this.exited !== undefined) return;
    this.control.resume(); // a stopped process cannot hear 'exit'
    const gone = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.send({ type: 'exit' });
    const timer = setTimeout(() => this.child.kill('SIGKILL'), EXIT_GRACE_MS);
    await gone;
    clearTimeout(timer);
  }
}
