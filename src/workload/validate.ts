// Validation of a raw workload object (parsed file plus command-line overrides) into a Workload.
// Every error names where the value came from, the field, what was wrong and what is allowed.
import { parseThreshold, RuleError } from '../compare/rules.ts';
import { didYouMean } from './nearest-name.ts';
import { describeType, FIELDS, flagOf, RECIPES_BY_SCENARIO, type FieldSpec, type Workload } from './schema.ts';

export class WorkloadError extends Error {
  override readonly name = 'WorkloadError';
}

/** Where a value came from, for messages: the workload file or a command-line flag. */
export type Origin = { file: string } | { flag: true };

function checkValue(field: FieldSpec, value: unknown, where: string): unknown {
  const t = field.type;
  const bad = (what: string): never => {
    throw new WorkloadError(`${where}: ${what}; allowed: ${describeType(t)}`);
  };
  switch (t.kind) {
    case 'string':
      if (typeof value !== 'string' || value.trim() === '') bad(`expected a non-empty string, got ${JSON.stringify(value)}`);
      return value;
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
          map = JSON.parse(value);
        } catch {
          bad(`not JSON: ${value}`);
        }
      }
      if (typeof map !== 'object' || map === null || Array.isArray(map)) bad(`expected a mapping, got ${JSON.stringify(value)}`);
      for (const [selector, requirement] of Object.entries(map as Record<string, unknown>)) {
        if (typeof requirement !== 'string') bad(`"${selector}": the requirement must be a string such as "< 50ms"`);
        try {
          parseThreshold(selector, requirement as string);
        } catch (err) {
          if (err instanceof RuleError) bad(err.message);
          throw err;
        }
      }
      return map;
    }
  }
}

/**
 * Build a Workload from the file's object and the overrides given on the command line (keyed by file key).
 * Unknown keys, wrong types, values out of range and missing required fields are errors.
 */
export function validateWorkload(file: string, raw: unknown, overrides: Record<string, unknown> = {}): Workload {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new WorkloadError(`${file}: a workload file must hold a mapping of fields (name, scenario, recipes, ...)`);
  }
  const known = new Map(FIELDS.map((f) => [f.key, f]));
  for (const key of Object.keys(raw)) {
    if (!known.has(key)) {
      throw new WorkloadError(`${file}: unknown field "${key}"${didYouMean(key, [...known.keys()])}; allowed fields: ${[...known.keys()].join(', ')}`);
    }
  }
  const out: Record<string, unknown> = {};
  for (const field of FIELDS) {
    const fromFlag = overrides[field.key];
    const fromFile = (raw as Record<string, unknown>)[field.key];
    let value: unknown;
    if (fromFlag !== undefined) value = checkValue(field, fromFlag, `--${flagOf(field)}`);
    else if (fromFile !== undefined && fromFile !== null) value = checkValue(field, fromFile, `${file}: field "${field.key}"`);
    else if (field.required) throw new WorkloadError(`${file}: field "${field.key}" is required (${field.help}); allowed: ${describeType(field.type)}`);
    else value = field.default;
    out[field.prop] = value;
  }
  const w = out as unknown as Workload;
  // Exactly one way to end a run; a command-line choice replaces the file's.
  if (overrides['acquisitions'] !== undefined && overrides['duration_s'] === undefined) w.durationS = undefined;
  if (overrides['duration_s'] !== undefined && overrides['acquisitions'] === undefined) w.acquisitions = undefined;
  if ((w.acquisitions === undefined) === (w.durationS === undefined)) {
    throw new WorkloadError(`${file}: set exactly one of "acquisitions" (per client) and "duration_s" (per recipe)`);
  }
  const allowed = RECIPES_BY_SCENARIO[w.scenario];
  const misplaced = w.recipes.find((r) => !allowed.includes(r));
  if (misplaced) {
    throw new WorkloadError(`${file}: field "recipes": "${misplaced}" is not a ${w.scenario} recipe; allowed for ${w.scenario}: ${allowed.join(', ')}`);
  }
  if (w.scenario !== 'lock-contention' && w.durationS === undefined) {
    throw new WorkloadError(`${file}: the ${w.scenario} scenario is time-bound: set "duration_s" (not "acquisitions")`);
  }
  if (w.sessionTimeoutMs < 2 * w.tickTimeMs) {
    throw new WorkloadError(
      `${file}: field "session_timeout_ms" (${w.sessionTimeoutMs}) is below 2 x tick_time_ms (${w.tickTimeMs}), the server's minimum`,
    );
  }
  if (w.workers > w.clients) w.workers = w.clients;
  return w;
}
