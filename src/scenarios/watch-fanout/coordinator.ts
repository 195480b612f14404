// The coordinator side of watch-fanout, for one recipe: every point of the watcher sweep in turn, each on
// a fresh znode, with the watchers dealt over the load processes and the writer in process 0. While a
// point runs, the coordinator relays the processes' "all my watchers read v" reports to the writer and
// the writer's last version back to them; afterwards it turns their traces into the figures.
import { recipeTimeline, TIMELINE_INTERVAL_NS } from '../../measure/timeline.ts';
import type { WatchPacing } from '../../measure/watch-pacing.ts';
import type { WatchRecipeId } from '../../recipes/watch/types.ts';
import { deleteTree, ensurePath } from '../../zk/tree.ts';
import type { RecipeRunContext } from '../context.ts';
import type { RecipeResult } from '../../results/recipe-result.ts';
import type { ClientsPlan } from '../../workers/protocol.ts';
import { runOnSchedule } from '../schedule.ts';
import { ServerViewWindow } from '../server-view-window.ts';
import type { FanoutProcessReport } from './clients.ts';
import { pointFigures } from './figures.ts';
import type { WatchFanoutWorkload } from './workload.ts';
import { layoutWatchers, sessionsOf, type FanoutMessage, type FanoutProcessPlan, type SlowWatchers, type WatcherLayout } from './plan.ts';
import { externalRecipe } from '../../drivers/catalog.ts';
import { startDrivers, type RecipeDrivers } from '../../drivers/driver-processes.ts';
import { gcMetrics, type ExternalDriverHealth } from '../../drivers/external-health.ts';
import { unmeasured, type Metric } from '../../measure/metrics.ts';

/** The writer of an external recipe's points: zkbench's data-watch writer (setData; the version is the node's data version). */
const EXTERNAL_WRITER: WatchRecipeId = 'data-watch';
/** What a library's watch recipe does not let the driver see (watch-events.ts). */
const LIBRARY_REREAD = "not measured for a library's watch recipe: it re-reads the node on each watch event before telling the application, and when that read starts is inside the library";

/** The process that hosts the writer. */
const WRITER_PROCESS = 0;
/**
 * Re-arms a process sends per loop turn, after stamping the events waiting (rearm-queue.ts): ~1 ms of
 * requests between two reads of the sockets. At 1,000 watchers it halved notify_from_send p50 here
 * (66-72 ms in the callback, 17-30 ms queued; 8, 32 and 128 per turn within the noise of each other).
 */
const REARMS_PER_TURN = 32;
/** After the stop, how long the watchers get to read the last update (plus two trips of a slow link). */
const DRAIN_MS = 2000;

export async function runRecipe(ctx: RecipeRunContext, recipe: string): Promise<RecipeResult[]> {
  const w = ctx.workload as WatchFanoutWorkload;
  const results: RecipeResult[] = [];
  for (const watchers of w.watchers) {
    if (ctx.signal.aborted) break;
    results.push(await runPoint(ctx, w, recipe as WatchRecipeId, watchers));
  }
  return results;
}

export function pacingOf(w: WatchFanoutWorkload): WatchPacing {
  if (w.pacing === 'paced') return { kind: 'paced' };
  if (w.ratePerS === undefined) throw new Error('pacing "rate" needs rate_per_s');
  return { kind: 'rate', ratePerS: w.ratePerS };
}

async function runPoint(outer: RecipeRunContext, w: WatchFanoutWorkload, recipe: WatchRecipeId, watchers: number): Promise<RecipeResult> {
  const startedAt = new Date();
  const label = `${recipe}@${watchers}`;
  const path = `${outer.namespace}/${recipe}-${watchers}`;
  await ensurePath(outer.admin, path);
  // An external recipe (a client library's, src/drivers/): its watchers run in driver processes, the
  // writer in a load process of its own at index 0, one pool driven as load processes are.
  let drivers: RecipeDrivers | undefined;
  try {
    drivers = externalRecipe(recipe) ? startDrivers(recipe, watchers, outer.clock, undefined, true) : undefined;
    const ctx = drivers ? { ...outer, pool: drivers.pool } : outer;
    ctx.progress.recipeStart(label, 'updates');
    const slow: SlowWatchers = { kind: w.slowWatcherKind, delayMs: w.slowWatcherDelayMs };
    const layout = drivers ? hostFirst(layoutWatchers(watchers, drivers.channels.length, 0)) : layoutWatchers(watchers, ctx.pool.size, w.slowWatchers);
    const watchersPerProcess = layout.watcherIds.map((ids, i) => ids.length + layout.slowIds[i]!.length);
    const pacedWaitMs = w.sessionTimeoutMs;
    const pacing = pacingOf(w);
    const plans: ClientsPlan[] = layout.watcherIds.map((watcherIds, i) => {
      const plan: FanoutProcessPlan = {
        processIndex: i,
        recipe: drivers && i === WRITER_PROCESS ? EXTERNAL_WRITER : recipe,
        path,
        pacing,
        writer: i === WRITER_PROCESS,
        watcherIds,
        slowIds: layout.slowIds[i]!,
        slow,
        watchersPerProcess,
        payloadBytes: w.payloadBytes,
        session: ctx.sessions,
        rearmsPerTurn: REARMS_PER_TURN,
        pacedWaitMs,
        drainMs: DRAIN_MS + (slow.kind === 'link' && w.slowWatchers > 0 ? 4 * slow.delayMs : 0),
      };
      return { scenario: 'watch-fanout', sessions: sessionsOf(plan), plan };
    });

    // Relay: the processes' armed reports to the writer, the writer's last version to the others.
    ctx.pool.onScenarioMessage((from, data) => {
      const m = data as FanoutMessage;
      if (m.kind === 'armed' && from !== WRITER_PROCESS) ctx.pool.post(WRITER_PROCESS, m);
      if (m.kind === 'final') for (let i = 0; i < ctx.pool.size; i++) if (i !== from) ctx.pool.post(i, m);
    });
    const view = new ServerViewWindow(ctx);
    let run;
    try {
      // The schedule's progress names the sessions of this point, not the run's cap.
      const pointCtx = { ...ctx, workload: { ...w, clients: watchers + 1 } };
      run = await runOnSchedule(pointCtx, label, plans, { atMeasureStart: () => void view.atStart(), atMeasureEnd: () => view.atEnd() });
    } finally {
      ctx.pool.onScenarioMessage(undefined);
    }
    const { results, window, connectMs } = run;
    const seen = await view.finish();
    const outcome = pointFigures({
      reports: results.map((r) => r.report as FanoutProcessReport),
      health: results.map((r) => r.health),
      sessionsExpired: results.reduce((s, r) => s + r.sessionsExpired, 0),
      watchers,
      pacing,
      slow,
      windowS: w.durationS ?? 0,
      pacedWaitMs,
      measureFrom: window.measureFrom,
      stopAt: window.stopAt,
    });
    const grid = { gridFrom: window.measureFrom, intervalNs: TIMELINE_INTERVAL_NS };
    let metrics: Metric[] = [...outcome.metrics, ...seen.metrics];
    const lostProcesses = (drivers?.pool.lost() ?? []).map((l) => `${l.name} (pid ${ctx.pool.pids()[l.index] ?? '?'}) died ${(l.atNs / 1e9).toFixed(2)} s into the run: ${l.reason}`);
    if (drivers) {
      metrics = metrics.map((m) => (m.name === 'rearm' || m.name === 'unwatched' ? unmeasured(m.name, m.unit, LIBRARY_REREAD) : m));
      metrics.push(...gcMetrics(results.map((r) => r.health as ExternalDriverHealth)));
      outcome.notes.push(
        `${drivers.describe(watchers)}; the writer is zkbench's ${EXTERNAL_WRITER} writer in a load process of its own`,
        "notify_* and fanout_last time the library's call to the application, which follows its own re-read of the node (one read round trip included)",
      );
      if (lostProcesses.length > 0) outcome.notes.push(`partial: ${lostProcesses.join('; ')}; its watchers' figures are missing from this point`);
    }
    return {
      recipe,
      watchers,
      // The sessions of the point: one per watcher, and the writer's.
      clients: watchers + 1,
      metrics,
      violations: [],
      driverSaturated: outcome.driverSaturated,
      windowS: w.durationS ?? 0,
      health: results.map((r) => r.health),
      connectMs,
      firstAcquisitionAt: undefined,
      startedAt,
      endedAt: new Date(),
      interrupted: ctx.signal.aborted,
      completedOps: outcome.completedOps,
      timeline: recipeTimeline(label, grid, window, [...results.map((r) => r.timeline), outcome.notifications]),
      serverView: seen.view,
      notes: outcome.notes,
      ...(lostProcesses.length > 0 ? { lostProcesses } : {}),
      ...(drivers ? { driverFiles: await drivers.close() } : {}),
    };
  } finally {
    await drivers?.close().catch(() => undefined);
    // Best effort: the run's namespace is removed as a whole at the end anyway.
    await deleteTree(outer.admin, path).catch(() => undefined);
  }
}

/** The drivers' layout behind the writer's process (index 0, no watchers). */
function hostFirst(layout: WatcherLayout): WatcherLayout {
  return { watcherIds: [[], ...layout.watcherIds], slowIds: [[], ...layout.slowIds] };
}
