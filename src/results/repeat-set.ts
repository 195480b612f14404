// A repeat set (bench/nightly --repeat N): N runs of the same workload or suite, one after another, in
// one directory: repeat-1/ ... repeat-N/, each a complete run (or suite) directory, and repeats.json
// naming them. Comparisons take the set as one side with N runs, which is what lets a relative rule
// tell a change from the run-to-run noise (docs/comparing-runs.md).
import fs from 'node:fs';
import path from 'node:path';

export const REPEATS_FILE = 'repeats.json';

export interface RepeatSet {
  /** The workload or suite repeated. */
  name: string;
  /** How many runs were asked for. */
  asked: number;
  /** The runs that were written, in the order they ran: directory names inside the set. */
  runs: string[];
  /** completed only when every asked run completed. */
  outcome: 'completed' | 'interrupted' | 'failed';
  startedAt: string;
  endedAt: string;
}

export const repeatDirName = (i: number): string => `repeat-${i}`;

export function writeRepeatSet(dir: string, set: RepeatSet): void {
  fs.writeFileSync(path.join(dir, REPEATS_FILE), `${JSON.stringify(set, null, 2)}\n`);
}

export function readRepeatSet(dir: string): RepeatSet {
  const file = path.join(dir, REPEATS_FILE);
  const set = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<RepeatSet>;
  if (!Array.isArray(set.runs) || set.runs.length === 0) throw new Error(`${file}: names no runs`);
  return set as RepeatSet;
}
