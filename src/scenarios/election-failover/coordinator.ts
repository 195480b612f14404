// The coordinator side of election-failover, for one recipe: a fresh election node, one candidate per load
// process, the leader failed on the measured window's clock (stage.ts), then the figures from the failures
// and every candidate's terms (figures.ts).
import { driverMetrics } from '../../measure/driver-metrics.ts';
import { newLatencyHistogram, recordNs } from '../../measure/histogram.ts';
import { distribution, scalar, type Metric, errorMetrics } from '../../measure/metrics.ts';
import { timeToEventMetric } from '../../measure/time-to-event.ts';
import type { ElectionRecipeId } from '../../recipes/election/types.ts';
import { ZkSession } from '../../zk/session.ts';
import { deleteTree, ensurePath } from '../../zk/tree.ts';
import type { RecipeRunContext } from '../context.ts';
import type { RecipeResult } from '../../results/recipe-result.ts';
import type { ClientsPlan } from '../../workers/protocol.ts';
import { runStaged } from '../staged-window.ts';
import { electionFigures, failureOrder, FAILURE_KINDS, type ElectionFigures } from './figures.ts';
import type { ElectionFailoverWorkload } from './workload.ts';
import type { CandidateReport, ElectionPlan, FromCandidate } from './plan.ts';
import { FailoverStage } from './stage.ts';
import { externalRecipe } from '../../drivers/catalog.ts';
import { startDrivers } from '../../drivers/driver-processes.ts';

const LISTED = 5;

const histogramOf = (ns: readonly number[]) => {
  const h = newLatencyHistogram();
  for (const v of ns) recordNs(h, v);
  return h;
};

export async function runRecipe(outer: RecipeRunContext, recipe: string): Promise<RecipeResult[]> {
  // An external recipe's candidates run in driver processes of their own, one each (src/drivers/).
  const drivers = externalRecipe(recipe) ? startDrivers(recipe, outer.workload.clients, outer.clock, outer.workload.clients) : undefined;
  try {
    const results = await runCandidates(drivers ? { ...outer, pool: drivers.pool } : outer, recipe);
    if (!drivers) return results;
    const driverFiles = await drivers.close();
    return results.map((r) => ({ ...r, driverFiles, notes: [drivers.describe(outer.workload.clients), ...(r.notes ?? [])] }));
  } finally {
    await drivers?.close().catch(() => undefined);
  }
}

async function runCandidates(ctx: RecipeRunContext, recipe: string): Promise<RecipeResult[]> {
  const w = ctx.workload as ElectionFailoverWorkload;
  const startedAt = new Date();
  const electionPath = `${ctx.namespace}/election-${recipe}`;
  await ensurePath(ctx.admin, electionPath);
  ctx.progress.recipeStart(recipe, 'elections');
  const order = failureOrder({ close: w.leaderCloses, crash: w.leaderCrashes, pause: w.leaderPauses });
  const plans: ClientsPlan[] = Array.from({ length: ctx.pool.size }, (_, candidate) => ({
    scenario: 'election-failover',
    sessions: 1,
    plan: { recipe: recipe as ElectionRecipeId, electionPath, candidate } satisfies ElectionPlan,
  }));
  const observerOpenedAt = performance.now();
  const observer = await ZkSession.open({ ...ctx.sessions, signal: ctx.signal });
  const observerConnectMs = performance.now() - observerOpenedAt;
  const stage = new FailoverStage({
    pool: ctx.pool,
    clock: ctx.clock,
    observer,
    electionPath,
    order,
    intervalNs: ((w.durationS ?? 0) * 1e9) / Math.max(1, order.length),
    pauseMs: w.leaderPauseMs,
  });
  ctx.pool.onScenarioMessage((_p, data) => stage.onMessage(data as FromCandidate));
  try {
    const { run, coordinatorHealth, server: seen, timeline } = await runStaged(ctx, recipe, plans, stage, {
      source: 'failover',
      explainStagingFailure: (message) =>
        `staging the leader's failures failed: ${message} (the observer session was lost: connections cut, or a host too busy for session_timeout_ms)`,
    });
    const endNs = run.window.stopAt ?? ctx.clock.now();
    const alive = run.byProcess.flatMap((r) => (r ? [r] : []));
    const health = [...alive.map((r) => r.health), coordinatorHealth];
    const connectMs = [...run.connectMs, observerConnectMs];
    const reports = alive.map((r) => r.report as CandidateReport);
    const terms = stage.allTerms();
    const figures = electionFigures(stage.failures, terms, endNs);
    const driver = driverMetrics(health);
    return [
      {
        recipe,
        clients: ctx.pool.size,
        metrics: [
          ...electionMetrics(figures, terms.filter((t) => t.leadNs >= run.window.measureFrom).length),
          ...errorMetrics(reports),
          scalar('sessions_expired', 'count', run.results.reduce((s, r) => s + r.sessionsExpired, 0)),
          ...driver.metrics,
          ...seen.metrics,
        ],
        violations: figures.violations,
        driverSaturated: driver.saturated,
        windowS: w.durationS ?? 0,
        health,
        connectMs,
        firstAcquisitionAt: terms[0]?.leadNs,
        startedAt,
        endedAt: new Date(),
        interrupted: ctx.signal.aborted,
        // No completedOps: an election has no operations whose latency the timeline could show.
        timeline,
        serverView: seen.view,
        notes: [
          `${ctx.pool.size} candidates, each alone in a load process; ${stage.failures.length} failure(s) of the application leader staged ` +
            `(${FAILURE_KINDS.map((k) => `${stage.failures.filter((f) => f.kind === k).length} ${k}`).join(', ')}); a closed or paused candidate rejoins on a fresh session; ` +
            `driver health, errors and sessions_expired cover the processes not killed (then the coordinator, for driver health)`,
          `recovery: from the failure (close() called, SIGKILL, SIGSTOP) to another candidate's "I lead"; a crash is detection (to the dead leader's node ` +
            `seen deleted by an observer's exists watch, i.e. its session expired, or the next leader, whichever came first) + takeover; ` +
            `violations: terms that began while another candidate still believed it led (a paused leader believes until its client reports the expiry; ` +
            `pause_wake_to_loss: from its SIGCONT to that report)`,
          ...stage.notes,
          ...resultNotes(figures, reports),
        ],
      },
    ];
  } finally {
    stage.abort(); // continues a process still paused (a failed run), before the pool closes
    ctx.pool.onScenarioMessage(undefined);
    observer.close();
    // A crashed leader's node lives until its session expires.
    await deleteTree(ctx.admin, electionPath, w.sessionTimeoutMs + 2000).catch(() => undefined);
  }
}

function electionMetrics(f: ElectionFigures, termsMeasured: number): Metric[] {
  return [
    // Censored cases included (no new leader inside a failure's window); no failure of a kind: an empty figure.
    timeToEventMetric('recovery.close', f.recovery.close) ?? distribution('recovery.close', newLatencyHistogram()),
    timeToEventMetric('recovery.crash', f.recovery.crash) ?? distribution('recovery.crash', newLatencyHistogram()),
    timeToEventMetric('recovery.pause', f.recovery.pause) ?? distribution('recovery.pause', newLatencyHistogram()),
    timeToEventMetric('crash_detection', f.crashDetection) ?? distribution('crash_detection', newLatencyHistogram()),
    timeToEventMetric('crash_takeover', f.crashTakeover) ?? distribution('crash_takeover', newLatencyHistogram()),
    timeToEventMetric('pause_wake_to_loss', f.pauseWakeToLoss) ?? distribution('pause_wake_to_loss', newLatencyHistogram()),
    scalar('elections', 'count', termsMeasured),
    scalar('failures', 'count', f.outcomes.length),
    scalar('unrecovered', 'count', f.unrecovered.length),
    scalar('violations', 'count', f.violations.length),
    scalar('violation_time', 'ms', f.violationNs / 1e6),
  ];
}

function resultNotes(f: ElectionFigures, reports: readonly CandidateReport[]): string[] {
  const notes: string[] = [];
  if (f.unrecovered.length > 0) {
    notes.push(`${f.unrecovered.length} failure(s) had no new leader before the run ended: ${f.unrecovered.slice(0, LISTED).map((u) => `${u.kind} of candidate ${u.candidate}`).join('; ')}`);
  }
  const unlearned = f.pauseWakeToLoss.filter((c) => c.censored).length;
  if (unlearned > 0) {
    notes.push(`${unlearned} paused leader(s) had not learned they lost when the run ended: their overlap is counted to the end, and pause_wake_to_loss counts them as censored at the run's end (raise duration_s)`);
  }
  if (f.violations.length > 0) {
    const named = f.violations.slice(0, LISTED).map((v) => `candidate ${v.intruder.client} led while candidate ${v.holder.client} still believed it did (${(v.overlapNs / 1e6).toFixed(0)} ms)`);
    notes.push(`${f.violations.length} violation(s), two leaders for ${(f.violationNs / 1e6).toFixed(0)} ms in all: ${named.join('; ')}`);
  }
  const messages = [...new Set(reports.flatMap((r) => r.errorMessages))].slice(0, LISTED);
  if (messages.length > 0) notes.push(`errors: ${messages.join('; ')}`);
  return notes;
}
