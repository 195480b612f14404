// Workload thresholds: what a run must achieve on its own, checked at the end of every bench run. Each
// rule's outcome is a gate's (gate.ts): pass, breach, not measured, censored; a run whose main figure has
// no measured events is "not measured" whatever its thresholds say.
import { seriesMatches, seriesName } from '../results/series.ts';
import type { SummaryRow } from '../results/summary-csv.ts';
import type { GateResult, ThresholdResult } from '../results/run-record.ts';
import { judgeRow } from './gate.ts';
import { pairKey, selectRows } from './figures.ts';
import { figureName, type Rule } from './rules.ts';


/** The figure a scenario exists to measure (Scenario.mainFigure) and the word for its events ("acquisitions"). */
export interface MainFigure {
  metric: string;
  unit: string;
}

/**
 * Why a figure of a series is missing, when the run knows (absent: no reason recorded). `recipe` is the
 * series, or '*' when a rule matched no row in any series.
 */
export type AbsentReason = (recipe: string, metric: string) => string | undefined;

export function checkThresholds(rows: readonly SummaryRow[], rules: readonly Rule[], main?: MainFigure, absentReason: AbsentReason = () => undefined): ThresholdResult[] {
  const results: ThresholdResult[] = main ? checkMainFigure(rows, main) : [];
  for (const rule of rules) {
    const figure = figureName(rule);
    const matching = selectRows(rows, rule);
    const base = { rule: rule.text, figure, ...(rule.optional ? { optional: true } : {}) };
    if (matching.length === 0) {
      const recipeRan = rule.recipe === undefined || rows.some((r) => seriesMatches(rule.recipe!, r));
      const recipe = rule.recipe ?? '*';
      results.push({
        ...base,
        workload: rows[0]?.workload ?? '',
        recipe,
        value: undefined,
        outcome: recipeRan ? 'not measured' : 'not run',
        ...(recipeRan ? { reason: absentReason(recipe, rule.metric) ?? `the run reports no ${rule.metric} figure` } : {}),
      });
    }
    for (const row of matching) {
      const judged = judgeRow(row, rule, absentReason(seriesName(row), row.metric));
      results.push({ ...base, workload: row.workload, recipe: seriesName(row), ...judged });
    }
  }
  return results;
}

/**
 * One gate per series of the run: its main figure has measured events (a distribution's count, a scalar's
 * value above 0). A run that measured nothing must not pass on thresholds that found nothing to object to.
 */
function checkMainFigure(rows: readonly SummaryRow[], main: MainFigure): ThresholdResult[] {
  const series = new Map<string, SummaryRow>();
  for (const r of rows) if (!series.has(pairKey(r))) series.set(pairKey(r), r);
  return [...series.values()].map((first) => {
    const row = rows.find((r) => pairKey(r) === pairKey(first) && r.metric === main.metric);
    const events = row === undefined ? undefined : row.dist !== undefined ? (row.dist.count ?? 0) : row.value;
    const rule = `main figure ${main.metric}${row?.dist !== undefined ? '.count' : ''} > 0`;
    const figure = row?.dist !== undefined ? `${main.metric}.count` : main.metric;
    const measured = events !== undefined && events > 0;
    return {
      rule,
      workload: first.workload,
      recipe: seriesName(first),
      figure,
      value: events,
      unit: main.unit,
      outcome: measured ? 'pass' : 'not measured',
      ...(measured ? {} : { reason: events === undefined ? `the run reports no ${main.metric} figure` : `0 measured ${main.unit}` }),
    };
  });
}

/**
 * Reasons a run gives for figures it could not measure: a recipe note of the form
 * "<metric> not measured: <why>" (e.g. "lost_writes not measured: the counters could not be read back").
 * '*' (a rule that matched no row anywhere) takes the first such note of any series.
 */
export function reasonsFromNotes(series: readonly { name: string; notes?: readonly string[] | undefined }[]): AbsentReason {
  return (recipe, metric) => {
    const prefix = `${metric} not measured: `;
    for (const s of series) {
      if (recipe !== '*' && s.name !== recipe) continue;
      const note = s.notes?.find((n) => n.startsWith(prefix));
      if (note) return note.slice(prefix.length);
    }
    return undefined;
  };
}
