// What the servers' own logs say about a run: WARN/ERROR lines during each recipe (its start to its
// end, warm-up and clean-up included: a warning then still belongs to the recipe) and GC pauses
// during its measured window (the instants its `mntr` snapshots were taken: what its latencies cover).
import { pausesDuring, summarizePauses, parseGcPauses, type GcPause, type GcPauseSummary } from './gc-log.ts';
import { loggedBetween, parseServerLog, warnings, type LogEntry } from './server-log.ts';
import type { ServerFileText } from './server-files.ts';
import type { RelNs } from '../measure/clock.ts';
import type { TimelineEvent } from '../measure/timeline.ts';

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
    /**
     * Of them, a follower's sync with the leader failing on ZOOKEEPER-4394 (3.8.0: a NullPointerException
     * in Learner.syncWithLeader when a commit overtakes its proposal during a DIFF): the follower drops
     * its clients and rejoins, which the run's clients see as a disconnection.
     */
    followerSyncFailures: number;
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
// Learner: "Exception when following the leader" with the NPE's stack trace on the lines after it.
const FOLLOWER_SYNC_NPE = /NullPointerException[^\n]*\n(?:.*\n)*?\s*at org\.apache\.zookeeper\.server\.quorum\.Learner\.syncWithLeader/;

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
  let followerSyncFailures = 0;
  for (const r of records) {
    if (r.warnings === undefined) continue;
    const during = loggedBetween(r.warnings, span.from, span.to);
    byServer[String(r.id)] = during.length;
    fsyncThresholdExceeded += during.filter((e) => SLOW_FSYNC.test(e.text)).length;
    followerSyncFailures += during.filter((e) => FOLLOWER_SYNC_NPE.test(e.text)).length;
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
  return { warnings: { total, byServer, fsyncThresholdExceeded, followerSyncFailures }, gc };
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

/** Warnings of one kind from one server within this long of the first are one timeline event, "(×N)". */
const EVENT_MERGE_NS = 100e6;
const EVENT_TEXT_MAX = 160;

// slf4j-simple: "... WARN org.apache.zookeeper.server.NIOServerCnxn - msg"; logback: "... - WARN  [thread:NIOServerCnxn@123] - msg".
const SLF4J_LINE = /\s(WARN|ERROR)\s+(?:[\w.$]*\.)?([\w$]+)\s+-\s+(.*)$/;
const LOGBACK_LINE = /\s(WARN|ERROR)\s+\[[^\]]*?([\w$]+)@\d+\]\s+-\s+(.*)$/;

/** "… WARN org.apache.zookeeper.server.NIOServerCnxn - Close of session 0x2" -> "WARN NIOServerCnxn: Close of session 0x2". */
function eventText(e: LogEntry): string {
  const first = e.text.split('\n')[0]!;
  const m = SLF4J_LINE.exec(first) ?? LOGBACK_LINE.exec(first);
  const text = m ? `${m[1]} ${m[2]}: ${m[3]}` : `${e.level ?? ''} ${first}`.trim();
  return text.length > EVENT_TEXT_MAX ? `${text.slice(0, EVENT_TEXT_MAX - 1)}…` : text;
}

/**
 * The servers' warnings during a recipe as its timeline.csv events ("server-log"), placed on the run
 * clock by `toRunNs`. A burst of the same warning from one server (e.g. every client's connection
 * closing) is one event, at its first occurrence, with the count; entries without a timestamp cannot
 * be placed, and those outside every recipe (the ensemble's start-up) are in server-warnings.log only.
 */
export function warningEvents(records: readonly ServerLogRecord[], recipes: readonly (Span & { recipe: string })[], toRunNs: (at: Date) => RelNs): TimelineEvent[] {
  return recipes.flatMap((r) =>
    burstEvents(
      records.map((rec) => ({ ...rec, warnings: rec.warnings && loggedBetween(rec.warnings, r.from, r.to) })),
      toRunNs,
    ).map((e) => ({ ...e, recipe: r.recipe })),
  );
}

function burstEvents(records: readonly ServerLogRecord[], toRunNs: (at: Date) => RelNs): TimelineEvent[] {
  const events: (TimelineEvent & { count: number })[] = [];
  const latestOfKind = new Map<string, TimelineEvent & { count: number }>();
  const timed = records
    .flatMap((r) => (r.warnings ?? []).filter((e) => e.at !== undefined).map((e) => ({ id: r.id, e, atNs: toRunNs(e.at!) })))
    .sort((a, b) => a.atNs - b.atNs);
  for (const { id, e, atNs } of timed) {
    const text = `server ${id} ${eventText(e)}`;
    const kind = text.replace(/0x[0-9a-f]+|\d+/gi, '#');
    const open = latestOfKind.get(kind);
    if (open && atNs - open.atNs <= EVENT_MERGE_NS) {
      open.count++;
      continue;
    }
    const event = { atNs, source: 'server-log', text, count: 1 };
    events.push(event);
    latestOfKind.set(kind, event);
  }
  return events.map(({ atNs, source, text, count }) => ({ atNs, source, text: count > 1 ? `${text} (×${count})` : text }));
}
