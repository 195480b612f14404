// Figures a run could not measure, and why (SPEC §2: "a figure without any observation is 'not measured',
// with its reason"). summary.csv leaves their cells empty; run.json lists them as `notMeasured` (one entry
// per figure: figure, recipe, reason), and the notes under the table print them, grouped by reason, so an
// unknown never reads as 0 or as a pass. docs/not-measured.md describes the list.
import type { Metric } from '../measure/metrics.ts';
import type { RunRecord } from './run-record.ts';
import { seriesName } from './series.ts';

/** One figure without a value: `figure` as summary.csv names it, `recipe` its series (recipe or recipe@watchers). */
export interface AbsentFigure {
  figure: string;
  recipe: string;
  reason: string;
}

/** The reason for an empty scalar whose maker gave none: its inputs were empty. */
export const NO_SAMPLES = 'nothing it is computed from was sampled in the measured window';
/** The reason for a distribution without observations. */
export const NO_OBSERVATIONS = 'no observations in the measured window';

/** The figures among `metrics` without a value: scalars that are not finite numbers, distributions with no observations. */
export function absentFigures(recipe: string, metrics: readonly Metric[]): AbsentFigure[] {
  const absent: AbsentFigure[] = [];
  for (const m of metrics) {
    if (m.kind === 'scalar' && !Number.isFinite(m.value)) absent.push({ figure: m.name, recipe, reason: m.notMeasured ?? NO_SAMPLES });
    else if (m.kind === 'distribution' && m.histogram.totalCount === 0) absent.push({ figure: m.name, recipe, reason: NO_OBSERVATIONS });
  }
  return absent;
}

/** Every figure of the run's recipes without a value, recipe by recipe. */
export function notMeasuredOf(run: RunRecord): AbsentFigure[] {
  // The ensemble's own figures the servers would not give (four-letter words not allowed, no AdminServer): every recipe lacks them.
  const ensemble = (run.ensemble.figureSources?.missing ?? []).map((m) => ({ figure: m.figure, recipe: 'ensemble', reason: m.reason }));
  return [...ensemble, ...run.recipes.flatMap((r) => absentFigures(seriesName(r), r.metrics))];
}

/** The notes' lines: one per reason, naming each figure as `recipe.figure`. */
export function notMeasuredNotes(absent: readonly AbsentFigure[]): string[] {
  const byReason = new Map<string, string[]>();
  for (const a of absent) byReason.set(a.reason, [...(byReason.get(a.reason) ?? []), `${a.recipe}.${a.figure}`]);
  return [...byReason].map(([reason, figures]) => `not measured (${reason}): ${figures.join(', ')}`);
}
