// Which report declaration (scenarios/report-view.ts) a run's page follows: its scenario's, looked up by the
// scenario run.json names; for a run of a scenario the suite does not know, one built from what the run's
// files hold (each distribution a percentile chart, the scalars in one table), so nothing is lost.
import { SCENARIOS } from '../scenarios/registry.ts';
import type { ChartDeclaration, GlossaryEntry, KeyFigure, ReportDeclaration } from '../scenarios/report-view.ts';
import type { ReportRun, SummaryRow } from './read-run.ts';

/** A scenario's declaration by its id (undefined: not known to this lookup). */
export type DeclarationLookup = (scenario: string) => ReportDeclaration | undefined;

export const registryDeclarations: DeclarationLookup = (id) => SCENARIOS.find((s) => s.id === id)?.report;

/** Figures every run reports that a reader does not compare: kept out of a built declaration. */
const HOUSEKEEPING = /^(driver\.|server_latency|clock_bound|measure_from_s|queue_formed_s)/;
const PER_FAULT = /^(.+)\.(\d+)$/;

const isDistribution = (r: SummaryRow): boolean => r.count !== undefined || r.p50 !== undefined;

/** A declaration from the runs' own files, for a scenario without one. */
export function builtDeclaration(runs: readonly ReportRun[]): ReportDeclaration {
  const rows = runs.flatMap((r) => r.summary).filter((r) => !HOUSEKEEPING.test(r.metric));
  const distributions = [...new Set(rows.filter(isDistribution).map((r) => r.metric))];
  const families = [...new Set(distributions.map((m) => PER_FAULT.exec(m)?.[1]).filter((f): f is string => f !== undefined))];
  const plain = distributions.filter((m) => !PER_FAULT.test(m));
  const scalarRows = rows.filter((r) => !isDistribution(r) && r.value !== undefined);
  const scalarNames = [...new Set(scalarRows.map((r) => r.metric))];
  const unitOf = (m: string): string => rows.find((r) => r.metric === m)?.unit ?? '';
  const charts: ChartDeclaration[] = [
    ...plain.map((metric): ChartDeclaration => ({ kind: 'distribution', metric, title: `${metric} by percentile`, description: `${metric}, as the run's summary.csv names it.` })),
    ...families.map((family): ChartDeclaration => ({ kind: 'per-session', family, unit: 'ms', title: `${family} per case, per fault`, description: `${family}: one dot per case of each fault entry.` })),
    ...(scalarNames.length === 0 ? [] : [{ kind: 'scalar' as const, title: 'figures', description: "The run's scalar figures.", figures: scalarNames.map((m) => ({ metric: m, label: m, unit: unitOf(m) })) }]),
  ];
  const keyFigures: KeyFigure[] = [
    ...plain.slice(0, 2).flatMap((m): KeyFigure[] => [
      { metric: m, stat: 'p50', header: `${m} p50`, unit: 'ms' },
      { metric: m, stat: 'p99', header: `${m} p99`, unit: 'ms' },
    ]),
    ...scalarNames.slice(0, 4).map((m): KeyFigure => ({ metric: m, stat: 'value', header: m, unit: unitOf(m) })),
  ];
  return { keyFigures, charts, timeline: { unit: 'operations' } };
}

/** The declaration a section of runs (one workload, so one scenario) follows, and where it came from. */
export function declarationOf(runs: readonly ReportRun[], lookup: DeclarationLookup): { declaration: ReportDeclaration; scenario: string | undefined; declared: boolean } {
  const scenario = runs.map((r) => r.info.scenario).find((s) => s !== undefined);
  const declared = scenario === undefined ? undefined : lookup(scenario);
  return declared ? { declaration: declared, scenario, declared: true } : { declaration: builtDeclaration(runs), scenario, declared: false };
}

/** Every figure a declaration names, with its unit and meaning (its chart's description, a scalar's label): the section's glossary. */
export function glossaryOf(d: ReportDeclaration): GlossaryEntry[] {
  const out = new Map<string, GlossaryEntry>();
  const add = (e: GlossaryEntry) => out.has(e.figure) || out.set(e.figure, e);
  for (const c of d.charts) {
    if (c.kind === 'distribution' || c.kind === 'sweep') add({ figure: c.metric, unit: 'ms', meaning: c.description });
    else if (c.kind === 'per-session') add({ figure: `${c.family}.<fault>`, unit: c.unit, meaning: c.description });
    else if (c.kind === 'per-fault') {
      for (const col of c.columns) if ('faultField' in col && col.faultField !== 'tookMs') add({ figure: col.header, unit: col.unit, meaning: `one per fault (“${c.title}”): ${c.description}` });
    } else {
      for (const f of c.figures) add({ figure: f.metric, unit: f.unit, meaning: f.label });
    }
  }
  return [...out.values()];
}
