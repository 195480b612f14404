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
import { censoredNote, renderTable, type ScenarioTable } from './table-format.ts';

/** `table`: the scenario's own table of this run (its declaration's `table(run)`, handed down by the command). */
export function resultTable(run: RunRecord, table: ScenarioTable): string {
  const notes = [...table.notes];
  for (const r of run.recipes) {
    const label = `${r.recipe}${r.watchers !== undefined ? ` (${r.watchers} watchers)` : ''}`;
    for (const n of r.notes ?? []) notes.push(`${label}: ${n}`);
    for (const m of r.metrics) {
      const c = censoredNote(m);
      if (c) notes.push(`${label}: ${c}`);
    }
  }
  notes.push(...serverViewNotes(run));
  notes.push(...run.ensemble.notes);
  notes.push(...stallNotes(run.stalls));
  for (const w of run.warnings ?? []) notes.push(`warning: ${w}`);
  if (run.recipes.some((r) => r.driverSaturated)) {
    notes.push('* driver saturated: the load processes were busy enough to delay timestamps (see run.json)');
  }
  const unjudged = run.recipes.filter((r) => r.driverSaturated === undefined);
  if (unjudged.length > 0) notes.push(`driver saturation unknown for ${unjudged.map((r) => r.recipe).join(', ')}: a load process's health was not measured (see run.json)`);
  notes.push(...notMeasuredNotes(notMeasuredOf(run)));
  for (const f of run.faults ?? []) {
    // A fault after which no write was accepted: why the probe's writes failed.
    const probe = f.election?.writeProbe;
    if (f.election && f.election.toWriteMs === undefined && probe) notes.push(`${f.recipe}: fault ${f.entry}: no write accepted; the write probe's ${describeProbeFailures(probe)}`);
  }
  for (const r of run.recipes) {
    const polls = r.timeline && r.timeline.leaders.length > 0 ? leaderPollNote(leaderPollCounts(r.timeline.leaders)) : undefined;
    if (polls) notes.push(`${seriesName(r)}: ${polls}`);
  }
  if (run.recipes.some((r) => scalarValue(r.metrics, 'rate_unsustained') === 1)) {
    notes.push('! rate unsustained: the open-loop rate was not held (achieved under 95% of it, or requests dropped); see the recipe\'s note');
  }
  return `${renderTable(table.header, table.rows)}\n${notes.join('\n')}`;
}
