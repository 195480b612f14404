// The ZooKeeper C client's own log lines (`ZOO_ERROR@check_events@...`, `zookeeper_process returned an
// error`, `Session expired. Shutting down...`), which it writes to its process's stderr: a load process's
// stderr is read line by line here, those lines kept for the run directory's client.log and counted by
// kind, every other line passed on to the terminal. The coordinator's own lines arrive the same way, through
// a pipe the patched binding writes them into (zk/own-client-log.ts).
import type { Readable } from 'node:stream';
import { createInterface } from 'node:readline';

/** A line of the C client's log, or of the binding's (yield:/zookeeper_interest: its LOG_ERROR lines). */
export const C_CLIENT_LINE = /ZOO_(ERROR|WARN|INFO|DEBUG)@|^yield:|zookeeper_(process|interest) returned|Session expired\. Shutting down/;

/** Lines kept at most (the count goes on). */
const MAX_LINES = 100_000;

/** What the C client logged, by kind: `ZOO_ERROR@check_events`, `zookeeper_process returned an error`, ... */
export function clientLogKind(line: string): string {
  const zoo = /(ZOO_[A-Z]+@[A-Za-z_]+)/.exec(line);
  if (zoo) return zoo[1]!;
  const text = line.replace(/^yield:/, '').trim();
  return (/^(zookeeper_\w+ returned an error|zookeeper_\w+ returned error|Session expired)/.exec(text)?.[1] ?? text.split(/[:\d]/)[0]!.trim()) || 'other';
}

export interface ClientLog {
  lines: string[];
  /** Lines by kind, every line counted (also beyond MAX_LINES). */
  counts: Record<string, number>;
  total: number;
}

let current: ClientLog = { lines: [], counts: {}, total: 0 };

/** Read a child's stderr: the C client's lines kept (each prefixed with `label`), the others written to our stderr. */
export function routeClientLog(stream: Readable, label: string): void {
  const rl = createInterface({ input: stream, crlfDelay: Infinity });
  rl.on('line', (line) => {
    if (!C_CLIENT_LINE.test(line)) {
      process.stderr.write(`${line}\n`);
      return;
    }
    current.total++;
    const kind = clientLogKind(line);
    current.counts[kind] = (current.counts[kind] ?? 0) + 1;
    if (current.lines.length < MAX_LINES) current.lines.push(`${label}: ${line}`);
  });
}

/** What was logged since the last call (the run's, taken when it is written), and a fresh start. */
export function takeClientLog(): ClientLog {
  const taken = current;
  current = { lines: [], counts: {}, total: 0 };
  return taken;
}
