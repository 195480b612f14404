// The primitives workload, for one request kind: tinybench drives a single session through it, one
// request at a time, for the workload's duration (after its warm-up); every request's latency goes into
// an HdrHistogram like any other figure, and tinybench's own margin of error is reported beside it.
// Runs in the coordinating process: one session needs no load processes. Every request, warm-up
// included, also goes into the timeline by its completion; the measured part starts on an interval
// boundary (after a pause of under 100 ms), so each interval is all warm-up or all measured.
import { Bench } from 'tinybench';
import type { RunClock } from '../../measure/clock.ts';
import { DriverHealthMonitor } from '../../measure/driver-health.ts';
import { driverMetrics, driverUnknownReason } from '../../measure/driver-metrics.ts';
import { newLatencyHistogram, recordNs } from '../../measure/histogram.ts';
import { distribution, scalar, scalarOr } from '../../measure/metrics.ts';
import { intervalIndex, intervalStart, IntervalRecorder, recipeTimeline } from '../../measure/timeline.ts';
import { ZOO_PERSISTENT_SEQUENTIAL } from '../../zk/binding.ts';
import { watchSessionEvents } from '../../zk/session-events.ts';
import { ZkSession } from '../../zk/session.ts';
import { deleteTree, ensurePath } from '../../zk/tree.ts';
import type { RecipeRunContext } from '../context.ts';
import type { RecipeResult } from '../../results/recipe-result.ts';
import { ServerViewWindow } from '../server-view-window.ts';
import type { PrimitiveOp } from './ops.ts';

/** Resolves once the run clock has reached `t`. */
async function until(clock: RunClock, t: number): Promise<void> {
  while (clock.now() < t) await new Promise((r) => setTimeout(r, Math.ceil((t - clock.now()) / 1e6)));
}

export async function runRecipe(ctx: RecipeRunContext, recipe: string): Promise<RecipeResult[]> {
  return [await runPrimitive(ctx, recipe as PrimitiveOp)];
}

async function runPrimitive(ctx: RecipeRunContext, op: PrimitiveOp): Promise<RecipeResult> {
  const w = ctx.workload;
  const startedAt = new Date();
  const base = `${ctx.namespace}/${op}`;
  const payload = Buffer.alloc(w.payloadBytes, 0x7a);
  ctx.progress.recipeStart(op, 'requests');
  ctx.progress.phase(`${op}: one session, one request at a time`);
  await ensurePath(ctx.admin, `${base}/target`);
  await ctx.admin.set(`${base}/target`, payload);
  const session = await ZkSession.open({ ...ctx.sessions, signal: ctx.signal });
  const latency = newLatencyHistogram();
  let measuring = false;
  let queued: string[] = [];
  const target = `${base}/target`;
  const request: Record<PrimitiveOp, () => Promise<unknown>> = {
    create: () => session.create(`${base}/n-`, payload, ZOO_PERSISTENT_SEQUENTIAL),
    get: () => session.get(target),
    set: () => session.set(target, payload),
    exists: () => session.exists(target),
    getChildren: () => session.getChildren(base),
    delete: () => session.delete(queued.pop()!),
    sync: () => session.sync(target),
  };
  const clock = ctx.clock;
  const startAt = clock.now();
  const timeline = new IntervalRecorder(startAt);
  const unwatch = watchSessionEvents(session, (e) => timeline.event(clock.now(), 'session', e));
  let errors = 0;
  let completed = 0;
  let warmupRequests = 0;
  const timed = async (): Promise<void> => {
    const t0 = clock.now();
    try {
      await request[op]();
    } catch (err) {
      errors++;
      timeline.failed(clock.now());
      throw err; // tinybench ends the task: a failing primitive has no latency worth reporting
    }
    const t1 = clock.now();
    completed++;
    timeline.completed(t1, t1 - t0);
    if (measuring) recordNs(latency, t1 - t0);
    else warmupRequests++;
  };
  // delete needs a node per iteration: created before it, outside the timing.
  const hooks = op === 'delete' ? { beforeEach: async () => void queued.push(await session.create(`${base}/d-`, payload, ZOO_PERSISTENT_SEQUENTIAL)) } : {};
  const health = new DriverHealthMonitor();
  const startMs = performance.now();
  const durationS = w.durationS ?? 1;
  // Live rate as the final figure defines it (the inverse of the mean latency), so the two agree.
  const ticker = setInterval(() => {
    const n = latency.totalCount;
    ctx.progress.tick({
      elapsedS: (performance.now() - startMs) / 1000,
      plannedS: w.warmupS + durationS,
      measuring,
      count: measuring ? n : warmupRequests,
      ratePerS: measuring && n > 0 ? 1e6 / latency.mean : undefined,
    });
  }, 500);
  // tinybench adds abort listeners for every Bench and task and never removes them: it gets a signal of
  // its own per operation, tied to the run's by one listener removed at the end (else they pile up on
  // the run's signal, one set per operation: MaxListenersExceededWarning).
  const benchStop = new AbortController();
  const forwardAbort = (): void => benchStop.abort(ctx.signal.reason);
  ctx.signal.addEventListener('abort', forwardAbort, { once: true });
  if (ctx.signal.aborted) forwardAbort();
  try {
    const warm = new Bench({ time: w.warmupS * 1000, iterations: 1, warmup: false, signal: benchStop.signal });
    warm.add(op, timed, hooks);
    if (w.warmupS > 0) await warm.run();
    const measureFrom = w.warmupS > 0 ? intervalStart(timeline.grid, intervalIndex(timeline.grid, clock.now() - 1) + 1) : startAt;
    // One session, driven from here: the servers' window opens before the first measured request.
    const view = new ServerViewWindow(ctx);
    await view.atStart();
    await until(clock, measureFrom);
    measuring = true;
    queued = [];
    const bench = new Bench({ time: durationS * 1000, iterations: 1, warmup: false, signal: benchStop.signal });
    bench.add(op, timed, hooks);
    health.start();
    const t0 = performance.now();
    await bench.run();
    const windowS = (performance.now() - t0) / 1000;
    const stopAt = clock.now();
    const healthOut = health.stop();
    view.atEnd();
    const seen = await view.finish();
    const stats = bench.tasks[0]?.result;
    const rme = stats && 'latency' in stats ? stats.latency.rme : Number.NaN;
    const driver = driverMetrics([healthOut]);
    // delete issues an untimed create before each timed delete: both count in the CPU per request.
    const issued = latency.totalCount * (op === 'delete' ? 2 : 1);
    return {
      recipe: op,
      clients: 1,
      metrics: [
        distribution('latency', latency),
        // One request at a time: the rate is the inverse of the mean latency (delete's untimed creates excluded).
        scalar('throughput', 'requests/s', latency.totalCount > 0 ? 1e6 / latency.mean : Number.NaN),
        scalar('requests', 'count', latency.totalCount),
        scalar('rme', '%', rme),
        scalarOr(
          'client_cpu_per_request',
          'µs',
          issued > 0 && healthOut.cpuPct !== undefined ? ((healthOut.cpuPct / 100) * healthOut.windowS * 1e6) / issued : undefined,
          issued === 0 ? 'no request completed in the measured window' : (driverUnknownReason([healthOut]) ?? 'this process\'s CPU is unknown'),
        ),
        scalar('errors', 'count', errors),
        ...driver.metrics,
        ...seen.metrics,
      ],
      serverView: seen.view,
      violations: [],
      driverSaturated: driver.saturated,
      windowS,
      health: [healthOut],
      connectMs: [],
      firstAcquisitionAt: undefined,
      startedAt,
      endedAt: new Date(),
      interrupted: ctx.signal.aborted,
      completedOps: completed,
      timeline: recipeTimeline(op, timeline.grid, { startAt, measureFrom, stopAt }, [timeline.report()]),
    };
  } finally {
    unwatch();
    ctx.signal.removeEventListener('abort', forwardAbort);
    clearInterval(ticker);
    session.close();
    await deleteTree(ctx.admin, base).catch(() => undefined);
  }
}
