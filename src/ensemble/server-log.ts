// A ZooKeeper server's log as entries: a line that opens with a timestamp starts one, the lines after
// it (stack traces) belong to it. The servers zkbench starts log at WARN with an ISO-8601 timestamp
// carrying its UTC offset (embedded.ts sets both for slf4j-simple and for logback), so entries can be
// placed in a recipe's time span. Lines of an older kept ensemble without timestamps still become
// entries (of the whole run), but cannot be placed in any recipe.

export type LogLevel = 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

export interface LogEntry {
  /** When the server logged it; undefined for a line without a timestamp. */
  at: Date | undefined;
  level: LogLevel | undefined;
  /** The entry's lines, joined by \n, as the server wrote them. */
  text: string;
}

// "2026-12-01T06:38:25.481+00:00 ...", "...481Z", "...481+0000", and logback's ISO8601 "2026-12-01 06:38:25,481".
const TIMESTAMP = /^(\d{4}-\d\d-\d\d)[T ](\d\d:\d\d:\d\d)(?:[.,](\d{1,9}))?(Z|[+-]\d\d:?\d\d)?(?=\s|\]|$)/;
const LEVEL = /\s(TRACE|DEBUG|INFO|WARN|ERROR)\s/;
// An untimed line that is a warning of its own (slf4j without timestamps: "[main] WARN org.apache...").
const UNTIMED_ENTRY = /^\[.*?\]\s(TRACE|DEBUG|INFO|WARN|ERROR)\s/;

/** A log timestamp as a Date; one without an offset is read as local time, as the server wrote it. */
export function parseLogTimestamp(line: string): Date | undefined {
  const m = TIMESTAMP.exec(line);
  if (!m) return undefined;
  const [, day, time, fraction, zone] = m as unknown as [string, string, string, string | undefined, string | undefined];
  const ms = (fraction ?? '0').padEnd(3, '0').slice(0, 3);
  const offset = zone === undefined ? '' : zone === 'Z' ? 'Z' : zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const at = new Date(`${day}T${time}.${ms}${offset}`);
  return Number.isNaN(at.getTime()) ? undefined : at;
}

export function parseServerLog(text: string): LogEntry[] {
  const entries: LogEntry[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    const at = parseLogTimestamp(line);
    const untimed = at === undefined ? UNTIMED_ENTRY.exec(line) : null;
    const last = entries[entries.length - 1];
    if (at !== undefined || untimed !== null || last === undefined) {
      const level = (at !== undefined ? LEVEL.exec(line)?.[1] : untimed?.[1]) as LogLevel | undefined;
      entries.push({ at, level, text: line });
    } else {
      last.text += `\n${line}`;
    }
  }
  return entries;
}

/** WARN and ERROR entries. */
export function warnings(entries: readonly LogEntry[]): LogEntry[] {
  return entries.filter((e) => e.level === 'WARN' || e.level === 'ERROR');
}

/** Entries logged in [from, to]; entries without a timestamp are in no span. */
export function loggedBetween(entries: readonly LogEntry[], from: Date, to: Date): LogEntry[] {
  return entries.filter((e) => e.at !== undefined && e.at.getTime() >= from.getTime() && e.at.getTime() <= to.getTime());
}
