import type { LockWorkload } from '../../src/scenarios/lock-contention/workload.ts';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { listWorkloadFiles } from '../../src/workload/load.ts';
import { WorkloadError } from '../../src/workload/validate.ts';
import { loadWorkload, validateWorkload } from '../../src/scenarios/catalog.ts';

const base = {
  name: 'w',
  scenario: 'lock-contention',
  recipes: ['predecessor'],
  clients: 10,
  duration_s: 1,
};

describe('workload validation', () => {
  it('fills defaults and keeps given values', () => {
    const w = validateWorkload('w.yaml', base);
    assert.equal(w.clients, 10);
    assert.equal(w.durationS, 1);
    assert.equal(w.acquisitions, undefined);
    assert.equal(w.servers, 3);
    assert.equal(w.tickTimeMs, 2000);
    assert.equal(w.workers, 0); // chosen at run time
  });

  it('rejects an unknown key, naming the file, the key and the allowed fields', () => {
    assert.throws(
      () => validateWorkload('w.yaml', { ...base, clinets: 5 }),
      (e: Error) => e instanceof WorkloadError && /w\.yaml/.test(e.message) && /"clinets"/.test(e.message) && /clients/.test(e.message),
    );
  });

  it('rejects a wrong type, naming the field and what is allowed', () => {
    assert.throws(
      () => validateWorkload('w.yaml', { ...base, clients: 'many' }),
      (e: Error) => e instanceof WorkloadError && /field "clients"/.test(e.message) && /integer/.test(e.message),
    );
    assert.throws(() => validateWorkload('w.yaml', { ...base, clients: 2.5 }), /expected an integer/);
    assert.throws(() => validateWorkload('w.yaml', { ...base, give_up_share: 1.5 }), /too large/);
  });

  it('rejects an unknown recipe and lists the known ones', () => {
    assert.throws(
      () => validateWorkload('w.yaml', { ...base, recipes: ['predecessor', 'bakery'] }),
      (e: Error) => /"bakery"/.test(e.message) && /children-watch/.test(e.message),
    );
  });

  it('needs exactly one of acquisitions and duration_s', () => {
    const { duration_s: _d, ...none } = base;
    assert.throws(() => validateWorkload('w.yaml', none), /exactly one/);
    assert.throws(() => validateWorkload('w.yaml', { ...base, acquisitions: 3 }), /exactly one/);
  });

  it('lets command-line overrides win, validated and named as flags', () => {
    const w = validateWorkload('w.yaml', base, { clients: '500', recipes: 'predecessor,children-watch' });
    assert.equal(w.clients, 500);
    assert.deepEqual(w.recipes, ['predecessor', 'children-watch']);
    assert.throws(() => validateWorkload('w.yaml', base, { clients: 'x' }), /--clients/);
    // choosing acquisitions on the command line replaces the file's duration
    const counted = validateWorkload('w.yaml', base, { acquisitions: '4' });
    assert.equal(counted.acquisitions, 4);
    assert.equal(counted.durationS, undefined);
  });

  it('validates thresholds when the workload loads, from the file or as JSON on the command line', () => {
    const w = validateWorkload('w.yaml', { ...base, thresholds: { 'predecessor.acquire.p99': '< 50ms', '*.violations': '== 0' } });
    assert.equal(Object.keys(w.thresholds).length, 2);
    assert.throws(() => validateWorkload('w.yaml', { ...base, thresholds: { 'acquire.p99x': '< 5ms' } }), /field "thresholds".*unknown metric/);
    assert.throws(() => validateWorkload('w.yaml', { ...base, thresholds: { violations: 0 } }), /must be a string/);
    const fromFlag = validateWorkload('w.yaml', base, { thresholds: '{"violations": "== 0"}' });
    assert.deepEqual(fromFlag.thresholds, { violations: '== 0' });
    assert.throws(() => validateWorkload('w.yaml', { ...base, thresholds: { violations: '== 0 optinal' } }), /unknown flag "optinal" \(did you mean "optional"\?\)/);
  });

  it('adds --thresholds to the file\'s thresholds; --replace-thresholds replaces them', () => {
    const file = { ...base, thresholds: { '*.violations': '== 0' } };
    const added = validateWorkload('w.yaml', file, { thresholds: '{"predecessor.acquire.p99": "< 50ms"}' });
    assert.deepEqual(added.thresholds, { '*.violations': '== 0', 'predecessor.acquire.p99': '< 50ms' });
    // the same check twice is one check; the same figure with another requirement would lose one of them
    assert.deepEqual(validateWorkload('w.yaml', file, { thresholds: '{"*.violations": "== 0"}' }).thresholds, { '*.violations': '== 0' });
    assert.throws(() => validateWorkload('w.yaml', file, { thresholds: '{"*.violations": "< 3"}' }), /"\*\.violations" is already a threshold \(w\.yaml: "== 0"\).*--replace-thresholds/);
    assert.deepEqual(validateWorkload('w.yaml', file, { replace_thresholds: '{}' }).thresholds, {});
    assert.deepEqual(validateWorkload('w.yaml', file, { replace_thresholds: '{"*.violations": "< 3"}', thresholds: '{"errors": "== 0"}' }).thresholds, { '*.violations': '< 3', errors: '== 0' });
    assert.throws(() => validateWorkload('w.yaml', file, { replace_thresholds: '{"acquire": "< 3"}' }), /--replace-thresholds: .*name a statistic/);
  });

  it('refuses a session timeout the servers would not grant', () => {
    assert.throws(() => validateWorkload('w.yaml', { ...base, session_timeout_ms: 3000, tick_time_ms: 2000 }), /session_timeout_ms/);
  });
});

describe('workload files', () => {
  it('ships lock-contention and lock-churn, both valid', () => {
    const names = listWorkloadFiles().map((f) => path.basename(f, '.yaml'));
    for (const n of ['lock-contention', 'lock-churn']) assert.ok(names.includes(n), n);
    for (const n of names) loadWorkload(n);
    const contention = loadWorkload('lock-contention').workload;
    assert.ok(contention.clients >= 100);
    assert.equal(contention.servers, 3);
    assert.equal(contention.recipes.length, 4);
    assert.ok((loadWorkload('lock-churn').workload as LockWorkload).giveUpShare > 0);
  });

  it('reports invalid YAML and duplicate keys with the file name', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zkbench-wl-'));
    try {
      const bad = path.join(dir, 'bad.yaml');
      fs.writeFileSync(bad, 'name: a\nname: b\n');
      assert.throws(() => loadWorkload(bad), (e: Error) => e instanceof WorkloadError && e.message.includes(bad));
      assert.throws(() => loadWorkload('no-such-workload'), /not found.*known workloads/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
