// Validation of a raw workload object (parsed file plus command-line overrides) into a Workload.
// Every error names where the value came from, the field, what was wrong and what is allowed.
// The scenarios' part (their fields, recipes, checks and the rule grammar) comes as a WorkloadVocabulary.
import { parse as parseYaml } from 'yaml';
import { checkFaultSchedule, FaultScheduleError, parseFaults } from './faults.ts';
import { didYouMean } from './nearest-name.ts';
import { fieldOwners, workloadFields } from './fields.ts';
import { describeType, flagOf, type FieldSpec, type Workload } from './schema.ts';
import type { ScenarioDeclaration, WorkloadVocabulary } from './vocabulary.ts';

export class WorkloadError extends Error {
  override readonly name = 'WorkloadError';
}

/** Where a value came from, for messages: the workload file or a command-line flag. */
export type Origin = { file: string } | { flag: true };

/** One field's value checked on its own (type, bounds); `where` names its origin in messages. */
export function checkValue(field: FieldSpec, value: unknown, where: string, vocabulary: WorkloadVocabulary): unknown {
  const t = field.type;
  const bad = (what: string): never => {
    throw new WorkloadError(`${where}: ${what}; allowed: ${describeType(t)}`);
  };
  switch (t.kind) {
    case 'string':
      if (typeof value !== 'string' || value.trim() === '') bad(`expected a non-empty string, got ${JSON.stringify(value)}`);
      return value;
    case 'boolean':
      if (value === true || value === 'true') return true;
      if (value === false || value === 'false') return false;
      return bad(`expected true or false, got ${JSON.stringify(value)}`);
    case 'integer':
    case 'number': {
      const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
      // NaN: the command-line parser's word for a flag value that is not a number.
      if (typeof n !== 'number' || !Number.isFinite(n)) bad(Number.isNaN(n) ? 'not a number' : `expected a number, got ${JSON.stringify(value)}`);
      const num = n as number;
      if (t.kind === 'integer' && !Number.isInteger(num)) bad(`expected an integer, got ${num}`);
      if (t.kind === 'integer' && t.oneOf && !t.oneOf.includes(num)) bad(`${num} is not allowed`);
      if (num < t.min || (t.kind === 'number' && t.exclusiveMin && num === t.min)) bad(`${num} is too small`);
      if (t.max !== undefined && num > t.max) bad(`${num} is too large`);
      return num;
    }
    case 'enum':
      if (typeof value !== 'string' || !t.values.includes(value)) bad(`unknown value ${JSON.stringify(value)}`);
      return value;
    case 'integer-list': {
      const list = typeof value === 'string' ? value.split(',').map((x) => (x.trim() === '' ? Number.NaN : Number(x))) : typeof value === 'number' ? [value] : value;
      if (!Array.isArray(list) || list.length === 0) bad(`expected a list, got ${JSON.stringify(value)}`);
      for (const n of list as unknown[]) {
        if (typeof n !== 'number' || !Number.isInteger(n)) bad(`${JSON.stringify(n)} is not an integer`);
        if ((n as number) < t.min) bad(`${n as number} is too small`);
        if (t.max !== undefined && (n as number) > t.max) bad(`${n as number} is too large`);
      }
      if (new Set(list as number[]).size !== (list as number[]).length) bad('a value is listed twice');
      return list;
    }
    case 'enum-list': {
      const list = typeof value === 'string' ? value.split(',').map((s) => s.trim()) : value;
      if (!Array.isArray(list) || list.length === 0) bad(`expected a list, got ${JSON.stringify(value)}`);
      for (const item of list as unknown[]) {
        if (typeof item !== 'string' || !t.values.includes(item)) bad(`unknown value ${JSON.stringify(item)}`);
      }
      if (new Set(list as string[]).size !== (list as string[]).length) bad('a value is listed twice');
      return list;
    }
    case 'thresholds': {
      let map = value;
      if (typeof value === 'string') {
        try {
          // YAML: JSON, or the flow style the help shows ({predecessor.acquire.p99: "< 50ms"}).
          map = parseYaml(value);
        } catch {
          bad(`neither YAML nor JSON: ${value} (e.g. {"predecessor.acquire.p99": "< 50ms"})`);
        }
      }
      if (typeof map !== 'object' || map === null || Array.isArray(map)) bad(`expected a mapping, got ${JSON.stringify(value)}`);
      for (const [selector, requirement] of Object.entries(map as Record<string, unknown>)) {
        if (typeof requirement !== 'string') bad(`"${selector}": the requirement must be a string such as "< 50ms"`);
        const problem = vocabulary.thresholdProblem(selector, requirement as string);
        if (problem !== undefined) bad(problem);
      }
      return map;
    }
    case 'faults':
      try {
        return parseFaults(value, where);
      } catch (err) {
        if (err instanceof FaultScheduleError) throw new WorkloadError(`${err.message}; allowed: ${describeType(t)}`);
        throw err;
      }
  }
}

/** The option that replaces a workload's thresholds; `--thresholds` (the field's own flag) adds to them. */
export const REPLACE_THRESHOLDS = 'replace_thresholds';

/**
 * The thresholds a run checks: the file's, or those of --replace-thresholds instead, plus those of
 * --thresholds. Adding never drops a check (e.g. `*.violations == 0`); a selector given twice with
 * different requirements is an error that names both, since one of them would be lost.
 */
function resolveThresholds(field: FieldSpec, fromFile: unknown, overrides: Record<string, unknown>, file: string, vocabulary: WorkloadVocabulary): Record<string, string> {
  const replace = overrides[REPLACE_THRESHOLDS];
  const base =
    replace !== undefined
      ? (checkValue(field, replace, '--replace-thresholds', vocabulary) as Record<string, string>)
      : fromFile !== undefined && fromFile !== null
        ? (checkValue(field, fromFile, `${file}: field "thresholds"`, vocabulary) as Record<string, string>)
        : {};
  const added = overrides['thresholds'];
  if (added === undefined) return { ...base };
  return addThresholds(base, checkValue(field, added, '--thresholds', vocabulary) as Record<string, string>, replace !== undefined ? '--replace-thresholds' : file);
}

/** `extra` added to `base`; a selector in both with another requirement is an error naming where each came from. */
export function addThresholds(base: Readonly<Record<string, string>>, extra: Readonly<Record<string, string>>, baseFrom: string): Record<string, string> {
  const out = { ...base };
  for (const [selector, requirement] of Object.entries(extra)) {
    const had = out[selector];
    if (had !== undefined && had.trim() !== requirement.trim()) {
      throw new WorkloadError(
        `--thresholds: "${selector}" is already a threshold (${baseFrom}: "${had}"), and --thresholds adds "${requirement}"; ` +
          'to change a threshold give the whole set with --replace-thresholds',
      );
    }
    out[selector] = requirement;
  }
  return out;
}

/**
 * Build a Workload from the file's object and the overrides given on the command line (keyed by file key).
 * Unknown keys, wrong types, values out of range and missing required fields are errors.
 */
export function validateWorkload(vocabulary: WorkloadVocabulary, file: string, raw: unknown, overrides: Record<string, unknown> = {}): Workload {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new WorkloadError(`${file}: a workload file must hold a mapping of fields (name, scenario, recipes, ...)`);
  }
  const fields = workloadFields(vocabulary.scenarios);
  const owners = fieldOwners(vocabulary.scenarios);
  const known = new Map(fields.map((f) => [f.key, f]));
  for (const key of Object.keys(raw)) {
    if (!known.has(key)) {
      throw new WorkloadError(`${file}: unknown field "${key}"${didYouMean(key, [...known.keys()])}; allowed fields: ${[...known.keys()].join(', ')}`);
    }
  }
  const scenarioRaw = overrides['scenario'] ?? (raw as Record<string, unknown>)['scenario'];
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    const fromFlag = overrides[field.key];
    const fromFile = (raw as Record<string, unknown>)[field.key];
    const ownedBy = owners.get(field.key);
    if (ownedBy && !ownedBy.includes(scenarioRaw as string)) {
      // Another scenario's field: an error when set (it would change nothing), absent from the workload otherwise.
      if (fromFlag !== undefined || (fromFile !== undefined && fromFile !== null)) {
        const where = fromFlag !== undefined ? `--${flagOf(field)}` : `${file}: field "${field.key}"`;
        throw new WorkloadError(`${where}: a field of the ${ownedBy.join(', ')} scenario${ownedBy.length > 1 ? 's' : ''}, not of ${String(scenarioRaw)}; remove it`);
      }
      continue;
    }
    let value: unknown;
    if (field.key === 'thresholds') value = resolveThresholds(field, fromFile, overrides, file, vocabulary);
    else if (fromFlag !== undefined) value = checkValue(field, fromFlag, `--${flagOf(field)}`, vocabulary);
    else if (fromFile !== undefined && fromFile !== null) value = checkValue(field, fromFile, `${file}: field "${field.key}"`, vocabulary);
    else if (field.required) throw new WorkloadError(`${file}: field "${field.key}" is required (${field.help}); allowed: ${describeType(field.type)}`);
    else value = field.default;
    out[field.prop] = value;
  }
  const w = out as unknown as Workload;
  // Exactly one way to end a run; a command-line choice replaces the file's.
  if (overrides['acquisitions'] !== undefined && overrides['duration_s'] === undefined) out['durationS'] = undefined;
  if (overrides['duration_s'] !== undefined && overrides['acquisitions'] === undefined) out['acquisitions'] = undefined;
  if ((w.acquisitions === undefined) === (w.durationS === undefined)) {
    throw new WorkloadError(`${file}: set exactly one of "acquisitions" (per client) and "duration_s" (per recipe)`);
  }
  const scenario = vocabulary.scenarios.find((d) => d.id === w.scenario)!; // the enum check above
  const allowed = Object.keys(scenario.recipes);
  const misplaced = w.recipes.find((r) => !allowed.includes(r));
  if (misplaced) {
    throw new WorkloadError(`${file}: field "recipes": "${misplaced}" is not a ${w.scenario} recipe; allowed for ${w.scenario}: ${allowed.join(', ')}`);
  }
  if (w.sessionTimeoutMs < 2 * w.tickTimeMs) {
    throw new WorkloadError(
      `${file}: field "session_timeout_ms" (${w.sessionTimeoutMs}) is below 2 x tick_time_ms (${w.tickTimeMs}), the server's minimum`,
    );
  }
  scenario.check?.(w, {
    error: (message) => {
      throw new WorkloadError(`${file}: ${message}`);
    },
    warn: () => undefined, // recorded when the run starts (workloadWarnings)
  });
  checkFaultSchedule(w.faults, w, overrides['faults'] !== undefined ? '--faults' : `${file}: field "faults"`, {
    error: (message) => {
      throw new WorkloadError(message);
    },
    warn: () => undefined,
  });
  if (w.workers > w.clients) out['workers'] = w.clients;
  return w;
}

/** What the scenario's checks say of a valid workload without stopping it: recorded in run.json and printed. */
export function workloadWarnings(w: Workload, scenario: ScenarioDeclaration): string[] {
  const warnings: string[] = [];
  scenario.check?.(w, {
    error: (message) => {
      throw new WorkloadError(message);
    },
    warn: (message) => void warnings.push(message),
  });
  checkFaultSchedule(w.faults, w, 'field "faults"', {
    error: (message) => {
      throw new WorkloadError(message);
    },
    warn: (message) => void warnings.push(message),
  });
  return warnings;
}
