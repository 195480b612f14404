// Entry point of a load process: opens its share of the sessions, drives its clients on the coordinator's
// schedule and sends back what it measured. It never outlives the coordinator: when the IPC channel
// closes (the parent died or gave up on it), it exits at once.
import { setMaxListeners } from 'node:events';
import { diagnoseSessionRefusal } from '../ensemble/diagnose.ts';
import { RunClock } from '../measure/clock.ts';
import { DriverHealthMonitor } from '../measure/driver-health.ts';
import { scenarioById } from '../scenarios/registry.ts';
import type { ClientsPlan, ScenarioLoadSide, ScenarioRun } from '../scenarios/scenario.ts';
import type { RunWindow } from '../scenarios/window.ts';
import { SessionSet } from '../zk/session-set.ts';
import type { SessionCounters } from '../zk/session.ts';
import type { FromWorker, ToWorker } from './protocol.ts';

const PROGRESS_INTERVAL_MS = 500;

function send(msg: FromWorker): void {
  if (process.connected) process.send?.(msg);
}

// Ctrl-C and a SIGTERM to the process group reach every process; only the coordinator decides how a
// load process stops, so that it can still close its sessions and report.
process.on('SIGINT', () => undefined);
process.on('SIGTERM', () => undefined);
process.on('disconnect', () => process.exit(1));

interface Prepared {
  clock: RunClock;
  plan: ClientsPlan;
  loadSide: ScenarioLoadSide;
  sessions: SessionSet;
}

let prepared: Prepared | undefined;
/** The scenario running now: the coordinator's scenario messages go to it. */
let running: ScenarioRun | undefined;
/**
 * Scenario messages that came after 'go' but before this process's start instant: other processes may
 * start (and post) a moment earlier. Delivered when the run starts.
 */
let early: unknown[] = [];
/** Aborted by 'stop': ends session opening or contention, whichever is under way. */
let stop = new AbortController();
/** Applies a measured window decided after the start (a pending one's); set while a run goes. */
let decideWindow: ((window: RunWindow) => void) | undefined;

async function prepare(msg: Extract<ToWorker, { type: 'prepare' }>): Promise<void> {
  stop = new AbortController();
  setMaxListeners(0, stop.signal); // every client listens to it
  early = []; // nothing of a previous run's messages reaches this one
  const t0 = performance.now();
  const scenario = scenarioById(msg.plan.scenario);
  if (!scenario.loadSide) throw new Error(`the ${scenario.id} scenario drives nothing from load processes`);
  const loadSide = await scenario.loadSide();
  const sessions = await SessionSet.open({
    ...msg.sessions,
    count: msg.plan.sessions,
    ...(msg.plan.connect ? { connectEach: msg.plan.connect } : {}),
    parallelism: 64,
    signal: stop.signal,
    diagnose: () => diagnoseSessionRefusal(msg.sessions.connect),
  });
  prepared = { clock: RunClock.fromOrigin(msg.origin), plan: msg.plan, loadSide, sessions };
  send({ type: 'ready', connectMs: performance.now() - t0 });
}

const sleepUntil = (clock: RunClock, at: number): Promise<void> =>
  new Promise((r) => setTimeout(r, Math.max(0, (at - clock.now()) / 1e6)));

async function go(window: RunWindow): Promise<void> {
  const p = prepared;
  if (!p) throw new Error('go before prepare');
  const health = new DriverHealthMonitor();
  const timers: NodeJS.Timeout[] = [];
  let counts = (): { completed: number; measured: number } => ({ completed: 0, measured: 0 });
  let sessionEvents = 0;
  const sendProgress = (): void => send({ type: 'progress', ...counts(), at: p.clock.now(), sessionEvents });
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
    const link = { post: (data: unknown) => send({ type: 'scenario', data }), warm: (t: number) => send({ type: 'warm', at: t }) };
    const run = p.loadSide.start(p.plan.plan, p.sessions, p.clock, window, stop.signal, link);
    running = run;
    decideWindow = (decided) => {
      schedule(decided);
      run.onWindow?.(decided);
    };
    for (const data of early.splice(0)) run.onMessage?.(data);
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
    send({ type: 'result', result });
  } finally {
    clearInterval(progress);
    for (const t of timers) clearTimeout(t);
    p.sessions.closeAll();
    prepared = undefined;
    running = undefined;
    decideWindow = undefined;
    early = [];
  }
}

function fail(err: unknown): void {
  const e = err instanceof Error ? err : new Error(String(err));
  send({ type: 'failed', name: e.name, message: e.message });
}

process.on('message', (msg: ToWorker) => {
  switch (msg.type) {
    case 'prepare':
      prepare(msg).catch(fail);
      break;
    case 'go':
      go(msg.window).catch(fail);
      break;
    case 'stop':
      stop.abort('stop');
      break;
    case 'window':
      // Only a running scenario can have reported warm, so a decision never precedes the start.
      decideWindow?.(msg.window);
      break;
    case 'scenario':
      if (running) running.onMessage?.(msg.data);
      else early.push(msg.data);
      break;
    case 'exit':
      prepared?.sessions.closeAll();
      process.disconnect();
      process.exit(0);
  }
});
