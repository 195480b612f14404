// Every result file of a run, written as one directory (SPEC §3).
import { histogramLog } from './hlog.ts';
import { percentilesCsv } from './percentiles-csv.ts';
import { writeRunDirectory } from './run-directory.ts';
import { runJson } from './run-json.ts';
import { serverLogFiles } from './server-view.ts';
import type { RunRecord } from './run-record.ts';
import { summaryCsv } from './summary-csv.ts';
import { timelineCsv } from './timeline-csv.ts';

/** Writes the run's files into resultsDir/name (never over an existing one) and returns the directory's path. */
export function writeRun(resultsDir: string, name: string, run: RunRecord): string {
  return writeRunDirectory(resultsDir, name, {
    'summary.csv': summaryCsv(run),
    'percentiles.csv': percentilesCsv(run),
    'histograms.hlog': histogramLog(run),
    'timeline.csv': timelineCsv(run),
    'run.json': runJson(run),
    ...serverLogFiles(run),
    ...(run.clientLog && run.clientLog.lines.length > 0 ? { 'client.log': `${run.clientLog.lines.join('\n')}\n` } : {}),
    ...Object.assign({}, ...run.recipes.map((r) => r.driverFiles ?? {})),
  });
}
