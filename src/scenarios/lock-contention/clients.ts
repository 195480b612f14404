// The load-process side of lock contention: each client loops acquire → hold → release on its own session
// until the window closes (or it has its measured acquisitions), recording into a LockRecorder. Some
// waiters are chosen to give up early (lock-churn); some time out. Owns no statistics.
import type { RunClock } from '../../measure/clock.ts';
import { LockRecorder } from '../../measure/lock-recorder.ts';
import { AcquireAbortedError, lockRecipe, type LockRecipe } from '../../recipes/lock/index.ts';
import { ZkError } from '../../zk/errors.ts';
import type { SessionSet } from '../../zk/session-set.ts';
import type { ZkSession } from '../../zk/session.ts';
import type { LockClientsPlan } from './plan.ts';
import { seededRandom } from '../seeded-random.ts';
import type { ScenarioRun } from '../scenario.ts';
import type { RunWindow } from '../window.ts';

type AbortCause = 'stop' | 'give-up' | 'timeout';
type Outcome = 'done' | 'error' | 'stop';

const ERROR_BACKOFF_MS = 20;

function hold(ms: number): Promise<void> {
  // With no hold time the holder still yields one loop turn, so an overlapping holder would be observable.
  return new Promise((resolve) => (ms > 0 ? setTimeout(resolve, ms) : setImmediate(resolve)));
}

class LockClient {
  private readonly random: () => number;
  private measured = 0;

  constructor(
    private readonly id: number,
    /** This client's slot in the process's session set. */
    private readonly slot: number,
    private readonly sessions: SessionSet,
    private readonly recipe: LockRecipe,
    private readonly plan: LockClientsPlan,
    private readonly clock: RunClock,
    private readonly recorder: LockRecorder,
  ) {
    this.random = seededRandom(plan.seed * 1_000_003 + id);
  }

  async run(stop: AbortSignal): Promise<void> {
    const { acquisitions } = this.plan;
    while (!stop.aborted && (acquisitions === undefined || this.measured < acquisitions)) {
      const outcome = await this.attempt(stop);
      if (outcome === 'stop') return;
      if (outcome === 'error' && !(await this.startOver(stop))) return;
    }
  }

  /**
   * After a failure the session may still own a lock node (a create applied just before the connection
   * broke, a delete that failed) and would block the queue forever: start over on a fresh session.
   */
  private async startOver(stop: AbortSignal): Promise<boolean> {
    // Pause briefly rather than hammer a struggling server in a tight loop.
    await new Promise((r) => setTimeout(r, ERROR_BACKOFF_MS));
    if (stop.aborted) return false;
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
  private async attempt(stop: AbortSignal): Promise<Outcome> {
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
    const contender = this.recipe.contender(session, this.plan.lockPath);
    const tAcquire = this.clock.now();
    let ticket: number | undefined;
    try {
      ({ ticket } = await contender.acquire(attempt.signal));
    } catch (err) {
      return this.onAcquireFailure(err);
    } finally {
      for (const t of timers) clearTimeout(t);
      stop.removeEventListener('abort', onStop);
    }
    const tHeld = this.clock.now();
    await hold(this.plan.holdMs);
    const tReleased = this.clock.now();
    let released = true;
    try {
      await contender.release();
    } catch (err) {
      this.recordError(err);
      released = false;
    }
    if (this.recorder.acquired({ client: this.id, tAcquire, tHeld, tReleased, ticket: ticket ?? tAcquire })) this.measured++;
    return released ? 'done' : 'error';
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

/** Drive every client of this process until `stop` aborts or each has its measured acquisitions. */
export async function driveLockClients(
  plan: LockClientsPlan,
  sessions: SessionSet,
  clock: RunClock,
  recorder: LockRecorder,
  stop: AbortSignal,
): Promise<void> {
  const recipe = lockRecipe(plan.recipe);
  const clients = plan.clientIds.map((id, i) => {
    recorder.addClient(id);
    return new LockClient(id, i, sessions, recipe, plan, clock, recorder);
  });
  await Promise.all(clients.map((c) => c.run(stop)));
}

/** The load-process side of the scenario (Scenario.loadSide). */
export function start(plan: unknown, sessions: SessionSet, clock: RunClock, window: RunWindow, stop: AbortSignal): ScenarioRun {
  const recorder = new LockRecorder(window);
  const done = driveLockClients(plan as LockClientsPlan, sessions, clock, recorder, stop).then(() => recorder.report());
  return { counts: () => ({ completed: recorder.total, measured: recorder.measured }), timeline: recorder.timeline, done };
}
