// The load-process side of lock contention (and of lock-failover, which adds the guard and the hold
// notices): each client loops acquire → hold → release on its own session until the window closes (or it
// has its measured acquisitions), recording into a LockRecorder. Some waiters are chosen to give up early
// (lock-churn); some time out. Open loop (`rate`): each attempt starts at its intended start on the
// pacer's schedule instead. Owns no statistics.
import type { RunClock } from '../../measure/clock.ts';
import { LockRecorder, type LockWorkerReport } from '../../measure/lock-recorder.ts';
import { inWindow } from '../../measure/measured-window.ts';
import { pacerOptions, type OpenLoopPlan } from '../../measure/open-loop.ts';
import { drivePacer } from '../../measure/paced-driver.ts';
import { Pacer, type PacerCounts } from '../../measure/pacer.ts';
import { Guard, type GuardCounts } from '../../recipes/lock/fencing.ts';
import { AcquireAbortedError, lockRecipe, type Held, type LockRecipe } from '../../recipes/lock/index.ts';
import { LockCalls } from '../../recipes/lock/recovery.ts';
import { ZkError } from '../../zk/errors.ts';
import type { SessionSet } from '../../zk/session-set.ts';
import { ZkSession } from '../../zk/session.ts';
import type { HoldNotice, HoldOrder, LockClientsPlan } from './plan.ts';
import { QueueTally, type QueueReport } from './queue-tally.ts';
import { seededRandom } from '../seeded-random.ts';
import type { ScenarioLink, ScenarioRun } from '../../workers/load-side.ts';
import type { RunWindow } from '../../measure/measured-window.ts';

/** What a lock load process reports: the recorder's figures, the guard's when the plan has one, the queue's when the warm-up waited for it, the pacer's in open loop. */
export type LockClientsReport = LockWorkerReport & { guard?: GuardCounts; queue?: QueueReport; pacer?: PacerCounts };

type AbortCause = 'stop' | 'give-up' | 'timeout';
type Outcome = 'done' | 'error' | 'stop';

const ERROR_BACKOFF_MS = 20;

function hold(ms: number): Promise<void> {
  // With no hold time the holder still yields one loop turn, so an overlapping holder would be observable.
  return new Promise((resolve) => (ms > 0 ? setTimeout(resolve, ms) : setImmediate(resolve)));
}

class LockClient {
  private readonly random: () => number;

  constructor(
    private readonly id: number,
    /** This client's slot in the process's session set. */
    private readonly slot: number,
    private readonly sessions: SessionSet,
    private readonly recipe: LockRecipe,
    private readonly plan: LockClientsPlan,
    private readonly clock: RunClock,
    private readonly recorder: LockRecorder,
    private readonly guard: Guard | undefined,
    private readonly holds: HoldOrders | undefined,
    private readonly queue: QueueTally | undefined,
  ) {
    this.random = seededRandom(plan.seed * 1_000_003 + id);
  }

  async run(stop: AbortSignal): Promise<void> {
    const { acquisitions } = this.plan;
    // Measured acquisitions are the recorder's count: one held during a pending window counts once it is decided.
    while (!stop.aborted && (acquisitions === undefined || this.recorder.measuredOf(this.id) < acquisitions)) {
      const outcome = await this.attempt(stop);
      if (outcome === 'stop') return;
      if (outcome === 'error' && !(await this.startOver(stop))) {
        this.queue?.leave(this.id, this.clock.now());
        return;
      }
    }
  }

  /**
   * Open loop: one attempt, intended at `intendedNs` (its acquire latency counts from there), then, after a
   * failure, what run() does: start over. False when the client is out of the run (no session to be had).
   */
  async pacedAttempt(stop: AbortSignal, intendedNs: number): Promise<boolean> {
    const outcome = await this.attempt(stop, intendedNs);
    if (outcome === 'error' && !(await this.startOver(stop))) {
      this.queue?.leave(this.id, this.clock.now());
      return false;
    }
    return true;
  }

  /**
   * restart-session: after a failure the session may still own a lock node (a create applied just before
   * the connection broke, a delete that failed) and would block the queue forever: start over on a fresh
   * session. resume: the recipe already waited out lost connections and found its nodes again, so only a
   * session that has ended is replaced; on a live one the client simply tries again.
   */
  private async startOver(stop: AbortSignal): Promise<boolean> {
    // Pause briefly rather than hammer a struggling server in a tight loop.
    await new Promise((r) => setTimeout(r, ERROR_BACKOFF_MS));
    if (stop.aborted) return false;
    const ended = this.session.state === 'expired' || this.session.state === 'closed';
    if (this.plan.recovery === 'resume' && !ended) return true;
    try {
      await this.sessions.replace(this.slot);
      return true;
    } catch (err) {
      this.recordError(err);
      return false; // no session to be had: this client is out of the run
    }
  }

  private get session(): ZkSession {
    return this.sessions.at(this.slot);
  }

  /** One acquisition attempt: done (acquired or let go by design), error, or stop (the run is over). */
  private async attempt(stop: AbortSignal, intendedNs?: number): Promise<Outcome> {
    if (stop.aborted) return 'stop';
    const attempt = new AbortController();
    const abort = (cause: AbortCause) => () => attempt.abort(cause);
    const onStop = abort('stop');
    stop.addEventListener('abort', onStop, { once: true });
    const timers: NodeJS.Timeout[] = [];
    if (this.plan.giveUpShare > 0 && this.random() < this.plan.giveUpShare) {
      timers.push(setTimeout(abort('give-up'), this.plan.giveUpAfterMs));
    }
    if (this.plan.acquireTimeoutMs > 0) timers.push(setTimeout(abort('timeout'), this.plan.acquireTimeoutMs));

    const session = this.session;
    if (session.state === 'expired' || session.state === 'closed') {
      this.recorder.failed(session.state === 'expired' ? 'ZSESSIONEXPIRED' : 'ZINVALIDSTATE', `client ${this.id}: session ${session.state}`, this.clock.now());
      return 'error';
    }
    const contender = this.recipe.contender(session, this.plan.lockPath, this.plan.recovery);
    const tAcquire = this.clock.now();
    let held: Held;
    try {
      held = await contender.acquire(attempt.signal, this.queue && (() => this.queue!.queued(this.id, this.clock.now())));
    } catch (err) {
      return this.onAcquireFailure(err);
    } finally {
      for (const t of timers) clearTimeout(t);
      stop.removeEventListener('abort', onStop);
    }
    const { ticket } = held;
    const tHeld = this.clock.now();
    if (this.guard) await this.guardedWork(session, held, stop);
    else await hold(this.plan.holdMs);
    const tReleased = this.clock.now();
    let released = true;
    try {
      await contender.release();
    } catch (err) {
      this.recordError(err);
      released = false;
    }
    this.recorder.acquired({ client: this.id, tAcquire, tHeld, tReleased, ticket: ticket ?? tAcquire, ...(intendedNs !== undefined ? { tIntended: intendedNs } : {}) });
    return released ? 'done' : 'error';
  }

  /**
   * lock-failover's hold: write the fencing token into the guard, tell the coordinator who holds (it may
   * pause this process now), hold, and write again: the write a holder paused past its session's end makes
   * when it wakes, still believing it holds the lock.
   */
  private async guardedWork(session: ZkSession, held: Held, stop: AbortSignal): Promise<void> {
    const guard = this.guard!;
    let announced = false;
    try {
      // The fencing token: the lock node's czxid (fencing.ts says why); a node already gone gives 0, which any
      // guard refuses. exclusive-node reuses one name, so a holder whose node vanished before this read and was
      // replaced by another's would read the other's czxid: only a holder that already lost the lock can.
      const token = (await new LockCalls(session, this.plan.recovery).exists(held.path))?.czxid ?? 0;
      if ((await guard.write(token)) === 'fenced') return;
      if (this.holds) {
        announced = true;
        await this.holds.holding(this.id, this.plan.holdMs, stop);
      } else await hold(this.plan.holdMs);
      await guard.write(token);
    } catch (err) {
      this.recordError(err);
    } finally {
      if (announced) this.holds!.announce({ kind: 'released', client: this.id });
    }
  }

  private onAcquireFailure(err: unknown): Outcome {
    if (err instanceof AcquireAbortedError) {
      const cause = err.reason as AbortCause;
      if (cause === 'stop') {
        this.recorder.stoppedWhileWaiting();
        return 'stop';
      }
      if (cause === 'give-up') this.recorder.gaveUp();
      else this.recorder.timedOut();
      return 'done';
    }
    this.recordError(err);
    return 'error';
  }

  private recordError(err: unknown): void {
    const kind = err instanceof ZkError ? err.codeName : (err as Error)?.name || 'Error';
    this.recorder.failed(kind, `client ${this.id}: ${(err as Error)?.message ?? String(err)}`, this.clock.now());
  }
}

/**
 * The process's side of a staged holder pause: holds are announced to the coordinator; once it arms this
 * process, the next hold lasts until it says `continue` (it pauses the process in between), so the pause
 * lands inside a hold whatever the message latency.
 */
export class HoldOrders {
  private armed = false;
  private readonly continued = new Set<() => void>();

  constructor(readonly announce: (n: HoldNotice) => void) {}

  onOrder(order: HoldOrder): void {
    if (order.kind === 'arm') this.armed = true;
    else if (order.kind === 'disarm') this.armed = false;
    else for (const go of [...this.continued]) go();
  }

  /** Hold for `holdMs`, or, when armed, until the coordinator's `continue` (or the run's stop). */
  async holding(client: number, holdMs: number, stop: AbortSignal): Promise<void> {
    if (!this.armed) {
      this.announce({ kind: 'held', client });
      return hold(holdMs);
    }
    this.armed = false;
    await new Promise<void>((resolve) => {
      const go = (): void => {
        this.continued.delete(go);
        stop.removeEventListener('abort', go);
        resolve();
      };
      this.continued.add(go);
      stop.addEventListener('abort', go, { once: true });
      this.announce({ kind: 'held', client, waiting: true });
    });
  }
}

/**
 * Open loop: the pacer releases each client's attempts at their intended starts (a timer set for the next
 * one), one at a time per client (a client holds one place in the queue): an attempt due while its client
 * is still at the previous one waits for it (a late start; its acquire latency counts the wait). At the
 * stop, attempts still waiting are dropped (counted): an attempt after the stop is no part of the run.
 * Resolves with the pacer's counts once every attempt under way has ended.
 */
function driveOpenLoop(clients: readonly LockClient[], open: OpenLoopPlan, clock: RunClock, window: RunWindow, stop: AbortSignal): Promise<PacerCounts> {
  const pacer = new Pacer(pacerOptions(open, window.startAt, window.stopAt, (t) => inWindow(t, window)), clock);
  return drivePacer(pacer, clock, stop, (op, done) => void clients[op.client]!.pacedAttempt(stop, op.intendedNs).then(done), 0);
}

/** Drive every client of this process until `stop` aborts or each has its measured acquisitions. */
export async function driveLockClients(
  plan: LockClientsPlan,
  sessions: SessionSet,
  clock: RunClock,
  window: RunWindow,
  recorder: LockRecorder,
  stop: AbortSignal,
  holds?: HoldOrders,
  queue?: QueueTally,
): Promise<{ guard: GuardCounts | undefined; pacer: PacerCounts | undefined }> {
  const recipe = lockRecipe(plan.recipe);
  const guardSession = plan.guard && (await ZkSession.open({ connect: plan.guard.connect, sessionTimeoutMs: plan.guard.sessionTimeoutMs, ...sessions.security }));
  try {
    const guard = guardSession && new Guard(guardSession, plan.guard!.path, plan.guard!.fencing);
    const clients = plan.clientIds.map((id, i) => {
      recorder.addClient(id);
      return new LockClient(id, i, sessions, recipe, plan, clock, recorder, guard, holds, queue);
    });
    if (plan.open) return { guard: guard?.counts, pacer: await driveOpenLoop(clients, plan.open, clock, window, stop) };
    await Promise.all(clients.map((c) => c.run(stop)));
    return { guard: guard?.counts, pacer: undefined };
  } finally {
    guardSession?.close();
  }
}

/** The load-process side of the scenario (Scenario.loadSide). */
export function start(plan: unknown, sessions: SessionSet, clock: RunClock, window: RunWindow, stop: AbortSignal, link?: ScenarioLink): ScenarioRun {
  const p = plan as LockClientsPlan;
  const recorder = new LockRecorder(window, p.open !== undefined);
  const holds = p.announceHolds && link ? new HoldOrders((n) => link.post(n)) : undefined;
  const queue = p.warmupUntilQueued ? new QueueTally(p.clientIds, (at) => link?.warm(at)) : undefined;
  if (queue && p.clientIds.length === 0) link?.warm(clock.now()); // a process with no clients (fewer clients than processes) has nothing to wait for
  const done = driveLockClients(p, sessions, clock, window, recorder, stop, holds, queue).then(
    ({ guard, pacer }): LockClientsReport => ({ ...recorder.report(), ...(guard ? { guard } : {}), ...(queue ? { queue: queue.report() } : {}), ...(pacer ? { pacer } : {}) }),
  );
  return {
    counts: () => ({ completed: recorder.total, measured: recorder.measured }),
    timeline: recorder.timeline,
    done,
    onWindow: (decided) => recorder.decide(decided),
    ...(holds ? { onMessage: (data: unknown) => holds.onOrder(data as HoldOrder) } : {}),
  };
}
