// What the scenarios add to the layers below them, assembled once from the registry: the figures and recipes
// rules may name (measure), the rule grammar over them (compare), the workload fields and checks (workload).
// The commands and the runner take these from here and hand them down; no lower layer imports the registry.
import type { HeadlineFigure } from '../compare/headline.ts';
import { ruleParser, RuleError } from '../compare/rules.ts';
import { figureVocabulary } from '../measure/metric-catalog.ts';
import { fieldOwners, workloadFields } from '../workload/fields.ts';
import { loadWorkload as loadWorkloadWith } from '../workload/load.ts';
import { loadSuite as loadSuiteWith } from '../workload/suite.ts';
import type { Workload } from '../workload/schema.ts';
import { validateWorkload as validateWorkloadWith, workloadWarnings as workloadWarningsOf } from '../workload/validate.ts';
import type { WorkloadVocabulary } from '../workload/vocabulary.ts';
import { SCENARIOS, scenarioById } from './registry.ts';

export const FIGURES = figureVocabulary(SCENARIOS);
export const { parseRule, parseThreshold, parseSelector } = ruleParser(FIGURES);
export const metricInfo = FIGURES.info;

/**
 * A scenario's headline figures, for compare's tables: its report's key figures, the figures its end table
 * leads with, in its order and units. Undefined for a scenario this build does not know.
 */
export const headlineFigures = (scenario: string): readonly HeadlineFigure[] | undefined => SCENARIOS.find((s) => s.id === scenario)?.report.keyFigures;

/** A RuleError's message, for a caller that reports it in its own terms; other errors are thrown. */
function problemOf(parse: () => unknown): string | undefined {
  try {
    parse();
    return undefined;
  } catch (err) {
    if (err instanceof RuleError) return err.message;
    throw err;
  }
}

export const WORKLOAD_VOCABULARY: WorkloadVocabulary = {
  scenarios: SCENARIOS,
  thresholdProblem: (selector, requirement) => problemOf(() => parseThreshold(selector, requirement)),
  ruleProblem: (rule) => problemOf(() => parseRule(rule)),
};

/** Every workload field, the common ones and each scenario's; and which scenarios own a scenario field. */
export const FIELDS = workloadFields(SCENARIOS);
export const FIELD_OWNERS = fieldOwners(SCENARIOS);

/** Workload and suite files, checked against the suite's scenarios. */
export const validateWorkload = (file: string, raw: unknown, overrides: Record<string, unknown> = {}) => validateWorkloadWith(WORKLOAD_VOCABULARY, file, raw, overrides);
export const loadWorkload = (nameOrPath: string, overrides: Record<string, unknown> = {}) => loadWorkloadWith(WORKLOAD_VOCABULARY, nameOrPath, overrides);
export const loadSuite = (nameOrPath: string, cliOverrides: Record<string, unknown> = {}) => loadSuiteWith(WORKLOAD_VOCABULARY, nameOrPath, cliOverrides);
/** What the scenario's checks say of a valid workload without stopping it: recorded in run.json and printed. */
export const workloadWarnings = (w: Workload) => workloadWarningsOf(w, scenarioById(w.scenario));
