// Workload thresholds: what a run must achieve on its own, checked at the end of every bench run.
import type { SummaryRow } from '../results/summary-csv.ts';
import { selectRows, statOf } from './figures.ts';
import { holds, type Rule } from './rules.ts';

export interface ThresholdResult {
  threshold: string;
  workload: string;
  recipe: string;
  figure: string;
  value: number | undefined;
  /** "not measured": the figure is empty in this run (e.g. fairness in acquisitions mode); "not run": its recipe was not in the run. */
  status: 'pass' | 'breach' | 'not measured' | 'not run';
}

export function checkThresholds(rows: readonly SummaryRow[], rules: readonly Rule[]): ThresholdResult[] {
  const results: ThresholdResult[] = [];
  for (const rule of rules) {
    const figure = rule.stat === 'value' ? rule.metric : `${rule.metric}.${rule.stat}`;
    const matching = selectRows(rows, rule);
    if (matching.length === 0) {
      results.push({ threshold: rule.text, workload: rows[0]?.workload ?? '', recipe: rule.recipe ?? '*', figure, value: undefined, status: 'not run' });
    }
    for (const row of matching) {
      const value = statOf(row, rule.stat);
      const status = value === undefined ? 'not measured' : holds(value, rule.op, rule.amount) ? 'pass' : 'breach';
      results.push({ threshold: rule.text, workload: row.workload, recipe: row.recipe, figure, value, status });
    }
  }
  return results;
}
