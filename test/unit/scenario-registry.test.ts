// The scenario registry: every scenario declares itself completely, the fields and figures it declares
// reach validation, the command line and the rules, and a field of another scenario is refused.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { SCENARIOS, scenarioById } from '../../src/scenarios/registry.ts';
import { WorkloadError } from '../../src/workload/validate.ts';
import { FIELDS, loadWorkload, metricInfo, parseThreshold, validateWorkload, workloadWarnings } from '../../src/scenarios/catalog.ts';

const lock = { name: 'w', scenario: 'lock-contention', recipes: ['predecessor'], clients: 10, duration_s: 1 };

describe('scenario registry', () => {
  it('has unique ids, and every scenario names recipes, a unit, the metric counting it and its main figure', () => {
    assert.equal(new Set(SCENARIOS.map((s) => s.id)).size, SCENARIOS.length);
    for (const s of SCENARIOS) {
      assert.ok(Object.keys(s.recipes).length > 0, `${s.id} recipes`);
      assert.ok(s.metrics[s.unit], `${s.id}: its unit "${s.unit}" is one of its metrics`);
      assert.ok(s.metrics[s.mainFigure], `${s.id}: its main figure "${s.mainFigure}" is one of its metrics`);
      assert.equal(typeof s.coordinator, 'function');
    }
  });

  it('puts every scenario field on the command line and in validation', () => {
    const keys = FIELDS.map((f) => f.key);
    for (const s of SCENARIOS) for (const f of s.fields) assert.ok(keys.includes(f.key), `${s.id}.${f.key}`);
    assert.deepEqual(FIELDS.find((f) => f.key === 'scenario')?.type, { kind: 'enum', values: SCENARIOS.map((s) => s.id) });
  });

  it('makes every declared metric known to rules, with a distribution needing a statistic', () => {
    for (const s of SCENARIOS) {
      for (const [name, info] of Object.entries(s.metrics)) {
        assert.equal(metricInfo(name)?.kind, info.kind, `${s.id}.${name}`);
        const recipe = Object.keys(s.recipes)[0]!;
        assert.doesNotThrow(() => parseThreshold(`${recipe}.${name}${info.kind === 'distribution' ? '.p99' : ''}`, '>= 0'));
      }
    }
  });

  it('fills a scenario field from its default and refuses a field of another scenario', () => {
    assert.equal(validateWorkload('w.yaml', lock)['holdMs'], 0);
    assert.equal('holdMs' in validateWorkload('t.yaml', { ...lock, scenario: 'throughput', recipes: ['set'] }), false);
    assert.throws(
      () => validateWorkload('t.yaml', { ...lock, scenario: 'throughput', recipes: ['set'], hold_ms: 5 }),
      (e: Error) => e instanceof WorkloadError && /field "hold_ms": a field of the lock-contention, lock-failover scenarios, not of throughput/.test(e.message),
    );
    assert.throws(() => validateWorkload('t.yaml', { ...lock, scenario: 'throughput', recipes: ['set'] }, { hold_ms: 5 }), /--hold-ms: a field of the lock-contention/);
  });

  it("runs the scenario's own checks at load time", () => {
    assert.throws(
      () => validateWorkload('t.yaml', { ...lock, scenario: 'throughput', recipes: ['set'], duration_s: undefined, acquisitions: 3 }),
      /the throughput scenario is time-bound/,
    );
    assert.deepEqual(workloadWarnings(validateWorkload('w.yaml', lock)), []);
  });

  it('finds scenarios by id and names the known ones for an unknown id', () => {
    assert.equal(scenarioById('throughput').id, 'throughput');
    assert.throws(() => scenarioById('nope'), /unknown scenario "nope"; scenarios: lock-contention/);
  });
});

describe('suite overrides from the command line', () => {
  it("hand a scenario's own flag only to that scenario's workloads, and refuse one no workload takes", async () => {
    const { loadSuite } = await import('../../src/scenarios/catalog.ts');
    const suite = loadSuite('nightly', { readers: 4, clients: 12, watchers: '4' });
    const byName = new Map(suite.entries.map((e) => [e.workload.name, e.workload]));
    assert.equal(byName.get('config-propagation')?.['readers'], 4);
    assert.equal('readers' in byName.get('lock-contention')!, false);
    assert.equal(byName.get('lock-contention')?.clients, 12);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zkbench-suite-'));
    const file = path.join(dir, 'locks.suite.yaml');
    fs.writeFileSync(file, 'name: locks\nworkloads: [lock-contention]\n');
    try {
      assert.throws(() => loadSuite(file, { readers: 4 }), /--readers: a field of the config scenario, and no workload of suite locks is one/);
      // thresholds add up: the workload's, the suite entry's, the command line's; --replace-thresholds replaces them all
      fs.writeFileSync(file, 'name: locks\nworkloads:\n  - workload: lock-contention\n    overrides: {thresholds: {"predecessor.acquire.p99": "< 5s"}}\n');
      const thresholds = (cli: Record<string, unknown>) => loadSuite(file, cli).entries[0]!.workload.thresholds;
      const own = loadWorkload('lock-contention').workload.thresholds;
      assert.deepEqual(thresholds({ thresholds: '{"*.timeouts": "== 0"}' }), { ...own, 'predecessor.acquire.p99': '< 5s', '*.timeouts': '== 0' });
      assert.deepEqual(thresholds({ replace_thresholds: '{"*.timeouts": "== 0"}' }), { '*.timeouts': '== 0' });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
