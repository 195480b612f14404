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
import { driverProcessCount, DRIVERS, externalRecipe } from '../../drivers/catalog.ts';
import { startDrivers, type RecipeDrivers } from '../../drivers/driver-processes.ts';
import { gcMetrics, type ExternalDriverHealth } from '../../drivers/external-health.ts';
import { unmeasured } from '../../measure/metrics.ts';

/** What a library's member list does not let the driver see (src/drivers/membership-events.ts). */
const LIBRARY_LISTS = "not measured for a library's member list: its reads and the watch event that started each list are inside the library";

/** Mismatched final lists and unconverged changes named in the notes, at most. */
const LISTED = 5;

const OBSERVER_TIMEOUT_MS = 30_000;

export async function runRecipe(outer: RecipeRunContext, recipe: string): Promise<RecipeResult[]> {
  const w = outer.workload as MembershipWorkload;
  const startedAt = new Date();
  const groupPath = `${outer.namespace}/membership-${recipe}`;
  await ensurePath(outer.admin, groupPath);
  const churn = planChurn({ members: w.members, joins: w.joins, leaves: w.leaves, crashes: w.crashes, seed: w.seed });
  // An external recipe (a library's, src/drivers/) runs in driver processes: the clients and servers
  // spread over the driver's share per process, each crash victim alone in one more (the crash SIGKILLs it).
  const info = externalRecipe(recipe);
  let drivers: RecipeDrivers | undefined;
  try {
    drivers = info ? startDrivers(recipe, w.clients, outer.clock, driverProcessCount(info.driver, w.clients) + churn.victims.length) : undefined;
  } catch (err) {
    await deleteTree(outer.admin, groupPath).catch(() => undefined);
    throw err;
  }
  const ctx = drivers ? { ...outer, pool: drivers.pool } : outer;
  ctx.progress.recipeStart(recipe, 'views');
  let layout: ReturnType<typeof layOut>;
  let observer: ZkSession;
  let observerConnectMs: number;
  let stage: ChurnStage;
  let plans: ClientsPlan[];
  try {
    layout = layOut(churn, w.clients, ctx.pool.size, recipe as MembershipRecipeId, groupPath);
    plans = layout.plans.map((plan) => ({ scenario: 'membership', sessions: plan.clientIds.length + plan.servers.length, plan }));
    const observerOpenedAt = performance.now();
    // The observer only timestamps deletions: a long timeout (capped by the servers at 20 ticks) keeps a
    // busy coordinator from losing it to the workload's deliberately short one.
    observer = await ZkSession.open({ ...ctx.sessions, sessionTimeoutMs: Math.max(ctx.sessions.sessionTimeoutMs, OBSERVER_TIMEOUT_MS), signal: ctx.signal });
    observerConnectMs = performance.now() - observerOpenedAt;
    stage = new ChurnStage({
      pool: ctx.pool,
      clock: ctx.clock,
      observer,
      churn,
      layout,
      groupPath,
      intervalNs: churnIntervalMs(w) * 1e6,
      sessionTimeoutMs: w.sessionTimeoutMs,
    });
  } catch (err) {
    await drivers?.close().catch(() => undefined);
    await deleteTree(outer.admin, groupPath).catch(() => undefined);
    throw err;
  }
  ctx.pool.onScenarioMessage((p, data) => stage.onMessage(p, data as FromMembers));
  try {
    // The coordinator times the crashes and the deletions: its own loop's delay is a driver figure too.
    const { run, coordinatorHealth, server: seen, timeline } = await runStaged(ctx, recipe, plans, stage, { source: 'churn' });
    // The client processes, then the coordinator (the crash victims are dead and report nothing).
    // A driver process that died unbidden has no result (its clients' lists are missing: partial).
    const present = run.byProcess.slice(0, layout.clientProcesses).filter((r) => r !== undefined);
    const health = [...present.map((r) => r.health), coordinatorHealth];
    const connectMs = [...run.connectMs.slice(0, layout.clientProcesses), observerConnectMs];
    const reports = present.map((r) => r.report as MembershipReport);
    const live = stage.live();
    const untilNs = run.window.stopAt ?? ctx.clock.now();
    const figures = membershipFigures({ changes: stage.records(), clients: reports.flatMap((r) => r.clients), live, untilNs });
    const driver = driverMetrics(health);
    const library = (m: Metric): Metric => (drivers && (m.name === 'relist' || m.name === 'reads_per_change') ? unmeasured(m.name, m.unit, LIBRARY_LISTS) : m);
    const lostProcesses = (drivers?.pool.lost() ?? [])
      .filter((l) => l.index < layout.clientProcesses) // the crash victims' processes are killed on purpose
      .map((l) => `${l.name} (pid ${ctx.pool.pids()[l.index] ?? '?'}) died ${(l.atNs / 1e9).toFixed(2)} s into the run: ${l.reason}`);
    const driverNotes = drivers
      ? [
          `${w.clients} clients and the servers that join and leave over ${layout.clientProcesses} ${info!.driver} driver process(es) (${DRIVERS[info!.driver].library}; ` +
            `up to ${DRIVERS[info!.driver].clientsPerProcess} clients each), and ${churn.victims.length} more, one per crash victim`,
          "each client's lists are the library's (the time a list was known to the application)",
          ...(lostProcesses.length > 0 ? [`partial: ${lostProcesses.join('; ')}; its clients' lists are missing from this result`] : []),
        ]
      : [];
    return [
      {
        recipe,
        clients: w.clients,
        metrics: [
          ...membershipMetrics(figures, reports, w.clients).map(library),
          ...(drivers ? gcMetrics(present.map((r) => r.health as ExternalDriverHealth)) : []),
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
          ...driverNotes,
        ],
        ...(lostProcesses.length > 0 ? { lostProcesses } : {}),
        ...(drivers ? { driverFiles: await drivers.close() } : {}),
      },
    ];
  } finally {
    ctx.pool.onScenarioMessage(undefined);
    await drivers?.close().catch(() => undefined);
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
