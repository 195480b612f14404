// Looking figures up in summary rows: the value a selector names, for each (workload, recipe).
import type { Stat } from '../measure/metric-catalog.ts';
import type { SummaryRow } from '../results/summary-csv.ts';
import type { FigureSelector } from './rules.ts';

export function statOf(row: SummaryRow, stat: Stat): number | undefined {
  return stat === 'value' ? row.value : row.dist?.[stat];
}

/** Rows a selector applies to (its metric, and its recipe unless it names every recipe). */
export function selectRows(rows: readonly SummaryRow[], sel: FigureSelector): SummaryRow[] {
  return rows.filter((r) => r.metric === sel.metric && (sel.recipe === undefined || r.recipe === sel.recipe));
}

export const rowKey = (r: Pick<SummaryRow, 'workload' | 'recipe' | 'metric'>): string => `${r.workload}\u0000${r.recipe}\u0000${r.metric}`;
