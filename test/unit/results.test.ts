import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { HistogramLogReader } from 'hdr-histogram-js';
import { newLatencyHistogram } from '../../src/measure/histogram.ts';
import { distribution, scalar } from '../../src/measure/metrics.ts';
import { histogramLog } from '../../src/results/hlog.ts';
import { percentilesCsv, PERCENTILE_COLUMNS } from '../../src/results/percentiles-csv.ts';
import { runId, writeRunDirectory } from '../../src/results/run-directory.ts';
import type { RunRecord } from '../../src/results/run-record.ts';
import { summaryCsv, SUMMARY_COLUMNS } from '../../src/results/summary-csv.ts';
import { writeRun } from '../../src/results/write-run.ts';
import { recipeResultOf, runRecordOf } from '../helpers/run-record.ts';

function sampleRun(): RunRecord {
  const acquire = newLatencyHistogram();
  for (let i = 1; i <= 1000; i++) acquire.recordValue(i * 100); // 0.1 .. 100 ms in µs
  const t0 = new Date('2026-11-22T06:00:00Z');
  const recipe = recipeResultOf({
    recipe: 'predecessor',
    clients: 10,
    metrics: [distribution('acquire', acquire), distribution('handoff', newLatencyHistogram()), scalar('throughput', 'acquisitions/s', 123.456789), scalar('violations', 'count', 0)],
    windowS: 1,
    firstAcquisitionAt: 1e9,
    startedAt: t0,
    endedAt: new Date(t0.getTime() + 2000),
  });
  return runRecordOf({
    workloadFields: { scenario: 'lock-contention', recipes: ['predecessor'], clients: 10, duration_s: 1 },
    recipes: [recipe],
    startedAt: t0,
    endedAt: new Date(t0.getTime() + 3000),
    timeToFirstAcquisitionMs: 1000,
  });
}

const csvRows = (text: string) => text.trim().split('\n').map((l) => l.split(','));

describe('summary.csv', () => {
  it('has the SPEC columns; distributions fill count..stdev, scalars fill value', () => {
    const rows = csvRows(summaryCsv(sampleRun()));
    assert.deepEqual(rows[0], [...SUMMARY_COLUMNS]);
    const col = (name: string) => SUMMARY_COLUMNS.indexOf(name as (typeof SUMMARY_COLUMNS)[number]);
    const acquire = rows.find((r) => r[col('metric')] === 'acquire')!;
    assert.equal(acquire[col('unit')], 'ms');
    assert.equal(acquire[col('value')], '');
    assert.equal(acquire[col('count')], '1000');
    assert.ok(Math.abs(Number(acquire[col('p50')]) - 50) < 0.1);
    assert.ok(Math.abs(Number(acquire[col('max')]) - 100) < 0.1);
    const throughput = rows.find((r) => r[col('metric')] === 'throughput')!;
    assert.equal(throughput[col('value')], '123.457');
    assert.equal(throughput[col('count')], '');
    assert.equal(throughput[col('clients')], '10');
    assert.equal(throughput[col('servers')], '3');
    const emptyHandoff = rows.find((r) => r[col('metric')] === 'handoff')!;
    assert.equal(emptyHandoff[col('count')], '0');
  });
});

describe('percentiles.csv', () => {
  it('holds HdrHistogram percentile rows in ms, ending at percentile 1', () => {
    const rows = csvRows(percentilesCsv(sampleRun()));
    assert.deepEqual(rows[0], [...PERCENTILE_COLUMNS]);
    const acquire = rows.slice(1).filter((r) => r[1] === 'acquire');
    assert.ok(acquire.length > 20);
    const last = acquire[acquire.length - 1]!;
    assert.equal(Number(last[3]), 1);
    assert.equal(last[4], '1000');
    assert.ok(Math.abs(Number(last[2]) - 100) < 0.1);
    // percentiles never decrease
    const ps = acquire.map((r) => Number(r[3]));
    assert.deepEqual([...ps].sort((a, b) => a - b), ps);
  });
});

describe('histograms.hlog', () => {
  it('is read back by an independent reader with its tag and counts', () => {
    const text = histogramLog(sampleRun());
    assert.match(text, /#\[Histogram log format version 1\.3\]/);
    const reader = new HistogramLogReader(text);
    const h = reader.nextIntervalHistogram();
    assert.ok(h);
    assert.equal(h.tag, 'predecessor.acquire');
    assert.equal(h.totalCount, 1000);
    assert.equal(reader.nextIntervalHistogram(), null); // the empty handoff series is not written
  });
});

describe('run directory', () => {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'zkbench-results-'));
  after(() => fs.rmSync(parent, { recursive: true, force: true }));

  it('writes all files at once and never overwrites an earlier run', () => {
    const run = sampleRun();
    const first = writeRun(parent, run.runId, run);
    const second = writeRun(parent, run.runId, run);
    assert.notEqual(first, second);
    for (const dir of [first, second]) {
      assert.deepEqual(fs.readdirSync(dir).sort(), ['histograms.hlog', 'percentiles.csv', 'run.json', 'summary.csv', 'timeline.csv']);
    }
    const json = JSON.parse(fs.readFileSync(path.join(first, 'run.json'), 'utf8'));
    assert.equal(json.outcome, 'completed');
    assert.equal(json.recipes[0].metrics.throughput.value, 123.456789);
  });

  it('leaves nothing behind when a file cannot be written', () => {
    const before = fs.readdirSync(parent).length;
    assert.throws(() => writeRunDirectory(parent, 'broken', { 'ok.csv': 'x', 'ok.csv/under-a-file.csv': 'y' }));
    assert.equal(fs.readdirSync(parent).length, before);
  });

  it('creates run directories with the mode mkdir gives (0777 less the umask), not 0700', () => {
    const saved = process.umask(0o022);
    try {
      for (const mask of [0o022, 0o027, 0o002]) {
        process.umask(mask);
        const dir = writeRunDirectory(parent, `mode-${mask.toString(8)}`, { 'a.csv': 'x' });
        assert.equal((fs.statSync(dir).mode & 0o777).toString(8), (0o777 & ~mask).toString(8));
      }
    } finally {
      process.umask(saved);
    }
  });

  it('names runs by UTC time and workload', () => {
    assert.equal(runId('lock-contention', new Date('2026-11-22T06:15:30.123Z')), '20261122T061530Z-lock-contention');
  });
});
