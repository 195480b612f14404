// The gate's "not comparable" and "noise-only difference" rows (issue 16, item 8), in the table's shape:
// inputs → exit code and the line printed. The figures are acquire.p99 of children-watch (ms) recorded by
// `npm run bench:false-alarm` (lock-contention, 20 clients, 3 s, 1 server; see docs/comparing-runs.md).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareSides, type ComparisonOptions } from '../../src/cli/compare.ts';
import { EXIT } from '../../src/process/exit-codes.ts';
import type { RunInput, Side } from '../../src/compare/read-summary.ts';
import { settingsOf, stateOf } from '../../src/compare/run-settings.ts';
import type { SummaryRow } from '../../src/results/summary-csv.ts';
import { runJson } from '../helpers/run-json.ts';

// Recorded on 2026-12-07 on the shared 2-core box (load average 20-33), each a repeat set of 3:
// two consecutive sets of identical settings (a, b); a set and the one after it with hold_ms 200
// (regressionBase, slower: 20 clients queue 200 ms each); a set and the one after it with hold_ms 50
// (smallBase, slightly: on this box at that time, smaller than the run-to-run spread).
const RECORDED = {
  a: [1502.21, 990.719, 1225.73],
  b: [1604.61, 999.423, 1482.75],
  regressionBase: [606.207, 450.559, 962.559],
  slower: [3919.87, 3919.87, 3870.72],
  smallBase: [2562.05, 1587.2, 993.279],
  slightly: [1188.86, 1149.95, 1568.77],
};

const rows = (p99: number): SummaryRow[] => [
  { workload: 'lock-contention', recipe: 'children-watch', metric: 'acquire', unit: 'ms', dist: { count: 400, min: 1, p50: p99 / 8, p99, max: p99 * 1.1, mean: p99 / 6 } },
];
const runOf = (label: string, p99: number, doc = runJson()): RunInput => ({ label, rows: rows(p99), settings: [settingsOf(doc)], state: stateOf(doc) });
const side = (label: string, p99s: readonly number[], doc = runJson()): Side => ({ label, runs: p99s.map((v, i) => runOf(p99s.length > 1 ? `${label}/repeat-${i + 1}` : label, v, doc)) });

interface Row {
  outcome: string;
  sides: Side[];
  options?: Partial<ComparisonOptions>;
  code: number;
  line: RegExp;
}

const RULE = 'acquire.p99>+10%';
const TABLE: Row[] = [
  {
    outcome: 'not comparable: settings differ',
    sides: [side('a', [300]), side('b', [310], runJson({ clients: 100, durationS: 10 }))],
    code: EXIT.notComparable,
    line: /^not comparable: a vs b, lock-contention: clients 20 vs 100; duration 3 s vs 10 s$/m,
  },
  {
    outcome: 'not comparable: a run cut short',
    sides: [side('a', [300]), side('b', [310], runJson({ outcome: 'interrupted' }))],
    code: EXIT.notComparable,
    line: /^not comparable: b: outcome "interrupted" \(not every recipe ran to its end\)$/m,
  },
  {
    outcome: 'not comparable, allowed: compared with a loud warning',
    sides: [side('a', [300]), side('b', [310], runJson({ clients: 100 }))],
    options: { allowIncomparable: true },
    code: EXIT.ok,
    line: /^WARNING: these runs are NOT COMPARABLE \(1 difference\(s\)\); compared anyway/m,
  },
  {
    outcome: 'noise-only difference: repeats of identical settings',
    sides: [side('A', RECORDED.a), side('B', RECORDED.b)],
    code: EXIT.ok,
    line: /^within noise, not a breach: acquire\.p99>\+10%: B \(median of 3\), lock-contention \/ children-watch acquire\.p99 median /m,
  },
  {
    outcome: 'one run per side: the same noise breaches, and the output says there is no noise estimate',
    // the third run of each set alone: +21%, as a plain compare of two runs sees it
    sides: [side('A', [RECORDED.a[2]!]), side('B', [RECORDED.b[2]!])],
    code: EXIT.breach,
    line: /^note: no noise estimate: the baseline A is one run, so a relative rule judges the plain change between single figures/m,
  },
  {
    outcome: 'a real regression (hold_ms 200 against 0) breaches over repeats',
    sides: [side('A', RECORDED.regressionBase), side('slower', RECORDED.slower)],
    code: EXIT.breach,
    line: /^BREACH acquire\.p99>\+10%: slower \(median of 3\), lock-contention \/ children-watch acquire\.p99 median 606\.2 → 3920 ms \(\+546\.6%\); baseline range 450\.6–962\.6 ms over 3 runs, candidate 3 run\(s\): \+307\.2% from the baseline's max$/m,
  },
  {
    outcome: "the method's price: a regression smaller than the baseline's spread (hold_ms 50 on a loaded box) passes",
    sides: [side('A', RECORDED.smallBase), side('slightly', RECORDED.slightly)],
    code: EXIT.ok,
    // the scenario's headline figures: acquire p50 and p99, the baseline's medians (the set's middle run)
    line: /^children-watch +A +198\.4 +1587$/m,
  },
];

describe('gate rows: not comparable and noise-only difference', () => {
  for (const row of TABLE) {
    it(`${row.outcome} → exit ${row.code}`, () => {
      const out = compareSides(row.sides, { recipes: undefined, format: 'table', failOn: [RULE], stats: ['p99'], allowIncomparable: false, ...row.options });
      const printed = out.stdout + out.stderr;
      assert.equal(out.code, row.code, printed);
      assert.match(printed, row.line);
    });
  }

  it('the noise row is noise: its medians differ by more than the rule allows', () => {
    const med = (v: readonly number[]): number => [...v].sort((x, y) => x - y)[1]!;
    assert.ok(med(RECORDED.b) > med(RECORDED.a) * 1.1, 'pick recorded sets whose medians differ by over 10%');
  });
});
