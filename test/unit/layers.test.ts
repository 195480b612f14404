// The layer order of src/ (.dependency-cruiser.cjs, ARCHITECTURE.md): no import circles and no import from a
// layer up to a higher one, type-only imports included. And the rules themselves catch what they are for:
// a planted upward import and a planted circle in a scratch tree are reported.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const depcruise = path.join(root, 'node_modules/.bin/depcruise');

interface Violation {
  rule: { name: string };
  from: string;
  to: string;
}

/** dependency-cruiser's violations for `dir` (relative to cwd) under the project's rules. */
function violations(cwd: string, dir: string): Violation[] {
  const r = spawnSync(depcruise, [dir, '--config', path.join(root, '.dependency-cruiser.cjs'), '--output-type', 'json'], { cwd, encoding: 'utf8', maxBuffer: 64 << 20 });
  assert.ok(r.stdout, `dependency-cruiser printed nothing (exit ${r.status}): ${r.stderr}`);
  const out = JSON.parse(r.stdout) as { summary: { violations: Violation[]; totalCruised: number } };
  assert.ok(out.summary.totalCruised > 0, `dependency-cruiser read no module under ${dir}`);
  return out.summary.violations;
}

const describeAll = (vs: Violation[]): string => vs.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`).join('\n');

describe('layers', () => {
  it('src/ has no import circle and no upward import', () => {
    const vs = violations(root, 'src');
    assert.deepEqual(vs, [], `dependency violations:\n${describeAll(vs)}`);
  });

  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'zkbench-layers-'));
  after(() => fs.rmSync(scratch, { recursive: true, force: true }));

  it('a planted upward import and a planted circle are reported', () => {
    const file = (rel: string, text: string): void => {
      fs.mkdirSync(path.dirname(path.join(scratch, rel)), { recursive: true });
      fs.writeFileSync(path.join(scratch, rel), text);
    };
    fs.copyFileSync(path.join(root, 'tsconfig.json'), path.join(scratch, 'tsconfig.json'));
    // measure/ (a pure layer) reaching up to the scenario registry, as metric-catalog.ts once did
    file('src/scenarios/registry.ts', "export const SCENARIOS: string[] = [];\n");
    file('src/measure/catalog.ts', "import type { } from '../scenarios/registry.ts';\nexport const x = 1;\n");
    // two files of one folder importing each other, as each recipe family's catalog.ts and types.ts once did
    file('src/recipes/lock/catalog.ts', "import type { B } from './types.ts';\nexport type A = B | 1;\n");
    file('src/recipes/lock/types.ts', "import type { A } from './catalog.ts';\nexport type B = A | 2;\n");
    const vs = violations(scratch, 'src');
    const names = vs.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`);
    assert.ok(names.includes('no-upward-from-measure: src/measure/catalog.ts -> src/scenarios/registry.ts'), describeAll(vs));
    assert.ok(names.some((n) => n.startsWith('no-circular: src/recipes/lock/')), describeAll(vs));
  });
});
