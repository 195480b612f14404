// `zkbench report RUN [RUN ...]`: one self-contained HTML file drawing the runs (run or suite
// directories). The output path is the last line of stdout, like bench's run directory.
import path from 'node:path';
import { createReport, NotARunError } from '../report/index.ts';
import { EXIT } from '../process/exit-codes.ts';

/** e.g. 20261122T064944Z, as run directories are stamped. */
function stamp(at: Date): string {
  return at.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

/**
 * `report.html` inside the one RUN given, else `<results dir>/zkbench-report-<timestamp>.html`: the results
 * directory (`--results-dir`, default `results`, which .gitignore covers) holds it beside the runs.
 */
export function defaultReportPath(runs: readonly string[], at: Date, resultsDir = 'results'): string {
  if (runs.length === 1) return path.join(path.resolve(runs[0]!), 'report.html');
  return path.resolve(resultsDir, `zkbench-report-${stamp(at)}.html`);
}

export async function reportCommand(runs: string[], opts: { out?: string; resultsDir?: string }): Promise<number> {
  if (runs.length === 0) {
    process.stderr.write('error: name at least one run directory (results/<timestamp>-<workload>) or suite directory\n');
    return EXIT.usage;
  }
  const now = new Date();
  const out = opts.out ? path.resolve(opts.out) : defaultReportPath(runs, now, opts.resultsDir);
  let report;
  try {
    report = await createReport(runs, out, { generatedAt: now });
  } catch (err) {
    if (err instanceof NotARunError) {
      process.stderr.write(`error: ${err.message}\n`);
      return EXIT.usage;
    }
    const e = err as NodeJS.ErrnoException;
    if (typeof e.code === 'string' && typeof e.syscall === 'string') {
      process.stderr.write(`error: cannot write the report to ${out} (${e.message}); choose another path with --out\n`);
      return EXIT.failed;
    }
    throw err;
  }
  for (const w of report.warnings) process.stderr.write(`warning: ${w}\n`);
  const n = report.runs.length;
  const workloads = [...new Set(report.runs.map((r) => r.info.workload))];
  process.stdout.write(
    `report of ${n} run${n === 1 ? '' : 's'} (${workloads.join(', ')}): ${report.charts} chart${report.charts === 1 ? '' : 's'}, ${Math.ceil(report.bytes / 1024)} KiB\n`,
  );
  if (!opts.out && runs.length > 1) process.stderr.write(`written into the results directory (choose another place with --out)\n`);
  process.stdout.write(`${report.path}\n`);
  return EXIT.ok;
}
