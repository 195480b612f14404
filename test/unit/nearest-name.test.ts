// "Did you mean ...?" for unknown workload fields, in files and on the command line.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { editDistance, nearestName } from '../../src/workload/nearest-name.ts';
import { ZKBENCH } from '../helpers/cli.ts';
import { FIELDS, loadWorkload, validateWorkload } from '../../src/scenarios/catalog.ts';

const keys = FIELDS.map((f) => f.key);
const base = { name: 'w', scenario: 'lock-contention', recipes: ['predecessor'], clients: 10, duration_s: 1 };

describe('nearest known name', () => {
  it('counts insertions, deletions, substitutions and swaps of neighbours as one edit each', () => {
    assert.equal(editDistance('clients', 'clients'), 0);
    assert.equal(editDistance('clinets', 'clients'), 1); // swap
    assert.equal(editDistance('client', 'clients'), 1);
    assert.equal(editDistance('warmup', 'warmup_s'), 2);
    assert.equal(editDistance('', 'abc'), 3);
    assert.equal(editDistance('kitten', 'sitting'), 3);
  });

  it('names the nearest field when it is near enough to be a typo, else nothing', () => {
    assert.equal(nearestName('clinets', keys), 'clients');
    assert.equal(nearestName('duration-s', keys), 'duration_s');
    assert.equal(nearestName('warmup', keys), 'warmup_s');
    assert.equal(nearestName('Servers', keys), 'servers');
    assert.equal(nearestName('colour', keys), undefined);
  });

  it('in a workload file', () => {
    assert.throws(
      () => validateWorkload('w.yaml', { ...base, clinets: 3 }),
      (e: Error) => e.message.startsWith('w.yaml: unknown field "clinets" (did you mean "clients"?); allowed fields: name, '),
    );
    assert.throws(() => validateWorkload('w.yaml', { ...base, colour: 3 }), (e: Error) => /unknown field "colour"; allowed fields/.test(e.message));
  });

  it('on the command line, as a kebab-case flag, exit 2', () => {
    let stderr = '';
    let status: number | null = 0;
    try {
      execFileSync(process.execPath, [ZKBENCH, 'bench', '--workload', 'lock-contention', '--clinets', '3', '--duration_s=2'], { encoding: 'utf8', stdio: 'pipe' });
    } catch (err) {
      ({ stderr, status } = err as { stderr: string; status: number });
    }
    assert.equal(status, 2);
    assert.match(stderr, /^unknown flag --clinets \(did you mean --clients\?\)$/m);
    assert.match(stderr, /^unknown flag --duration_s \(did you mean --duration-s\?\)$/m);
  });

  it('for a misspelt command (exit 2) and a misspelt workload name', () => {
    let stderr = '';
    let status: number | null = 0;
    try {
      execFileSync(process.execPath, [ZKBENCH, 'bnech', '--workload', 'lock-contention'], { encoding: 'utf8', stdio: 'pipe' });
    } catch (err) {
      ({ stderr, status } = err as { stderr: string; status: number });
    }
    assert.equal(status, 2);
    assert.match(stderr, /^unknown command "bnech" \(did you mean "bench"\?\); commands: bench, compare, report/m);
    assert.throws(() => loadWorkload('lock-contnetion'), /workload "lock-contnetion" not found \(did you mean "lock-contention"\?\)/);
  });
});
