// The coordinator side of the throughput scenario, for one operation: a node per client, every client
// keeping one request in flight (closed loop) or sending at its share of the rate (open loop) through the
// load processes on one schedule, then the request rate, latency and the client's and servers' CPU per
// request, and in open loop the pacing figures (measure/open-loop.ts).
import type { ThroughputWorkerReport } from '../../measure/throughput-recorder.ts';
import { openLoopPlan, targetRate } from '../../measure/open-loop.ts';
import { throughputMetrics } from '../../measure/throughput-metrics.ts';
import { splitClients } from '../../workers/pool.ts';
import { deleteTree, ensurePath } from '../../zk/tree.ts';
import type { RecipeRunContext } from '../context.ts';
import type { RecipeResult } from '../../results/recipe-result.ts';
import type { ClientsPlan } from '../../workers/protocol.ts';
import { completedOps, runOnSchedule, scheduledTimeline } from '../schedule.ts';
import { ServerViewWindow } from '../server-view-window.ts';
import { openLoopOf } from './workload.ts';
import type { ThroughputOp, ThroughputPlan } from './plan.ts';

const CREATE_BATCH = 200;

const totalCpu = (m: Map<number, number>): number => [...m.values()].reduce((a, b) => a + b, 0);
/** The servers' CPU is read from /proc/<pid>/stat: only servers running on this host, with a known pid, have one. */
const SERVER_CPU_UNKNOWN = 'no server process on this host to read CPU from (an external ensemble, --connect, or its processes could not be read)';

export async function runRecipe(ctx: RecipeRunContext, recipe: string): Promise<RecipeResult[]> {
  return [await runThroughput(ctx, recipe as ThroughputOp)];
}

async function runThroughput(ctx: RecipeRunContext, op: ThroughputOp): Promise<RecipeResult> {
  const w = ctx.workload;
  const startedAt = new Date();
  const nodesPath = `${ctx.namespace}/${op}`;
  await ensurePath(ctx.admin, nodesPath);
  try {
    ctx.progress.recipeStart(op, 'requests');
    ctx.progress.phase(`${op}: creating ${w.clients} nodes`);
    const payload = Buffer.alloc(w.payloadBytes, 0x7a);
    for (let i = 0; i < w.clients; i += CREATE_BATCH) {
      const batch = Array.from({ length: Math.min(CREATE_BATCH, w.clients - i) }, (_, k) => ctx.admin.create(`${nodesPath}/${i + k}`, payload));
      await Promise.all(batch);
    }
    const open = openLoopOf(w);
    const plans: ClientsPlan[] = splitClients(w.clients, ctx.pool.size).map((clientIds) => ({
      scenario: 'throughput',
      sessions: clientIds.length,
      plan: {
        op,
        nodesPath,
        clientIds,
        payloadBytes: w.payloadBytes,
        ...(open ? { open: openLoopPlan(open, clientIds, w.clients) } : {}),
      } satisfies ThroughputPlan,
    }));
    // The servers' CPU and mntr over exactly the measured window: sampled when it opens and when it closes.
    let cpuAtStart: Promise<Map<number, number>> | undefined;
    let cpuAtEnd: Promise<Map<number, number>> | undefined;
    const view = new ServerViewWindow(ctx);
    const run = await runOnSchedule(ctx, op, plans, {
      atMeasureStart: () => {
        cpuAtStart = ctx.serverCpuSeconds();
        view.atStart();
      },
      atMeasureEnd: () => {
        cpuAtEnd = ctx.serverCpuSeconds();
        view.atEnd();
      },
    });
    const { results, connectMs } = run;
    const [before, after] = [await cpuAtStart, await cpuAtEnd];
    const seen = await view.finish();
    const outcome = throughputMetrics({
      reports: results.map((r) => r.report as ThroughputWorkerReport),
      health: results.map((r) => r.health),
      windowS: w.durationS ?? 0,
      serverCpuS: before && after && before.size > 0 ? totalCpu(after) - totalCpu(before) : { notMeasured: SERVER_CPU_UNKNOWN },
      sessionsExpired: results.reduce((s, r) => s + r.sessionsExpired, 0),
      ...(open ? { targetRate: targetRate(open, w.clients) } : {}),
    });
    return {
      metrics: [...outcome.metrics, ...seen.metrics],
      driverSaturated: outcome.driverSaturated,
      ...(outcome.notes.length > 0 ? { notes: outcome.notes } : {}),
      serverView: seen.view,
      recipe: op,
      clients: w.clients,
      violations: [],
      windowS: w.durationS ?? 0,
      health: results.map((r) => r.health),
      connectMs,
      firstAcquisitionAt: undefined,
      startedAt,
      endedAt: new Date(),
      interrupted: ctx.signal.aborted,
      completedOps: completedOps(run),
      timeline: scheduledTimeline(op, run),
    };
  } finally {
    await deleteTree(ctx.admin, nodesPath).catch(() => undefined);
  }
}
