// Suite files (workloads/<name>.suite.yaml): several workloads run one after another into one run
// directory, e.g. the nightly suite, with the comparison rules a nightly run is judged by.
import path from 'node:path';
import { fieldOwners, workloadFields } from './fields.ts';
import { listSuiteFiles, listWorkloadFiles, loadWorkload, readYamlFile, resolveWorkloadPath, WORKLOADS_DIR } from './load.ts';
import type { Workload } from './schema.ts';
import { didYouMean } from './nearest-name.ts';
import { addThresholds, REPLACE_THRESHOLDS, checkValue, WorkloadError } from './validate.ts';
import type { WorkloadVocabulary } from './vocabulary.ts';

export const SUITE_SUFFIX = '.suite.yaml';

export interface SuiteEntry {
  workload: Workload;
  file: string;
}

export interface Suite {
  name: string;
  description: string;
  file: string;
  entries: SuiteEntry[];
  /** compare --fail-on rules for judging a run of this suite against a baseline. */
  failOn: string[];
}

const SUITE_KEYS = ['name', 'description', 'workloads', 'fail_on'];

export function resolveSuitePath(nameOrPath: string): string {
  if (/[\\/]/.test(nameOrPath) || nameOrPath.endsWith('.yaml')) return path.resolve(nameOrPath);
  return path.join(WORKLOADS_DIR, `${nameOrPath}${SUITE_SUFFIX}`);
}

/** The scenario a workload file names (validation proper happens in loadWorkload). */
function scenarioInFile(nameOrPath: string): unknown {
  const raw = readYamlFile(resolveWorkloadPath(nameOrPath), 'workload', nameOrPath, () => listWorkloadFiles().map((f) => path.basename(f, '.yaml')));
  return typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>)['scenario'] : undefined;
}

/**
 * The command line's overrides that apply to a workload of `scenario`: every common field, and a
 * scenario's own fields only for workloads of a scenario that has them (e.g. --readers reaches the
 * config workloads of a suite, not its lock workloads). Records which scenario fields were taken.
 */
function forScenario(owners: ReadonlyMap<string, readonly string[]>, cliOverrides: Record<string, unknown>, scenario: unknown, used: Set<string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(cliOverrides)) {
    const ownedBy = owners.get(key);
    if (ownedBy && !ownedBy.includes(scenario as string)) continue;
    if (ownedBy) used.add(key);
    out[key] = value;
  }
  return out;
}

/**
 * A suite entry's overrides with the command line's on top. Thresholds add up (the workload's, the entry's,
 * the command line's); --replace-thresholds on the command line replaces all of them with its own.
 */
function withThresholds(vocabulary: WorkloadVocabulary, own: Record<string, unknown>, cli: Record<string, unknown>, where: string): Record<string, unknown> {
  const merged = { ...own, ...cli };
  if (cli[REPLACE_THRESHOLDS] !== undefined) {
    merged['thresholds'] = cli['thresholds'];
    if (merged['thresholds'] === undefined) delete merged['thresholds'];
    return merged;
  }
  if (own['thresholds'] !== undefined && cli['thresholds'] !== undefined) {
    const field = workloadFields(vocabulary.scenarios).find((f) => f.key === 'thresholds')!;
    const map = (v: unknown, from: string) => checkValue(field, v, from, vocabulary) as Record<string, string>;
    merged['thresholds'] = addThresholds(map(own['thresholds'], `${where}: overrides "thresholds"`), map(cli['thresholds'], '--thresholds'), `${where}: overrides`);
  }
  return merged;
}

/**
 * Load and validate a suite and every workload in it (with its overrides, then the command line's), so
 * that a mistake anywhere stops the command before anything starts.
 */
export function loadSuite(vocabulary: WorkloadVocabulary, nameOrPath: string, cliOverrides: Record<string, unknown> = {}): Suite {
  const owners = fieldOwners(vocabulary.scenarios);
  const file = resolveSuitePath(nameOrPath);
  const raw = readYamlFile(file, 'suite', nameOrPath, () => listSuiteFiles().map((f) => path.basename(f, SUITE_SUFFIX)));
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new WorkloadError(`${file}: a suite file must hold a mapping (name, workloads, ...)`);
  const doc = raw as Record<string, unknown>;
  for (const key of Object.keys(doc)) {
    if (!SUITE_KEYS.includes(key)) throw new WorkloadError(`${file}: unknown field "${key}"${didYouMean(key, SUITE_KEYS)}; allowed fields: ${SUITE_KEYS.join(', ')}`);
  }
  if (typeof doc['name'] !== 'string' || doc['name'] === '') throw new WorkloadError(`${file}: field "name" is required (a string)`);
  const list = doc['workloads'];
  if (!Array.isArray(list) || list.length === 0) {
    throw new WorkloadError(`${file}: field "workloads" must list workloads: a name, or {workload: name, overrides: {field: value}}`);
  }
  /** Scenario fields given on the command line that some workload of the suite took. */
  const used = new Set<string>();
  const entries = list.map((item: unknown, i): SuiteEntry => {
    const where = `${file}: workloads[${i}]`;
    const spec = typeof item === 'string' ? { workload: item } : item;
    if (typeof spec !== 'object' || spec === null || typeof (spec as { workload?: unknown }).workload !== 'string') {
      throw new WorkloadError(`${where}: expected a workload name or {workload: name, overrides: {...}}`);
    }
    const { workload, overrides = {}, ...extra } = spec as { workload: string; overrides?: unknown };
    if (Object.keys(extra).length > 0) throw new WorkloadError(`${where}: unknown field "${Object.keys(extra)[0]}"; allowed: workload, overrides`);
    if (typeof overrides !== 'object' || overrides === null || Array.isArray(overrides)) throw new WorkloadError(`${where}: "overrides" must be a mapping of workload fields`);
    const own = overrides as Record<string, unknown>;
    const scenario = own['scenario'] ?? cliOverrides['scenario'] ?? scenarioInFile(workload);
    const loaded = loadWorkload(vocabulary, workload, withThresholds(vocabulary, own, forScenario(owners, cliOverrides, scenario, used), where));
    return { workload: loaded.workload, file: loaded.file };
  });
  const unused = Object.keys(cliOverrides).find((key) => owners.has(key) && !used.has(key));
  if (unused) {
    throw new WorkloadError(`--${unused.replaceAll('_', '-')}: a field of the ${owners.get(unused)!.join(', ')} scenario, and no workload of suite ${String(doc['name'])} is one`);
  }
  const names = entries.map((e) => e.workload.name);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup) throw new WorkloadError(`${file}: two workloads are named "${dup}"; give one another name with overrides: {name: ...}`);
  const failOn = doc['fail_on'] ?? [];
  if (!Array.isArray(failOn) || failOn.some((r) => typeof r !== 'string')) throw new WorkloadError(`${file}: field "fail_on" must be a list of rules such as "acquire.p99>+25%"`);
  for (const rule of failOn as string[]) {
    const problem = vocabulary.ruleProblem(rule);
    if (problem !== undefined) throw new WorkloadError(`${file}: field "fail_on": ${problem}`);
  }
  return { name: doc['name'], description: typeof doc['description'] === 'string' ? doc['description'] : '', file, entries, failOn: failOn as string[] };
}
