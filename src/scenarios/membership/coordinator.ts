// The coordinator side of the membership scenario, for one recipe: a fresh group node, the clients and
// servers spread over the load processes (crash victims alone in theirs), the churn applied on the
// measured window's clock, then the membership figures from every client's lists and the change records.
import { driverMetrics } from '../../measure/driver-metrics.ts';
import { mergeEncoded, newLatencyHistogram } from '../../measure/histogram.ts';
import { distribution, scalar, type Metric, errorMetrics, scalarOr } from '../../measure/metrics.ts';
import { timeToEventMetric } from '../../measure/time-to-event.ts';
import type { MembershipRecipeId } from '../../recipes/membership/types.ts';
import { ZkSession } from '../../zk/session.ts';
import { deleteTree, ensurePath } from '../../zk/tree.ts';
import type { RecipeRunContext } from '../context.ts';
import type { RecipeResult } from '../../results/recipe-result.ts';
import type { ClientsPlan } from '../../workers/protocol.ts';
import { completedOps } from '../schedule.ts';
import { runStaged } from '../staged-window.ts';
import { planChurn } from './churn.ts';
import { membershipFigures, type MembershipFigures } from './figures.ts';
import { churnIntervalMs, type MembershipWorkload } from './workload.ts';
import { layOut } from './layout.ts';
import type { FromMembers, MembershipReport } from './plan.ts';
import { ChurnStage } from './stage.ts';

/** Mismatched final lists and unconverged changes named in the notes, at most. */
const LISTED = 5;

const OBSERVER_TIMEOUT_MS = 30_000;

export async function runRecipe(ctx: RecipeRunContext, recipe: string): Promise<RecipeResult[]> {
  const w = ctx.workload as MembershipWorkload;
  const startedAt = new Date();
  const groupPath = `${ctx.namespace}/membership-${recipe}`;
  await ensurePath(ctx.admin, groupPath);
  ctx.progress.recipeStart(recipe, 'views');
  const churn = planChurn({ members: w.members, joins: w.joins, leaves: w.leaves, crashes: w.crashes, seed: w.seed });
  const layout = layOut(churn, w.clients, ctx.pool.size, recipe as MembershipRecipeId, groupPath);
  const plans: ClientsPlan[] = layout.plans.map((plan) => ({ scenario: 'membership', sessions: plan.clientIds.length + plan.servers.length, plan }));
  const observerOpenedAt = performance.now();
  // The observer only timestamps deletions: a long timeout (capped by the servers at 20 ticks) keeps a
  // busy coordinator from losing it to the workload's deliberately short one.
  const observer = await ZkSession.open({ ...ctx.sessions, sessionTimeoutMs: Math.max(ctx.sessions.sessionTimeoutMs, OBSERVER_TIMEOUT_MS), signal: ctx.signal });
  const observerConnectMs = performance.now() - observerOpenedAt;
  const stage = new ChurnStage({
    pool: ctx.pool,
    clock: ctx.clock,
    observer,
    churn,
    layout,
    groupPath,
    intervalNs: churnIntervalMs(w) * 1e6,
    sessionTimeoutMs: w.sessionTimeoutMs,
  });
  ctx.pool.onScenarioMessage((p, data) => stage.onMessage(p, data as FromMembers));
  try {
    // The coordinator times the crashes and the deletions: its own loop's delay is a driver figure too.
    const { run, coordinatorHealth, server: seen, timeline } = await runStaged(ctx, recipe, plans, stage, { source: 'churn' });
    // The client processes, then the coordinator (the crash victims are dead and report nothing).
    const health = [...run.byProcess.slice(0, layout.clientProcesses).map((r) => r!.health), coordinatorHealth];
    const connectMs = [...run.connectMs.slice(0, layout.clientProcesses), observerConnectMs];
    const reports = run.byProcess.slice(0, layout.clientProcesses).map((r) => r!.report as MembershipReport);
    const live = stage.live();
    const untilNs = run.window.stopAt ?? ctx.clock.now();
    const figures = membershipFigures({ changes: stage.records(), clients: reports.flatMap((r) => r.clients), live, untilNs });
    const driver = driverMetrics(health);
    return [
      {
        recipe,
        clients: w.clients,
        metrics: [
          ...membershipMetrics(figures, reports, w.clients),
          ...errorMetrics(reports),
          scalar('sessions_expired', 'count', run.results.reduce((s, r) => s + r.sessionsExpired, 0)),
          ...driver.metrics,
          ...seen.metrics,
        ],
        violations: [],
        driverSaturated: driver.saturated,
        windowS: w.durationS ?? 0,
        health,
        connectMs,
        firstAcquisitionAt: undefined,
        startedAt,
        endedAt: new Date(),
        interrupted: ctx.signal.aborted,
        completedOps: completedOps(run),
        timeline,
        serverView: seen.view,
        notes: [
          `${layout.clientProcesses} load process(es) hold the ${w.clients} clients and the servers that join and leave; ` +
            `${churn.victims.length} crash victim(s) each alone in a load process that the crash SIGKILLs; ` +
            `driver health lists those ${layout.clientProcesses} processes, then the coordinator (it times crashes and deletions)`,
          `crash detection ends at an observer session's NodeDeleted event for the server's node (an exists watch from the coordinator) or a client's list without it, whichever came first`,
          ...stage.notes,
          ...resultNotes(figures, reports),
        ],
      },
    ];
  } finally {
    ctx.pool.onScenarioMessage(undefined);
    observer.close();
    // A crashed server's node lives until its session expires.
    await deleteTree(ctx.admin, groupPath, w.sessionTimeoutMs + 2000).catch(() => undefined);
  }
}

function membershipMetrics(f: MembershipFigures, reports: readonly MembershipReport[], clients: number): Metric[] {
  const changes = f.changes.join + f.changes.leave + f.changes.crash;
  const caseLists = {
    'converge.join': f.converge.join,
    'converge.leave': f.converge.leave,
    'converge.crash': f.converge.crash,
    crash_detection: f.crashDetection,
    crash_propagation: f.crashPropagation,
  };
  const reads = reports.reduce((n, r) => n + r.readsMeasured, 0);
  return [
    // No change of a kind: an empty figure, as before (count 0).
    ...(['converge.join', 'converge.leave', 'converge.crash', 'crash_detection', 'crash_propagation'] as const).map(
      (name) => timeToEventMetric(name, caseLists[name]) ?? distribution(name, newLatencyHistogram()),
    ),
    distribution('relist', mergeEncoded(reports.map((r) => r.relist))),
    scalar('changes', 'count', changes),
    scalar('views', 'count', reports.reduce((n, r) => n + r.viewsMeasured, 0)),
    scalar('unconverged', 'count', f.unconverged),
    scalar('stale_views', 'count', f.staleViews),
    scalar('final_view_mismatches', 'count', f.finalMismatches.length),
    scalarOr('reads_per_change', 'requests/change/client', changes > 0 && clients > 0 ? reads / changes / clients : undefined, 'no membership change in the measured window'),
  ];
}

function resultNotes(f: MembershipFigures, reports: readonly MembershipReport[]): string[] {
  const notes: string[] = [];
  if (f.finalMismatches.length > 0) {
    const named = f.finalMismatches
      .slice(0, LISTED)
      .map((m) => `client ${m.client}${m.missing.length ? ` lacks live server(s) ${m.missing.join(', ')}` : ''}${m.extra.length ? ` lists gone server(s) ${m.extra.join(', ')}` : ''}`);
    notes.push(`FINAL LISTS WRONG: ${f.finalMismatches.length} client(s) ended without the live servers' list: ${named.join('; ')}`);
  }
  const unconverged = f.outcomes.filter((o) => o.convergeNs === undefined);
  if (unconverged.length > 0) {
    const named = unconverged.slice(0, LISTED).map((o) => `${o.change.kind} of server ${o.change.server} (${o.lagging} client(s) never reflected it)`);
    notes.push(`${unconverged.length} change(s) never reached every client: ${named.join('; ')}`);
  }
  if (f.staleViews > 0) notes.push(`${f.staleViews} stale list(s): a client listed a server again after dropping it`);
  const messages = [...new Set(reports.flatMap((r) => r.errorMessages))].slice(0, LISTED);
  if (messages.length > 0) notes.push(`errors: ${messages.join('; ')}`);
  return notes;
}
