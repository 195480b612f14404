// compare's tables per scenario (issue 21): each workload shows its scenario's headline figures (the report's
// key figures, the columns its end table leads with), in its order and units, for each recipe, each run's
// value and its ratio to the baseline, within 100 columns. --all-figures gives the full list; csv and json
// always carry every figure; rules judge every figure, shown or not.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { compareSides, workloadFigures } from '../../src/cli/compare.ts';
import { compareColumns, findBreaches, recipeColumns, type Column } from '../../src/compare/compare.ts';
import { formatComparison } from '../../src/compare/format.ts';
import { headlineView, isHeadlineGroup, type HeadlineFigure, type WorkloadFigures } from '../../src/compare/headline.ts';
import { readSide, type Side } from '../../src/compare/read-summary.ts';
import { settingsOf, stateOf } from '../../src/compare/run-settings.ts';
import { TABLE_WIDTH } from '../../src/results/table-format.ts';
import type { SummaryRow } from '../../src/results/summary-csv.ts';
import { parseRule } from '../../src/scenarios/catalog.ts';
import { failoverReport } from '../../src/scenarios/ensemble-failover/report.ts';
import { LOCK_KEY_FIGURES } from '../../src/scenarios/lock-contention/report.ts';

const dist = (p50: number, p99: number, count = 100): SummaryRow['dist'] => ({ count, min: 1, p50, p90: p99 * 0.9, p99, p999: p99, max: p99 + 1, mean: p50, stdev: 1 });

/** A lock-contention run of two recipes, as its summary.csv has it (closed loop: no `latency` rows). */
function lockRows(scale: number, o: { noHandoff?: boolean } = {}): SummaryRow[] {
  const rows: SummaryRow[] = [];
  for (const recipe of ['predecessor', 'children-watch']) {
    const w = { workload: 'lock-contention', recipe };
    rows.push({ ...w, metric: 'acquire', unit: 'ms', dist: dist(100 * scale, 300 * scale) });
    if (!(o.noHandoff && recipe === 'children-watch')) rows.push({ ...w, metric: 'handoff', unit: 'ms', dist: dist(3 * scale, 9 * scale) });
    rows.push({ ...w, metric: 'throughput', unit: 'acquisitions/s', value: 30 / scale });
    rows.push({ ...w, metric: 'zk_ops_per_acquire', unit: 'requests/acquisition', value: 5.4 });
    rows.push({ ...w, metric: 'notifications_per_acquire', unit: 'events/acquisition', value: recipe === 'predecessor' ? 0.98 : 9.3 });
    rows.push({ ...w, metric: 'violations', unit: 'count', value: 0 });
    rows.push({ ...w, metric: 'timeouts', unit: 'count', value: scale > 1 ? 2 : 0 });
    rows.push({ ...w, metric: 'errors', unit: 'count', value: 0 });
  }
  return rows;
}

/** An ensemble-failover run: one recipe, its faults' figures. */
function failoverRows(scale: number): SummaryRow[] {
  const w = { workload: 'ensemble-failover', recipe: 'mixed' };
  return [
    { ...w, metric: 'latency', unit: 'ms', dist: dist(2.5 * scale, 67 * scale, 17754) },
    { ...w, metric: 'throughput', unit: 'requests/s', value: 1775 / scale },
    { ...w, metric: 'unavailable.1', unit: 'ms', dist: dist(1290 * scale, 1400 * scale, 12), censored: 0, windowMs: 2979 },
    { ...w, metric: 'lost_writes', unit: 'count', value: 0 },
    { ...w, metric: 'unknown_writes', unit: 'count', value: 4 * scale },
    { ...w, metric: 'connection_losses', unit: 'count', value: 12 },
    { ...w, metric: 'sessions_expired', unit: 'count', value: 0 },
    { ...w, metric: 'election_to_leader', unit: 'ms', dist: dist(1269 * scale, 1269 * scale, 1), censored: scale > 1 ? 1 : 0, windowMs: 2979 },
    { ...w, metric: 'election_to_write', unit: 'ms', dist: dist(1310 * scale, 1310 * scale, 1), censored: 0, windowMs: 2979 },
  ];
}

const FIGURES: Record<string, WorkloadFigures> = {
  'lock-contention': { scenario: 'lock-contention', figures: LOCK_KEY_FIGURES },
  'ensemble-failover': { scenario: 'ensemble-failover', figures: failoverReport.keyFigures },
};
const figuresOf = (w: string): WorkloadFigures => FIGURES[w] ?? { scenario: undefined, figures: undefined };

function table(columns: Column[], rules: string[] = []): string {
  const { breaches } = findBreaches(columns, rules.map(parseRule));
  return formatComparison(columns.map((c) => c.label), compareColumns(columns), breaches, 'table', headlineView(columns, figuresOf));
}

/** The lines of the tables and notes (breach lines name a rule and its figures in full, for scripts: not cut). */
const tableLines = (text: string): string[] => text.split('\n').filter((l) => !/^(BREACH|NOT MEASURED|CENSORED)/.test(l));

/** The headings of a table's parts, in the order printed: the figures' headers between the fixed columns' words. */
function headersIn(text: string, figures: readonly HeadlineFigure[]): string[] {
  const headings = text.split('\n').filter((l) => /^recipe +run/.test(l)).join('  ');
  return figures.filter((f) => headings.includes(f.header)).sort((a, b) => headings.indexOf(a.header) - headings.indexOf(b.header)).map((f) => f.header);
}

const LONG_A = '20261207T021632Z-lock-contention';
const LONG_B = '20261208T031733Z-lock-contention';

describe('compare: headline figures per scenario', () => {
  it('lock-contention: the scenario\'s figures in its order and units, each run and its ratio, within 100 columns', () => {
    const text = table([{ label: LONG_A, rows: lockRows(1) }, { label: LONG_B, rows: lockRows(2) }]);
    // long labels become letters, named once
    assert.match(text, new RegExp(`^A = ${LONG_A} \\(baseline\\)$`, 'm'));
    assert.match(text, new RegExp(`^B = ${LONG_B}$`, 'm'));
    const measured = LOCK_KEY_FIGURES.filter((f) => f.metric !== 'latency'); // closed loop: no open-loop latency
    assert.deepEqual(headersIn(text, LOCK_KEY_FIGURES), measured.map((f) => f.header));
    // units under the headings: ms, acquisitions/s, events, count, as the scenario declares them
    assert.match(text, /^ +ms +ms +ms +acquisitions\/s$/m);
    assert.match(text, /^ +events +count$/m);
    // values and ratios: acquire p50 100 → 200 (2.00x), throughput 30 → 15 (0.50x)
    assert.match(text, /^predecessor +A +100 +300 +3 +30$/m);
    assert.match(text, /^ +B +200 +600 +6 +15$/m);
    assert.match(text, /^ +ratio +2\.00x +2\.00x +2\.00x +0\.50x$/m);
    // figures outside the headline (zk_ops_per_acquire, timeouts, errors) are not in the table
    assert.doesNotMatch(text, /zk_ops_per_acquire|timeouts/);
    // a declared figure no run has is said, never dropped silently
    assert.match(text, /^not measured in any of these runs: latency p99 \(open loop\)$/m);
    for (const l of tableLines(text)) assert.ok(l.length <= TABLE_WIDTH, `${l.length}: ${l}`);
  });

  it('ensemble-failover: its own figures, a censored figure as a lower bound', () => {
    const text = table([{ label: 'night-1', rows: failoverRows(1) }, { label: 'night-2', rows: failoverRows(2) }]);
    assert.deepEqual(headersIn(text, failoverReport.keyFigures), failoverReport.keyFigures.map((f) => f.header));
    // two parts, the fixed columns in each: throughput .. election_to_leader max, then the rest
    assert.match(text, /^mixed +night-1 +1775 +2\.5 +67 +1270$/m);
    assert.match(text, /^ +night-2 +887\.5 +5 +134 +≥2539$/m, 'election_to_leader censored in night-2: a lower bound');
    assert.match(text, /^ +ratio +0\.50x +2\.00x +2\.00x +2\.00x$/m);
    assert.match(text, /^mixed +night-1 +1311 +12 +0 +0$/m);
    assert.doesNotMatch(text, /unavailable|unknown_writes/);
    for (const l of tableLines(text)) assert.ok(l.length <= TABLE_WIDTH, `${l.length}: ${l}`);
  });

  it('a declared figure one run lacks prints "not measured" with its reason, never 0', () => {
    const b = lockRows(1, { noHandoff: true });
    // a figure the run has a row for but no value, with the reason run.json gave
    const idx = b.findIndex((r) => r.recipe === 'predecessor' && r.metric === 'handoff');
    b[idx] = { ...b[idx]!, dist: { count: 0 }, notMeasured: 'no observations in the measured window' };
    const text = table([{ label: 'a', rows: lockRows(1) }, { label: 'b', rows: b }]);
    assert.match(text, /^predecessor +a +100 +300 +3 +30$/m);
    assert.match(text, /^ +b +100 +300 +not measured +30$/m);
    assert.match(text, /^children-watch +a .*\n +b +100 +300 +not measured +30$/m);
    assert.match(text, /^not measured \(no observations in the measured window\): b predecessor \(hand-off p50\)$/m);
    assert.match(text, /^not measured \(no such figure in this run\): b children-watch \(hand-off p50\)$/m);
  });

  it('runs of several scenarios: each workload shows its own scenario\'s figures', () => {
    const a: Column = { label: 'suite-1', rows: [...lockRows(1), ...failoverRows(1)] };
    const b: Column = { label: 'suite-2', rows: [...lockRows(1.1), ...failoverRows(1.1)] };
    const text = table([a, b]);
    const [lock, failover] = text.split(/^ensemble-failover$/m);
    assert.match(lock!, /^lock-contention$/m);
    assert.deepEqual(headersIn(lock!, LOCK_KEY_FIGURES), LOCK_KEY_FIGURES.filter((f) => f.metric !== 'latency').map((f) => f.header));
    assert.deepEqual(headersIn(failover!, failoverReport.keyFigures), failoverReport.keyFigures.map((f) => f.header));
    assert.doesNotMatch(failover!, /acquire/);
  });

  it('--all-figures (no view) prints the full list as before; csv and json are the same either way', () => {
    const cols: Column[] = [{ label: 'a', rows: lockRows(1) }, { label: 'b', rows: lockRows(2) }];
    const rows = compareColumns(cols);
    const full = formatComparison(['a', 'b'], rows, [], 'table');
    assert.match(full, /^lock-contention \/ predecessor$/m);
    assert.match(full, /^zk_ops_per_acquire +requests\/acquisition +5\.4 +5\.4 +1\.00x$/m);
    assert.match(full, /^acquire\.max +ms +301 +601 +2\.00x$/m);
    const view = headlineView(cols, figuresOf);
    for (const format of ['csv', 'json'] as const) assert.equal(formatComparison(['a', 'b'], rows, [], format, view), formatComparison(['a', 'b'], rows, [], format));
    assert.match(formatComparison(['a', 'b'], rows, [], 'csv', view), /lock-contention,predecessor,timeouts,count,0,2,/);
  });

  it('rules judge every figure: a breach on a figure not shown is printed, and says how to see it', () => {
    const text = table([{ label: 'a', rows: lockRows(1) }, { label: 'b', rows: lockRows(2) }], ['timeouts>0', 'acquire.p99>+10%']);
    assert.match(text, /^BREACH timeouts>0: b, lock-contention \/ predecessor timeouts 0 → 2 count \(\+inf%\) \(a figure not in the tables above: --all-figures shows it\)$/m);
    assert.match(text, /^BREACH acquire\.p99>\+10%: b, lock-contention \/ predecessor acquire\.p99 300 → 600 ms \(\+100\.0%\)$/m);
  });

  it('many runs: a row and a ratio row each, the table as wide as for two', () => {
    const cols = [1, 1.1, 1.2, 1.3, 1.4, 1.5].map((s, i) => ({ label: `${LONG_A}-${i}`, rows: failoverRows(s) }));
    const text = table(cols);
    assert.match(text, /^F = 20261207T021632Z-lock-contention-5$/m);
    assert.equal(text.split('\n').filter((l) => /^ +ratio /.test(l)).length, 2 * 5, 'one ratio row per candidate, in each of the 2 parts');
    for (const l of tableLines(text)) assert.ok(l.length <= TABLE_WIDTH, `${l.length}: ${l}`);
  });

  it('markdown: one table per workload, units in the headings, the ratio rows', () => {
    const cols: Column[] = [{ label: 'a', rows: lockRows(1) }, { label: 'b', rows: lockRows(2) }];
    const md = formatComparison(['a', 'b'], compareColumns(cols), [], 'markdown', headlineView(cols, figuresOf));
    assert.match(md, /^### lock-contention$/m);
    assert.match(md, /^\| recipe \| run \| acquire p50 \(ms\) \| acquire p99 \(ms\) \| hand-off p50 \(ms\) \| throughput \(acquisitions\/s\) \| notifications per acquire \(events\) \| violations \(count\) \|$/m);
    assert.match(md, /^\| predecessor \| a \| 100 \| 300 \| 3 \| 30 \| 0\.98 \| 0 \|$/m);
    assert.match(md, /^\|  \| ratio \| 2\.00x \| 2\.00x \| 2\.00x \| 0\.50x \| 1\.00x \| 1\.00x \|$/m);
    assert.match(md, /^- not measured in any of these runs: latency p99 \(open loop\)$/m);
  });

  it('--recipes: the recipes of one run as the rows, the same figures', () => {
    const cols = recipeColumns({ label: 'run', rows: lockRows(1) }, ['predecessor', 'children-watch']);
    const text = formatComparison(cols.map((c) => c.label), compareColumns(cols), [], 'table', headlineView(cols, figuresOf, 'recipes'));
    assert.match(text, /^recipe +acquire p50 +acquire p99 +hand-off p50 +throughput +notifications per acquire$/m);
    assert.match(text, /^predecessor +100 +300 +3 +30 +0\.98$/m);
    assert.match(text, /^children-watch +100 +300 +3 +30 +9\.3$/m);
    assert.match(text, /^ratio +1\.00x +1\.00x +1\.00x +1\.00x +9\.49x$/m);
    assert.match(text, /^recipe +violations$/m);
  });

  it('a workload whose scenario is not known (no run.json) shows every figure, and says why', () => {
    const cols: Column[] = [{ label: 'a', rows: lockRows(1) }, { label: 'b', rows: lockRows(2) }];
    const view = headlineView(cols, () => ({ scenario: undefined, figures: undefined }));
    assert.equal(view.groups.some(isHeadlineGroup), false);
    const text = formatComparison(['a', 'b'], compareColumns(cols), [], 'table', view);
    assert.match(text, /^lock-contention: scenario unknown \(no run\.json\), so every figure$/m);
    assert.match(text, /^zk_ops_per_acquire +requests\/acquisition/m);
  });
});

describe('compare command: headline figures from run.json', () => {
  const side = (label: string, rows: SummaryRow[], doc: unknown): Side => ({ label, runs: [{ label, rows, settings: [settingsOf(doc)], state: stateOf(doc) }] });
  const doc = (workload: string, scenario: string) => ({
    outcome: 'completed',
    workload: { name: workload, scenario, recipes: ['x'], clients: 4, durationS: 3 },
    versions: { zookeeperClient: 'c' },
    host: { hostname: 'h', cpus: 2 },
    ensemble: { kind: 'embedded', servers: 1, serverVersion: '3.8.0' },
  });

  it('finds each workload\'s scenario in the sides\' run.json, and --all-figures restores the full list', () => {
    const sides = [side('a', failoverRows(1), doc('ensemble-failover', 'ensemble-failover')), side('b', failoverRows(2), doc('ensemble-failover', 'ensemble-failover'))];
    assert.deepEqual(workloadFigures(sides)('ensemble-failover').figures, failoverReport.keyFigures);
    const o = { recipes: undefined, format: 'table' as const, failOn: ['unknown_writes>+50%'], stats: ['p50', 'p99', 'max'], allowIncomparable: false };
    const shown = compareSides(sides, o);
    assert.equal(shown.code, 4);
    assert.match(shown.stdout, /^recipe +run +throughput +latency p50/m);
    assert.match(shown.stdout, /^BREACH unknown_writes>\+50%: b, ensemble-failover \/ mixed unknown_writes 4 → 8 count \(\+100\.0%\) \(a figure not in/m);
    const all = compareSides(sides, { ...o, allFigures: true });
    assert.equal(all.code, 4);
    assert.match(all.stdout, /^ensemble-failover \/ mixed$/m);
    assert.match(all.stdout, /^unknown_writes +count +4 +8 +2\.00x$/m);
  });

  it('reads the reasons run.json gives for a figure without a value (a fixture run, doctored)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zkbench-headline-'));
    try {
      const fixture = path.join(import.meta.dirname, '..', 'fixtures', 'report', 'scenarios', 'lock-contention');
      const a = path.join(dir, 'a');
      const b = path.join(dir, 'b');
      fs.cpSync(fixture, a, { recursive: true });
      fs.cpSync(fixture, b, { recursive: true });
      // b: children-watch's hand-off had no observations, as run.json's notMeasured says
      const csv = path.join(b, 'summary.csv');
      const lines = fs.readFileSync(csv, 'utf8').split('\n');
      const head = lines[0]!.split(',');
      fs.writeFileSync(
        csv,
        lines
          .map((l) => {
            const c = l.split(',');
            if (c[1] !== 'children-watch' || c[2] !== 'handoff') return l;
            return head.map((h, i) => (h === 'count' ? '0' : ['min', 'p50', 'p90', 'p99', 'p999', 'max', 'mean', 'stdev'].includes(h) ? '' : c[i])).join(',');
          })
          .join('\n'),
      );
      const runJsonFile = path.join(b, 'run.json');
      const json = JSON.parse(fs.readFileSync(runJsonFile, 'utf8'));
      json.notMeasured = [{ figure: 'handoff', recipe: 'children-watch', reason: 'no observations in the measured window' }];
      fs.writeFileSync(runJsonFile, JSON.stringify(json));
      const out = compareSides([readSide(a), readSide(b)], { recipes: undefined, format: 'table', failOn: [], stats: ['p50'], allowIncomparable: false });
      assert.equal(out.code, 0, out.stderr);
      assert.match(out.stdout, /^ +b +110\.1 +916 +not measured +35$/m);
      assert.match(out.stdout, /^not measured \(no observations in the measured window\): b children-watch \(hand-off p50\)$/m);
      for (const l of tableLines(out.stdout)) assert.ok(l.length <= TABLE_WIDTH, `${l.length}: ${l}`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
