// The report's comparison: recipes against the first recipe of a run, runs against the first run with
// their ratios (and the ratio's range over repeats), and a plain "not comparable" naming the settings that differ.
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { compareRecipes, compareSides, sidesOf } from '../../src/report/comparison.ts';
import { readRunArgument, type ReportRun } from '../../src/report/read-run.ts';
import { buildReport } from '../../src/report/report.ts';
import { lockReport } from '../../src/scenarios/lock-contention/report.ts';
import { fanoutReport } from '../../src/scenarios/watch-fanout/report.ts';

const FIXTURES = fileURLToPath(new URL('../fixtures/report/', import.meta.url));
const failover = (): ReportRun => readRunArgument(path.join(FIXTURES, 'failover-run')).runs[0]!;
const scaled = (run: ReportRun, name: string, k: number, repeatSet?: string): ReportRun => ({
  ...run,
  name,
  ...(repeatSet ? { repeatSet } : {}),
  summary: run.summary.map((s) => ({ ...s, p50: s.p50 === undefined ? undefined : s.p50 * k, value: s.value === undefined ? undefined : s.value * k })),
});

describe('the comparison', () => {
  it('sets each recipe against the first of its run', () => {
    const [c] = compareRecipes(sidesOf([failover()]), lockReport.keyFigures);
    assert.equal(c!.baselineRecipe, 'predecessor');
    const acquire = c!.ratios.find((r) => r.recipe === 'children-watch' && r.figure === 'acquire p50')!;
    assert.ok(acquire.ratio > 0 && Math.abs(acquire.ratio - acquire.other.median / acquire.baseline.median) < 1e-9);
  });

  it("sets a sweep's points against the first recipe's point at the same count", () => {
    const run = readRunArgument(path.join(FIXTURES, 'scenarios', 'watch-fanout')).runs[0]!;
    const [c] = compareRecipes(sidesOf([run]), fanoutReport.keyFigures);
    assert.equal(c!.baselineRecipe, 'data-watch');
    assert.deepEqual([...new Set(c!.ratios.map((r) => r.recipe))], ['exists-watch@5', 'exists-watch@20']);
    const p50 = (series: string) => run.summary.find((s) => `${s.recipe}@${s.watchers}` === series && s.metric === 'notify_from_send')!.p50!;
    const r = c!.ratios.find((x) => x.recipe === 'exists-watch@20' && x.figure === 'notify from send p50')!;
    assert.ok(Math.abs(r.ratio - p50('exists-watch@20') / p50('data-watch@20')) < 1e-9);
  });

  it('sets a run against the first, and gives the range over repeats', () => {
    const base = [scaled(failover(), 'a/1', 1, 'a'), scaled(failover(), 'a/2', 1.1, 'a')];
    const other = [scaled(failover(), 'b/1', 2, 'b'), scaled(failover(), 'b/2', 2.2, 'b')];
    const [c] = compareSides(sidesOf([...base, ...other]), lockReport.keyFigures);
    assert.deepEqual(c!.notComparable, []);
    const t = c!.ratios.find((r) => r.recipe === 'predecessor' && r.figure === 'throughput')!;
    assert.ok(Math.abs(t.ratio - 2) < 1e-9, String(t.ratio));
    assert.deepEqual(t.range!.map((x) => Number(x.toFixed(3))), [1.818, 2.2]);
  });

  it('says plainly when two runs are not comparable, and why', async () => {
    const a = failover();
    const b = { ...scaled(failover(), 'other', 1), json: { ...(a.json as object), workload: { ...((a.json as { workload: object }).workload), clients: 99 } } };
    const [c] = compareSides(sidesOf([a, b]), lockReport.keyFigures);
    assert.deepEqual(c!.notComparable, ['different clients 20 vs 99']);
    assert.deepEqual(c!.ratios, []);
    const { html } = await buildReport([a, b]);
    assert.match(html, /<span class="bad">Not comparable<\/span>: <code>[^<]*other<\/code> is not set against <code>[^<]*<\/code>: different clients 20 vs 99\./);
  });
});
