// Workload thresholds: what a run must achieve on its own, checked at the end of every bench run.
import { seriesMatches, seriesName } from '../results/series.ts';
import type { SummaryRow } from '../results/summary-csv.ts';
import { isEmptyDistribution, selectRows, statOf } from './figures.ts';
import type { ThresholdResult } from '../results/run-record.ts';
import { figureName, holds, type Rule } from './rules.ts';

export function checkThresholds(rows: readonly SummaryRow[], rules: readonly Rule[]): ThresholdResult[] {
  const results: ThresholdResult[] = [];
  for (const rule of rules) {
    const figure = figureName(rule);
    const matching = selectRows(rows, rule);
    if (matching.length === 0) {
      const recipeRan = rule.recipe === undefined || rows.some((r) => seriesMatches(rule.recipe!, r));
      results.push({ threshold: rule.text, workload: rows[0]?.workload ?? '', recipe: rule.recipe ?? '*', figure, value: undefined, status: recipeRan ? 'not measured' : 'not run' });
    }
    for (const row of matching) {
      const value = isEmptyDistribution(row) ? undefined : statOf(row, rule.stat);
      const status = value === undefined ? (isEmptyDistribution(row) ? 'breach' : 'not measured') : holds(value, rule.op, rule.amount) ? 'pass' : 'breach';
      results.push({ threshold: rule.text, workload: row.workload, recipe: seriesName(row), figure, value, status });
    }
  }
  return results;
}
