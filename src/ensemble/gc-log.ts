// Stop-the-world pauses from a JVM's unified GC log (-Xlog:gc*:file=...:time,uptime, Java 9+). A pause
// is the line that ends it: "[<time>][<uptime>s] GC(7) Pause Young (Normal) (G1 Evacuation Pause)
// 24M->3M(256M) 12.345ms" (G1, Serial, Parallel; ZGC and Shenandoah name theirs "Pause Mark Start"
// etc.). The "Pause ..." line without a duration opens it; concurrent phases are not pauses.
import { parseLogTimestamp } from './server-log.ts';

export interface GcPause {
  /** When the pause ended (the line's time decorator). */
  at: Date;
  /** JVM uptime at that moment, s. */
  uptimeS: number | undefined;
  gc: number;
  /** "Pause Young (Normal) (G1 Evacuation Pause)", without the heap figures. */
  kind: string;
  ms: number;
}

export interface GcPauseSummary {
  pauses: number;
  /** Longest pause, ms; undefined without pauses. */
  longestMs: number | undefined;
  /** Sum of the pauses, ms. */
  totalMs: number;
}

const PAUSE = /^\[([^\]]+)\](?:\[([\d.]+)s\])?.*?\bGC\((\d+)\)\s+(Pause\b.*?)\s+(?:\d+[KMG]->\d+[KMG]\(\d+[KMG]\)\s+)?(\d+(?:\.\d+)?)ms\s*$/;

export function parseGcPauses(text: string): GcPause[] {
  const pauses: GcPause[] = [];
  for (const line of text.split(/\r?\n/)) {
    const m = PAUSE.exec(line);
    if (!m) continue;
    const [, time, uptime, gc, kind, ms] = m as unknown as [string, string, string | undefined, string, string, string];
    const at = parseLogTimestamp(time);
    if (at === undefined) continue;
    pauses.push({ at, uptimeS: uptime === undefined ? undefined : Number(uptime), gc: Number(gc), kind, ms: Number(ms) });
  }
  return pauses;
}

/** Pauses overlapping [from, to]: a pause runs from `at - ms` to `at`. */
export function pausesDuring(pauses: readonly GcPause[], from: Date, to: Date): GcPause[] {
  return pauses.filter((p) => p.at.getTime() >= from.getTime() && p.at.getTime() - p.ms <= to.getTime());
}

export function summarizePauses(pauses: readonly GcPause[]): GcPauseSummary {
  return {
    pauses: pauses.length,
    longestMs: pauses.length > 0 ? Math.max(...pauses.map((p) => p.ms)) : undefined,
    totalMs: pauses.reduce((s, p) => s + p.ms, 0),
  };
}
