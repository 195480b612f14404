// The coordinator's handle on its load processes: hand each its share of the clients, start them on one
// schedule, collect what they measured. Each process is reached through a WorkerChannel (a forked child
// over IPC, or a remote worker over znodes), so this is one code path for both. A local process that dies
// mid-run fails the run with its exit status instead of hanging it, unless the coordinator killed it on
// purpose (a crash it stages): then its result is absent and a fresh process takes its place at the next
// prepare. A remote worker that is lost (its registration vanished) leaves its result absent too, is
// named in lost(), and the run goes on with the others.
import type { RelNs } from '../measure/clock.ts';
import type { LiveCount } from '../measure/measured-window.ts';
import type { ClientsPlan } from './protocol.ts';
import type { RunWindow } from '../measure/measured-window.ts';
import type { WorkerChannel } from './channel.ts';
import type { ClockSync } from './protocol.ts';
import { IpcChannel } from './ipc-channel.ts';
import type { FromWorker, SessionSettings, ToWorker, WorkerResult } from './protocol.ts';

export class WorkerFailedError extends Error {
  override name = 'WorkerFailedError';
}

/** A remote worker the run lost: who, and when the coordinator noticed (run clock, and wall clock). */
export interface LostWorker {
  index: number;
  name: string;
  host: string;
  reason: string;
  atNs: number;
  at: Date;
}

class LoadProcess {
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
  /** Its clock against the coordinator's, from its last 'ready' (a local child: 0 ± 0). */
  clock: ClockSync = { offsetNs: 0, boundNs: 0 };

  constructor(
    readonly index: number,
    readonly channel: WorkerChannel,
  ) {
    channel.onMessage((m) => {
      if (m.type === 'progress') {
        this.count = { completed: m.completed, measured: m.measured, at: m.at };
        if (m.sessionEvents > this.sessionEvents) this.onSessionEvents?.();
        this.sessionEvents = m.sessionEvents;
      }
      if (m.type === 'ready' && m.clock) this.clock = m.clock;
      if (m.type === 'scenario') this.onScenarioMessage?.(m.data);
      if (m.type === 'warm') this.onWarm?.(m.at);
      for (const w of [...this.waiters]) w(m);
    });
    channel.onDeath((reason) => this.failWaiters(new WorkerFailedError(`${channel.label} ${reason}`)));
  }

  get pid(): number | undefined {
    return this.channel.pid;
  }

  /** Its loss is survivable: a remote worker, or an external driver process (the run goes on, partial). */
  get survivable(): boolean {
    return this.channel.remote || this.channel.lossSurvivable === true;
  }

  /** Gone without being killed on purpose: a remote worker lost, or a local one that crashed. */
  get lost(): boolean {
    return this.channel.deathReason !== undefined && !this.killedOnPurpose;
  }

  private failWaiters(err: Error): void {
    for (const w of [...this.waiters]) w(err);
  }

  send(msg: ToWorker): void {
    this.channel.send(msg);
  }

  /** The next message of one type; rejects if the process reports a failure or is gone first. */
  next<T extends FromWorker['type']>(type: T): Promise<Extract<FromWorker, { type: T }>> {
    return new Promise((resolve, reject) => {
      if (this.channel.deathReason !== undefined) {
        reject(new WorkerFailedError(`${this.channel.label} ${this.channel.deathReason}`));
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

  private controlled(what: string) {
    const c = this.channel.control;
    if (!c) throw new Error(`cannot ${what} ${this.channel.label}: it runs on another host (scenarios that kill or pause load processes need local workers)`);
    return c;
  }

  /** SIGKILL now: the process gets no chance to close its sessions (their ephemeral nodes stay until they expire). */
  kill(): void {
    const c = this.controlled('kill');
    this.killedOnPurpose = true;
    c.kill();
  }

  /** SIGSTOP: the process freezes mid-whatever (a client stalled by GC or a VM pause); its sessions stay open but silent. */
  pause(): void {
    this.controlled('pause').pause();
  }

  /** SIGCONT: it goes on where it stopped, believing whatever it believed (e.g. that it holds a lock). */
  resume(): void {
    this.controlled('resume').resume();
  }

  close(): Promise<void> {
    return this.channel.close();
  }
}

export class WorkerPool {
  private sessionEventsListener: (() => void) | undefined;
  private scenarioListener: ((processIndex: number, data: unknown) => void) | undefined;
  private readonly lostWorkers: LostWorker[] = [];
  private warmListener: ((processIndex: number, at: RelNs) => void) | undefined;

  /**
   * `replace(i)` makes a fresh channel for process i after a kill on purpose (local children only);
   * `now()` stamps losses on the run clock.
   */
  private constructor(
    private readonly processes: LoadProcess[],
    private readonly replace: ((index: number) => WorkerChannel) | undefined,
    private readonly now: () => number,
  ) {
    for (const p of processes) this.watchLoss(p);
  }

  /** `count` local child processes over IPC. */
  static start(count: number): WorkerPool {
    return new WorkerPool(
      Array.from({ length: count }, (_, i) => new LoadProcess(i, new IpcChannel(i))),
      (i) => new IpcChannel(i),
      () => 0,
    );
  }

  /** Load processes reached through the given channels (remote workers); `now` is the run clock. */
  static over(channels: readonly WorkerChannel[], now: () => number): WorkerPool {
    return new WorkerPool(channels.map((c, i) => new LoadProcess(i, c)), undefined, now);
  }

  get size(): number {
    return this.processes.length;
  }

  /** True when the processes run on other hosts (their clocks are offset, their loss survivable). */
  get remote(): boolean {
    return this.processes.some((p) => p.channel.remote);
  }

  private watchLoss(p: LoadProcess): void {
    if (!p.survivable) return;
    p.channel.onDeath((reason) => {
      const { name, host } = p.channel.identity;
      this.lostWorkers.push({ index: p.index, name, host, reason, atNs: this.now(), at: new Date() });
    });
  }

  /** Remote workers lost so far, in the order they were noticed. */
  lost(): readonly LostWorker[] {
    return this.lostWorkers;
  }

  /** Each process's clock against the coordinator's (offset and bound), by index, as of its last 'ready'. */
  clocks(): ClockSync[] {
    return this.processes.map((p) => p.clock);
  }

  /** Each process's identity (run.json `workers`). */
  identities(): WorkerChannel['identity'][] {
    return this.processes.map((p) => p.channel.identity);
  }

  /**
   * Open every process's sessions; resolves with each one's connect time (ms) once all are ready. A
   * remote worker lost before or while preparing is left out (NaN): its share of the clients does not run.
   */
  async prepare(origin: string, sessions: SessionSettings, plans: readonly ClientsPlan[]): Promise<number[]> {
    this.replaceKilled();
    const ready = this.processes.map((p, i) => {
      if (p.survivable && p.lost) return Promise.resolve(Number.NaN);
      const answer = p.next('ready').then(
        (m) => m.connectMs,
        (err: unknown) => {
          if (p.survivable && p.lost) return Number.NaN;
          throw err;
        },
      );
      p.count = { completed: 0, measured: 0, at: 0 };
      p.sessionEvents = 0;
      p.send({ type: 'prepare', origin, sessions, plan: plans[i]! });
      return answer;
    });
    return Promise.all(ready);
  }

  /**
   * Start all processes on one schedule and wait for every result; a process killed on purpose (kill())
   * or a remote worker lost has none.
   */
  async run(window: RunWindow): Promise<(WorkerResult | undefined)[]> {
    const results = this.processes.map((p) => {
      if (p.survivable && p.lost) return Promise.resolve(undefined);
      const answer = p.next('result').then(
        (m) => m.result,
        (err: unknown) => {
          if (p.killedOnPurpose || (p.survivable && p.lost)) return undefined;
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
      if (!p.killedOnPurpose || !this.replace) return;
      const fresh = new LoadProcess(i, this.replace(i));
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
