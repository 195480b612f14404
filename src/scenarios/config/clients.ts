// The load-process side of the config scenario: this process's readers (each on its own session, pinned to
// its server by the plan) read the configuration znode and hold a watch; once every reader of the run is
// armed (the coordinator says so) the writer, if it runs here, updates the znode at the workload's rate,
// one update at a time on fixed intended starts. After the stop the readers go on until they hold the
// writer's last update (or the drain time runs out), so the last updates' convergence is measured too.
import type { RunClock } from '../../measure/clock.ts';
import { inWindow } from '../../measure/measured-window.ts';
import { IntervalRecorder } from '../../measure/timeline.ts';
import { intendedStartNs, waitBeforeSendNs } from '../../measure/watch-pacing.ts';
import type { UpdateRecord } from '../../measure/watch-records.ts';
import { configRecipe } from '../../recipes/config/index.ts';
import type { NodeWatcher, NodeWriter } from '../../recipes/watch/types.ts';
import { ZkError } from '../../zk/errors.ts';
import type { SessionSet } from '../../zk/session-set.ts';
import type { ScenarioLink, ScenarioRun } from '../scenario.ts';
import type { RunWindow } from '../window.ts';
import type { ConfigPlan, ConfigReport, ToCoordinator, ToLoadProcess } from './plan.ts';

/** How often draining readers are checked for holding the last update. */
const DRAIN_POLL_MS = 2;

/** Resolves after `ms`, or at once when `stop` aborts. */
function pause(ms: number, stop: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (stop.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      stop.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    stop.addEventListener('abort', done, { once: true });
  });
}

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
 * The writer's loop: update `seq` is due at start + (seq − 1)/rate; each goes when due, or at once when the
 * previous one was acknowledged too late (the writer cannot keep the rate: send_lag and late_sends show it).
 */
async function writeOnSchedule(writer: NodeWriter, rate: number, clock: RunClock, stop: AbortSignal, onUpdate: (u: UpdateRecord) => void): Promise<void> {
  const schedule = { startNs: clock.now(), ratePerS: rate };
  for (let seq = 1; !stop.aborted; seq++) {
    // setTimeout's whole milliseconds may wake early; wait again until the update is due.
    for (let waitNs = waitBeforeSendNs(schedule, seq, clock.now()); waitNs > 0 && !stop.aborted; waitNs = waitBeforeSendNs(schedule, seq, clock.now())) {
      await pause(Math.ceil(waitNs / 1e6), stop);
    }
    if (stop.aborted) break;
    onUpdate(await writer.update(intendedStartNs(schedule, seq)));
  }
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
      try {
        if (!stop.aborted) {
          await writeOnSchedule(writer, plan.updateRate, clock, stop, (u) => {
            updates.push(u);
            timeline.completed(u.ackNs, u.ackNs - u.sendNs);
            if (inWindow(u.sendNs, window)) measured++;
          });
        }
      } catch (err) {
        // The version of every later update is unknown: the writer stops, its acknowledged updates stand.
        failed(err);
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
    };
  })();

  return { counts: () => ({ completed: updates.length, measured }), timeline, done, onMessage };
}
