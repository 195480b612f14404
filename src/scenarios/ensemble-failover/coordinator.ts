// The coordinator side of ensemble-failover: a counter node per client, the clients on the load processes
// on one schedule with the workload's faults, every fault's moment passed to the processes as it takes
// effect (their sessions' unavailability is measured around it), then every counter read back.
import { throughputMetrics } from '../../measure/throughput-metrics.ts';
import { unmeasured } from '../../measure/metrics.ts';
import { timeToEventMetric } from '../../measure/time-to-event.ts';
import { splitClients } from '../../workers/pool.ts';
import { ZNONODE } from '../../zk/binding.ts';
import { isZkError } from '../../zk/errors.ts';
import { ZkSession } from '../../zk/session.ts';
import { deleteTree, ensurePath } from '../../zk/tree.ts';
import type { RecipeRunContext } from '../context.ts';
import type { RecipeResult } from '../../results/recipe-result.ts';
import type { ClientsPlan } from '../../workers/protocol.ts';
import { completedOps, runOnSchedule, scheduledTimeline } from '../schedule.ts';
import { ServerViewWindow } from '../server-view-window.ts';
import { failoverFigures, recoveryCase } from './figures.ts';
import { replacementFigures } from './replacements.ts';
import type { EnsembleFailoverWorkload } from './workload.ts';
import type { FailoverPlan, FailoverWorkerReport, FaultTookEffect } from './plan.ts';

const CREATE_BATCH = 200;
/** How often the coordinator looks for faults that took effect, ms. */
const FAULT_POLL_MS = 5;
/** How long reading the counters back may retry while the ensemble settles, ms. */
const READ_BACK_MS = 60_000;

/**
 * A counter's value after the run, read by a session of its own (one that lived through the faults may still
 * be reconnecting); the ensemble may still be settling after the last fault, so retried a while.
 */
async function readCounter(ctx: RecipeRunContext, reader: ZkSession, path: string): Promise<number> {
  const deadline = Date.now() + READ_BACK_MS;
  for (;;) {
    try {
      return Number((await reader.get(path)).data.toString());
    } catch (err) {
      if (Date.now() > deadline || ctx.signal.aborted || !isZkError(err) || err.code === ZNONODE) throw err;
      ctx.progress.phase(`reading ${path} back: ${(err as Error).message}; retrying`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

export async function runRecipe(ctx: RecipeRunContext, recipe: string): Promise<RecipeResult[]> {
  const w = ctx.workload as EnsembleFailoverWorkload;
  const startedAt = new Date();
  const nodesPath = `${ctx.namespace}/ensemble-failover`;
  await ensurePath(ctx.admin, nodesPath);
  try {
    ctx.progress.recipeStart(recipe, 'requests');
    ctx.progress.phase(`${recipe}: creating ${w.clients} counters`);
    for (let i = 0; i < w.clients; i += CREATE_BATCH) {
      await Promise.all(Array.from({ length: Math.min(CREATE_BATCH, w.clients - i) }, (_, k) => ctx.admin.create(`${nodesPath}/${i + k}`, '0')));
    }
    const writers = Math.round((w.clients * w.writePercent) / 100);
    const plans: ClientsPlan[] = splitClients(w.clients, ctx.pool.size).map((clientIds) => ({
      scenario: 'ensemble-failover',
      sessions: clientIds.length,
      plan: { nodesPath, clientIds, writers } satisfies FailoverPlan,
    }));
    // Every fault, once it has taken effect, to every process: their sessions answer with their gap around it.
    const told = new Set<number>();
    const tell = (): void => {
      for (const r of ctx.faults?.records ?? []) {
        if (r.entry === undefined || r.atNs === undefined || told.has(r.entry)) continue;
        told.add(r.entry);
        for (let p = 0; p < ctx.pool.size; p++) ctx.pool.post(p, { entry: r.entry, atNs: r.atNs } satisfies FaultTookEffect);
      }
    };
    const poll = setInterval(tell, FAULT_POLL_MS);
    const view = new ServerViewWindow(ctx);
    let run;
    try {
      run = await runOnSchedule(ctx, recipe, plans, { atMeasureStart: () => view.atStart(), atMeasureEnd: () => view.atEnd() });
    } finally {
      clearInterval(poll);
    }
    const seen = await view.finish();
    const reports = run.results.map((r) => r.report as FailoverWorkerReport);
    // After the run: what every writer's counter holds, against what was acknowledged to it.
    const finalValues = new Map<number, number>();
    // Unreadable counters leave lost_writes not measured (a `lost_writes == 0` threshold then fails), with why.
    let unread: string | undefined;
    try {
      const reader = await ZkSession.open({ ...ctx.sessions, signal: ctx.signal });
      try {
        for (let id = 0; id < writers; id++) finalValues.set(id, await readCounter(ctx, reader, `${nodesPath}/${id}`));
      } finally {
        reader.close();
      }
    } catch (err) {
      unread = `the counters could not be read back after the run (${(err as Error).message})`;
    }
    const done = (ctx.faults?.records ?? []).filter((r) => r.entry !== undefined && r.atNs !== undefined);
    const labels = new Map(done.map((r) => [r.entry!, `${r.action} ${r.target} at ${((r.scheduledMs ?? 0) / 1000).toFixed(1)} s: server ${r.server} (${r.role})`]));
    const figures = failoverFigures(reports, unread === undefined ? finalValues : undefined, labels);
    const replacements = replacementFigures(reports);
    const timeline = scheduledTimeline(recipe, run);
    const recovery = done.map((r, i) => {
      // Up to the next fault, never past the clients' stop (nothing completes after it).
      const end = run.window.stopAt ?? timeline.to;
      const until = Math.min(done[i + 1]?.atNs ?? end, end);
      const c = recoveryCase(timeline, timeline.intervals, { entry: r.entry!, atNs: r.atNs! }, until);
      return c === undefined ? [] : [timeToEventMetric(`recovery.${r.entry}`, [c])!];
    });
    const outcome = throughputMetrics({
      reports,
      health: run.results.map((r) => r.health),
      windowS: w.durationS ?? 0,
      // A killed and restarted server is a new process: no one CPU counter spans the window.
      serverCpuS: { notMeasured: 'not taken in a failover run: a killed or restarted server\'s CPU counter does not span the measured window' },
      sessionsExpired: run.results.reduce((s, r) => s + r.sessionsExpired, 0),
    });
    const result: RecipeResult = {
      ...outcome,
      metrics: [
        ...outcome.metrics,
        ...figures.metrics,
        ...(unread !== undefined ? [unmeasured('lost_writes', 'count', unread)] : []),
        ...replacements.metrics,
        ...recovery.flat(),
        ...seen.metrics,
      ],
      serverView: seen.view,
      recipe,
      clients: w.clients,
      violations: [],
      windowS: w.durationS ?? 0,
      health: run.results.map((r) => r.health),
      connectMs: run.connectMs,
      firstAcquisitionAt: undefined,
      startedAt,
      endedAt: new Date(),
      interrupted: ctx.signal.aborted,
      completedOps: completedOps(run),
      timeline,
      notes: [
        `${writers} writer(s) (conditional setData of their own counter) and ${w.clients - writers} reader(s) (getData), closed loop`,
        ...done.map((r) => `fault ${r.entry}: ${labels.get(r.entry!)}: unavailable.${r.entry}, recovery.${r.entry}`),
        ...figures.notes,
        ...replacements.notes,
        ...(unread !== undefined ? [`lost_writes not measured: ${unread}`] : []),
      ],
    };
    return [result];
  } finally {
    await deleteTree(ctx.admin, nodesPath).catch(() => undefined);
  }
}
