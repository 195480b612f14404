// The coordinator's handle on its load processes: fork them, hand each its share of the clients, start
// them on one schedule, collect what they measured. A load process that dies mid-run fails the run with
// its exit status instead of hanging it, unless the coordinator killed it on purpose (a crash it stages):
// then its result is absent and a fresh process takes its place at the next prepare.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { RelNs } from '../measure/clock.ts';
import type { LiveCount } from '../measure/measured-window.ts';
import { trackChild, untrackChild } from '../process/child-guard.ts';
import type { ClientsPlan } from '../scenarios/scenario.ts';
import type { RunWindow } from '../scenarios/window.ts';
import type { FromWorker, SessionSettings, ToWorker, WorkerResult } from './protocol.ts';

const WORKER_MAIN = fileURLToPath(new URL('./worker-main.ts', import.meta.url));
// An absolute loader URL, so load processes find tsx whatever the current directory is.
const TSX_LOADER = import.meta.resolve('tsx');
const EXIT_GRACE_MS = 5000;

export class WorkerFailedError extends Error {
  override name = 'WorkerFailedError';
}

class LoadProcess {
  private readonly child: ChildProcess;
  private exited: string | undefined;
  private readonly waiters = new Set<(m: FromWorker | Error) => void>();
  /** Completed operations so far, as last reported (progress). */
  count: LiveCount = { completed: 0, measured: 0, at: 0 };
  /** Session events (disconnections, reconnections, expiries) so far. */
  sessionEvents = 0;
  /** Called when a progress message reports new session events. */
  onSessionEvents: (() => void) | undefined;
  /** Called with the running scenario's own messages. */
  onScenarioMessage: ((data: unknown) => void) | undefined;
  /** Called when the running scenario reports every client of this process warm (a pending window waits for it). */
  onWarm: ((at: RelNs) => void) | undefined;
  /** Killed by kill(): its death is expected, and it has no result. */
  killedOnPurpose = false;

  constructor(readonly index: number) {
    this.child = fork(WORKER_MAIN, [], {
      execArgv: ['--import', TSX_LOADER],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      serialization: 'advanced',
    });
    const pid = this.child.pid;
    if (pid !== undefined) trackChild(pid, `load process ${index}`);
    this.child.on('message', (m: FromWorker) => {
      if (m.type === 'progress') {
        this.count = { completed: m.completed, measured: m.measured, at: m.at };
        if (m.sessionEvents > this.sessionEvents) this.onSessionEvents?.();
        this.sessionEvents = m.sessionEvents;
      }
      if (m.type === 'scenario') this.onScenarioMessage?.(m.data);
      if (m.type === 'warm') this.onWarm?.(m.at);
      for (const w of [...this.waiters]) w(m);
    });
    this.child.on('exit', (code, signal) => {
      if (pid !== undefined) untrackChild(pid);
      this.exited = signal ? `killed by ${signal}` : `exited with code ${code}`;
      this.failWaiters(new WorkerFailedError(`load process ${index} (pid ${pid}) ${this.exited}`));
    });
    // A failed fork or a message to a process that just died: fail whoever waits, never crash the run.
    this.child.on('error', (err) => this.failWaiters(new WorkerFailedError(`load process ${index} (pid ${pid}): ${err.message}`)));
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  private failWaiters(err: Error): void {
    for (const w of [...this.waiters]) w(err);
  }

  send(msg: ToWorker): void {
    // Delivery errors surface through the 'error' event above.
    if (this.exited === undefined && this.child.connected) this.child.send(msg, (err) => err && this.failWaiters(err));
  }

  /** The next message of one type; rejects if the process reports a failure or exits first. */
  next<T extends FromWorker['type']>(type: T): Promise<Extract<FromWorker, { type: T }>> {
    return new Promise((resolve, reject) => {
      if (this.exited !== undefined) {
        reject(new WorkerFailedError(`load process ${this.index} (pid ${this.pid}) ${this.exited}`));
        return;
      }
      const waiter = (m: FromWorker | Error): void => {
        if (m instanceof Error) {
          this.waiters.delete(waiter);
          reject(m);
        } else if (m.type === 'failed') {
          this.waiters.delete(waiter);
          const err = new WorkerFailedError(m.message);
          err.name = m.name;
          reject(err);
        } else if (m.type === type) {
          this.waiters.delete(waiter);
          resolve(m as Extract<FromWorker, { type: T }>);
        }
      };
      this.waiters.add(waiter);
    });
  }

  /** SIGKILL now: the process gets no chance to close its sessions (their ephemeral nodes stay until they expire). */
  kill(): void {
    this.killedOnPurpose = true;
    this.child.kill('SIGKILL');
  }

  /** Stopped by pause() and not yet resumed. */
  paused = false;

  /** SIGSTOP: the process freezes mid-whatever (a client stalled by GC or a VM pause); its sessions stay open but silent. */
  pause(): void {
    if (this.exited !== undefined) return;
    this.paused = true;
    this.child.kill('SIGSTOP');
  }

  /** SIGCONT: it goes on where it stopped, believing whatever it believed (e.g. that it holds a lock). */
  resume(): void {
    if (this.exited !== undefined || !this.paused) return;
    this.paused = false;
    this.child.kill('SIGCONT');
  }

  async close(): Promise<void> {
    if (this.exited !== undefined) return;
    this.resume(); // a stopped process cannot hear 'exit'
    const gone = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.send({ type: 'exit' });
    const timer = setTimeout(() => this.child.kill('SIGKILL'), EXIT_GRACE_MS);
    await gone;
    clearTimeout(timer);
  }
}

export class WorkerPool {
  private sessionEventsListener: (() => void) | undefined;
  private scenarioListener: ((processIndex: number, data: unknown) => void) | undefined;
  private warmListener: ((processIndex: number, at: RelNs) => void) | undefined;

  private constructor(private readonly processes: LoadProcess[]) {}

  static start(count: number): WorkerPool {
    return new WorkerPool(Array.from({ length: count }, (_, i) => new LoadProcess(i)));
  }

  get size(): number {
    return this.processes.length;
  }

  /** Open every process's sessions; resolves with each one's connect time (ms) once all are ready. */
  async prepare(origin: string, sessions: SessionSettings, plans: readonly ClientsPlan[]): Promise<number[]> {
    this.replaceKilled();
    const ready = this.processes.map((p, i) => {
      const answer = p.next('ready');
      p.count = { completed: 0, measured: 0, at: 0 };
      p.sessionEvents = 0;
      p.send({ type: 'prepare', origin, sessions, plan: plans[i]! });
      return answer;
    });
    return (await Promise.all(ready)).map((m) => m.connectMs);
  }

  /** Start all processes on one schedule and wait for every result; a process killed on purpose (kill()) has none. */
  async run(window: RunWindow): Promise<(WorkerResult | undefined)[]> {
    const results = this.processes.map((p) => {
      const answer = p.next('result').then(
        (m) => m.result,
        (err: unknown) => {
          if (p.killedOnPurpose) return undefined;
          throw err;
        },
      );
      p.send({ type: 'go', window });
      return answer;
    });
    return Promise.all(results);
  }

  /**
   * Kill process `processIndex` with SIGKILL, now (a staged crash): run() resolves its result as absent
   * instead of failing, and the next prepare() starts a fresh process in its place.
   */
  kill(processIndex: number): void {
    this.at(processIndex).kill();
  }

  /** SIGSTOP process `processIndex` (a staged client pause); close() resumes it before asking it to exit. */
  pause(processIndex: number): void {
    this.at(processIndex).pause();
  }

  /** SIGCONT a paused process. */
  resume(processIndex: number): void {
    this.at(processIndex).resume();
  }

  /** OS process ids of the load processes, by index (a scenario names who it paused or killed). */
  pids(): (number | undefined)[] {
    return this.processes.map((p) => p.pid);
  }

  private at(processIndex: number): LoadProcess {
    const p = this.processes[processIndex];
    if (!p) throw new Error(`no load process ${processIndex} (the pool has ${this.processes.length})`);
    return p;
  }

  private replaceKilled(): void {
    this.processes.forEach((p, i) => {
      if (!p.killedOnPurpose) return;
      const fresh = new LoadProcess(i);
      this.processes[i] = fresh;
      this.listen(fresh);
    });
  }

  private listen(p: LoadProcess): void {
    const scenario = this.scenarioListener;
    const warm = this.warmListener;
    p.onSessionEvents = this.sessionEventsListener;
    p.onScenarioMessage = scenario && ((data) => scenario(p.index, data));
    p.onWarm = warm && ((at) => warm(p.index, at));
  }

  /** Each process's last reported count (live progress). */
  counts(): LiveCount[] {
    return this.processes.map((p) => p.count);
  }

  /** Calls `listener` whenever a process reports session events it had not reported before (within ~0.5 s). */
  onSessionEvents(listener: (() => void) | undefined): void {
    this.sessionEventsListener = listener;
    for (const p of this.processes) this.listen(p);
  }

  /** Calls `listener` with every message a running scenario's load side posts (ScenarioLink), and which process sent it. */
  onScenarioMessage(listener: ((processIndex: number, data: unknown) => void) | undefined): void {
    this.scenarioListener = listener;
    for (const p of this.processes) this.listen(p);
  }

  /** Calls `listener` when a process reports every client of its own warm, with the moment it was (ScenarioLink.warm). */
  onWarm(listener: ((processIndex: number, at: RelNs) => void) | undefined): void {
    this.warmListener = listener;
    for (const p of this.processes) this.listen(p);
  }

  /** Tells every process the measured window of a run started with a pending one (warmup-gate.ts). */
  setWindow(window: RunWindow): void {
    for (const p of this.processes) p.send({ type: 'window', window });
  }

  /** Sends a scenario's own message to the load side running in process `processIndex` (ScenarioRun.onMessage). */
  post(processIndex: number, data: unknown): void {
    this.at(processIndex).send({ type: 'scenario', data });
  }

  /** Ask every process to stop contending now; their results still arrive through run(). */
  stop(): void {
    for (const p of this.processes) p.send({ type: 'stop' });
  }

  async close(): Promise<void> {
    await Promise.all(this.processes.map((p) => p.close()));
  }
}

/** Deal clients out evenly: process i gets ids i, i+n, i+2n, ... */
export function splitClients(clients: number, processes: number): number[][] {
  const shares = Array.from({ length: processes }, () => [] as number[]);
  for (let id = 0; id < clients; id++) shares[id % processes]!.push(id);
  return shares;
}
