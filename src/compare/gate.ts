// The gate: what a rule (a workload threshold, a --fail-on rule) concluded about one figure, what the
// command prints for it, and the exit code a set of conclusions gives. A gate that cannot tell says so
// ("not measured", "censored", "not comparable"): it never passes what it could not judge (docs/gates.md).
import { EXIT } from '../process/exit-codes.ts';
import type { GateOutcome, GateResult } from '../results/run-record.ts';
import type { SummaryRow } from '../results/summary-csv.ts';
import { isEmptyDistribution, statOf, unitOfStat } from './figures.ts';
import { holds, type Condition, type FigureSelector, type RuleFlags } from './rules.ts';

/** Outcomes that fail a command, first to last in the order that picks its exit code (the issue 16 contract). */
export const FAILING_OUTCOMES: readonly { outcome: GateOutcome; exit: number }[] = [
  { outcome: 'not comparable', exit: EXIT.notComparable },
  { outcome: 'not measured', exit: EXIT.notMeasured },
  { outcome: 'censored', exit: EXIT.censored },
  { outcome: 'breach', exit: EXIT.breach },
];

/** Whether a result fails the command: an optional rule's "not measured" and "not run" do not. */
export function fails(g: Pick<GateResult, 'outcome' | 'optional'>): boolean {
  if (g.outcome === 'not measured' && g.optional) return false;
  return FAILING_OUTCOMES.some((f) => f.outcome === g.outcome);
}

/** The exit code of a set of gate results: 0 when none fails, else the first failing outcome present by precedence. */
export function gateExit(results: readonly Pick<GateResult, 'outcome' | 'optional'>[]): number {
  const failing = new Set(results.filter(fails).map((g) => g.outcome));
  return FAILING_OUTCOMES.find((f) => failing.has(f.outcome))?.exit ?? EXIT.ok;
}

/**
 * Exit codes of parts of one command (the runs, then their comparison) as one: a run that failed, a usage
 * or environment error or an interrupt wins over any gate; among gates, the precedence above.
 */
export function combineExits(codes: readonly number[]): number {
  const gateCodes = new Set<number>(FAILING_OUTCOMES.map((f) => f.exit));
  const other = codes.find((c) => c !== EXIT.ok && !gateCodes.has(c));
  if (other !== undefined) return other;
  return FAILING_OUTCOMES.find((f) => codes.includes(f.exit))?.exit ?? EXIT.ok;
}

/** The judgment of one figure by one condition. */
export interface Judgment {
  outcome: GateOutcome;
  value: number | undefined;
  /** The unit of the value the rule judged (unitOfStat). */
  unit: string;
  reason?: string;
}

const shown = (v: number): string => String(Number(v.toPrecision(4)));

/**
 * Judge one summary row by one rule's condition on an absolute amount. `absentReason` says why a figure
 * is missing when the run knows (e.g. "no server CPU samples on an external ensemble").
 */
export function judgeRow(row: SummaryRow, rule: FigureSelector & Condition & RuleFlags, absentReason?: string): Judgment {
  const unit = unitOfStat(row, rule.stat);
  if (isEmptyDistribution(row)) return { outcome: 'not measured', value: undefined, unit, reason: absentReason ?? 'no samples in the measured window' };
  const value = statOf(row, rule.stat);
  if (value === undefined || Number.isNaN(value)) return { outcome: 'not measured', value: undefined, unit, reason: absentReason ?? 'no value in this run' };
  const censored = row.censored ?? 0;
  if (censored > 0 && !rule.allowCensored) {
    const window = row.windowMs === undefined ? '' : ` of ${shown(row.windowMs)} ms`;
    return {
      outcome: 'censored',
      value,
      unit,
      reason: `${censored} of ${row.dist?.count ?? '?'} observations did not end inside their window${window}; ${withUnit(value, unit)} is a lower bound (add allow-censored to judge it anyway)`,
    };
  }
  return { outcome: holds(value, rule.op, rule.amount) ? 'pass' : 'breach', value, unit };
}

/** "606 ms", "12.5%", "3 count": a figure beside its unit (none when the row has none). */
export function withUnit(v: number, unit: string | undefined): string {
  return unit === undefined || unit === '' ? shown(v) : unit === '%' ? `${shown(v)}%` : `${shown(v)} ${unit}`;
}

const LABEL: Record<GateResult['outcome'], string> = {
  pass: 'pass',
  breach: 'BREACH',
  'not measured': 'NOT MEASURED',
  censored: 'CENSORED',
  'not comparable': 'NOT COMPARABLE',
  'not run': 'not run',
};

/** One line for a result that did not pass: the outcome, the rule, where, the figure's value and why. */
export function gateLine(g: GateResult): string {
  const label = g.outcome === 'not measured' && g.optional ? 'not measured (optional)' : LABEL[g.outcome];
  const where = `${g.workload}${g.recipe ? ` / ${g.recipe}` : ''}`;
  const value = g.value === undefined ? '' : ` = ${withUnit(g.value, g.unit)}`;
  return `${label}: ${g.rule} (${where} ${g.figure}${value})${g.reason ? `: ${g.reason}` : ''}`;
}

/**
 * Each failing outcome counted, then the optional rules not measured, e.g. "1 breach, 1 not measured (set.
 * server_cpu_per_request: no server CPU samples ...)"; empty when every gate passed. Not measured figures
 * are named with their reason.
 */
export function outcomeCounts(results: readonly (Pick<GateResult, 'outcome' | 'optional' | 'figure' | 'reason'> & { recipe?: string })[]): string[] {
  const parts: string[] = [];
  for (const { outcome } of [...FAILING_OUTCOMES].reverse()) {
    const these = results.filter((g) => g.outcome === outcome && fails(g));
    if (these.length === 0) continue;
    parts.push(outcome === 'not measured' ? `${these.length} not measured (${whyNotMeasured(these)})` : `${these.length} ${outcome}`);
  }
  const optional = results.filter((g) => g.outcome === 'not measured' && !fails(g));
  if (optional.length > 0) parts.push(`${optional.length} optional not measured (${whyNotMeasured(optional)})`);
  return parts;
}

/** "thresholds: 5 passed, 1 not measured (set.server_cpu_per_request: ...)": every outcome counted. */
export function gateSummary(title: string, results: readonly GateResult[]): string {
  const passed = results.filter((g) => g.outcome === 'pass').length;
  const notRun = results.filter((g) => g.outcome === 'not run').length;
  return `${title}: ${[`${passed} passed`, ...outcomeCounts(results), ...(notRun > 0 ? [`${notRun} not run`] : [])].join(', ')}`;
}

function whyNotMeasured(results: readonly (Pick<GateResult, 'figure' | 'reason'> & { recipe?: string })[]): string {
  return results.map((g) => `${g.recipe && g.recipe !== '*' ? `${g.recipe}.` : ''}${g.figure}: ${g.reason ?? 'missing'}`).join('; ');
}

/** The printed report of a set of results: one line per result that did not pass, then the summary. */
export function gateReport(title: string, results: readonly GateResult[]): string[] {
  const notRun = results.filter((g) => g.outcome === 'not run');
  const lines = results.filter((g) => g.outcome !== 'pass' && g.outcome !== 'not run').map(gateLine);
  if (notRun.length > 0) lines.push(`not checked: ${[...new Set(notRun.map((g) => g.rule))].join('; ')} (recipe not in this run)`);
  return [gateSummary(title, results), ...lines.map((l) => `  ${l}`)];
}
