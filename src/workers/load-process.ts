// What a load process does with the coordinator's messages, whatever carries them: open the plan's
// sessions, drive its clients on the coordinator's schedule, send back what it measured. Transport-free:
// a local child (cli/load-process-main.ts, over IPC) and a remote worker (remote/worker-side.ts, over znodes) both
// hand their messages to one LoadProcessHandler, so local and remote load are one code path.
import { setMaxListeners } from 'node:events';
import { diagnoseSessionRefusal } from '../ensemble/diagnose.ts';
import { RunClock } from '../measure/clock.ts';
import { DriverHealthMonitor } from '../measure/driver-health.ts';
import type { ClientsPlan } from './protocol.ts';
import type { LoadSides, ScenarioLoadSide, ScenarioRun } from './load-side.ts';
import type { RunWindow } from '../measure/measured-window.ts';
import { SessionSet } from '../zk/session-set.ts';
import type { SessionCounters } from '../measure/request-counts.ts';
import type { FromWorker, ToWorker } from './protocol.ts';

const PROGRESS_INTERVAL_MS = 500;

interface Prepared {
  clock: RunClock;
  plan: ClientsPlan;
  loadSide: ScenarioLoadSide;
  sessions: SessionSet;
}

const sleepUntil = (clock: RunClock, at: number): Promise<void> =>
  new Promise((r) => setTimeout(r, Math.max(0, (at - clock.now()) / 1e6)));

export class LoadProcessHandler {
  private prepared: Prepared | undefined;
  /** The scenario running now: the coordinator's scenario messages go to it. */
  private running: ScenarioRun | undefined;
  /**
   * Scenario messages that came after 'go' but before this process's start instant: other processes may
   * start (and post) a moment earlier. Delivered when the run starts.
   */
  private early: unknown[] = [];
  /** Aborted by 'stop': ends session opening or contention, whichever is under way. */
  private stop = new AbortController();
  /** Applies a measured window decided after the start (a pending one's); set while a run goes. */
  private decideWindow: ((window: RunWindow) => void) | undefined;

  /** `send` carries answers back to the coordinator; a failure is answered as a 'failed' message. */
  constructor(
    private readonly send: (msg: FromWorker) => void,
    private readonly loadSides: LoadSides,
  ) {}

  /** Handles prepare, go, stop and scenario; 'exit' is the transport's (close() here, then leave). */
  handle(msg: ToWorker): void {
    switch (msg.type) {
      case 'prepare':
        this.prepare(msg).catch((err) => this.fail(err));
        break;
      case 'go':
        this.go(msg.window).catch((err) => this.fail(err));
        break;
      case 'stop':
        this.stop.abort('stop');
        break;
      case 'window':
        // Only a running scenario can have reported warm, so a decision never precedes the start.
        this.decideWindow?.(msg.window);
        break;
      case 'scenario':
        if (this.running) this.running.onMessage?.(msg.data);
        else this.early.push(msg.data);
        break;
      case 'exit':
        this.close();
        break;
    }
  }

  /** Stop whatever runs and close the sessions (the coordinator is gone, or said exit). */
  close(): void {
    this.stop.abort('stop');
    this.prepared?.sessions.closeAll();
    this.prepared = undefined;
  }

  private async prepare(msg: Extract<ToWorker, { type: 'prepare' }>): Promise<void> {
    this.stop = new AbortController();
    setMaxListeners(0, this.stop.signal); // every client listens to it
    this.early = []; // nothing of a previous run's messages reaches this one
    const t0 = performance.now();
    const loadSide = await this.loadSides(msg.plan.scenario);
    const sessions = await SessionSet.open({
      ...msg.sessions,
      count: msg.plan.sessions,
      ...(msg.plan.connect ? { connectEach: msg.plan.connect } : {}),
      parallelism: 64,
      signal: this.stop.signal,
      diagnose: () => diagnoseSessionRefusal(msg.sessions.connect),
    });
    this.prepared = { clock: RunClock.fromOrigin(msg.origin), plan: msg.plan, loadSide, sessions };
    this.send({ type: 'ready', connectMs: performance.now() - t0 });
  }

  private async go(window: RunWindow): Promise<void> {
    const p = this.prepared;
    if (!p) throw new Error('go before prepare');
    const stop = this.stop;
    const health = new DriverHealthMonitor();
    const timers: NodeJS.Timeout[] = [];
    let counts = (): { completed: number; measured: number } => ({ completed: 0, measured: 0 });
    let sessionEvents = 0;
    const sendProgress = (): void => this.send({ type: 'progress', ...counts(), at: p.clock.now(), sessionEvents });
    const progress = setInterval(sendProgress, PROGRESS_INTERVAL_MS);
    const at = (t: number, f: () => void): void => void timers.push(setTimeout(f, Math.max(0, (t - p.clock.now()) / 1e6)));
    // Driver health covers the measured window: from its start to the stop (or the end of contention).
    // A pending window has neither yet: they are set when the coordinator decides it.
    const schedule = (w: RunWindow): void => {
      if (w.pending) return;
      at(w.measureFrom, () => health.start());
      if (w.stopAt !== undefined) at(w.stopAt, () => stop.abort('stop'));
    };
    try {
      await sleepUntil(p.clock, window.startAt);
      schedule(window);
      // Requests and notifications count up to the stop: what waiters do while leaving the queue (and
      // the watches their leaving fires) is teardown, not the recipe's cost per acquisition.
      let countersAtStop: SessionCounters | undefined;
      stop.signal.addEventListener('abort', () => (countersAtStop = p.sessions.counters()), { once: true });
      const link = { post: (data: unknown) => this.send({ type: 'scenario', data }), warm: (t: number) => this.send({ type: 'warm', at: t }) };
      const run = p.loadSide.start(p.plan.plan, p.sessions, p.clock, window, stop.signal, link);
      this.running = run;
      this.decideWindow = (decided) => {
        schedule(decided);
        run.onWindow?.(decided);
      };
      for (const data of this.early.splice(0)) run.onMessage?.(data);
      counts = run.counts;
      const unwatch = p.sessions.watchEvents((e) => {
        sessionEvents++;
        run.timeline.event(p.clock.now(), 'session', e);
      });
      const report = await run.done;
      unwatch();
      const driverHealth = health.stop();
      const result = {
        report,
        counters: countersAtStop ?? p.sessions.counters(),
        health: driverHealth,
        sessionsExpired: p.sessions.expiredCount(),
        completed: run.counts().completed,
        timeline: run.timeline.report(),
      };
      sendProgress();
      this.send({ type: 'result', result });
    } finally {
      clearInterval(progress);
      for (const t of timers) clearTimeout(t);
      p.sessions.closeAll();
      if (this.prepared === p) this.prepared = undefined;
      this.running = undefined;
      this.decideWindow = undefined;
      this.early = [];
    }
  }

  private fail(err: unknown): void {
    const e = err instanceof Error ? err : new Error(String(err));
    this.send({ type: 'failed', name: e.name, message: e.message });
  }
}
