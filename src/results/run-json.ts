// run.json (SPEC §3): the resolved workload, arguments, versions, ensemble, host, times and outcome, plus
// per recipe the driver health and the scalar figures, so a run can be understood without the CSVs.
import { distributionMs } from '../measure/histogram.ts';
import { saturationReasons } from '../measure/driver-health.ts';
import type { RunRecord } from './run-record.ts';
import { leaderPollCounts } from '../measure/leader-polls.ts';
import { notMeasuredOf } from './not-measured.ts';
import { seriesName } from './series.ts';
import { recipeServerViewJson, serverLogsJson } from './server-view.ts';

const MAX_VIOLATIONS_LISTED = 20;

export function runJson(run: RunRecord): string {
  const doc = {
    runId: run.runId,
    outcome: run.outcome,
    ...(run.interruptedAt !== undefined ? { interruptedAt: run.interruptedAt } : {}),
    error: run.error,
    startedAt: run.startedAt.toISOString(),
    endedAt: run.endedAt.toISOString(),
    timeToFirstAcquisitionMs: run.timeToFirstAcquisitionMs,
    workload: run.workload,
    workloadFile: run.workloadFile,
    argv: run.argv,
    versions: run.versions,
    host: run.host,
    ensemble: run.ensemble,
    // Who the run was on the ensemble (never the secret), the ACL of its nodes, the chroot: docs/auth-acl-chroot.md.
    ...(run.access ? { access: run.access } : {}),
    thresholds: run.thresholds,
    // Figures without a value (empty in summary.csv), each with why: docs/not-measured.md.
    notMeasured: notMeasuredOf(run),
    warnings: run.warnings ?? [],
    stalls: run.stalls,
    serverLogs: serverLogsJson(run),
    // The C client's own log lines (load processes' stderr): counted by kind, the lines in client.log.
    ...(run.clientLog && run.clientLog.total > 0 ? { clientLog: { file: 'client.log', total: run.clientLog.total, counts: run.clientLog.counts } } : {}),
    // What the workload's faults did: atMs on the run clock (timeline.csv's t_ms), scheduledMs from the recipe's clients' start.
    faults: run.faults?.map(({ atNs, ...f }) => ({ ...f, atMs: atNs === undefined ? undefined : atNs / 1e6 })),
    // Remote workers: who, their clocks against the coordinator's (offset and bound), who was lost and when.
    ...(run.workers ? { workers: run.workers.map((w) => ({ ...w, ...(w.at ? { at: w.at.toISOString() } : {}) })), partial: run.partial ?? false } : {}),
    ...(!run.workers && run.partial ? { partial: true } : {}),
    recipes: run.recipes.map((r) => ({
      recipe: r.recipe,
      ...(r.watchers !== undefined ? { watchers: r.watchers, series: seriesName(r) } : {}),
      clients: r.clients,
      ...(r.notes !== undefined && r.notes.length > 0 ? { notes: r.notes } : {}),
      ...(r.lostProcesses ? { lostProcesses: r.lostProcesses } : {}),
      startedAt: r.startedAt.toISOString(),
      endedAt: r.endedAt.toISOString(),
      measuredWindowS: r.windowS,
      // Acquisitions or requests from the clients' start, warm-up included: timeline.csv's ops add up to it.
      completedOps: r.completedOps,
      // "unknown" when a load process's health was not measured and none measured was saturated.
      driverSaturated: r.driverSaturated ?? 'unknown',
      driverSaturationReasons: saturationReasons(r.health),
      // The leader polls behind timeline.csv's leader column: failed polls apart from answers naming no leader.
      ...(r.timeline && r.timeline.leaders.length > 0 ? { leaderPolls: leaderPollCounts(r.timeline.leaders) } : {}),
      workers: r.health.map((h, i) => ({ worker: i, connectMs: r.connectMs[i], ...h })),
      metrics: Object.fromEntries(
        r.metrics.map((m) => [
          m.name,
          m.kind === 'scalar' ? { unit: m.unit, value: m.value } : { unit: m.unit, ...distributionMs(m.histogram), ...(m.censored ? { censored: m.censored.count, windowMs: m.censored.windowMs } : {}) },
        ]),
      ),
      violations: r.violations.slice(0, MAX_VIOLATIONS_LISTED).map((v) => ({
        holderClient: v.holder.client,
        intruderClient: v.intruder.client,
        overlapMs: v.overlapNs / 1e6,
        atS: v.intruder.tHeld / 1e9,
      })),
      serverView: recipeServerViewJson(r, run.serverLogs),
    })),
  };
  return `${JSON.stringify(doc, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n`;
}
