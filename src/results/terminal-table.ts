// The table printed at the end of a bench run: the scenario's own table (one row per result, the figures a
// reader compares first), then the notes every run shares: the servers' view, known server bugs, stalls,
// censored time-to-event figures, workload warnings, a saturated (or unjudged) driver, figures not measured
// (docs/not-measured.md), failed leader polls and write probes, and an open-loop rate not held.
import { scalarValue } from '../measure/metrics.ts';
import { describeProbeFailures } from '../ensemble/probe-write.ts';
import { leaderPollCounts, leaderPollNote } from '../measure/leader-polls.ts';
import { notMeasuredNotes, notMeasuredOf } from './not-measured.ts';
import { seriesName } from './series.ts';
import { stallNotes } from './stall-scan.ts';
import type { RunRecord } from './run-record.ts';
import { serverViewNotes } from './server-view.ts';
import { censoredNote, fitTable, type ScenarioTable } from './table-format.ts';

/** `table`: the scenario's own table of this run (its declaration's `table(run)`, handed down by the command). */
export function resultTable(run: RunRecord, table: ScenarioTable): string {
  // The scenario's own notes first; then the run's, grouped: warnings, the servers' view, the driver's health, figures not measured.
  const own = [...table.notes];
  for (const r of run.recipes) {
    const label = `${r.recipe}${r.watchers !== undefined ? ` (${r.watchers} watchers)` : ''}`;
    for (const n of r.notes ?? []) own.push(`${label}: ${n}`);
    for (const m of r.metrics) {
      const c = censoredNote(m);
      if (c) own.push(`${label}: ${c}`);
    }
  }
  for (const f of run.faults ?? []) {
    // A fault after which no write was accepted: why the probe's writes failed.
    const probe = f.election?.writeProbe;
    if (f.election && f.election.toWriteMs === undefined && probe) own.push(`${f.recipe}: fault ${f.entry}: no write accepted; the write probe's ${describeProbeFailures(probe)}`);
  }
  const warnings = [...(run.warnings ?? []), ...stallNotes(run.stalls)];
  const log = run.clientLog;
  if (log && log.total > 0) {
    const kinds = Object.entries(log.counts).sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k}: ${n} line(s)`);
    warnings.push(`the ZooKeeper C client logged ${log.total} line(s) (${kinds.join('; ')}): in client.log, not printed`);
  }
  const server = [...serverViewNotes(run), ...run.ensemble.notes];
  for (const r of run.recipes) {
    const polls = r.timeline && r.timeline.leaders.length > 0 ? leaderPollNote(leaderPollCounts(r.timeline.leaders)) : undefined;
    if (polls) server.push(`${seriesName(r)}: ${polls}`);
  }
  const driver: string[] = [];
  if (run.recipes.some((r) => r.driverSaturated)) {
    driver.push('* driver saturated: the load processes were busy enough to delay timestamps (see run.json)');
  }
  const unjudged = run.recipes.filter((r) => r.driverSaturated === undefined);
  if (unjudged.length > 0) driver.push(`driver saturation unknown for ${unjudged.map((r) => r.recipe).join(', ')}: a load process's health was not measured (see run.json)`);
  if (run.recipes.some((r) => scalarValue(r.metrics, 'rate_unsustained') === 1)) {
    driver.push('! rate unsustained: the open-loop rate was not held (achieved under 95% of it, or requests dropped); see the recipe\'s note');
  }
  const group = (title: string, lines: string[]): string[] => (lines.length === 0 ? [] : [`${title}:`, ...lines.map((l) => `  ${l}`)]);
  const tables = [fitTable(table.header, table.rows), ...(table.more ?? []).map((t) => `${t.title}\n${fitTable(t.header, t.rows)}`)];
  const notes = [
    ...own,
    ...group('warnings', warnings.map((w) => w.replace(/^warning: /, ''))),
    ...group("the servers' view", server),
    ...group('driver health', driver),
    ...group('not measured', notMeasuredNotes(notMeasuredOf(run))),
  ];
  return `${tables.join('\n\n')}\n${notes.join('\n')}`;
}
