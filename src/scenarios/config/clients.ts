// The load-process side of the config scenario: this process's readers (each on its own session, pinned to
// its server by the plan) read the configuration znode and hold a watch; once every reader of the run is
// armed (the coordinator says so) the writer, if it runs here, updates the znode at the workload's rate, open
// loop: each update at its intended start, up to max_in_flight unacknowledged. After the stop the readers go
// on until they hold the writer's last update (or the drain time runs out), so the last updates'
// convergence is measured too.
import type { RunClock } from '../../measure/clock.ts';
import { inWindow } from '../../measure/measured-window.ts';
import { IntervalRecorder } from '../../measure/timeline.ts';
import { DRAIN_AFTER_STOP_MS, pacerOptions, type OpenLoopPlan } from '../../measure/open-loop.ts';
import { Pacer, type PacedOp, type PacerCounts } from '../../measure/pacer.ts';
import type { UpdateRecord } from '../../measure/watch-records.ts';
import { configRecipe } from '../../recipes/config/index.ts';
import type { NodeWatcher, NodeWriter } from '../../recipes/watch/types.ts';
import { ZkError } from '../../zk/errors.ts';
import type { SessionSet } from '../../zk/session-set.ts';
import type { ScenarioLink, ScenarioRun } from '../../workers/load-side.ts';
import type { RunWindow } from '../../measure/measured-window.ts';
import type { ConfigPlan, ConfigReport, ToCoordinator, ToLoadProcess } from './plan.ts';

/** How often draining readers are checked for holding the last update. */
const DRAIN_POLL_MS = 2;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** `promise`'s value, or undefined when it has not settled within `ms`. */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const aborted = (stop: AbortSignal): Promise<void> => new Promise((resolve) => (stop.aborted ? resolve() : stop.addEventListener('abort', () => resolve(), { once: true })));

/** A promise and the function that settles it, for a message that arrives later. */
function later<T>(): { promise: Promise<T>; settle: (v: T) => void } {
  let settle!: (v: T) => void;
  const promise = new Promise<T>((r) => (settle = r));
  return { promise, settle };
}

/**
 * The writer's loop, open loop (measure/pacer.ts): update k is due at start + k/rate and sent then, whether
 * earlier ones are acknowledged or not, up to the plan's maxInFlight unacknowledged (a session's requests are
 * applied in order, so each update's version is still known); beyond that due updates wait and leave late.
 * After the stop, updates still waiting are sent for DRAIN_AFTER_STOP_MS, then dropped. A failed update stops
 * the writer (the version of every later one is unknown): nothing more is sent. Resolves
 * with the pacer's counts once the run stopped (or the writer failed) and every update sent was answered.
 */
function writeOnSchedule(
  writer: NodeWriter,
  open: OpenLoopPlan,
  clock: RunClock,
  window: RunWindow,
  stop: AbortSignal,
  onUpdate: (u: UpdateRecord) => void,
  onError: (err: unknown) => void,
): Promise<PacerCounts> {
  const pacer = new Pacer(pacerOptions(open, clock.now(), window.stopAt, (t) => inWindow(t, window)), clock);
  return new Promise((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    let failed = false;
    const settleIfDone = (): void => {
      if ((stop.aborted || failed) && pacer.inFlightNow === 0) resolve(pacer.counts);
    };
    const halt = (): void => {
      clearTimeout(timer);
      pacer.stop(failed);
      // What still waits a while after the stop is dropped (a hopeless rate must not drag the run out).
      if (!failed) {
        setTimeout(() => {
          pacer.stop(true);
          settleIfDone();
        }, DRAIN_AFTER_STOP_MS).unref();
      }
      settleIfDone();
    };
    const send = (op: PacedOp): void => {
      writer.update(op.intendedNs).then(onUpdate, (err: unknown) => {
        if (failed) return;
        failed = true;
        onError(err);
        halt();
      }).finally(() => {
        const next = pacer.finished(op.client);
        if (next) send(next);
        else settleIfDone();
      });
    };
    const tick = (): void => {
      timer = undefined;
      if (stop.aborted || failed) return;
      for (const op of pacer.release()) send(op);
      const due = pacer.nextDueNs();
      if (due !== undefined) timer = setTimeout(tick, Math.max(0, Math.floor((due - clock.now()) / 1e6)));
    };
    if (stop.aborted) halt();
    else {
      stop.addEventListener('abort', halt, { once: true });
      tick();
    }
  });
}

/** The load-process side of the scenario (Scenario.loadSide). */
export function start(planJson: unknown, sessions: SessionSet, clock: RunClock, window: RunWindow, stop: AbortSignal, link: ScenarioLink): ScenarioRun {
  const plan = planJson as ConfigPlan;
  const recipe = configRecipe(plan.recipe);
  const timeline = new IntervalRecorder(window.measureFrom);
  const errors: Record<string, number> = {};
  const failed = (err: unknown): void => {
    const name = err instanceof ZkError ? err.codeName : 'other';
    errors[name] = (errors[name] ?? 0) + 1;
    timeline.failed(clock.now());
  };
  const post = (m: ToCoordinator): void => link.post(m);

  const failedReaders = new Set<NodeWatcher>();
  const readers = plan.readers.map((r, i) =>
    recipe.reader(sessions.at(i), plan.path, {
      id: r.id,
      clock,
      onError: (err, reader) => {
        failedReaders.add(reader);
        failed(err);
      },
    }),
  );
  const writer = plan.writer ? recipe.writer(sessions.at(plan.readers.length), plan.path, { clock, payload: Buffer.alloc(plan.payloadBytes, 0x63) }) : undefined;

  const updates: UpdateRecord[] = [];
  let measured = 0;
  let pacing: PacerCounts | undefined;
  const startWriting = later<void>();
  const lastVersion = later<number>();
  const onMessage = (data: unknown): void => {
    const m = data as ToLoadProcess;
    if (m.kind === 'start-writing') startWriting.settle();
    else if (m.kind === 'last') lastVersion.settle(m.version);
  };

  /** Until every reader still reading holds `version`, or the deadline (run clock). */
  const drain = async (version: number, deadline: number): Promise<void> => {
    const holding = (r: NodeWatcher): boolean => failedReaders.has(r) || r.state.version >= version;
    while (!readers.every(holding) && clock.now() < deadline) await sleep(DRAIN_POLL_MS);
  };

  const done = (async (): Promise<ConfigReport> => {
    const base = await Promise.all([writer?.prepare(), ...readers.map((r) => r.arm())]).then(([w]) => w?.version);
    post({ kind: 'armed' });
    if (writer) {
      await Promise.race([startWriting.promise, aborted(stop)]);
      if (!stop.aborted) {
        // A failed update stops the writer (its acknowledged updates stand): counted in errors.
        pacing = await writeOnSchedule(writer, plan.open, clock, window, stop, (u) => {
          updates.push(u);
          timeline.completed(u.ackNs, u.ackNs - u.sendNs);
          if (inWindow(u.sendNs, window)) measured++;
        }, failed);
      }
      post({ kind: 'last', version: updates.at(-1)?.version ?? base! });
    }
    await aborted(stop);
    const deadline = clock.now() + plan.drainMs * 1e6;
    const version = await within(lastVersion.promise, plan.drainMs);
    if (version !== undefined) await drain(version, deadline);
    for (const r of readers) r.stop();
    const undrained = version === undefined ? readers.length : readers.filter((r) => !failedReaders.has(r) && r.state.version < version).length;
    return {
      updates,
      readers: plan.readers.map((r, i) => ({ server: r.server, trace: readers[i]!.trace })),
      errors,
      undrained,
      ...(pacing ? { pacing } : {}),
    };
  })();

  return { counts: () => ({ completed: updates.length, measured }), timeline, done, onMessage };
}
