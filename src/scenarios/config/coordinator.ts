// The coordinator side of the config scenario, for one recipe: a fresh configuration znode, the readers
// pinned round robin to the servers of the connect string (so a lagging server's readers show it) and spread
// over the load processes, the writer on the first server in process 0; every reader armed before the first
// update; then the config figures (figures.ts) from every process's traces.
import { parseConnectString } from '../../ensemble/existing.ts';
import { connectStringOf } from '../../ensemble/queries.ts';
import { chrootOf } from '../../zk/connect-string.ts';
import type { ServerViewSnapshot } from '../../ensemble/server-view.ts';
import { driverMetrics } from '../../measure/driver-metrics.ts';
import { valueAtPercentile, type Histogram } from '../../measure/histogram.ts';
import { openLoopFigures, openLoopPlan, type OpenLoopPlan } from '../../measure/open-loop.ts';
import { addPacerCounts, emptyPacerCounts } from '../../measure/pacer.ts';
import { distribution, scalar, type Metric, errorMetrics, scalarOr } from '../../measure/metrics.ts';
import type { ConfigRecipeId } from '../../recipes/config/types.ts';
import type { ServerInfo } from '../../ensemble/types.ts';
import { splitClients } from '../../workers/pool.ts';
import { addCounters, emptyCounters, OP_KINDS } from '../../measure/request-counts.ts';
import { deleteTree, ensurePath } from '../../zk/tree.ts';
import type { RecipeRunContext } from '../context.ts';
import type { RecipeResult } from '../../results/recipe-result.ts';
import type { ClientsPlan } from '../../workers/protocol.ts';
import { completedOps, runOnSchedule, scheduledTimeline } from '../schedule.ts';
import { ServerViewWindow } from '../server-view-window.ts';
import { configFigures, writerLatencies, type ConfigFigures } from './figures.ts';
import { DRAIN_MS, RATE_SLACK, type ConfigWorkload } from './workload.ts';
import type { ConfigPlan, ConfigReport, ToCoordinator, ToLoadProcess } from './plan.ts';
import { externalRecipe } from '../../drivers/catalog.ts';
import { startDrivers, type RecipeDrivers } from '../../drivers/driver-processes.ts';
import { gcMetrics, type ExternalDriverHealth } from '../../drivers/external-health.ts';
import { unmeasured } from '../../measure/metrics.ts';

/** The writer of an external recipe's run: zkbench's (every config recipe writes with the same setData). */
const EXTERNAL_WRITER: ConfigRecipeId = 'watch-reread';
/**
 * Figures that need a read's start, which a library's cache does not let the driver see (src/drivers/
 * watch-events.ts): a read is known only at its completion. stale_reads.own stays: a reader going back
 * behind a version it had itself seen needs no start (its earlier observations all precede the call).
 */
const NEEDS_READ_START = new Set(['stale_reads', 'stale_reads.after_ack', 'stale_age', 'rearm']);
const LIBRARY_READ = "not measured for a library's cache: it re-reads the node on each watch event before telling the application, and when that read starts is inside the library";

export async function runRecipe(ctx: RecipeRunContext, recipe: string): Promise<RecipeResult[]> {
  return [await runConfig(ctx, recipe as ConfigRecipeId)];
}

/** Reader i's server: round robin over the connect string, server 1 first (the writer's). */
export function readerServer(i: number, servers: number): number {
  return (i % servers) + 1;
}

async function runConfig(outer: RecipeRunContext, recipe: ConfigRecipeId): Promise<RecipeResult> {
  const w = outer.workload as ConfigWorkload;
  const startedAt = new Date();
  const parent = `${outer.namespace}/config`;
  const path = `${parent}/${recipe}`;
  await ensurePath(outer.admin, parent);
  await outer.admin.create(path, Buffer.alloc(w.payloadBytes, 0x63));
  // An external recipe (a library's cache, src/drivers/): its readers run in driver processes, the writer
  // in a load process of its own at index 0, one pool driven as load processes are.
  let drivers: RecipeDrivers | undefined;
  try {
    drivers = externalRecipe(recipe) ? startDrivers(recipe, w.readers, outer.clock, undefined, true) : undefined;
    const ctx = drivers ? { ...outer, pool: drivers.pool } : outer;
    ctx.progress.recipeStart(recipe, 'updates');
    const servers: ServerInfo[] = parseConnectString(ctx.sessions.connect);
    const chroot = chrootOf(ctx.sessions.connect) ?? '';
    const pinned = (server: number): string => connectStringOf([servers[server - 1]!]) + chroot;
    const shares = drivers ? [[], ...splitClients(w.readers, drivers.channels.length)] : splitClients(w.readers, ctx.pool.size);
    const plans: ClientsPlan[] = shares.map((ids, p) => {
      const readers = ids.map((id) => ({ id, server: readerServer(id, servers.length) }));
      const writer = p === 0;
      const plan: ConfigPlan = { recipe: drivers && writer ? EXTERNAL_WRITER : recipe, path, readers, writer, open: writerPacing(w), payloadBytes: w.payloadBytes, drainMs: DRAIN_MS };
      return {
        scenario: 'config',
        sessions: readers.length + (writer ? 1 : 0),
        connect: [...readers.map((r) => pinned(r.server)), ...(writer ? [pinned(1)] : [])],
        plan,
      };
    });

    // The writer starts once every process's readers are armed; its last version goes to every process.
    let armed = 0;
    const post = (p: number, m: ToLoadProcess): void => ctx.pool.post(p, m);
    ctx.pool.onScenarioMessage((_p, data) => {
      const m = data as ToCoordinator;
      if (m.kind === 'armed' && ++armed === plans.length) post(0, { kind: 'start-writing' });
      if (m.kind === 'last') for (let p = 0; p < plans.length; p++) post(p, { kind: 'last', version: m.version });
    });
    const view = new ServerViewWindow(ctx);
    let run;
    try {
      run = await runOnSchedule(ctx, recipe, plans, { atMeasureStart: () => void view.atStart(), atMeasureEnd: () => view.atEnd() });
    } finally {
      ctx.pool.onScenarioMessage(undefined);
    }
    const { results, window, connectMs } = run;
    const seen = await view.finish();
    const reports = results.map((r) => r.report as ConfigReport);
    const f = configFigures({ updates: reports.flatMap((r) => r.updates), readers: reports.flatMap((r) => r.readers), window });

    const driver = driverMetrics(results.map((r) => r.health));
    const windowS = w.durationS ?? 0;
    const undrained = reports.reduce((s, r) => s + r.undrained, 0);
    // What the recipe costs the ensemble: every request of the readers and the writer from the start to the stop.
    const counters = emptyCounters();
    for (const r of results) addCounters(counters, r.counters);
    const requests = OP_KINDS.reduce((s, k) => s + counters.requests[k], 0);
    const acknowledged = completedOps(run);
    const pacing = openLoopFigures(reports.reduce((sum, r) => (r.pacing ? addPacerCounts(sum, r.pacing) : sum), emptyPacerCounts()), w.updateRate, windowS);
    const uncounted = results.find((r) => r.uncounted !== undefined)?.uncounted;
    const library = (m: Metric): Metric => (drivers && NEEDS_READ_START.has(m.name) ? unmeasured(m.name, m.unit, LIBRARY_READ) : m);
    const metrics: Metric[] = [
      ...configMetricList(f, windowS).map(library),
      ...writerLatencies(reports.flatMap((r) => r.updates), window),
      ...pacing.metrics,
      scalar('undrained', 'readers', undrained),
      uncounted !== undefined
        ? unmeasured('zk_ops_per_update', 'requests/update', uncounted)
        : scalarOr('zk_ops_per_update', 'requests/update', acknowledged > 0 ? requests / acknowledged : undefined, 'no update was acknowledged in the measured window'),
      ...errorMetrics(reports),
      scalar('sessions_expired', 'count', results.reduce((s, r) => s + r.sessionsExpired, 0)),
      ...driver.metrics,
      ...(drivers ? gcMetrics(results.map((r) => r.health as ExternalDriverHealth)) : []),
      ...seen.metrics,
    ];
    const lostProcesses = (drivers?.pool.lost() ?? []).map((l) => `${l.name} (pid ${ctx.pool.pids()[l.index] ?? '?'}) died ${(l.atNs / 1e9).toFixed(2)} s into the run: ${l.reason}`);
    const driverNotes = drivers
      ? [
          `${drivers.describe(w.readers)}; the writer is zkbench's in a load process of its own (process 0, no readers)`,
          "hold and converge run to the library's call to the application, which follows its own re-read of the node",
          ...(lostProcesses.length > 0 ? [`partial: ${lostProcesses.join('; ')}; its readers' figures are missing from this result`] : []),
        ]
      : [];
    return {
      recipe,
      clients: w.readers + 1,
      metrics,
      violations: [],
      driverSaturated: driver.saturated,
      windowS,
      health: results.map((r) => r.health),
      connectMs,
      firstAcquisitionAt: undefined,
      startedAt,
      endedAt: new Date(),
      interrupted: ctx.signal.aborted,
      completedOps: acknowledged,
      timeline: scheduledTimeline(recipe, run),
      serverView: seen.view,
      notes: [
        ...configNotes(f, { w, servers: servers.length, processes: plans.length, writerReaders: shares[0]!.length, roles: rolesOf(seen.view?.start), undrained, readStartsUnknown: drivers !== undefined }),
        ...pacing.notes,
        ...driverNotes,
      ],
      ...(lostProcesses.length > 0 ? { lostProcesses } : {}),
      ...(drivers ? { driverFiles: await drivers.close() } : {}),
    };
  } finally {
    await drivers?.close().catch(() => undefined);
    await deleteTree(outer.admin, parent).catch(() => undefined);
  }
}

/** The writer's pacing: one client at update_rate, up to max_in_flight updates unacknowledged. */
export function writerPacing(w: ConfigWorkload): OpenLoopPlan {
  return openLoopPlan({ rate: w.updateRate, ratePer: 'client', maxInFlight: w.maxInFlight }, [0], 1);
}

/** The figures as the result files carry them (names as in the scenario's `metrics`). */
export function configMetricList(f: ConfigFigures, windowS: number): Metric[] {
  const wf = f.watch;
  return [
    distribution('converge', f.converge, f.convergeCensoring.count > 0 ? f.convergeCensoring : undefined),
    distribution('converge_from_ack', f.convergeFromAck),
    scalar('converged_before_ack', 'updates', f.convergedBeforeAck),
    scalar('converge_incomplete', 'updates', f.convergeIncomplete),
    distribution('hold', f.hold),
    scalar('reads', 'count', f.reads),
    scalar('stale_reads', 'count', f.staleReads),
    scalar('stale_reads.own', 'count', f.staleOwn),
    scalar('stale_reads.after_ack', 'count', f.staleAfterAck),
    distribution('stale_age', f.staleAge),
    scalar('updates', 'count', f.updates),
    scalarOr('update_rate_achieved', 'updates/s', windowS > 0 ? f.updates / windowS : undefined, 'the measured window had no length'),
    distribution('send_lag', wf.sendLag),
    scalar('late_sends', 'count', wf.lateSends),
    distribution('notify_from_send', wf.notifyFromSend),
    distribution('rearm', wf.rearm),
    scalar('coalesced', 'count', wf.coalesced),
    scalarOr('coalesced_rate', 'share of updates', wf.notified + wf.coalesced > 0 ? wf.coalesced / (wf.notified + wf.coalesced) : undefined, 'no reader was notified of an update, nor missed one, in the measured window'),
    scalar('missed', 'count', wf.missed),
    scalar('unmatched', 'count', wf.unmatched),
    scalar('anomalies', 'count', wf.anomalies),
  ];
}

/** Each server's role at the window's start (mntr server_state), by server id. */
function rolesOf(snapshot: ServerViewSnapshot | undefined): Map<number, string> {
  const roles = new Map<number, string>();
  for (const s of snapshot?.servers ?? []) {
    const state = s.mntr?.['server_state'];
    if (typeof state === 'string') roles.set(s.id, state);
  }
  return roles;
}

const ms = (h: Histogram, p: number): string => (h.totalCount === 0 ? '-' : String(Number((valueAtPercentile(h, p) / 1000).toPrecision(3))));

interface NoteContext {
  w: ConfigWorkload;
  servers: number;
  processes: number;
  writerReaders: number;
  roles: Map<number, string>;
  undrained: number;
  /** A library's readers: reads are known at their completion only, so stale reads are not counted. */
  readStartsUnknown?: boolean;
}

/** What a reader of the figures must know: where everyone ran, each server's readers, and what went wrong. */
export function configNotes(f: ConfigFigures, c: NoteContext): string[] {
  const role = (id: number | undefined): string => (id === undefined ? 'any server' : `server ${id}${c.roles.has(id) ? ` (${c.roles.get(id)})` : ''}`);
  const notes = [
    `${c.w.readers} readers pinned round robin to the ${c.servers} server(s) of the connect string, the writer to ${role(1)}; ` +
      `${c.processes} load process(es), the writer in process 0 with ${c.writerReaders} readers`,
  ];
  const stale = (s: (typeof f.perServer)[number]): string => (c.readStartsUnknown ? `${s.reads} reads` : `${s.staleReads} of ${s.reads} reads stale`);
  const perServer = f.perServer.map((s) => `${role(s.server)}: ${s.readers} readers, hold p50 ${ms(s.hold, 50)} ms, p99 ${ms(s.hold, 99)} ms, ${stale(s)}`);
  notes.push(`per server: ${perServer.join('; ')}`);
  const wf = f.watch;
  const achieved = c.w.durationS ? f.updates / c.w.durationS : Number.NaN;
  if (f.updates > 0 && (wf.lateSends / f.updates > RATE_SLACK || achieved < (1 - RATE_SLACK) * c.w.updateRate)) {
    notes.push(
      `warning: the writer could not keep ${c.w.updateRate} updates/s: ${wf.lateSends} of ${f.updates} updates left a whole interval late ` +
        `(send_lag p99 ${ms(wf.sendLag, 99)} ms), ${Number(achieved.toPrecision(3))} updates/s achieved; the figures are those of the rate it achieved`,
    );
  }
  if (f.convergeIncomplete > 0) notes.push(`warning: ${f.convergeIncomplete} of ${f.updates} updates never reached every reader (converge_incomplete); converge covers the others`);
  if (c.undrained > 0) notes.push(`warning: ${c.undrained} readers did not hold the last update ${DRAIN_MS / 1000} s after the stop`);
  if (f.staleOwn > 0 || wf.anomalies > 0) notes.push(`warning: ${f.staleOwn} reads went back in time on their own session and ${wf.anomalies} anomalies: ZooKeeper forbids both; suspect the driver`);
  return notes;
}
