// The gate, one row per outcome: what it is given, what it concludes, the exit code and exactly what is
// printed. A row is data; `evaluate` turns a row's input into its verdict with the functions the commands
// use (bench: checkThresholds, gateReport, gateExit; compare and nightly: findBreaches, breachLines,
// ruleOutcomes, gateExit), and nothing else. New kinds of input (e.g. repeated runs per side) extend
// GateInput with a kind of their own and a case in `evaluate`.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ruleOutcomes } from '../../src/cli/compare.ts';
import { readSuiteVerdict } from '../../src/cli/nightly.ts';
import { EXIT } from '../../src/process/exit-codes.ts';
import { findBreaches } from '../../src/compare/compare.ts';
import { breachLines } from '../../src/compare/format.ts';
import { combineExits, gateExit, gateReport } from '../../src/compare/gate.ts';
import type { GateOutcome } from '../../src/results/run-record.ts';
import { parseRule, parseThreshold } from '../../src/scenarios/catalog.ts';
import { checkThresholds, reasonsFromNotes, type MainFigure } from '../../src/compare/thresholds.ts';
import type { SummaryRow } from '../../src/results/summary-csv.ts';
import type { Suite } from '../../src/workload/suite.ts';

/** A workload's thresholds checked on one run's summary rows, as `bench` does. */
interface ThresholdInput {
  kind: 'thresholds';
  rows: SummaryRow[];
  thresholds: Record<string, string>;
  main: MainFigure;
  /** Why a figure is missing, when the run says (recipe note "<metric> not measured: <why>"). */
  absent?: Record<string, string>;
}

/** --fail-on rules judging a candidate run against a baseline, as `compare` and `nightly` do. */
interface CompareInput {
  kind: 'compare';
  baseline: SummaryRow[];
  candidate: SummaryRow[];
  failOn: string[];
}

type GateInput = ThresholdInput | CompareInput;

interface GateRow {
  name: string;
  input: GateInput;
  /** Every outcome the gate reaches, in the order of its results. */
  outcomes: (GateOutcome | 'not run')[];
  exit: number;
  /** Exactly what is printed for the gates (bench: the summary, then one line per gate that did not pass). */
  lines: string[];
}

interface Verdict {
  outcomes: (GateOutcome | 'not run')[];
  exit: number;
  lines: string[];
}

/** A row's verdict: a pure function of its input. */
function evaluate(input: GateInput): Verdict {
  switch (input.kind) {
    case 'thresholds': {
      const rules = Object.entries(input.thresholds).map(([selector, requirement]) => parseThreshold(selector, requirement));
      const results = checkThresholds(input.rows, rules, input.main, (_recipe, metric) => input.absent?.[metric]);
      return { outcomes: results.map((r) => r.outcome), exit: gateExit(results), lines: gateReport('thresholds', results) };
    }
    case 'compare': {
      const { breaches } = findBreaches(
        [
          { label: 'baseline', rows: input.baseline },
          { label: 'candidate', rows: input.candidate },
        ],
        input.failOn.map(parseRule),
      );
      return {
        outcomes: breaches.map((b) => b.outcome),
        exit: gateExit(breaches),
        lines: breaches.length === 0 ? [] : [...breachLines(breaches), `fail_on: ${ruleOutcomes(breaches)}`],
      };
    }
  }
}

const dist = (count: number, p50: number, max: number, censored?: { count: number; windowMs: number }): Partial<SummaryRow> => ({
  unit: 'ms',
  dist: count === 0 ? { count: 0 } : { count, min: 1, p50, p90: max, p99: max, p999: max, max, mean: p50, stdev: 1 },
  ...(censored ? { censored: censored.count, windowMs: censored.windowMs } : {}),
});

/** Rows of one lock-contention series: `acquisitions` measured, `violations` seen. */
function lockRows(acquisitions: number, violations: number): SummaryRow[] {
  const head = { workload: 'lock-contention', recipe: 'predecessor' };
  return [
    { ...head, metric: 'acquire', ...dist(acquisitions, 40, 90) } as SummaryRow,
    { ...head, metric: 'acquisitions', unit: 'count', value: acquisitions },
    { ...head, metric: 'violations', unit: 'count', value: violations },
  ];
}

/** Rows of a throughput run on an external ensemble: the server's CPU could not be sampled (no value). */
function throughputRows(): SummaryRow[] {
  const head = { workload: 'throughput', recipe: 'set' };
  return [
    { ...head, metric: 'latency', ...dist(5000, 2, 30) } as SummaryRow,
    { ...head, metric: 'server_cpu_per_request', unit: 'µs', value: undefined },
  ];
}

/** An ensemble-failover run whose second leader election did not finish inside its window (censored). */
function failoverRows(censored: number, max = 4000): SummaryRow[] {
  const head = { workload: 'failover-leader-pause', recipe: 'mixed' };
  return [
    { ...head, metric: 'latency', ...dist(900, 3, 80) } as SummaryRow,
    { ...head, metric: 'election_to_leader', ...dist(2, 900, max, censored > 0 ? { count: censored, windowMs: max } : undefined) } as SummaryRow,
  ];
}

const LOCK: MainFigure = { metric: 'acquire', unit: 'acquisitions' };
const THROUGHPUT: MainFigure = { metric: 'latency', unit: 'requests' };
const NO_CPU = { server_cpu_per_request: 'no server CPU samples on an external ensemble' };

const ROWS: GateRow[] = [
  {
    name: 'pass',
    input: { kind: 'thresholds', rows: lockRows(500, 0), thresholds: { 'predecessor.violations': '== 0' }, main: LOCK },
    outcomes: ['pass', 'pass'],
    exit: EXIT.ok,
    lines: ['thresholds: 2 passed'],
  },
  {
    name: 'breach',
    input: { kind: 'thresholds', rows: lockRows(500, 2), thresholds: { 'predecessor.violations': '== 0' }, main: LOCK },
    outcomes: ['pass', 'breach'],
    exit: EXIT.breach,
    lines: ['thresholds: 1 passed, 1 breach', '  BREACH: predecessor.violations == 0 (lock-contention / predecessor violations = 2 count)'],
  },
  {
    name: 'not measured',
    input: { kind: 'thresholds', rows: throughputRows(), thresholds: { 'set.server_cpu_per_request': '< 1000000' }, main: THROUGHPUT, absent: NO_CPU },
    outcomes: ['pass', 'not measured'],
    exit: EXIT.notMeasured,
    lines: [
      'thresholds: 1 passed, 1 not measured (set.server_cpu_per_request: no server CPU samples on an external ensemble)',
      '  NOT MEASURED: set.server_cpu_per_request < 1000000 (throughput / set server_cpu_per_request): no server CPU samples on an external ensemble',
    ],
  },
  {
    name: 'optional not measured',
    input: { kind: 'thresholds', rows: throughputRows(), thresholds: { 'set.server_cpu_per_request': '< 1000000 optional' }, main: THROUGHPUT, absent: NO_CPU },
    outcomes: ['pass', 'not measured'],
    exit: EXIT.ok,
    lines: [
      'thresholds: 1 passed, 1 optional not measured (set.server_cpu_per_request: no server CPU samples on an external ensemble)',
      '  not measured (optional): set.server_cpu_per_request < 1000000 optional (throughput / set server_cpu_per_request): no server CPU samples on an external ensemble',
    ],
  },
  {
    name: 'main figure with no measured events',
    input: { kind: 'thresholds', rows: lockRows(0, 0), thresholds: { 'predecessor.violations': '== 0' }, main: LOCK },
    outcomes: ['not measured', 'pass'],
    exit: EXIT.notMeasured,
    lines: [
      'thresholds: 1 passed, 1 not measured (predecessor.acquire.count: 0 measured acquisitions)',
      '  NOT MEASURED: main figure acquire.count > 0 (lock-contention / predecessor acquire.count = 0 acquisitions): 0 measured acquisitions',
    ],
  },
  {
    name: 'censored',
    input: { kind: 'thresholds', rows: failoverRows(1), thresholds: { 'election_to_leader.max': '< 5000' }, main: THROUGHPUT },
    outcomes: ['pass', 'censored'],
    exit: EXIT.censored,
    lines: [
      'thresholds: 1 passed, 1 censored',
      '  CENSORED: election_to_leader.max < 5000 (failover-leader-pause / mixed election_to_leader.max = 4000 ms): 1 of 2 observations did not end inside their window of 4000 ms; 4000 ms is a lower bound (add allow-censored to judge it anyway)',
    ],
  },
  {
    name: 'censored, allowed by the rule',
    input: { kind: 'thresholds', rows: failoverRows(1), thresholds: { 'election_to_leader.max': '< 5000 allow-censored' }, main: THROUGHPUT },
    outcomes: ['pass', 'pass'],
    exit: EXIT.ok,
    lines: ['thresholds: 2 passed'],
  },
  {
    name: 'several outcomes at once: not measured goes before censored and breach',
    input: {
      kind: 'thresholds',
      rows: [...failoverRows(1), { workload: 'failover-leader-pause', recipe: 'mixed', metric: 'errors', unit: 'count', value: 3 }],
      thresholds: { '*.errors': '== 0', 'election_to_leader.max': '< 5000', '*.lost_writes': '== 0' },
      main: THROUGHPUT,
      absent: { lost_writes: 'the counters could not be read back after the run' },
    },
    outcomes: ['pass', 'breach', 'censored', 'not measured'],
    exit: EXIT.notMeasured,
    lines: [
      'thresholds: 1 passed, 1 breach, 1 censored, 1 not measured (lost_writes: the counters could not be read back after the run)',
      '  BREACH: *.errors == 0 (failover-leader-pause / mixed errors = 3 count)',
      '  CENSORED: election_to_leader.max < 5000 (failover-leader-pause / mixed election_to_leader.max = 4000 ms): 1 of 2 observations did not end inside their window of 4000 ms; 4000 ms is a lower bound (add allow-censored to judge it anyway)',
      "  NOT MEASURED: *.lost_writes == 0 (failover-leader-pause / * lost_writes): the counters could not be read back after the run",
    ],
  },
  {
    name: 'compare: an absolute rule on a figure with no value',
    input: {
      kind: 'compare',
      baseline: lockRows(500, 0),
      candidate: lockRows(500, 0).map((r) => (r.metric === 'violations' ? { ...r, value: undefined } : r)),
      failOn: ['violations>0'],
    },
    outcomes: ['not measured'],
    exit: EXIT.notMeasured,
    lines: [
      'NOT MEASURED violations>0: candidate, lock-contention / predecessor violations 0 count → none: no value in this run',
      'fail_on: 1 not measured (predecessor.violations: 0 count → none: no value in this run) of 1 rule(s)',
    ],
  },
  {
    name: 'compare: a relative rule whose figure lost its samples',
    input: { kind: 'compare', baseline: lockRows(500, 0), candidate: lockRows(0, 0), failOn: ['acquire.p99>+10%'] },
    outcomes: ['not measured'],
    exit: EXIT.notMeasured,
    lines: [
      'NOT MEASURED acquire.p99>+10%: candidate, lock-contention / predecessor acquire.p99 90 ms → none: no samples in this run',
      'fail_on: 1 not measured (predecessor.acquire.p99: 90 ms → none: no samples in this run) of 1 rule(s)',
    ],
  },
  {
    name: 'compare: a censored figure, and the same rule allowing it',
    input: {
      kind: 'compare',
      baseline: failoverRows(0, 2000),
      candidate: failoverRows(1, 4000),
      failOn: ['election_to_leader.max>+50%', 'election_to_leader.max>+50% allow-censored'],
    },
    outcomes: ['censored', 'breach'],
    exit: EXIT.censored,
    lines: [
      'CENSORED election_to_leader.max>+50%: candidate, failover-leader-pause / mixed election_to_leader.max 2000 → 4000 ms (+100.0%): 1 of 2 observations in candidate did not end inside their window, so the figure is a lower bound (add allow-censored to judge it anyway)',
      'BREACH election_to_leader.max>+50% allow-censored: candidate, failover-leader-pause / mixed election_to_leader.max 2000 → 4000 ms (+100.0%)',
      'fail_on: 1 breach, 1 censored of 2 rule(s)',
    ],
  },
];

describe('the gate, one row per outcome', () => {
  for (const row of ROWS) {
    it(row.name, () => {
      const v = evaluate(row.input);
      assert.deepEqual(v.outcomes, row.outcomes, 'outcomes');
      assert.equal(v.exit, row.exit, 'exit code');
      assert.deepEqual(v.lines, row.lines, 'lines printed');
    });
  }
});

describe('rule flags and exit codes', () => {
  it('reads optional and allow-censored after the amount, and refuses any other word', () => {
    const r = parseThreshold('set.server_cpu_per_request', '< 1000000 optional');
    assert.deepEqual([r.amount, r.optional, r.allowCensored], [1000000, true, false]);
    const both = parseRule('election_to_leader.p99>+20% allow-censored optional');
    assert.deepEqual([both.amount, both.relative, both.optional, both.allowCensored], [20, true, true, true]);
    assert.equal(parseThreshold('acquire.p99', '< 50 ms').amount, 50); // a unit is not a flag
    assert.throws(() => parseThreshold('acquire.p99', '< 50ms allow-censured'), /unknown flag "allow-censured" \(did you mean "allow-censored"\?\); flags after the amount: optional, allow-censored/);
  });

  it('gives one exit code for a command: a failed run before any gate, then not comparable, not measured, censored, breach', () => {
    assert.equal(combineExits([EXIT.ok, EXIT.breach, EXIT.censored]), EXIT.censored);
    assert.equal(combineExits([EXIT.breach, EXIT.notMeasured, EXIT.censored]), EXIT.notMeasured);
    assert.equal(combineExits([EXIT.notMeasured, EXIT.notComparable]), EXIT.notComparable);
    assert.equal(combineExits([EXIT.notComparable, EXIT.failed]), EXIT.failed);
    assert.equal(combineExits([EXIT.ok, EXIT.ok]), EXIT.ok);
  });
});

describe('why a figure is missing', () => {
  it("takes a recipe note '<metric> not measured: <why>' as the reason, for its series or for a rule on every series", () => {
    const reasons = reasonsFromNotes([
      { name: 'mixed', notes: ['13 session(s) had no success after it', 'lost_writes not measured: the counters could not be read back after the run (ZCONNECTIONLOSS)'] },
      { name: 'other', notes: [] },
    ]);
    assert.equal(reasons('mixed', 'lost_writes'), 'the counters could not be read back after the run (ZCONNECTIONLOSS)');
    assert.equal(reasons('*', 'lost_writes'), 'the counters could not be read back after the run (ZCONNECTIONLOSS)');
    assert.equal(reasons('other', 'lost_writes'), undefined);
    assert.equal(reasons('mixed', 'acknowledged_writes'), undefined);
  });
});

describe('nightly reads its suite strictly', () => {
  const suite = { name: 'nightly', entries: [{ workload: { name: 'lock-contention' } }, { workload: { name: 'watch-fanout' } }] } as unknown as Suite;
  const withSuiteJson = (text: string | undefined, check: (dir: string) => void): void => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zkbench-suite-verdict-'));
    try {
      if (text !== undefined) fs.writeFileSync(path.join(dir, 'suite.json'), text);
      check(dir);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };

  it('a whole suite: its gates, no problem', () => {
    withSuiteJson(JSON.stringify({ outcome: 'completed', runs: ['lock-contention', 'watch-fanout'], gates: [] }), (dir) => {
      assert.deepEqual(readSuiteVerdict(dir, suite), { gates: [], problems: [] });
    });
  });

  it('an unreadable, unfinished or partial suite is a problem, never "0 breaches"', () => {
    withSuiteJson(undefined, (dir) => assert.match(readSuiteVerdict(dir, suite).problems.join(), /suite\.json could not be read .*ENOENT/));
    withSuiteJson('{"outcome": "compl', (dir) => assert.match(readSuiteVerdict(dir, suite).problems.join(), /could not be read .*JSON/));
    withSuiteJson(JSON.stringify({ outcome: 'interrupted', runs: ['lock-contention'], gates: [] }), (dir) => {
      assert.deepEqual(readSuiteVerdict(dir, suite).problems, ['suite nightly did not complete (outcome "interrupted")', 'suite nightly is partial: no results for watch-fanout']);
    });
    withSuiteJson(JSON.stringify({ outcome: 'completed', runs: ['lock-contention', 'watch-fanout'] }), (dir) => assert.match(readSuiteVerdict(dir, suite).problems.join(), /no "gates" list/));
  });
});
