// What a scenario's report shows, declared in the scenario's own folder (Scenario.report): the key
// figures (the columns of the key-figure table) and the charts, each of one kind. The report
// (src/report) draws from this declaration only, so a new scenario gets a fitting page without any
// change there. Pure data and import-free.
//
// Kinds, and where the report finds their data in a run directory:
//  - distribution: percentile curves of a latency (percentiles.csv, one line per recipe);
//  - per-fault:    one row per fault of the workload's schedule, the fault named (run.json `faults` for the
//                  fault and its election, summary.csv `<figure>.<entry>` rows for a figure per fault entry);
//  - per-session:  one value per session, as a strip (percentiles.csv of `<figure>` or each `<figure>.<entry>`);
//  - sweep:        a latency's p50 and p99 against the parameter the run swept (summary.csv's column);
//  - scalar:       numbers, one row per recipe (summary.csv values).

/** A statistic of a summary.csv row: `value` for a scalar, the others of a distribution. */
export type FigureStat = 'value' | 'count' | 'p50' | 'p90' | 'p99' | 'max' | 'mean';

/** One column of the key-figure table. */
export interface KeyFigure {
  /** summary.csv's metric. */
  metric: string;
  stat: FigureStat;
  /** The column's heading, short (its unit is added below it). */
  header: string;
  unit: string;
  /** A figure that is wrong when above 0 (violations, lost writes): drawn in red when it is. */
  badAboveZero?: boolean;
}

/** A column of a per-fault table: a figure per fault entry, or a field of run.json's fault record. */
export type PerFaultColumn =
  | { header: string; unit: string; family: string; stat: FigureStat }
  | { header: string; unit: string; faultField: 'election.toLeaderMs' | 'election.toWriteMs' | 'tookMs' };

interface ChartBase {
  /** The chart's title, as the page shows it. */
  title: string;
  /** What the figure means (SPEC's definition) and how to read the chart: one or two sentences. */
  description: string;
}

export type ChartDeclaration =
  | (ChartBase & { kind: 'distribution'; metric: string })
  | (ChartBase & { kind: 'per-fault'; columns: PerFaultColumn[] })
  | (ChartBase & { kind: 'per-session'; family: string; unit: string })
  | (ChartBase & { kind: 'sweep'; metric: string; parameter: 'watchers' | 'clients' })
  | (ChartBase & { kind: 'scalar'; figures: { metric: string; label: string; unit: string }[] });

export type ChartKind = ChartDeclaration['kind'];

/** The run's timeline (timeline.csv), when the scenario writes one: what its event lane groups. */
export interface TimelineDeclaration {
  /** What the throughput line counts, e.g. "requests", "acquisitions", "reads". */
  unit: string;
  /** Drawn before the other charts (a failover run's story is its timeline); default: after them. */
  first?: boolean;
}

export interface ReportDeclaration {
  keyFigures: KeyFigure[];
  charts: ChartDeclaration[];
  timeline?: TimelineDeclaration;
}

/** The scenario-side description of a figure for the glossary: meaning (SPEC) and unit. */
export interface GlossaryEntry {
  figure: string;
  unit: string;
  meaning: string;
}

// Shorthands for declarations.
export const distribution = (metric: string, title: string, description: string): ChartDeclaration => ({ kind: 'distribution', metric, title, description });
export const scalars = (title: string, description: string, figures: { metric: string; label: string; unit: string }[]): ChartDeclaration => ({
  kind: 'scalar',
  title,
  description,
  figures,
});
export const key = (metric: string, stat: FigureStat, header: string, unit: string, badAboveZero = false): KeyFigure => ({ metric, stat, header, unit, ...(badAboveZero ? { badAboveZero } : {}) });

/** The per-fault election figures every fault-injecting scenario reports (election-metrics.ts). */
export const ELECTION_PER_FAULT: PerFaultColumn[] = [
  { header: 'election_to_leader', unit: 'ms', faultField: 'election.toLeaderMs' },
  { header: 'election_to_write', unit: 'ms', faultField: 'election.toWriteMs' },
];
