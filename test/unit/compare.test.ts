import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { compareCommand } from '../../src/cli/compare.ts';
import { describeFailure } from '../../src/cli/failures.ts';
import { checkComparable, compareColumns, findBreaches, recipeColumns, type Column } from '../../src/compare/compare.ts';
import { formatComparison } from '../../src/compare/format.ts';
import { percentChange, RuleError } from '../../src/compare/rules.ts';
import { checkThresholds } from '../../src/compare/thresholds.ts';
import { formatSummaryCsv, parseSummaryCsv, type SummaryRow } from '../../src/results/summary-csv.ts';
import { parseRule, parseThreshold } from '../../src/scenarios/catalog.ts';

const dist = (p50: number, p99: number): SummaryRow['dist'] => ({ count: 100, min: 1, p50, p90: p99 * 0.9, p99, p999: p99, max: p99 + 1, mean: p50, stdev: 1 });

function run(label: string, p99: number, violations: number, throughput = 600): Column {
  const rows: SummaryRow[] = [];
  for (const recipe of ['predecessor', 'predecessor-unchecked']) {
    rows.push({ workload: 'lock-contention', recipe, metric: 'acquire', unit: 'ms', dist: dist(100, p99) });
    rows.push({ workload: 'lock-contention', recipe, metric: 'throughput', unit: 'acquisitions/s', value: throughput });
    rows.push({ workload: 'lock-contention', recipe, metric: 'violations', unit: 'count', value: recipe === 'predecessor' ? violations : 5 });
  }
  return { label, rows };
}

describe('rules', () => {
  it('parses selectors with recipe, metric and statistic, and relative or absolute amounts', () => {
    assert.deepEqual(parseRule('acquire.p99>+10%'), {
      recipe: undefined, metric: 'acquire', stat: 'p99', op: '>', amount: 10, relative: true, optional: false, allowCensored: false, text: 'acquire.p99>+10%',
    });
    const r = parseRule('predecessor.violations>0');
    assert.equal(r.recipe, 'predecessor');
    assert.equal(r.metric, 'violations');
    assert.equal(r.stat, 'value');
    assert.equal(r.relative, false);
    assert.equal(parseRule('zk_ops_per_acquire.reads>=2').metric, 'zk_ops_per_acquire.reads');
    assert.equal(parseRule('*.errors.ZCONNECTIONLOSS>0').metric, 'errors.ZCONNECTIONLOSS');
    assert.equal(parseThreshold('predecessor.acquire.p99', '< 50ms').amount, 50);
    assert.equal(parseThreshold('acquire.p50', '<= 1.5s').amount, 1500);
  });

  it('refuses unknown metrics, missing statistics and relative thresholds', () => {
    assert.throws(() => parseRule('acquier.p99>+10%'), (e: Error) => e instanceof RuleError && /unknown metric "acquier"/.test(e.message));
    assert.throws(() => parseRule('acquire>+10%'), /name a statistic/);
    assert.throws(() => parseRule('violations.p99>0'), /single figure/);
    assert.throws(() => parseRule('violations 0'), /expected/);
    assert.throws(() => parseThreshold('acquire.p99', '< +10%'), /needs a baseline/);
  });

  it('measures change against the baseline', () => {
    assert.equal(percentChange(100, 110), 10);
    assert.equal(percentChange(0, 0), 0);
    assert.equal(percentChange(0, 3), Infinity);
  });
});

describe('compare', () => {
  it('aligns figures and gives ratios to the baseline', () => {
    const rows = compareColumns([run('a', 200, 0), run('b', 220, 0)]);
    const p99 = rows.find((r) => r.recipe === 'predecessor' && r.metric === 'acquire' && r.stat === 'p99')!;
    assert.deepEqual(p99.values, [200, 220]);
    assert.ok(Math.abs(p99.ratios[1]! - 1.1) < 1e-9);
    const v = rows.find((r) => r.recipe === 'predecessor' && r.metric === 'violations')!;
    assert.deepEqual(v.ratios, [1, 1]); // 0 vs 0 is no change
  });

  it('names every breach, and passes when nothing regressed', () => {
    const rules = [parseRule('acquire.p99>+10%'), parseRule('predecessor.violations>0')];
    assert.deepEqual(findBreaches([run('a', 200, 0), run('b', 205, 0)], rules).breaches, []);
    const { breaches } = findBreaches([run('a', 200, 0), run('b', 300, 2)], rules);
    assert.deepEqual(
      breaches.map((b) => [b.rule, b.recipe, b.figure]),
      [
        ['acquire.p99>+10%', 'predecessor', 'acquire.p99'],
        ['acquire.p99>+10%', 'predecessor-unchecked', 'acquire.p99'],
        ['predecessor.violations>0', 'predecessor', 'violations'],
      ],
    );
    assert.match(breaches[0]!.detail, /200 → 300 ms \(\+50\.0%\)/);
    const text = formatComparison(['a', 'b'], compareColumns([run('a', 200, 0), run('b', 300, 2)]), breaches, 'table');
    assert.match(text, /BREACH acquire\.p99>\+10%: b, lock-contention \/ predecessor acquire\.p99/);
  });

  it('refuses a rule that matches nothing rather than passing it', () => {
    assert.throws(() => findBreaches([run('a', 1, 0), run('b', 1, 0)], [parseRule('children-watch.violations>0')]), /matches no figure/);
    // a baseline without the figure cannot judge a relative rule
    const empty: Column = { label: 'empty', rows: [] };
    assert.throws(() => findBreaches([empty, run('b', 1, 0)], [parseRule('acquire.p99>+10%')]), /baseline lacks/);
  });

  it('treats a lost figure as not measured and a missing errors.<CODE> row as 0', () => {
    const lost = run('b', 200, 0);
    lost.rows = lost.rows.map((r) => (r.metric === 'acquire' && r.recipe === 'predecessor' ? { ...r, dist: { count: 0 } } : r));
    const { breaches } = findBreaches([run('a', 200, 0), lost], [parseRule('predecessor.acquire.p99>+10%')]);
    assert.deepEqual(breaches.map((b) => b.outcome), ['not measured']);
    assert.match(breaches[0]!.detail, /200 ms → none: no samples in this run/);

    const withErrors = (n: number): Column => {
      const c = run(String(n), 200, 0);
      c.rows.push({ workload: 'lock-contention', recipe: 'predecessor', metric: 'errors', unit: 'count', value: n });
      if (n > 0) c.rows.push({ workload: 'lock-contention', recipe: 'predecessor', metric: 'errors.ZCONNECTIONLOSS', unit: 'count', value: n });
      return c;
    };
    assert.deepEqual(findBreaches([withErrors(0), withErrors(0)], [parseRule('errors.ZCONNECTIONLOSS>0')]).breaches, []);
    assert.equal(findBreaches([withErrors(0), withErrors(3)], [parseRule('errors.ZCONNECTIONLOSS>0')]).breaches.length, 1);
  });

  it('parses amounts strictly: a sign needs %, time units only on times, unknown recipes named', () => {
    assert.throws(() => parseRule('acquire.p99>+10ms'), /signed amount/);
    assert.throws(() => parseRule('violations<5s'), /time unit/);
    assert.throws(() => parseRule('bakery.acquire.p99>+10%'), /unknown recipe "bakery"/);
    assert.equal(parseRule('handoff.p50>5ms').amount, 5);
  });

  it('needs two recipes to put side by side', () => {
    assert.throws(() => recipeColumns(run('a', 200, 0), ['predecessor']), /at least two/);
  });

  it('puts the recipes of one run side by side', () => {
    const cols = recipeColumns(run('a', 200, 0), ['predecessor', 'predecessor-unchecked']);
    const v = compareColumns(cols).find((r) => r.metric === 'violations')!;
    assert.deepEqual(v.values, [0, 5]);
    assert.throws(() => recipeColumns(run('a', 1, 0), ['predecessor', 'bakery']), /no recipe "bakery"/);
  });

  it('renders Markdown, CSV and JSON', () => {
    const cols = [run('a', 200, 0), run('b', 220, 0)];
    const rows = compareColumns(cols);
    assert.match(formatComparison(['a', 'b'], rows, [], 'markdown'), /\| acquire\.p99 \| ms \| 200 \| 220 \| 1\.10x \|/);
    assert.match(formatComparison(['a', 'b'], rows, [], 'csv'), /^workload,recipe,figure,unit,a,b,ratio:b\n/);
    assert.match(formatComparison(['a', 'b'], rows, [], 'csv'), /lock-contention,predecessor,acquire\.p99,ms,200,220,1\.1/);
    const json = JSON.parse(formatComparison(['a', 'b'], rows, [], 'json'));
    assert.deepEqual(json.columns, ['a', 'b']);
  });

  it('says that runs with no (workload, recipe) in common cannot be compared, what each holds, and exits 2', () => {
    const throughput: Column = {
      label: 'tp',
      rows: ['set', 'get'].map((recipe) => ({ workload: 'throughput', recipe, metric: 'throughput', unit: 'requests/s', value: 1000 })),
    };
    assert.doesNotThrow(() => checkComparable([run('a', 1, 0), run('b', 1, 0)]));
    assert.throws(
      () => checkComparable([run('a', 1, 0), run('b', 1, 0), throughput]),
      (e: Error) =>
        e.message ===
        'nothing to compare: tp has no (workload, recipe) in common with a\n' +
          '  a: workloads lock-contention; recipes predecessor, predecessor-unchecked\n' +
          '  tp: workloads throughput; recipes set, get',
    );
    // The command: the error, not a table of empty cells, and a usage exit code.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zkbench-compare-'));
    try {
      const files = [run('a', 1, 0), throughput].map((c) => {
        const f = path.join(dir, `${c.label}.csv`);
        fs.writeFileSync(f, formatSummaryCsv(c.rows));
        return f;
      });
      let failure: unknown;
      try {
        compareCommand({ runs: files, recipes: undefined, format: 'table', failOn: [], stats: ['p50'] });
      } catch (err) {
        failure = err;
      }
      const { message, code } = describeFailure(failure);
      assert.equal(code, 2);
      assert.match(message, /^nothing to compare: tp\.csv has no \(workload, recipe\) in common with a\.csv\n/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('summary.csv round trip and thresholds', () => {
  it('reads back what it writes', () => {
    const rows = run('a', 200, 0).rows.map((r) => ({ ...r, clients: 100, servers: 3 }));
    const back = parseSummaryCsv(formatSummaryCsv(rows), 'x');
    assert.deepEqual(back[0]!.dist?.p99, 200);
    assert.equal(back[1]!.value, 600);
    assert.equal(back[1]!.dist, undefined);
    assert.equal(back[0]!.clients, 100);
  });

  it('checks thresholds per recipe and says what it could not measure', () => {
    const rows = run('a', 200, 1).rows;
    // a latency nobody achieved is not measured: it fails the run, as not measured, not as a breach
    const none = checkThresholds([{ workload: 'w', recipe: 'predecessor', metric: 'acquire', unit: 'ms', dist: { count: 0 } }], [parseThreshold('acquire.p99', '< 50ms')]);
    assert.equal(none[0]!.outcome, 'not measured');
    const results = checkThresholds(rows, [
      parseThreshold('predecessor.acquire.p99', '< 250ms'),
      parseThreshold('*.violations', '== 0'),
      parseThreshold('children-watch.throughput', '> 1'),
    ]);
    assert.deepEqual(
      results.map((r) => [r.rule, r.recipe, r.outcome]),
      [
        ['predecessor.acquire.p99 < 250ms', 'predecessor', 'pass'],
        ['*.violations == 0', 'predecessor', 'breach'],
        ['*.violations == 0', 'predecessor-unchecked', 'breach'],
        ['children-watch.throughput > 1', 'children-watch', 'not run'],
      ],
    );
  });
});
