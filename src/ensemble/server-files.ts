// The servers' own files on this host (log, GC log), read at the end of a run from where the run began:
// an embedded ensemble's files are the run's from their first line; a kept ensemble's have lines of
// earlier runs, so their length at the run's start is marked and only what follows is read.
import fs from 'node:fs';
import type { Ensemble, ServerInfo } from './types.ts';

/** Per server id: bytes of each file that predate the run. */
export type ServerFileMarks = Map<number, { log: number; gcLog: number }>;

export interface ServerFileText {
  id: number;
  /** Undefined when the server has no log this host can read (`missing` says why). */
  log: string | undefined;
  gcLog: string | undefined;
  /** Why a file the server should have is not here. */
  missing: string[];
}

/** At most this much of each file is read: a server that logs more in one run has a problem the head shows. */
const MAX_BYTES = 32 * 2 ** 20;

const sizeOf = (file: string | undefined): number => {
  if (file === undefined) return 0;
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
};

/** Marks at the run's start; none for an ensemble whose files this host does not have. */
export function markServerFiles(ensemble: Pick<Ensemble, 'kind' | 'servers'>): ServerFileMarks {
  const marks: ServerFileMarks = new Map();
  for (const s of ensemble.servers) {
    const fresh = ensemble.kind === 'embedded';
    marks.set(s.id, { log: fresh ? 0 : sizeOf(s.logFile), gcLog: fresh ? 0 : sizeOf(s.gcLogFile) });
  }
  return marks;
}

function readFrom(file: string, offset: number): string {
  const fd = fs.openSync(file, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    const from = size < offset ? 0 : offset; // shorter than at the start: rotated or truncated since
    const length = Math.min(size - from, MAX_BYTES);
    const buf = Buffer.alloc(length);
    const read = fs.readSync(fd, buf, 0, length, from);
    const text = buf.subarray(0, read).toString('utf8');
    // Cut after the last complete line: a line still being written is not one yet.
    const end = text.lastIndexOf('\n');
    return end < 0 ? '' : text.slice(0, end + 1);
  } finally {
    fs.closeSync(fd);
  }
}

/** What each server wrote since its mark. */
export function readServerFiles(servers: readonly ServerInfo[], marks: ServerFileMarks): ServerFileText[] {
  return servers.map((s) => {
    const mark = marks.get(s.id) ?? { log: 0, gcLog: 0 };
    const missing: string[] = [];
    const read = (file: string | undefined, offset: number, what: string): string | undefined => {
      if (file === undefined) {
        missing.push(`no ${what} recorded for server ${s.id}`);
        return undefined;
      }
      try {
        return readFrom(file, offset);
      } catch (err) {
        missing.push(`${what} of server ${s.id}: ${(err as Error).message}`);
        return undefined;
      }
    };
    return { id: s.id, log: read(s.logFile, mark.log, 'log'), gcLog: read(s.gcLogFile, mark.gcLog, 'GC log'), missing };
  });
}
