// A run that sweeps watcher counts has one result per (recipe, watchers): every file and comparison that
// keys figures by a single word keeps them apart as recipe@watchers, summary.csv keeps recipe and its
// watchers column, and the report draws latency against the swept parameter.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { compareColumns, findBreaches, recipeColumns } from '../../src/compare/compare.ts';
import { checkThresholds } from '../../src/compare/thresholds.ts';
import { newLatencyHistogram } from '../../src/measure/histogram.ts';
import { distribution, scalar } from '../../src/measure/metrics.ts';
import { recipeTimeline } from '../../src/measure/timeline.ts';
import { histogramLog } from '../../src/results/hlog.ts';
import { percentilesCsv } from '../../src/results/percentiles-csv.ts';
import { runJson } from '../../src/results/run-json.ts';
import type { RunRecord } from '../../src/results/run-record.ts';
import { parseSeriesName, seriesName } from '../../src/results/series.ts';
import { parseSummaryCsv, summaryCsv, summaryRows } from '../../src/results/summary-csv.ts';
import { timelineCsv } from '../../src/results/timeline-csv.ts';
import { writeRun } from '../../src/results/write-run.ts';
import { sweepChart, sweptMetrics, sweptParameter } from '../../src/report/charts.ts';
import { keyFigureTable } from '../../src/report/figure-tables.ts';
import { fanoutReport } from '../../src/scenarios/watch-fanout/report.ts';
import { readRunArgument } from '../../src/report/read-run.ts';
import { planCharts } from '../../src/report/report.ts';
import { recipeResultOf, runRecordOf } from '../helpers/run-record.ts';
import { parseRule, parseThreshold } from '../../src/scenarios/catalog.ts';

const t0 = new Date('2026-12-01T06:00:00Z');

/** data-watch and exists-watch at 10 and 100 watchers; notify latency grows with the count. */
function sweepRun(scale = 1): RunRecord {
  const recipes = ['data-watch', 'exists-watch'].flatMap((recipe, k) =>
    [10, 100].map((watchers, i) => {
      const notify = newLatencyHistogram();
      for (let v = 1; v <= 100; v++) notify.recordValue(Math.round(v * watchers * 10 * scale * (k + 1))); // µs
      const from = t0.getTime() + (k * 2 + i) * 1000;
      const grid = { gridFrom: 1e9 * (k * 2 + i), intervalNs: 1e8 };
      return recipeResultOf({
        recipe,
        watchers,
        clients: watchers + 1,
        metrics: [distribution('notify_from_send', notify), scalar('coalesced', 'count', 0), scalar('updates', 'count', 50)],
        windowS: 1,
        startedAt: new Date(from),
        endedAt: new Date(from + 900),
        notes: [`writer and ${watchers} watchers in one load process`],
        timeline: recipeTimeline(seriesName({ recipe, watchers }), grid, { startAt: grid.gridFrom, measureFrom: grid.gridFrom, stopAt: grid.gridFrom + 2e8 }, []),
      });
    }),
  );
  return runRecordOf({
    workloadFields: { scenario: 'watch-fanout', recipes: ['data-watch', 'exists-watch'], watchers: [10, 100], clients: 100, duration_s: 1 },
    recipes,
    startedAt: t0,
    endedAt: new Date(t0.getTime() + 5000),
  });
}

describe('series names', () => {
  it('are the recipe, or recipe@watchers, and read back', () => {
    assert.equal(seriesName({ recipe: 'predecessor' }), 'predecessor');
    assert.equal(seriesName({ recipe: 'data-watch', watchers: 1000 }), 'data-watch@1000');
    assert.deepEqual(parseSeriesName('data-watch@1000'), { recipe: 'data-watch', watchers: 1000 });
    assert.deepEqual(parseSeriesName('predecessor'), { recipe: 'predecessor' });
  });
});

describe('result files of a watcher sweep', () => {
  it('key every (recipe, watchers) apart where one word names a series; summary.csv has recipe and watchers', () => {
    const run = sweepRun();
    const expected = ['data-watch@10', 'data-watch@100', 'exists-watch@10', 'exists-watch@100'];
    const percentiles = new Set(percentilesCsv(run).trim().split('\n').slice(1).map((l) => l.split(',')[0]));
    assert.deepEqual([...percentiles], expected);
    const tags = [...histogramLog(run).matchAll(/Tag=([^,]+)/g)].map((m) => m[1]);
    assert.deepEqual(tags, expected.map((s) => `${s}.notify_from_send`));
    const timeline = new Set(timelineCsv(run).trim().split('\n').slice(1).map((l) => l.split(',')[1]));
    assert.deepEqual([...timeline], expected);
    const summary = parseSummaryCsv(summaryCsv(run), 'summary.csv').filter((r) => r.metric === 'notify_from_send');
    assert.deepEqual(summary.map((r) => [r.recipe, r.watchers, r.clients]), [['data-watch', 10, 11], ['data-watch', 100, 101], ['exists-watch', 10, 11], ['exists-watch', 100, 101]]);
    const json = JSON.parse(runJson(run)) as { recipes: { recipe: string; watchers: number; series: string; notes: string[] }[]; warnings: string[] };
    assert.deepEqual(json.recipes.map((r) => r.series), expected);
    assert.equal(json.recipes[1]!.watchers, 100);
    assert.deepEqual(json.recipes[1]!.notes, ['writer and 100 watchers in one load process']);
    assert.deepEqual(json.warnings, []);
  });
});

describe('comparing sweeps', () => {
  const column = (label: string, scale: number) => ({ label, rows: summaryRows(sweepRun(scale)) });

  it('compares each point with the same point of the baseline', () => {
    const rows = compareColumns([column('a', 1), column('b', 2)], ['p50']).filter((r) => r.metric === 'notify_from_send');
    assert.deepEqual(rows.map((r) => r.recipe), ['data-watch@10', 'data-watch@100', 'exists-watch@10', 'exists-watch@100']);
    for (const r of rows) assert.ok(Math.abs(r.ratios[1]! - 2) < 0.02, `${r.recipe} ratio ${r.ratios[1]}`);
  });

  it('takes a rule or threshold on one point, or on every point of a recipe', () => {
    const one = parseRule('data-watch@100.notify_from_send.p50>+50%');
    assert.equal(one.recipe, 'data-watch@100');
    const breaches = findBreaches([column('a', 1), column('b', 2)], [one]).breaches;
    assert.deepEqual(breaches.map((b) => b.recipe), ['data-watch@100']);
    const all = findBreaches([column('a', 1), column('b', 2)], [parseRule('data-watch.notify_from_send.p50>+50%')]).breaches;
    assert.deepEqual(all.map((b) => b.recipe), ['data-watch@10', 'data-watch@100']);
    const results = checkThresholds(summaryRows(sweepRun()), [parseThreshold('exists-watch@10.notify_from_send.p50', '< 1ms')]);
    assert.deepEqual(results.map((r) => [r.recipe, r.outcome]), [['exists-watch@10', 'breach']]);
  });

  it('puts recipes or points of one run side by side', () => {
    const byRecipe = compareColumns(recipeColumns(column('run', 1), ['data-watch', 'exists-watch']), ['p50']).filter((r) => r.metric === 'notify_from_send');
    assert.deepEqual(byRecipe.map((r) => r.recipe), ['@10', '@100']);
    const byPoint = compareColumns(recipeColumns(column('run', 1), ['data-watch@100', 'exists-watch@100']), ['p50']).filter((r) => r.metric === 'notify_from_send');
    assert.equal(byPoint.length, 1);
    assert.ok(Math.abs(byPoint[0]!.ratios[1]! - 2) < 0.02);
  });
});

describe('the report of a sweep', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zkbench-series-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('draws each latency against the swept watchers, p50 and p99 per recipe', () => {
    const runDir = writeRun(dir, 'sweep', sweepRun());
    const run = readRunArgument(runDir).runs[0]!;
    assert.equal(sweptParameter([run]), 'watchers');
    assert.deepEqual(sweptMetrics([run], 'watchers'), ['notify_from_send']);
    const c = sweepChart([run], 'notify_from_send', 'watchers', { recipes: ['data-watch', 'exists-watch'] })!;
    assert.deepEqual([...new Set(c.points.map((p) => p.x))], [10, 100]);
    const dataP50 = c.points.filter((p) => p.recipe === 'data-watch' && p.stat === 'p50').map((p) => p.value_ms);
    assert.ok(dataP50[1]! > dataP50[0]!, 'latency grows with the watchers in the data');
    const spec = JSON.parse(JSON.stringify(c.spec)) as { encoding: Record<string, { field: string; scale?: { type?: string } }> };
    assert.equal(spec.encoding['x']!.field, 'x');
    assert.equal(spec.encoding['x']!.scale?.type, 'log');
    assert.equal(spec.encoding['strokeDash']!.field, 'stat');
    assert.ok(planCharts([run], { recipes: [] }).charts.some((p) => p.kind === 'sweep' && p.title === 'notify latency against watchers'));
    assert.deepEqual(keyFigureTable(run, fanoutReport.keyFigures).rows.map((k) => k.recipe), ['data-watch@10', 'data-watch@100', 'exists-watch@10', 'exists-watch@100']);
  });

  it('draws no sweep chart for a run without a sweep', () => {
    const one = sweepRun();
    one.recipes = one.recipes.filter((r) => r.watchers === 100);
    const run = readRunArgument(writeRun(dir, 'single', one)).runs[0]!;
    assert.equal(sweptParameter([run]), undefined);
  });
});
