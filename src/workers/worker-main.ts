// Entry point of a load process: opens its share of the sessions, drives its clients on the coordinator's
// schedule and sends back what it measured. It never outlives the coordinator: when the IPC channel
// closes (the parent died or gave up on it), it exits at once.
import { setMaxListeners } from 'node:events';
import { RunClock } from '../measure/clock.ts';
import { DriverHealthMonitor } from '../measure/driver-health.ts';
import { LockRecorder } from '../measure/lock-recorder.ts';
import { driveLockClients } from '../scenarios/lock-contention/clients.ts';
import type { LockClientsPlan, LockWindow } from '../scenarios/lock-contention/plan.ts';
import { closeSessions, openSessions } from '../zk/open-sessions.ts';
import { addCounters, emptyCounters, type ZkSession } from '../zk/session.ts';
import { diagnoseSessionRefusal } from '../ensemble/diagnose.ts';
import type { FromWorker, ToWorker } from './protocol.ts';

const PROGRESS_INTERVAL_MS = 500;

function send(msg: FromWorker): void {
  process.send?.(msg);
}

// Ctrl-C reaches the whole process group; only the coordinator decides how a load process stops.
process.on('SIGINT', () => undefined);
process.on('disconnect', () => process.exit(1));

interface Prepared {
  clock: RunClock;
  plan: LockClientsPlan;
  sessions: ZkSession[];
  stop: AbortController;
}

let prepared: Prepared | undefined;
let stopRequested = false;

async function prepare(msg: Extract<ToWorker, { type: 'prepare' }>): Promise<void> {
  const t0 = performance.now();
  const sessions = await openSessions({
    ...msg.sessions,
    count: msg.plan.clientIds.length,
    parallelism: 64,
    diagnose: () => diagnoseSessionRefusal(msg.sessions.connect),
  });
  const stop = new AbortController();
  setMaxListeners(0, stop.signal); // every client listens to it
  prepared = { clock: RunClock.fromOrigin(msg.origin), plan: msg.plan, sessions, stop };
  if (stopRequested) prepared.stop.abort();
  send({ type: 'ready', connectMs: performance.now() - t0 });
}

async function go(window: LockWindow): Promise<void> {
  const p = prepared;
  if (!p) throw new Error('go before prepare');
  const recorder = new LockRecorder(window);
  const health = new DriverHealthMonitor();
  await new Promise((r) => setTimeout(r, Math.max(0, (window.startAt - p.clock.now()) / 1e6)));
  const progress = setInterval(() => send({ type: 'progress', acquisitions: recorder.total }), PROGRESS_INTERVAL_MS);
  let stopTimer: NodeJS.Timeout | undefined;
  if (window.stopAt !== undefined) {
    stopTimer = setTimeout(() => p.stop.abort(), Math.max(0, (window.stopAt - p.clock.now()) / 1e6));
  }
  health.start();
  try {
    await driveLockClients(p.plan, p.sessions, p.clock, recorder, p.stop.signal);
  } finally {
    clearInterval(progress);
    clearTimeout(stopTimer);
  }
  const driverHealth = health.stop();
  const counters = emptyCounters();
  for (const s of p.sessions) addCounters(counters, s.counters);
  const sessionsExpired = p.sessions.filter((s) => s.state === 'expired').length;
  closeSessions(p.sessions);
  prepared = undefined;
  send({ type: 'progress', acquisitions: recorder.total });
  send({ type: 'result', result: { report: recorder.report(), counters, health: driverHealth, sessionsExpired } });
}

function fail(err: unknown): void {
  const e = err instanceof Error ? err : new Error(String(err));
  send({ type: 'failed', name: e.name, message: e.message });
}

process.on('message', (msg: ToWorker) => {
  switch (msg.type) {
    case 'prepare':
      stopRequested = false;
      prepare(msg).catch(fail);
      break;
    case 'go':
      go(msg.window).catch(fail);
      break;
    case 'stop':
      stopRequested = true;
      prepared?.stop.abort();
      break;
    case 'exit':
      if (prepared) closeSessions(prepared.sessions);
      process.disconnect();
      process.exit(0);
  }
});
