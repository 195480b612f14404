// Stage 6 of a bench run: judge. The workload's thresholds and the scenario's main figure, as gates over
// the run's summary rows (compare/gate.ts: pass, breach, not measured, censored), and the stall scan; both
// are kept in the record, so run.json says what was decided and why.
import { checkThresholds, reasonsFromNotes } from '../compare/thresholds.ts';
import type { RunRecord } from '../results/run-record.ts';
import { seriesName } from '../results/series.ts';
import { scanRunRecord } from '../results/stall-scan.ts';
import { summaryRows } from '../results/summary-csv.ts';
import { parseThreshold } from '../scenarios/catalog.ts';
import type { Scenario } from '../scenarios/scenario.ts';

/** Fills record.thresholds and record.stalls; a run that measured no recipe is judged by its outcome alone. */
export function judgeRun(record: RunRecord, scenario: Pick<Scenario, 'mainFigure' | 'unit'>): void {
  const recipes = record.recipes;
  if (recipes.length === 0) return;
  const rules = Object.entries(record.workload.thresholds).map(([selector, requirement]) => parseThreshold(selector, requirement));
  const reasons = reasonsFromNotes(recipes.map((r) => ({ name: seriesName(r), notes: r.notes })));
  record.thresholds = checkThresholds(summaryRows(record), rules, { metric: scenario.mainFigure, unit: scenario.unit }, reasons);
  record.stalls = scanRunRecord(record);
}
