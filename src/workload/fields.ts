// Every workload field: the common ones (schema.ts) and each scenario's own, with the values `scenario`
// and `recipes` may take filled in from the registry. Validation, the command line's flags and
// `zkbench list` all read this one list.
import { allRecipeIds, SCENARIOS } from '../scenarios/registry.ts';
import { COMMON_FIELDS, type FieldSpec } from './schema.ts';

function withRegistryValues(f: FieldSpec): FieldSpec {
  if (f.key === 'scenario') return { ...f, type: { kind: 'enum', values: SCENARIOS.map((s) => s.id) } };
  if (f.key === 'recipes') return { ...f, type: { kind: 'enum-list', values: allRecipeIds() } };
  return f;
}

/** Which scenarios declare each scenario field (by key). */
export const FIELD_OWNERS: ReadonlyMap<string, readonly string[]> = (() => {
  const owners = new Map<string, string[]>();
  for (const s of SCENARIOS) for (const f of s.fields) owners.set(f.key, [...(owners.get(f.key) ?? []), s.id]);
  return owners;
})();

function scenarioFields(): FieldSpec[] {
  const byKey = new Map<string, FieldSpec>();
  for (const s of SCENARIOS) {
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

export const FIELDS: readonly FieldSpec[] = [...COMMON_FIELDS.map(withRegistryValues), ...scenarioFields()];
