// The coordinator side of lock contention, for one recipe: a fresh lock node, every client contending
// through the load processes on one schedule, then the lock family's figures from what they measured.
import type { RunClock } from '../../measure/clock.ts';
import type { DriverHealth } from '../../measure/driver-health.ts';
import { lockMetrics, type LockOutcome } from '../../measure/lock-metrics.ts';
import type { LockRecipeId } from '../../recipes/lock/types.ts';
import type { Workload } from '../../workload/schema.ts';
import type { WorkerPool } from '../../workers/pool.ts';
import { splitClients } from '../../workers/pool.ts';
import type { SessionSettings } from '../../workers/protocol.ts';
import { deleteTree, ensurePath } from '../../zk/tree.ts';
import { addCounters, emptyCounters, type ZkSession } from '../../zk/session.ts';
import type { LockClientsPlan, LockWindow } from './plan.ts';

/** Lead time between "go" and the common start, so every process starts on the same instant. */
const START_LEAD_MS = 100;

export interface RecipeProgress {
  recipeStart(recipe: LockRecipeId): void;
  phase(text: string): void;
  /** Called about twice a second while clients contend; plannedS is the warm-up plus duration, if time-bound. */
  tick(acquisitions: number, elapsedS: number, measuring: boolean, plannedS: number | undefined): void;
}

export interface RecipeRunContext {
  workload: Workload;
  pool: WorkerPool;
  admin: ZkSession;
  /** Parent node of everything this run creates. */
  namespace: string;
  clock: RunClock;
  sessions: SessionSettings;
  progress: RecipeProgress;
  /** Aborts on Ctrl-C: the processes stop contending and the recipe ends early. */
  signal: AbortSignal;
}

export interface RecipeResult extends LockOutcome {
  recipe: LockRecipeId;
  clients: number;
  health: DriverHealth[];
  connectMs: number[];
  /** Run-clock ns of the first acquisition (warm-up included), undefined when none happened. */
  firstAcquisitionAt: number | undefined;
  startedAt: Date;
  endedAt: Date;
  /** True when Ctrl-C cut the recipe short: its figures are not comparable and are not written. */
  interrupted: boolean;
}

export async function runLockRecipe(ctx: RecipeRunContext, recipe: LockRecipeId): Promise<RecipeResult> {
  const { workload: w, pool, clock } = ctx;
  const startedAt = new Date();
  const lockPath = `${ctx.namespace}/${recipe}`;
  await ensurePath(ctx.admin, lockPath);
  try {
    const shares = splitClients(w.clients, pool.size);
    const plans: LockClientsPlan[] = shares.map((clientIds) => ({
      recipe,
      lockPath,
      clientIds,
      holdMs: w.holdMs,
      acquireTimeoutMs: w.acquireTimeoutMs,
      giveUpShare: w.giveUpShare,
      giveUpAfterMs: w.giveUpAfterMs,
      acquisitions: w.acquisitions,
      seed: w.seed,
    }));
    ctx.progress.recipeStart(recipe);
    ctx.progress.phase(`${recipe}: opening ${w.clients} sessions`);
    // From here on Ctrl-C reaches the load processes, whether they are opening sessions or contending.
    const onAbort = (): void => pool.stop();
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    if (ctx.signal.aborted) pool.stop();
    try {
      return await contend(ctx, recipe, plans, startedAt);
    } finally {
      ctx.signal.removeEventListener('abort', onAbort);
    }
  } finally {
    // Best effort: the run's namespace is removed as a whole at the end anyway.
    await deleteTree(ctx.admin, lockPath).catch(() => undefined);
  }
}

/** Open the sessions, contend on one schedule, and turn what the processes measured into figures. */
async function contend(ctx: RecipeRunContext, recipe: LockRecipeId, plans: LockClientsPlan[], startedAt: Date): Promise<RecipeResult> {
  const { workload: w, pool, clock } = ctx;
  const connectMs = await pool.prepare(clock.serializeOrigin(), ctx.sessions, plans);

  const startAt = clock.now() + START_LEAD_MS * 1e6;
  const measureFrom = startAt + w.warmupS * 1e9;
  const window: LockWindow = {
    startAt,
    measureFrom,
    stopAt: w.durationS !== undefined ? measureFrom + w.durationS * 1e9 : undefined,
  };
  ctx.progress.phase(`${recipe}: ${w.clients} clients contending`);
  const plannedS = w.durationS === undefined ? undefined : w.warmupS + w.durationS;
  const ticker = setInterval(() => {
    const now = clock.now();
    ctx.progress.tick(pool.acquisitions(), Math.max(0, now - startAt) / 1e9, now >= measureFrom, plannedS);
  }, 500);
  let results;
  try {
    results = await pool.run(window);
  } finally {
    clearInterval(ticker);
  }

  const counters = emptyCounters();
  for (const r of results) addCounters(counters, r.counters);
  const outcome = lockMetrics({
    reports: results.map((r) => r.report),
    counters,
    health: results.map((r) => r.health),
    sessionsExpired: results.reduce((s, r) => s + r.sessionsExpired, 0),
    measureFrom,
    stopAt: window.stopAt,
  });
  const firstAcquisitionAt = results
    .flatMap((r) => r.report.holds)
    .reduce<number | undefined>((first, h) => (first === undefined || h.tHeld < first ? h.tHeld : first), undefined);
  return {
    ...outcome,
    recipe,
    clients: w.clients,
    health: results.map((r) => r.health),
    connectMs,
    firstAcquisitionAt,
    startedAt,
    endedAt: new Date(),
    interrupted: ctx.signal.aborted,
  };
}
