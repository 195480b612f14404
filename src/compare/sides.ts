// A side of a comparison (one run, or the repeats of one) as a column, and whether the sides may be
// compared at all: same settings (run-settings.ts), every run complete and whole.
import type { SummaryRow } from '../results/summary-csv.ts';
import type { Column } from './compare.ts';
import { rowKey } from './figures.ts';
import { median } from './noise.ts';
import type { Side } from './read-summary.ts';
import { settingDifferences, stateProblems, type RunSettings } from './run-settings.ts';

function medianOf(values: (number | undefined)[]): number | undefined {
  const present = values.filter((v): v is number => v !== undefined && !Number.isNaN(v));
  return present.length === 0 ? undefined : median(present);
}

/**
 * The repeats' figures as one row per figure: each statistic the median of that statistic over the
 * repeats that have the figure (so each stays within its own repeats' range, and mean within [min, max]
 * since the median keeps order); censored cases the most any repeat had, so none is hidden.
 */
export function medianRows(repeats: readonly (readonly SummaryRow[])[]): SummaryRow[] {
  if (repeats.length === 1) return [...repeats[0]!];
  const byKey = new Map<string, SummaryRow[]>();
  for (const rows of repeats) for (const r of rows) byKey.set(rowKey(r), [...(byKey.get(rowKey(r)) ?? []), r]);
  return [...byKey.values()].map((rows) => {
    const first = rows[0]!;
    const out: SummaryRow = { ...first, value: medianOf(rows.map((r) => r.value)) };
    if (first.dist !== undefined) {
      const stats = new Set(rows.flatMap((r) => Object.keys(r.dist ?? {}))) as Set<keyof NonNullable<SummaryRow['dist']>>;
      out.dist = Object.fromEntries([...stats].map((s) => [s, medianOf(rows.map((r) => r.dist?.[s]))]));
    }
    const censored = rows.map((r) => r.censored).filter((c): c is number => c !== undefined);
    if (censored.length > 0) out.censored = Math.max(...censored);
    return out;
  });
}

/** The column a side shows: its run's rows, or the median of its repeats', with every repeat kept for the rules. */
export function sideColumn(side: Side): Column {
  const repeats = side.runs.map((r) => r.rows);
  return { label: side.runs.length > 1 ? `${side.label} (median of ${side.runs.length})` : side.label, rows: medianRows(repeats), repeats };
}

const byWorkload = (settings: readonly RunSettings[]): Map<string, RunSettings> => new Map(settings.map((s) => [s.workload, s]));

function differencesBetween(aLabel: string, a: readonly RunSettings[], bLabel: string, b: readonly RunSettings[]): string[] {
  const bs = byWorkload(b);
  const out: string[] = [];
  for (const sa of a) {
    const sb = bs.get(sa.workload);
    if (!sb) continue; // a workload only one side ran: its rows show as "-", nothing is compared
    const diffs = settingDifferences(sa, sb);
    if (diffs.length > 0) out.push(`${aLabel} vs ${bLabel}, ${sa.workload}: ${diffs.join('; ')}`);
  }
  return out;
}

/**
 * Every reason the sides are not comparable, each naming the run and the difference: a run (or repeat
 * set) that did not complete, or is partial; a run without run.json (its settings cannot be checked); repeats of one side
 * that differ among themselves; a candidate whose settings differ from the baseline's. Empty: comparable.
 */
export function comparabilityProblems(sides: readonly Side[]): string[] {
  const out: string[] = [];
  for (const side of sides) {
    if (side.set && side.set.outcome !== 'completed') {
      out.push(`${side.label}: repeat set ${side.set.outcome} after ${side.runs.length} of ${side.set.asked} runs`);
    }
    for (const run of side.runs) {
      if (run.settings === undefined) out.push(`${run.label}: no run.json beside its summary.csv, so what it measured (scenario, clients, duration, ensemble, machine) cannot be checked`);
      if (run.state) for (const p of stateProblems(run.state)) out.push(`${run.label}: ${p}`);
    }
    const [first, ...rest] = side.runs;
    for (const run of rest) {
      if (first?.settings && run.settings) out.push(...differencesBetween(first.label, first.settings, run.label, run.settings));
    }
  }
  const [baseline, ...candidates] = sides;
  const base = baseline?.runs[0];
  for (const c of candidates) {
    const cand = c.runs[0];
    if (base?.settings && cand?.settings) out.push(...differencesBetween(baseline!.label, base.settings, c.label, cand.settings));
  }
  return out;
}
