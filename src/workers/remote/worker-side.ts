// `zkbench worker`: a long-lived load process on another host. It registers under the rendezvous root,
// waits for a run to claim it, and then handles the run's messages with the same LoadProcessHandler a
// local child uses. What differs is only the transport (src/workers/remote/mailbox.ts) and three steps
// around it: before each schedule it measures its clock against the coordinator's and puts the
// coordinator's run clock on its own; it starts when the schedule's double barrier opens (the window is
// the ready node's data) instead of on a 'go' message; and it leaves the barrier before sending its result,
// so no worker writes its results into ZooKeeper while another still measures. Live progress is not sent
// (it would be traffic on the system under test during the window); the counts arrive with the result.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ZNODEEXISTS, ZNONODE, ZOO_EPHEMERAL } from '../../zk/binding.ts';
import { isZkError } from '../../zk/errors.ts';
import { ZkSession } from '../../zk/session.ts';
import { ensurePath } from '../../zk/tree.ts';
import type { RunWindow } from '../../measure/measured-window.ts';
import type { ClockSync } from '../protocol.ts';
import { LoadProcessHandler } from '../load-process.ts';
import type { LoadSides } from '../load-side.ts';
import type { FromWorker, ToWorker } from '../protocol.ts';
import { measureClockOffset } from './clock-echo.ts';
import { DoubleBarrier } from './double-barrier.ts';
import { layoutOf, runPathsOf, WORKER_NAME, type Assignment, type Registration } from './layout.ts';
import { MailboxReader, MailboxWriter } from './mailbox.ts';
import type { SaslOptions, TlsOptions } from '../../zk/security.ts';
import { onOwnConnect } from './own-connect.ts';

export interface WorkerOptions {
  connect: string;
  name: string;
  root: string;
  sessionTimeoutMs: number;
  log: (line: string) => void;
  /** Aborted on Ctrl-C / SIGTERM: leave the run, deregister, return. */
  signal: AbortSignal;
  /** Also write every result sent to <dir>/<name>-<run>-<round>.json (to check the coordinator's merge against). */
  saveResults?: string | undefined;
  /** The scenarios' load-process sides (handed down from the registry by cli/worker.ts). */
  loadSides: LoadSides;
  /** TLS to the servers with this host's files (docs/tls-sasl.md); the run's sessions use it too. */
  tls?: TlsOptions | undefined;
  /** SASL credentials of this worker (never the coordinator's: its password does not travel). */
  sasl?: SaslOptions | undefined;
}

export class WorkerNameTakenError extends Error {
  override readonly name = 'WorkerNameTakenError';
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Registers, then serves one run after another until `signal` aborts or the session ends. */
export async function serveAsWorker(o: WorkerOptions): Promise<void> {
  if (!WORKER_NAME.test(o.name)) throw new Error(`worker name "${o.name}" must be 1-64 letters, digits, '.', '-' or '_'`);
  const layout = layoutOf(o.root);
  const session = await ZkSession.open({ connect: o.connect, sessionTimeoutMs: o.sessionTimeoutMs, signal: o.signal, tls: o.tls, sasl: o.sasl });
  try {
    await ensurePath(session, layout.workers);
    await ensurePath(session, layout.assignments);
    const registration: Registration = { name: o.name, host: os.hostname(), pid: process.pid };
    await session.create(`${layout.workers}/${o.name}`, JSON.stringify(registration), ZOO_EPHEMERAL).catch((err) => {
      if (isZkError(err, ZNODEEXISTS)) {
        throw new WorkerNameTakenError(`a worker named "${o.name}" is already registered under ${layout.workers}: give this one another --name`);
      }
      throw err;
    });
    o.log(`worker ${o.name} registered at ${layout.workers}/${o.name}; waiting for a run`);
    const ended = new Promise<void>((resolve) => session.onStateChange((s) => (s === 'expired' || s === 'closed') && resolve()));
    const assignmentPath = `${layout.assignments}/${o.name}`;
    let previous: string | undefined;
    while (!o.signal.aborted && session.state !== 'expired' && session.state !== 'closed') {
      const assignment = await nextAssignment(session, assignmentPath, previous, o.signal, ended);
      if (!assignment) break;
      previous = assignment.runPath;
      o.log(`worker ${o.name}: joined run ${assignment.runPath}`);
      await serveRun(session, o, assignment, assignmentPath);
      o.log(`worker ${o.name}: left run ${assignment.runPath}`);
    }
    if (session.state === 'expired') throw new Error(`worker ${o.name}: its ZooKeeper session expired; the run it served (if any) counts it as lost`);
  } finally {
    session.close();
  }
}

/** Waits for a claim on this worker by a run other than `previous`; undefined when told to stop or the session ended. */
async function nextAssignment(session: ZkSession, path: string, previous: string | undefined, signal: AbortSignal, ended: Promise<void>): Promise<Assignment | undefined> {
  for (;;) {
    if (signal.aborted || session.state === 'expired' || session.state === 'closed') return undefined;
    let fired!: () => void;
    const event = new Promise<void>((r) => (fired = r));
    const stat = await session.exists(path, () => fired());
    if (stat) {
      try {
        const assignment = JSON.parse((await session.get(path, () => fired())).data.toString('utf8')) as Assignment;
        if (assignment.runPath !== previous) return assignment;
      } catch (err) {
        if (isZkError(err, ZNONODE)) continue; // released again at once
        throw err;
      }
    }
    const stopped = new Promise<void>((r) => signal.addEventListener('abort', () => r(), { once: true }));
    await Promise.race([event, stopped, ended]);
  }
}

/** One run: its messages until it says exit, releases this worker, or the session ends. */
async function serveRun(session: ZkSession, o: WorkerOptions, assignment: Assignment, assignmentPath: string): Promise<void> {
  const paths = runPathsOf(assignment.runPath);
  const out = new MailboxWriter(session, paths.from(o.name), paths.chunks);
  const leaveRun = new AbortController();
  const onStop = (): void => leaveRun.abort('worker stopping');
  o.signal.addEventListener('abort', onStop, { once: true });
  let round = 0;
  let clock: ClockSync | undefined;
  let outbox: Promise<unknown> = Promise.resolve();
  const post = (msg: FromWorker | Promise<FromWorker | undefined>): void => {
    outbox = outbox.then(async () => {
      const m = await msg;
      if (m) await out.send(m);
    }).catch((err: unknown) => {
      o.log(`worker ${o.name}: could not send to the coordinator: ${(err as Error).message}`);
      leaveRun.abort('coordinator unreachable');
    });
  };
  const handler = new LoadProcessHandler((msg) => {
    switch (msg.type) {
      case 'progress':
        return; // not during the window (see the top of this file)
      case 'ready': {
        post({ ...msg, ...(clock ? { clock } : {}) });
        // Entered after 'ready' is queued: when the barrier opens, the coordinator has every worker's 'ready'.
        const barrier = new DoubleBarrier(session, paths.barrier(round), o.name);
        outbox = outbox.then(async () => {
          const window = JSON.parse((await barrier.enter(leaveRun.signal)).toString('utf8')) as RunWindow;
          handler.handle({ type: 'go', window });
        }).catch((err: unknown) => !leaveRun.signal.aborted && post({ type: 'failed', name: 'BarrierError', message: `worker ${o.name}: ${(err as Error).message}` }));
        return;
      }
      case 'result': {
        if (o.saveResults) {
          const file = path.join(o.saveResults, `${o.name}-${path.basename(assignment.runPath)}-${round}.json`);
          fs.mkdirSync(o.saveResults, { recursive: true });
          fs.writeFileSync(file, JSON.stringify(msg.result));
        }
        o.log(`worker ${o.name}: result of schedule ${round}: ${msg.result.completed} operations completed (warm-up included)`);
        // Leave first: the result's znodes are written only once every worker has stopped measuring.
        const barrier = new DoubleBarrier(session, paths.barrier(round), o.name);
        post(barrier.leave(leaveRun.signal).then(() => msg));
        return;
      }
      default:
        post(msg);
    }
  }, o.loadSides);
  const inbox = new MailboxReader(
    session,
    paths.to(o.name),
    paths.chunks,
    (raw) => {
      const msg = raw as ToWorker;
      if (msg.type === 'exit') leaveRun.abort('exit');
      else if (msg.type === 'go') return; // the barrier's ready node starts this worker
      else if (msg.type === 'prepare') {
        round++;
        // Measure before the sessions open, outside any measured window; then the coordinator's run clock on this host's.
        outbox = outbox.then(async () => {
          const measured = await measureClockOffset(assignment.echo.addresses, assignment.echo.port);
          clock = { offsetNs: measured.offsetNs, boundNs: measured.boundNs, rttNs: measured.rttNs, samples: measured.samples };
          o.log(`worker ${o.name}: clock offset ${(measured.offsetNs / 1e6).toFixed(3)} ± ${(measured.boundNs / 1e6).toFixed(3)} ms (via ${measured.address})`);
          if (msg.sessions.tls && !o.tls) throw new Error(`the run's sessions use TLS: start this worker with --tls-ca (this host's PEM file of the servers' CA)`);
          // The run may have ended while the clock was measured (its coordinator interrupted): then the
          // load process closed below is gone, and starting one now would leave it running with no run.
          if (leaveRun.signal.aborted) return;
          const own = onOwnConnect(msg, o.connect);
          handler.handle({
            ...msg,
            origin: (BigInt(msg.origin) - BigInt(Math.round(measured.offsetNs))).toString(),
            ...own,
            // This host's TLS files and this worker's credentials, not the coordinator's.
            sessions: { ...own.sessions, tls: o.tls, sasl: o.sasl },
          });
        }).catch((err: unknown) => post({ type: 'failed', name: (err as Error).name, message: `worker ${o.name}: ${(err as Error).message}` }));
      } else handler.handle(msg);
    },
    () => leaveRun.abort('run gone'),
  ).start();
  // Released (the assignment deleted: the coordinator finished or died) ends the run too.
  const released = async (): Promise<void> => {
    while (!leaveRun.signal.aborted) {
      let fired!: () => void;
      const event = new Promise<void>((r) => (fired = r));
      const stat = await session.exists(assignmentPath, () => fired()).catch(() => null);
      if (!stat) {
        leaveRun.abort('released');
        return;
      }
      await Promise.race([event, new Promise<void>((r) => leaveRun.signal.addEventListener('abort', () => r(), { once: true }))]);
    }
  };
  void released();
  const sessionEnded = session.onStateChange((s) => (s === 'expired' || s === 'closed') && leaveRun.abort('session ended'));
  await new Promise<void>((r) => (leaveRun.signal.aborted ? r() : leaveRun.signal.addEventListener('abort', () => r(), { once: true })));
  sessionEnded();
  o.signal.removeEventListener('abort', onStop);
  inbox.stop();
  handler.close();
  await Promise.race([outbox, sleep(2000)]);
}
