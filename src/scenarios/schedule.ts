// Running plans on the load processes on one schedule: open the sessions, start every process on the
// same instant, warm up, measure, stop; Ctrl-C reaches the processes whatever they are doing.
import type { WorkerResult } from '../workers/protocol.ts';
import type { RecipeRunContext } from './context.ts';
import type { ClientsPlan } from './drive.ts';
import type { RunWindow } from './window.ts';

/** Lead time between "go" and the common start, so every process starts on the same instant. */
const START_LEAD_MS = 100;

export interface ScheduledRun {
  results: WorkerResult[];
  window: RunWindow;
  connectMs: number[];
}

/** `atMeasureStart` runs when the measured window opens (e.g. to sample the servers' CPU). */
export async function runOnSchedule(
  ctx: RecipeRunContext,
  label: string,
  plans: readonly ClientsPlan[],
  atMeasureStart?: () => void,
): Promise<ScheduledRun> {
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
    ctx.progress.phase(`${label}: ${w.clients} clients running`);
    const plannedS = w.durationS === undefined ? undefined : w.warmupS + w.durationS;
    const ticker = setInterval(() => {
      const now = clock.now();
      ctx.progress.tick(pool.completed(), Math.max(0, now - startAt) / 1e9, now >= measureFrom, plannedS);
    }, 500);
    const opening = atMeasureStart ? setTimeout(atMeasureStart, Math.max(0, (measureFrom - clock.now()) / 1e6)) : undefined;
    try {
      return { results: await pool.run(window), window, connectMs };
    } finally {
      clearInterval(ticker);
      clearTimeout(opening);
    }
  } finally {
    ctx.signal.removeEventListener('abort', onAbort);
  }
}
