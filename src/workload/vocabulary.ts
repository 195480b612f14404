// What the scenarios add to workload files, as this layer sees it: each scenario's id, recipes, own fields
// and cross-field checks, and the rule grammar thresholds and suites are written in. The scenario catalog
// (scenarios/catalog.ts) assembles it from the registry and the commands hand it down; this layer names no
// scenario and parses no rule itself.
import type { FieldSpec, Workload } from './schema.ts';

/** Where a workload's checks across fields report: an error stops the run at load time; a warning is recorded. */
export interface WorkloadIssues {
  error(message: string): never;
  warn(message: string): void;
}

/** The part of a scenario's declaration that workload files depend on. */
export interface ScenarioDeclaration {
  readonly id: string;
  /** Recipe (or request kind) id → one line for `zkbench list`; `recipes` in a workload may name these. */
  readonly recipes: Readonly<Record<string, string>>;
  /** The scenario's own workload fields (the common ones are in schema.ts). */
  readonly fields: readonly FieldSpec[];
  /**
   * Checks across fields once every field is valid on its own (e.g. "time-bound: set duration_s").
   * Runs at load time, before anything starts.
   */
  check?(w: Workload, issues: WorkloadIssues): void;
}

export interface WorkloadVocabulary {
  readonly scenarios: readonly ScenarioDeclaration[];
  /** Why a workload threshold (selector → requirement) is not a valid rule; undefined when it is. */
  thresholdProblem(selector: string, requirement: string): string | undefined;
  /** Why a suite's `fail_on` rule is not a valid rule; undefined when it is. */
  ruleProblem(rule: string): string | undefined;
}
