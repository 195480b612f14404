// What makes runs comparable (compare/run-settings.ts, compare/sides.ts): settings read from run.json,
// each difference named; runs not completed or partial refused; repeats shown as their medians.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { readSide } from '../../src/compare/read-summary.ts';
import { settingDifferences, settingsOf, stateOf } from '../../src/compare/run-settings.ts';
import { comparabilityProblems, medianRows } from '../../src/compare/sides.ts';
import { writeRepeatSet } from '../../src/results/repeat-set.ts';
import { formatSummaryCsv, type SummaryRow } from '../../src/results/summary-csv.ts';
import { runJson } from '../helpers/run-json.ts';

describe('run settings', () => {
  it('names each setting that differs, and nothing when they match', () => {
    const a = settingsOf(runJson());
    assert.deepEqual(settingDifferences(a, settingsOf(runJson())), []);
    assert.deepEqual(settingDifferences(a, settingsOf(runJson({ clients: 100, durationS: 10 }))), ['clients 20 vs 100', 'duration 3 s vs 10 s']);
    assert.deepEqual(settingDifferences(a, settingsOf(runJson({ hostname: 'ci-7', cpus: 4 }))), ['machine bench-1, 2 cores vs ci-7, 4 cores']);
    assert.deepEqual(settingDifferences(a, settingsOf(runJson({ client: 'npm zookeeper 7.3.0 (as shipped)' }))), [
      'client npm zookeeper 7.3.0 + zkbench patch 2 vs npm zookeeper 7.3.0 (as shipped)',
    ]);
    assert.deepEqual(settingDifferences(a, settingsOf(runJson({ rate: 5 }))), ['rate closed loop vs 5 per client per s']);
    // A run over TLS measures the encryption too (docs/tls-sasl.md).
    const overTls = runJson() as { workload: Record<string, unknown> };
    overTls.workload['tlsCa'] = '/etc/zk/ca.pem';
    assert.deepEqual(
      settingDifferences(a, settingsOf(overTls)).map((d) => d.replace(/ZooKeeper \S+/g, 'ZooKeeper V')),
      ['ensemble embedded ZooKeeper V vs embedded ZooKeeper V over TLS'],
    );
  });

  it('reads how a run ended', () => {
    assert.deepEqual(stateOf(runJson({ outcome: 'interrupted' })), { outcome: 'interrupted', partial: false });
    assert.deepEqual(stateOf(runJson({ partial: true })), { outcome: 'completed', partial: true });
  });
});

const row = (p99: number): SummaryRow => ({ workload: 'lock-contention', recipe: 'children-watch', metric: 'acquire', unit: 'ms', dist: { count: 100, min: 1, p50: 50, p99, max: p99 + 10, mean: 60 } });

describe('comparability of sides', () => {
  const run = (label: string, doc: unknown) => ({ label, rows: [row(100)], settings: [settingsOf(doc)], state: stateOf(doc) });

  it('refuses settings that differ, runs cut short or partial, runs without run.json, and repeats that differ among themselves', () => {
    assert.deepEqual(comparabilityProblems([{ label: 'a', runs: [run('a', runJson())] }, { label: 'b', runs: [run('b', runJson())] }]), []);
    assert.deepEqual(comparabilityProblems([{ label: 'a', runs: [run('a', runJson())] }, { label: 'b', runs: [run('b', runJson({ clients: 100, durationS: 10 }))] }]), [
      'a vs b, lock-contention: clients 20 vs 100; duration 3 s vs 10 s',
    ]);
    const cut = comparabilityProblems([{ label: 'a', runs: [run('a', runJson({ partial: true }))] }, { label: 'b', runs: [run('b', runJson({ outcome: 'interrupted' }))] }]);
    assert.equal(cut.length, 2);
    assert.match(cut[0]!, /^a: partial/);
    assert.match(cut[1]!, /^b: outcome "interrupted"/);
    const bare = comparabilityProblems([{ label: 'a', runs: [{ label: 'a', rows: [row(1)], settings: undefined, state: undefined }] }, { label: 'b', runs: [run('b', runJson())] }]);
    assert.match(bare[0]!, /^a: no run\.json beside its summary\.csv/);
    const mixed = comparabilityProblems([{ label: 'set', runs: [run('set/repeat-1', runJson()), run('set/repeat-2', runJson({ durationS: 5 }))] }]);
    assert.deepEqual(mixed, ['set/repeat-1 vs set/repeat-2, lock-contention: duration 3 s vs 5 s']);
    const short = comparabilityProblems([{ label: 'set', runs: [run('set/repeat-1', runJson())], set: { outcome: 'interrupted', asked: 3 } }]);
    assert.deepEqual(short, ['set: repeat set interrupted after 1 of 3 runs']);
  });

  it('shows repeats as the median of each statistic, keeping the most censored cases', () => {
    const rows = medianRows([[row(100)], [{ ...row(300), censored: 2 }], [row(200)]]);
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.dist?.p99, 200);
    assert.equal(rows[0]!.dist?.max, 210);
    assert.equal(rows[0]!.censored, 2);
  });

  it('reads a repeat set as one side with its runs, each with its settings', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zkbench-repeats-'));
    try {
      for (const [name, p99] of [['repeat-1', 100], ['repeat-2', 120]] as const) {
        fs.mkdirSync(path.join(dir, name));
        fs.writeFileSync(path.join(dir, name, 'summary.csv'), formatSummaryCsv([row(p99)]));
        fs.writeFileSync(path.join(dir, name, 'run.json'), JSON.stringify(runJson()));
      }
      writeRepeatSet(dir, { name: 'lock-contention', asked: 2, runs: ['repeat-1', 'repeat-2'], outcome: 'completed', startedAt: '', endedAt: '' });
      const side = readSide(dir);
      assert.equal(side.runs.length, 2);
      assert.deepEqual(side.runs.map((r) => r.rows[0]!.dist?.p99), [100, 120]);
      assert.equal(side.runs[1]!.settings?.[0]?.clients, 20);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
