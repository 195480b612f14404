// The coordinator side of lock contention, for one recipe: a fresh lock node, every client contending
// through the load processes on one schedule, then the lock family's figures from what they measured.
import { mergeEncoded } from '../../measure/histogram.ts';
import { lockMetrics } from '../../measure/lock-metrics.ts';
import { distribution, scalar, scalarValue, type Metric } from '../../measure/metrics.ts';
import { openLoopFigures, openLoopPlan, targetRate, type OpenLoopSettings } from '../../measure/open-loop.ts';
import { addPacerCounts, emptyPacerCounts } from '../../measure/pacer.ts';
import type { LockRecipeId } from '../../recipes/lock/types.ts';
import { splitClients, type WorkerPool } from '../../workers/pool.ts';
import { addCounters, emptyCounters } from '../../measure/request-counts.ts';
import { deleteTree, ensurePath } from '../../zk/tree.ts';
import type { RecipeRunContext } from '../context.ts';
import type { RecipeResult } from '../../results/recipe-result.ts';
import type { ClientsPlan } from '../../workers/protocol.ts';
import { lockOpenLoopOf, type LockWorkload } from './workload.ts';
import type { LockClientsReport } from './clients.ts';
import type { LockClientsPlan } from './plan.ts';
import { completedOps, runOnSchedule, scheduledTimeline } from '../schedule.ts';
import { ServerViewWindow } from '../server-view-window.ts';
import { driverCpuPerAcquire, serverCostMetrics } from './cost.ts';
import { externalRecipe } from '../../drivers/catalog.ts';
import { startDrivers, type RecipeDrivers } from '../../drivers/driver-processes.ts';
import { gcMetrics, type ExternalDriverHealth } from '../../drivers/external-health.ts';
import type { RunWindow } from '../../measure/measured-window.ts';

export async function runRecipe(ctx: RecipeRunContext, recipe: string): Promise<RecipeResult[]> {
  return [await runLockRecipe(ctx, recipe as LockRecipeId)];
}

/** What another lock scenario (lock-failover) adds to this run: its own id, plan fields and figures. */
export interface LockVariant {
  scenario: string;
  /**
   * Set up once the lock node exists (e.g. the guard node); returns the plan fields every process gets.
   * `pool` runs the recipe's clients (an external recipe's driver processes, or the run's load processes).
   */
  prepare(lockPath: string, pool: WorkerPool): Promise<Partial<LockClientsPlan>>;
  /** One client per process (a staged pause stops exactly one holder): external drivers too. */
  oneClientPerProcess?: boolean;
  /** Figures and notes from every process's report, after the run (`window`: the measured window). */
  finish(reports: readonly LockClientsReport[], window: RunWindow): { metrics: Metric[]; notes: string[] };
}

/** One lock recipe on one schedule: lock-contention's run, or another lock scenario's through `variant`. */
export async function runLockRecipe(outer: RecipeRunContext, recipe: LockRecipeId, variant?: LockVariant): Promise<RecipeResult> {
  const w = outer.workload as LockWorkload;
  const startedAt = new Date();
  const lockPath = `${outer.namespace}/${recipe}`;
  await ensurePath(outer.admin, lockPath);
  // An external recipe (a client library's, src/drivers/) runs in driver processes of its own, driven as load processes are.
  let drivers: RecipeDrivers | undefined;
  try {
    drivers = externalRecipe(recipe) ? startDrivers(recipe, w.clients, outer.clock, variant?.oneClientPerProcess ? w.clients : undefined) : undefined;
    const ctx = drivers ? { ...outer, pool: drivers.pool } : outer;
    ctx.progress.recipeStart(recipe, 'acquisitions');
    const extras = (await variant?.prepare(lockPath, ctx.pool)) ?? {};
    const queued = w.warmupUntil === 'queued';
    const open = lockOpenLoopOf(w);
    const plans: ClientsPlan[] = splitClients(w.clients, ctx.pool.size).map((clientIds) => ({
      scenario: variant?.scenario ?? 'lock-contention',
      sessions: clientIds.length,
      plan: {
        recipe,
        lockPath,
        clientIds,
        holdMs: w.holdMs,
        acquireTimeoutMs: w.acquireTimeoutMs,
        giveUpShare: w.giveUpShare,
        giveUpAfterMs: w.giveUpAfterMs,
        acquisitions: w.acquisitions,
        seed: w.seed,
        recovery: w.recovery,
        ...(queued ? { warmupUntilQueued: true } : {}),
        ...(open ? { open: openLoopPlan(open, clientIds, w.clients) } : {}),
        ...extras,
      } satisfies LockClientsPlan,
    }));
    const view = new ServerViewWindow(ctx);
    const gate = queued ? { what: 'every client to queue once', limitS: w.warmupLimitS ?? 600 } : undefined;
    const run = await runOnSchedule(ctx, recipe, plans, { atMeasureStart: () => void view.atStart(), atMeasureEnd: () => view.atEnd() }, gate);
    const { results, window, connectMs } = run;
    const seen = await view.finish();
    // Each present result's clock bound (remote workers; 0 for local processes), aligned with the reports.
    const clocks = ctx.pool.clocks();
    const clockBoundsNs = run.byProcess.flatMap((r, i) => (r ? [clocks[i]?.boundNs ?? 0] : []));

    const counters = emptyCounters();
    for (const r of results) addCounters(counters, r.counters);
    const uncounted = results.find((r) => r.uncounted !== undefined)?.uncounted;
    const reports = results.map((r) => r.report as LockClientsReport);
    const outcome = lockMetrics({
      reports,
      clockBoundsNs,
      counters: uncounted === undefined ? counters : undefined,
      health: results.map((r) => r.health),
      sessionsExpired: results.reduce((s, r) => s + r.sessionsExpired, 0),
      measureFrom: window.measureFrom,
      stopAt: window.stopAt,
    });
    const firstAcquisitionAt = reports
      .flatMap((r) => r.holds)
      .reduce<number | undefined>((first, h) => (first === undefined || h.tHeld < first ? h.tHeld : first), undefined);
    const added = variant?.finish(reports, window) ?? { metrics: [], notes: [] };
    if (open) {
      const paced = openLoopOutcome(open, reports, w.clients, w.durationS ?? 0);
      added.metrics.push(...paced.metrics);
      added.notes.push(...paced.notes);
    }
    const acquisitions = scalarValue(outcome.metrics, 'acquisitions') ?? 0;
    added.metrics.push(...serverCostMetrics(seen.view, acquisitions), driverCpuPerAcquire(results.map((r) => r.health), acquisitions));
    if (uncounted !== undefined) added.notes.push(`zk_ops_per_acquire and notifications_per_acquire not measured: ${uncounted}`);
    if (drivers) {
      added.notes.push(drivers.describe(w.clients));
      added.metrics.push(...gcMetrics(results.map((r) => r.health as ExternalDriverHealth)));
    }
    const lostProcesses = (drivers?.pool.lost() ?? []).map((l) => `${l.name} (pid ${ctx.pool.pids()[l.index] ?? '?'}) died ${(l.atNs / 1e9).toFixed(2)} s into the run: ${l.reason}`);
    if (lostProcesses.length > 0) added.notes.push(`partial: ${lostProcesses.join('; ')}; its clients' figures are missing from this result`);
    if (queued) {
      added.metrics.push(...queueMetrics(reports, window));
      const left = reports.reduce((n, r) => n + (r.queue?.left ?? 0), 0);
      if (left > 0) added.notes.push(`warm-up until queued: ${left} client(s) left the run before they ever queued (no session could be had) and were not waited for`);
    }
    return {
      ...outcome,
      metrics: [...outcome.metrics, ...added.metrics, ...seen.metrics],
      ...(added.notes.length > 0 ? { notes: added.notes } : {}),
      serverView: seen.view,
      recipe,
      clients: w.clients,
      health: results.map((r) => r.health),
      connectMs,
      firstAcquisitionAt,
      startedAt,
      endedAt: new Date(),
      interrupted: ctx.signal.aborted,
      completedOps: completedOps(run),
      timeline: scheduledTimeline(recipe, run),
      ...(lostProcesses.length > 0 ? { lostProcesses } : {}),
      ...(drivers ? { driverFiles: await drivers.close() } : {}),
    };
  } finally {
    await drivers?.close().catch(() => undefined);
    // Best effort: the run's namespace is removed as a whole at the end anyway.
    await deleteTree(outer.admin, lockPath).catch(() => undefined);
  }
}

/**
 * Open loop: `latency` from each attempt's intended start and `service_time` from its actual start (the
 * acquire() call: the same span as `acquire`, named as for every open-loop scenario), and the pacing figures.
 */
function openLoopOutcome(open: OpenLoopSettings, reports: readonly LockClientsReport[], clients: number, windowS: number): { metrics: Metric[]; notes: string[] } {
  const counts = reports.reduce((sum, r) => (r.pacer ? addPacerCounts(sum, r.pacer) : sum), emptyPacerCounts());
  const figures = openLoopFigures(counts, targetRate(open, clients), windowS);
  return {
    metrics: [
      distribution('latency', mergeEncoded(reports.flatMap((r) => r.latency ?? []))),
      distribution('service_time', mergeEncoded(reports.map((r) => r.acquire))),
      ...figures.metrics,
    ],
    notes: [
      `open loop at ${open.rate} attempts/s ${open.ratePer === 'client' ? 'per client' : 'in all'}, one at a time per client; ` +
        'latency is timed from each attempt\'s intended start; acquire and service_time from its acquire() call',
      ...figures.notes,
    ],
  };
}

/**
 * warmup_until queued: when the queue had formed (every client queued once) and when the measured window
 * opened, both in seconds from the clients' start; the first is never after the second.
 */
function queueMetrics(reports: readonly LockClientsReport[], window: RunWindow): Metric[] {
  const formed = reports.map((r) => r.queue?.formedAt);
  const formedAt = formed.every((t): t is number => t !== undefined) ? Math.max(...formed) : undefined;
  return [
    scalar('queue_formed_s', 's', formedAt === undefined ? Number.NaN : (formedAt - window.startAt) / 1e9),
    scalar('measure_from_s', 's', window.pending ? Number.NaN : (window.measureFrom - window.startAt) / 1e9),
  ];
}
