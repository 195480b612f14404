// What the servers' own logs say about a run: WARN/ERROR lines during each recipe (its start to its
// end, warm-up and clean-up included: a warning then still belongs to the recipe) and GC pauses
// during its measured window (the instants its `mntr` snapshots were taken: what its latencies cover).
import { pausesDuring, summarizePauses, parseGcPauses, type GcPause, type GcPauseSummary } from '../ensemble/gc-log.ts';
import { loggedBetween, parseServerLog, warnings, type LogEntry } from '../ensemble/server-log.ts';
import type { ServerFileText } from '../ensemble/server-files.ts';

export interface ServerLogRecord {
  id: number;
  /** WARN and ERROR entries since the run began; undefined when the server's log could not be read. */
  warnings: LogEntry[] | undefined;
  /** Undefined when there is no GC log (an ensemble started without one). */
  gcPauses: GcPause[] | undefined;
  /** The GC log since the run began, as written, for the run directory. */
  gcLog: string | undefined;
  /** What could not be read, and why. */
  missing: string[];
}

export interface Span {
  from: Date;
  to: Date;
}

export interface RecipeServerLogs {
  warnings: {
    /** Over the servers whose log could be read. */
    total: number;
    /** Server id -> entries; a server whose log could not be read is absent. */
    byServer: Record<string, number>;
    /**
     * Of them, fsyncs slower than the server's fsync.warningthresholdms (1 s by default): the count
     * 3.8's `mntr` no longer prints, from the WARN line it writes for each instead.
     */
    fsyncThresholdExceeded: number;
  };
  /** Undefined when no server has a GC log or the recipe had no measured window. */
  gc:
    | (GcPauseSummary & {
        byServer: Record<string, GcPauseSummary>;
      })
    | undefined;
}

// FileTxnLog: "fsync-ing the write ahead log in <thread> took <n>ms which will adversely effect operation latency."
const SLOW_FSYNC = /fsync-ing the write ahead log in .* took \d+ms/;

export function serverLogRecords(texts: readonly ServerFileText[]): ServerLogRecord[] {
  return texts.map((t) => ({
    id: t.id,
    warnings: t.log === undefined ? undefined : warnings(parseServerLog(t.log)),
    gcPauses: t.gcLog === undefined ? undefined : parseGcPauses(t.gcLog),
    gcLog: t.gcLog,
    missing: t.missing,
  }));
}

/** One recipe's warnings (over `span`) and GC pauses (over `window`), per server and in all. */
export function recipeServerLogs(records: readonly ServerLogRecord[], span: Span, window: Span | undefined): RecipeServerLogs {
  const byServer: Record<string, number> = {};
  let fsyncThresholdExceeded = 0;
  for (const r of records) {
    if (r.warnings === undefined) continue;
    const during = loggedBetween(r.warnings, span.from, span.to);
    byServer[String(r.id)] = during.length;
    fsyncThresholdExceeded += during.filter((e) => SLOW_FSYNC.test(e.text)).length;
  }
  const total = Object.values(byServer).reduce((a, b) => a + b, 0);
  const withGc = records.filter((r) => r.gcPauses !== undefined);
  let gc: RecipeServerLogs['gc'];
  if (window !== undefined && withGc.length > 0) {
    const during = withGc.map((r) => ({ id: r.id, pauses: pausesDuring(r.gcPauses!, window.from, window.to) }));
    gc = {
      ...summarizePauses(during.flatMap((d) => d.pauses)),
      byServer: Object.fromEntries(during.map((d) => [String(d.id), summarizePauses(d.pauses)])),
    };
  }
  return { warnings: { total, byServer, fsyncThresholdExceeded }, gc };
}

/**
 * The run's warnings, by time, each line of an entry (stack traces too) prefixed with its server and
 * the entry's timestamp (`-` when it has none), so every line greps on its own:
 * `server-2 2026-12-01T06:43:51.897Z | <the line as the server wrote it>`.
 */
export function warningsFile(records: readonly ServerLogRecord[]): string {
  const entries = records.flatMap((r) => (r.warnings ?? []).map((e, i) => ({ id: r.id, e, i })));
  // By time; untimed entries (an older kept ensemble) after the timed ones, each server's in its order.
  entries.sort((a, b) => (a.e.at?.getTime() ?? Infinity) - (b.e.at?.getTime() ?? Infinity) || a.id - b.id || a.i - b.i);
  return entries
    .map(({ id, e }) => {
      const prefix = `server-${id} ${e.at?.toISOString() ?? '-'} | `;
      return e.text.split('\n').map((line) => `${prefix}${line}\n`).join('');
    })
    .join('');
}
