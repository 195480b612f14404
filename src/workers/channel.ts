// How the coordinator's messages reach one load process and its answers come back. The pool sees only
// channels: a forked child over IPC (ipc-channel.ts) and a remote worker over znodes (remote/zk-channel.ts)
// are driven by one code path.
import type { ClockSync, FromWorker, ToWorker } from './protocol.ts';

/** Signals a local child can be sent; absent for a process on another host. */
export interface ProcessControl {
  kill(): void;
  pause(): void;
  resume(): void;
}

export interface WorkerChannel {
  /** Names the process in messages: "load process 2 (pid 4242)", "worker w1 on host-a". */
  readonly label: string;
  /** For run.json: the worker's name and host (remote), or the local process's pid. */
  readonly identity: { name: string; host: string; pid?: number | undefined };
  /** True for a process on another host: its loss is survivable (the run goes on, marked partial). */
  readonly remote: boolean;
  /** True when its loss leaves its result absent and the run goes on, marked partial (remote workers, external drivers). */
  readonly lossSurvivable?: boolean;
  readonly pid: number | undefined;
  readonly control: ProcessControl | undefined;
  send(msg: ToWorker): void;
  /** Every message from the process, in order. */
  onMessage(listener: (msg: FromWorker) => void): void;
  /** Called once when the process is gone (exited, killed, its registration vanished), with why. */
  onDeath(listener: (reason: string) => void): void;
  /** Undefined while alive; why it is gone otherwise. */
  readonly deathReason: string | undefined;
  /** Ask it to leave (and wait, bounded); a local child is killed if it does not. */
  close(): Promise<void>;
}
