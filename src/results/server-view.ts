// What the servers saw, as the run directory keeps it: in run.json per recipe the `mntr` snapshots at
// the measured window's edges, the deltas derived from them, the server-side latency, warnings and GC
// pauses, and per run the servers' log files; beside it server-warnings.log and gc/server-<id>.log.
// Everything here is derived from the run record, nothing is measured.
import { distributionMs } from '../measure/histogram.ts';
import { serverDeltas, windowServerLatency, type ServerWindowDelta, type WindowServerLatency } from '../ensemble/mntr-deltas.ts';
import { findMetric } from '../measure/metrics.ts';
import { recipeServerLogs, warningsFile, type RecipeServerLogs, type ServerLogRecord, type Span } from '../ensemble/server-logs.ts';
import type { ServerViewSnapshot } from '../ensemble/server-view.ts';
import type { RecipeResult } from './recipe-result.ts';
import type { RunRecord } from './run-record.ts';
import { seriesName } from './series.ts';

export const WARNINGS_FILE = 'server-warnings.log';
export const gcLogFileName = (id: number): string => `gc/server-${id}.log`;

const LATENCY_METHOD =
  'mean: change of the servers\' cumulative readlatency+updatelatency sum over their count between the window\'s mntr snapshots ' +
  '(ms, arrival to answer on the server the client is connected to, pings and session set-up included); ' +
  'max: after srst at the window\'s start, embedded ensembles only';

function snapshotJson(s: ServerViewSnapshot): unknown {
  return {
    at: s.at.toISOString(),
    servers: s.servers.map((m) => ({ id: m.id, statsReset: m.statsReset, ...(m.error !== undefined ? { error: m.error } : {}), mntr: m.mntr ?? null })),
  };
}

/** As JSON will hold it, with every unknown (undefined, NaN) as an explicit null. */
const explicit = (value: unknown): unknown => JSON.parse(JSON.stringify(value, (_k, v: unknown) => (v === undefined ? null : v)));

export interface RecipeServerFigures {
  /** The measured window's edges, as the servers were asked. */
  window: Span | undefined;
  deltas: ServerWindowDelta[] | undefined;
  latency: WindowServerLatency | undefined;
  /** Warnings over the recipe, GC pauses over its window; undefined when the servers' logs are not on this host. */
  fromLogs: RecipeServerLogs | undefined;
}

/** Everything one recipe's servers' view says, derived from its snapshots and the run's server logs. */
export function recipeServerFigures(r: RecipeResult, logs: readonly ServerLogRecord[] | undefined): RecipeServerFigures {
  const v = r.serverView;
  const deltas = v ? serverDeltas(v.start, v.end) : undefined;
  const window = v ? { from: v.start.at, to: v.end.at } : undefined;
  return {
    window,
    deltas,
    latency: deltas ? windowServerLatency(deltas) : undefined,
    fromLogs: logs ? recipeServerLogs(logs, { from: r.startedAt, to: r.endedAt }, window) : undefined,
  };
}

/** The `serverView` entry of one recipe. */
export function recipeServerViewJson(r: RecipeResult, logs: readonly ServerLogRecord[] | undefined): unknown {
  const v = r.serverView;
  const { window, deltas, latency, fromLogs } = recipeServerFigures(r, logs);
  return explicit({
    window: window ? { start: window.from.toISOString(), end: window.to.toISOString() } : null,
    latency: latency ? { ...latency, method: LATENCY_METHOD } : null,
    deltas: deltas ?? null,
    mntr: v ? { start: snapshotJson(v.start), end: snapshotJson(v.end) } : null,
    // From the start to the end of the recipe.
    warnings: fromLogs?.warnings ?? null,
    // Over the measured window.
    gcPauses: fromLogs?.gc ?? null,
  });
}

/** The run-level `serverLogs` entry: per server what was kept, and what could not be read. */
export function serverLogsJson(run: RunRecord): unknown {
  if (run.serverLogs === undefined) return { available: false, why: 'the servers were not started by zkbench (--connect): their logs are not on this host' };
  return {
    available: true,
    warningsFile: WARNINGS_FILE,
    servers: run.serverLogs.map((s) => ({
      id: s.id,
      warnings: s.warnings?.length ?? null,
      gcPauses: s.gcPauses?.length ?? null,
      gcLogFile: s.gcLog !== undefined ? gcLogFileName(s.id) : null,
      missing: s.missing,
    })),
  };
}

/** The servers' files for the run directory: none for an ensemble whose logs are not on this host. */
export function serverLogFiles(run: RunRecord): Record<string, string> {
  if (run.serverLogs === undefined) return {};
  const files: Record<string, string> = { [WARNINGS_FILE]: warningsFile(run.serverLogs) };
  for (const s of run.serverLogs) if (s.gcLog !== undefined) files[gcLogFileName(s.id)] = s.gcLog;
  return files;
}

const ms = (v: number): string => String(Number(v.toPrecision(3)));
const plural = (n: number, noun: string): string => (n === 1 ? noun : `${noun}s`);

/**
 * The terminal's lines on the servers' view, short enough to sit under the table: the servers' mean
 * latency beside the client's for the same requests (request workloads) or over all requests (locks),
 * and only when there were any, warnings and GC pauses.
 */
export function serverViewNotes(run: RunRecord): string[] {
  const figures = run.recipes.map((r) => ({ r, f: recipeServerFigures(r, run.serverLogs) }));
  const notes: string[] = [];
  const known = figures.filter(({ f }) => f.latency !== undefined && Number.isFinite(f.latency.meanMs));
  if (known.length > 0) {
    // A scenario that times single requests has the client's latency of the same requests beside the servers'.
    const overAll = known.some(({ r }) => findMetric(r.metrics, 'latency') === undefined);
    const parts = known.map(({ r, f }) => {
      const client = findMetric(r.metrics, 'latency');
      const clientMean = client?.kind === 'distribution' ? distributionMs(client.histogram)?.mean : undefined;
      return `${seriesName(r)} ${ms(f.latency!.meanMs)} ms${clientMean !== undefined ? ` (client side ${ms(clientMean)} ms)` : ''}`;
    });
    notes.push(`server-side mean latency${overAll ? ', over all requests in the window' : ''}: ${parts.join(', ')}`);
  } else if (figures.some(({ f }) => f.deltas !== undefined)) {
    const why = figures.flatMap(({ f }) => f.deltas ?? []).find((d) => d.unknown !== undefined)?.unknown;
    notes.push(`server-side latency unknown${why ? `: ${why}` : ''} (see run.json)`);
  }
  const warned = figures.filter(({ f }) => (f.fromLogs?.warnings.total ?? 0) > 0);
  if (warned.length > 0) {
    notes.push(`server warnings: ${warned.map(({ r, f }) => `${seriesName(r)} ${f.fromLogs!.warnings.total} ${plural(f.fromLogs!.warnings.total, 'warning')}`).join(', ')} (${WARNINGS_FILE})`);
  }
  const syncFailed = figures.filter(({ f }) => (f.fromLogs?.warnings.followerSyncFailures ?? 0) > 0);
  if (syncFailed.length > 0) {
    notes.push(
      `ZOOKEEPER-4394: a follower's sync with the leader failed (NullPointerException in Learner.syncWithLeader; it dropped its clients and rejoined): ` +
        `${syncFailed.map(({ r, f }) => `${seriesName(r)} ${f.fromLogs!.warnings.followerSyncFailures} sync ${plural(f.fromLogs!.warnings.followerSyncFailures, 'failure')}`).join(', ')} (${WARNINGS_FILE})`,
    );
  }
  const paused = figures.filter(({ f }) => (f.fromLogs?.gc?.pauses ?? 0) > 0);
  if (paused.length > 0) {
    const parts = paused.map(({ r, f }) => `${seriesName(r)} ${f.fromLogs!.gc!.pauses} ${plural(f.fromLogs!.gc!.pauses, 'pause')} (longest ${ms(f.fromLogs!.gc!.longestMs!)} ms)`);
    notes.push(`server GC pauses in the measured windows: ${parts.join(', ')}`);
  }
  return notes;
}
