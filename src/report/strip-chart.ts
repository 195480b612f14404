// A per-session figure as a strip (scenarios/report-view.ts, kind per-session): one tick per session, one
// row per fault entry (or one row for a figure that is not per fault). The sessions' values come back from
// the figure's percentile distribution (percentiles.csv): with N cases, each row's cumulative total_count says how
// many cases lie at or below its value (casesOf). Pure data in, Vega-Lite spec out.
import type { TopLevelSpec } from 'vega-lite';
import { faultName } from './figure-tables.ts';
import type { ReportRun } from './read-run.ts';

export interface StripPoint {
  row: string;
  run: string;
  recipe: string;
  value_ms: number;
}

export interface StripChart {
  spec: TopLevelSpec;
  points: StripPoint[];
  rows: string[];
}

/**
 * The cases of one distribution, smallest first, as its percentile rows give them back: each row's
 * total_count is how many cases were at or below its value, so the cases between two rows take the later
 * row's value; those above the last row kept (the 100% row is not read) take summary.csv's max.
 */
export function casesOf(run: ReportRun, recipe: string, metric: string): number[] {
  const rows = run.percentiles.filter((p) => p.recipe === recipe && p.metric === metric).sort((a, b) => a.percentile - b.percentile);
  const summary = run.summary.find((s) => s.recipe === recipe && s.metric === metric);
  const out: number[] = [];
  for (const r of rows) while (out.length < r.totalCount) out.push(r.valueMs);
  if (summary?.max !== undefined) while (out.length < (summary.count ?? 0)) out.push(summary.max);
  return out;
}

export function stripChart(runs: readonly ReportRun[], family: string, unit: string, colour: (recipes: string[]) => { domain: string[]; range: string[] }, config: object): StripChart | undefined {
  const multi = runs.length > 1;
  const points: StripPoint[] = [];
  for (const run of runs) {
    const metrics = [...new Set(run.percentiles.map((p) => p.metric))].filter((m) => m === family || m.startsWith(`${family}.`));
    for (const metric of metrics) {
      const entry = Number(metric.slice(family.length + 1));
      for (const recipe of [...new Set(run.percentiles.filter((p) => p.metric === metric).map((p) => p.recipe))]) {
        const fault = Number.isInteger(entry) ? run.info.faults.find((f) => f.recipe === recipe && f.entry === entry) : undefined;
        const what = fault ? faultName(fault) : metric;
        const recipes = new Set(run.percentiles.map((p) => p.recipe)).size;
        const row = `${multi ? `${run.name}: ` : ''}${recipes > 1 ? `${recipe}: ` : ''}${what}`;
        for (const v of casesOf(run, recipe, metric)) points.push({ row, run: run.name, recipe, value_ms: v });
      }
    }
  }
  if (points.length === 0) return undefined;
  const rows = [...new Set(points.map((p) => p.row))];
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    description: `${family} per session, one row per fault`,
    config,
    width: 520,
    height: { step: 28 },
    data: { values: points },
    mark: { type: 'tick', thickness: 2, opacity: 0.7 },
    encoding: {
      x: { field: 'value_ms', type: 'quantitative', axis: { title: `${family} per session (${unit})`, tickCount: 6 }, scale: { zero: true } },
      y: { field: 'row', type: 'nominal', sort: rows, axis: { title: null, labelLimit: 320 } },
      color: { field: 'recipe', type: 'nominal', scale: colour([...new Set(points.map((p) => p.recipe))]), legend: null },
    },
  };
  return { spec, points, rows };
}
