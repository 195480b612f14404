// Running plans on the load processes on one schedule: open the sessions, start every process on the
// same instant, warm up, measure, stop; the workload's faults on the same clock, from the same start;
// Ctrl-C reaches the processes whatever they are doing.
import { liveRate } from '../measure/measured-window.ts';
import { recipeTimeline, TIMELINE_INTERVAL_NS, type RecipeTimeline } from '../measure/timeline.ts';
import type { WorkerResult } from '../workers/protocol.ts';
import type { RecipeRunContext } from './context.ts';
import type { ClientsPlan } from './scenario.ts';
import type { RunWindow } from './window.ts';

/** Lead time between "go" and the common start, so every process starts on the same instant. */
const START_LEAD_MS = 100;

export interface ScheduledRun {
  /** The results of the processes that finished, in process order: every process's unless one was killed on purpose. */
  results: WorkerResult[];
  /** Each process's result by its index; undefined for a process the coordinator killed (WorkerPool.kill). */
  byProcess: (WorkerResult | undefined)[];
  window: RunWindow;
  connectMs: number[];
}

/** Called when the measured window opens and when it closes (e.g. to sample the servers' CPU). */
export interface WindowHooks {
  atMeasureStart(): void;
  /** Time-bound runs only. */
  atMeasureEnd(): void;
}

export async function runOnSchedule(ctx: RecipeRunContext, label: string, plans: readonly ClientsPlan[], hooks?: WindowHooks): Promise<ScheduledRun> {
  const { workload: w, pool, clock } = ctx;
  ctx.progress.phase(`${label}: opening ${w.clients} sessions`);
  const onAbort = (): void => pool.stop();
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  if (ctx.signal.aborted) pool.stop();
  try {
    const connectMs = await pool.prepare(clock.serializeOrigin(), ctx.sessions, plans);
    const startAt = clock.now() + START_LEAD_MS * 1e6;
    const measureFrom = startAt + w.warmupS * 1e9;
    const window: RunWindow = { startAt, measureFrom, stopAt: w.durationS !== undefined ? measureFrom + w.durationS * 1e9 : undefined };
    ctx.faults?.startAt(startAt); // fault times count from the clients' start
    ctx.progress.phase(`${label}: ${w.clients} clients running`);
    const plannedS = w.durationS === undefined ? undefined : w.warmupS + w.durationS;
    const ticker = setInterval(() => {
      const now = clock.now();
      const counts = pool.counts();
      const measuring = now >= measureFrom;
      const sum = (k: 'completed' | 'measured'): number => counts.reduce((s, c) => s + c[k], 0);
      ctx.progress.tick({
        elapsedS: Math.max(0, now - startAt) / 1e9,
        plannedS,
        measuring,
        count: measuring ? sum('measured') : sum('completed'),
        ratePerS: measuring ? liveRate(counts, window) : undefined,
      });
    }, 500);
    const at = (t: number, f: () => void): NodeJS.Timeout => setTimeout(f, Math.max(0, (t - clock.now()) / 1e6));
    const hookTimers = hooks ? [at(measureFrom, () => hooks.atMeasureStart()), ...(window.stopAt !== undefined ? [at(window.stopAt, () => hooks.atMeasureEnd())] : [])] : [];
    try {
      const byProcess = await pool.run(window);
      return { results: byProcess.filter((r): r is WorkerResult => r !== undefined), byProcess, window, connectMs };
    } finally {
      clearInterval(ticker);
      for (const t of hookTimers) clearTimeout(t);
    }
  } finally {
    ctx.signal.removeEventListener('abort', onAbort);
  }
}

/** The recipe's timeline from every process's intervals (their grid starts at the measured window). */
export function scheduledTimeline(recipe: string, run: ScheduledRun): RecipeTimeline {
  const grid = { gridFrom: run.window.measureFrom, intervalNs: TIMELINE_INTERVAL_NS };
  return recipeTimeline(recipe, grid, run.window, run.results.map((r) => r.timeline));
}

/** Operations every process completed, warm-up included. */
export function completedOps(run: ScheduledRun): number {
  return run.results.reduce((sum, r) => sum + r.completed, 0);
}
