// The table printed at the end of a bench run: the scenario's own table (one row per result, the figures a
// reader compares first), then the notes every run shares: the servers' view, known server bugs, stalls,
// censored time-to-event figures, workload warnings, a saturated driver and an open-loop rate not held.
import { scalarValue } from '../measure/metrics.ts';
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
  if (run.recipes.some((r) => scalarValue(r.metrics, 'rate_unsustained') === 1)) {
    notes.push('! rate unsustained: the open-loop rate was not held (achieved under 95% of it, or requests dropped); see the recipe\'s note');
  }
  return `${renderTable(table.header, table.rows)}\n${notes.join('\n')}`;
}
