// The report as other modules use it: run or suite directories in, one self-contained HTML file out.
//  read-run.ts   run and suite directories → ReportRun
//  charts.ts     ReportRun → Vega-Lite specs (percentile distributions, bars, timelines)
//  render-svg.ts spec → SVG text (vega in Node)
//  html.ts       headers, figure tables, charts → the page
//  report.ts     which charts a set of runs gets, and what each says to its reader
import fs from 'node:fs';
import path from 'node:path';
import { readRunArgument, type ReportRun } from './read-run.ts';
import { buildReport } from './report.ts';

export { NotARunError } from './read-run.ts';

export interface WrittenReport {
  path: string;
  runs: ReportRun[];
  charts: number;
  bytes: number;
  /** Sub-runs left out, drawing warnings: worth a line on stderr. */
  warnings: string[];
}

/**
 * Read every argument (a run or suite directory; NotARunError naming the first that is neither), draw
 * the report and write it to `out`, atomically (written beside it, then renamed).
 */
export async function createReport(runArgs: readonly string[], out: string, opts: { generatedAt?: Date } = {}): Promise<WrittenReport> {
  const runs: ReportRun[] = [];
  const notes: string[] = [];
  for (const arg of runArgs) {
    const r = readRunArgument(arg);
    runs.push(...r.runs);
    notes.push(...r.warnings);
  }
  const built = await buildReport(runs, { generatedAt: opts.generatedAt ?? new Date(), notes });
  const file = path.resolve(out);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.partial`;
  try {
    fs.writeFileSync(tmp, built.html);
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  return { path: file, runs, charts: built.charts, bytes: Buffer.byteLength(built.html), warnings: [...notes, ...built.warnings] };
}

