// What the servers saw, as the run directory keeps it: in run.json per recipe the `mntr` snapshots at
// the measured window's edges, the deltas derived from them, the server-side latency, warnings and GC
// pauses, and per run the servers' log files; beside it server-warnings.log and gc/server-<id>.log.
// Everything here is derived from the run record, nothing is measured.
import { serverDeltas, windowServerLatency } from '../measure/mntr-deltas.ts';
import { recipeServerLogs, warningsFile, type ServerLogRecord } from '../measure/server-logs.ts';
import type { ServerViewSnapshot } from '../ensemble/server-view.ts';
import type { RecipeResult } from '../scenarios/context.ts';
import type { RunRecord } from './run-record.ts';

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

/** The `serverView` entry of one recipe. */
export function recipeServerViewJson(r: RecipeResult, logs: readonly ServerLogRecord[] | undefined): unknown {
  const v = r.serverView;
  const deltas = v ? serverDeltas(v.start, v.end) : undefined;
  const window = v ? { from: v.start.at, to: v.end.at } : undefined;
  const fromLogs = logs ? recipeServerLogs(logs, { from: r.startedAt, to: r.endedAt }, window) : undefined;
  return explicit({
    window: window ? { start: window.from.toISOString(), end: window.to.toISOString() } : null,
    latency: deltas ? { ...windowServerLatency(deltas), method: LATENCY_METHOD } : null,
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
