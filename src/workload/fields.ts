// Every workload field: the common ones (schema.ts) and each scenario's own, with the values `scenario`
// and `recipes` may take filled in from the scenarios' declarations. Validation, the command line's flags
// and `zkbench list` all read this one list (scenarios/catalog.ts holds the suite's).
import { COMMON_FIELDS, type FieldSpec } from './schema.ts';
import type { ScenarioDeclaration } from './vocabulary.ts';

function withDeclaredValues(f: FieldSpec, scenarios: readonly ScenarioDeclaration[]): FieldSpec {
  if (f.key === 'scenario') return { ...f, type: { kind: 'enum', values: scenarios.map((s) => s.id) } };
  if (f.key === 'recipes') return { ...f, type: { kind: 'enum-list', values: [...new Set(scenarios.flatMap((s) => Object.keys(s.recipes)))] } };
  return f;
}

/** Which scenarios declare each scenario field (by key). */
export function fieldOwners(scenarios: readonly ScenarioDeclaration[]): ReadonlyMap<string, readonly string[]> {
  const owners = new Map<string, string[]>();
  for (const s of scenarios) for (const f of s.fields) owners.set(f.key, [...(owners.get(f.key) ?? []), s.id]);
  return owners;
}

function scenarioFields(scenarios: readonly ScenarioDeclaration[]): FieldSpec[] {
  const byKey = new Map<string, FieldSpec>();
  for (const s of scenarios) {
    for (const f of s.fields) {
      const seen = byKey.get(f.key);
      if (COMMON_FIELDS.some((c) => c.key === f.key)) throw new Error(`scenario ${s.id} declares "${f.key}", a common field`);
      // Two scenarios may share a field only if they mean the same thing by it.
      if (seen && JSON.stringify(seen) !== JSON.stringify(f)) throw new Error(`scenario ${s.id} declares "${f.key}" differently from another scenario`);
      byKey.set(f.key, f);
    }
  }
  return [...byKey.values()];
}

/** The common fields and every declared scenario's own. */
export function workloadFields(scenarios: readonly ScenarioDeclaration[]): readonly FieldSpec[] {
  return [...COMMON_FIELDS.map((f) => withDeclaredValues(f, scenarios)), ...scenarioFields(scenarios)];
}
