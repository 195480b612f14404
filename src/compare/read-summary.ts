// Finding and reading the summary.csv of what the user names: a run directory, a suite directory, the
// summary.csv itself, or a folder that holds run directories (a results/ parent, a downloaded CI
// artifact), of which the newest is taken.
import fs from 'node:fs';
import path from 'node:path';
import { parseSummaryCsv } from '../results/summary-csv.ts';
import type { Column } from './compare.ts';

export class RunNotFoundError extends Error {
  override readonly name = 'RunNotFoundError';
}

function summaryOf(dir: string): string | undefined {
  const f = path.join(dir, 'summary.csv');
  return fs.existsSync(f) ? f : undefined;
}

export function resolveSummaryFile(arg: string): string {
  const p = path.resolve(arg);
  if (!fs.existsSync(p)) throw new RunNotFoundError(`${arg}: no such file or directory`);
  if (fs.statSync(p).isFile()) return p;
  const direct = summaryOf(p);
  if (direct) return direct;
  // Run directory names start with a UTC timestamp, so the last in name order is the newest.
  const newest = fs
    .readdirSync(p, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('.') && summaryOf(path.join(p, e.name)))
    .map((e) => e.name)
    .sort()
    .at(-1);
  if (newest) return path.join(p, newest, 'summary.csv');
  throw new RunNotFoundError(`${arg}: neither a run directory (with summary.csv) nor a folder of run directories`);
}

export function readColumn(arg: string): Column {
  const file = resolveSummaryFile(arg);
  const label = path.basename(file) === 'summary.csv' ? path.basename(path.dirname(file)) : path.basename(file);
  return { label, rows: parseSummaryCsv(fs.readFileSync(file, 'utf8'), file) };
}
