// Running plans on the load processes on one schedule: open the sessions, start every process on the
// same instant, warm up (for a fixed time, or until every process reports its clients warm:
// warmup-gate.ts), measure, stop; the workload's faults on the same clock, from the same start; Ctrl-C
// reaches the processes whatever they are doing.
import type { RelNs } from '../measure/clock.ts';
import { liveRate } from '../measure/measured-window.ts';
import { recipeTimeline, TIMELINE_INTERVAL_NS, type RecipeTimeline } from '../measure/timeline.ts';
import type { WorkerResult } from '../workers/protocol.ts';
import type { RecipeRunContext } from './context.ts';
import type { ClientsPlan } from '../workers/protocol.ts';
import { decideWindow, pendingWindow, ReadyReports } from './warmup-gate.ts';
import type { RunWindow } from '../measure/measured-window.ts';

/** Lead time between "go" and the common start, so every process starts on the same instant. */
const START_LEAD_MS = 100;

export interface ScheduledRun {
  /** The results of the processes that finished, in process order: every process's unless one was killed on purpose. */
  results: WorkerResult[];
  /** Each process's result by its index; undefined for a process the coordinator killed (WorkerPool.kill). */
  byProcess: (WorkerResult | undefined)[];
  window: RunWindow;
  /** Where the processes' timeline grid starts: the measured window's start, or a pending window's earliest (warmup-gate.ts). */
  gridFrom: RelNs;
  connectMs: number[];
}

/** Called when the measured window opens and when it closes (e.g. to sample the servers' CPU). */
export interface WindowHooks {
  atMeasureStart(): void;
  /** Time-bound runs only. */
  atMeasureEnd(): void;
}

/**
 * A warm-up that lasts until every load process reports its clients warm (ScenarioLink.warm), and at
 * least the workload's warmup_s; the run fails when that has not happened `limitS` after the start.
 */
export interface WarmupUntil {
  /** What the processes wait for, for messages (e.g. "every client queued"). */
  what: string;
  limitS: number;
}

export class WarmupLimitError extends Error {
  override name = 'WarmupLimitError';
}

export async function runOnSchedule(
  ctx: RecipeRunContext,
  label: string,
  plans: readonly ClientsPlan[],
  hooks?: WindowHooks,
  warmupUntil?: WarmupUntil,
): Promise<ScheduledRun> {
  const { workload: w, pool, clock } = ctx;
  ctx.progress.phase(`${label}: opening ${w.clients} sessions`);
  const onAbort = (): void => pool.stop();
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  if (ctx.signal.aborted) pool.stop();
  const timers: NodeJS.Timeout[] = [];
  const at = (t: number, f: () => void): void => void timers.push(setTimeout(f, Math.max(0, (t - clock.now()) / 1e6)));
  try {
    const connectMs = await pool.prepare(clock.serializeOrigin(), ctx.sessions, plans);
    const startAt = clock.now() + START_LEAD_MS * 1e6;
    const fixedFrom = startAt + w.warmupS * 1e9;
    let window: RunWindow = warmupUntil
      ? pendingWindow(startAt, w.warmupS)
      : { startAt, measureFrom: fixedFrom, stopAt: w.durationS !== undefined ? fixedFrom + w.durationS * 1e9 : undefined };
    const scheduleHooks = (win: RunWindow): void => {
      if (!hooks) return;
      at(win.measureFrom, () => hooks.atMeasureStart());
      if (win.stopAt !== undefined) at(win.stopAt, () => hooks.atMeasureEnd());
    };
    let limitError: WarmupLimitError | undefined;
    if (warmupUntil) {
      const ready = new ReadyReports(plans.length);
      pool.onWarm((index, t) => {
        ready.report(index, t);
        if (!ready.complete || !window.pending) return;
        window = decideWindow({ pending: window, readyAt: ready.readyAt!, now: clock.now(), durationS: w.durationS, intervalNs: TIMELINE_INTERVAL_NS });
        pool.setWindow(window);
        scheduleHooks(window);
      });
      at(startAt + warmupUntil.limitS * 1e9, () => {
        if (!window.pending) return;
        const waiting = ready.waiting();
        limitError = new WarmupLimitError(
          `${label}: the warm-up waits for ${warmupUntil.what}, and load process(es) ${waiting.join(', ')} of ${plans.length} had not got there ` +
            `${warmupUntil.limitS} s after the clients started; raise warmup_limit_s, or lower clients (or raise workers) so the clients get there sooner`,
        );
        pool.stop();
      });
    } else scheduleHooks(window);
    const gridFrom = window.measureFrom;
    ctx.faults?.startAt(startAt, window.pending ? undefined : window.stopAt); // fault times count from the clients' start
    ctx.progress.phase(`${label}: ${w.clients} clients running`);
    const ticker = setInterval(() => {
      const now = clock.now();
      const counts = pool.counts();
      const measuring = !window.pending && now >= window.measureFrom;
      const sum = (k: 'completed' | 'measured'): number => counts.reduce((s, c) => s + c[k], 0);
      ctx.progress.tick({
        elapsedS: Math.max(0, now - startAt) / 1e9,
        // Planned once known: a pending warm-up's length is not.
        plannedS: w.durationS === undefined || window.pending ? undefined : (window.measureFrom - startAt) / 1e9 + w.durationS,
        measuring,
        count: measuring ? sum('measured') : sum('completed'),
        ratePerS: measuring ? liveRate(counts, window) : undefined,
      });
    }, 500);
    try {
      const byProcess = await pool.run(window);
      if (limitError) throw limitError;
      return { results: byProcess.filter((r): r is WorkerResult => r !== undefined), byProcess, window, gridFrom, connectMs };
    } finally {
      clearInterval(ticker);
    }
  } finally {
    for (const t of timers) clearTimeout(t);
    if (warmupUntil) pool.onWarm(undefined);
    ctx.signal.removeEventListener('abort', onAbort);
  }
}

/** The recipe's timeline from every process's intervals (their grid starts at the measured window). */
export function scheduledTimeline(recipe: string, run: ScheduledRun): RecipeTimeline {
  const grid = { gridFrom: run.gridFrom, intervalNs: TIMELINE_INTERVAL_NS };
  return recipeTimeline(recipe, grid, run.window, run.results.map((r) => r.timeline));
}

/** Operations every process completed, warm-up included. */
export function completedOps(run: ScheduledRun): number {
  return run.results.reduce((sum, r) => sum + r.completed, 0);
}
