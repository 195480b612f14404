// Issue 21: every figure in a note or a breach line has its unit. The notes and gate lines are built here by
// the code that prints and records them (thresholds and --fail-on rules over summary rows, the notes under
// the end table, the scenarios' pure note builders), and over the runs recorded in test/fixtures/report,
// and each is read by unitlessFigures (test/helpers/units.ts): a number without a unit or a counted noun
// fails, with the text around it.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ruleOutcomes } from '../../src/cli/compare.ts';
import { findBreaches, type Column } from '../../src/compare/compare.ts';
import { breachLines } from '../../src/compare/format.ts';
import { gateReport } from '../../src/compare/gate.ts';
import type { Rule } from '../../src/compare/rules.ts';
import { checkThresholds } from '../../src/compare/thresholds.ts';
import { serverBugNotes } from '../../src/ensemble/known-server-bugs.ts';
import type { ServerViewSnapshot } from '../../src/ensemble/server-view.ts';
import { serverLogRecords } from '../../src/ensemble/server-logs.ts';
import { serverDeltas, serverLatencyMetrics } from '../../src/ensemble/mntr-deltas.ts';
import { newLatencyHistogram } from '../../src/measure/histogram.ts';
import { leaderPollCounts, leaderPollNote } from '../../src/measure/leader-polls.ts';
import { distribution, scalar } from '../../src/measure/metrics.ts';
import { openLoopFigures } from '../../src/measure/open-loop.ts';
import { emptyPacerCounts } from '../../src/measure/pacer.ts';
import { timeToEventMetric } from '../../src/measure/time-to-event.ts';
import { readRunArgument } from '../../src/report/read-run.ts';
import { parseSummaryCsv, type SummaryRow } from '../../src/results/summary-csv.ts';
import { resultTable } from '../../src/results/terminal-table.ts';
import { configNotes } from '../../src/scenarios/config/coordinator.ts';
import { configFigures } from '../../src/scenarios/config/figures.ts';
import type { ConfigWorkload } from '../../src/scenarios/config/workload.ts';
import { failoverFigures } from '../../src/scenarios/ensemble-failover/figures.ts';
import { lockTable } from '../../src/scenarios/lock-contention/table.ts';
import { validateWorkload } from '../../src/scenarios/catalog.ts';
import { server, snap } from '../helpers/mntr.ts';
import { recipeResultOf, runRecordOf } from '../helpers/run-record.ts';
import { unitlessFigures } from '../helpers/units.ts';

/** Every figure without its unit in `lines`, each with the line it is in: [] when all have theirs. */
function unitless(lines: readonly string[]): string[] {
  return lines.flatMap((l) => unitlessFigures(l).map((f) => `${f}   in: ${l}`));
}

describe('the unit checker', () => {
  it('lets through figures with their unit, counts that name what they count, and numbers that are names', () => {
    assert.deepEqual(
      unitless([
        'acquire.p99 606 ms, 12.3 acquisitions/s, 1.5x, 95%, ~2 ms, ≥23.7 ms, 12 % of one core',
        '3 of 20 sessions not back within 18 s; 2 crash victim(s); 1 load process(es); 5 watcher-update pair(s)',
        'median 231 → 300 ms (+29.9%); baseline range 200–240 ms over 3 runs; clamps to [2000, 40000] ms; 0.12 ± 0.05 ms',
        'server 3 (pid 25701), candidate 1, fault 2: unavailable.1, data-watch@1000, ZOOKEEPER-4537, ZooKeeper 3.8.0',
        'server(s) 1, 2, 3; 127.0.0.1:2181; 2/3 of the servers; 2026-12-01T06:43:50Z; BREACH: errors == 0 (errors = 3 count)',
        'writers over 3 load processes (2, 1 watchers)',
      ]),
      [],
    );
  });

  it('finds a figure without its unit, or a count that does not say what it counts', () => {
    for (const bad of ['hold p50 59.9 p99 755 ms', 'rate 12.3', 'a ratio of 1.5', 'server warnings: lock 8 (server-warnings.log)', '5 dropped', 'events (+2)', 'errors = 3)']) {
      assert.equal(unitlessFigures(bad).length, 1, bad);
    }
  });
});

/** A rule as the parser gives it (the vocabulary is the scenarios'; here any figure of the rows will do). */
function rule(text: string, r: Partial<Rule> & Pick<Rule, 'metric'>): Rule {
  return { text, recipe: undefined, stat: 'value', op: '<', amount: 0, relative: false, optional: false, allowCensored: false, ...r };
}

const dist = (count: number, p50: number, max: number, extra: Partial<SummaryRow> = {}): Partial<SummaryRow> => ({
  unit: 'ms',
  dist: count === 0 ? { count: 0 } : { count, min: 1, p50, p90: max, p99: max, p999: max, max, mean: p50, stdev: 1 },
  ...extra,
});

function lockRows(scale: number): SummaryRow[] {
  const head = { workload: 'lock-contention', recipe: 'predecessor' };
  return [
    { ...head, metric: 'acquire', ...dist(500, 40 * scale, 90 * scale) } as SummaryRow,
    { ...head, metric: 'election_to_leader', ...dist(2, 900, 4000, { censored: 1, windowMs: 4000 }) } as SummaryRow,
    { ...head, metric: 'handoff', ...dist(0, 0, 0) } as SummaryRow,
    { ...head, metric: 'throughput', unit: 'acquisitions/s', value: 120 / scale },
    { ...head, metric: 'violations', unit: 'count', value: 2 },
    { ...head, metric: 'server_cpu_per_request', unit: 'µs', value: 30 * scale },
    { ...head, metric: 'driver.cpu', unit: '%', value: 40 * scale },
  ];
}

/** Rules that fail on every figure: each figure's line is printed. */
const EVERY_FIGURE: Rule[] = [
  rule('acquire.p99 < 1ms', { metric: 'acquire', stat: 'p99', amount: 1 }),
  rule('acquire.count < 1', { metric: 'acquire', stat: 'count', amount: 1 }),
  rule('election_to_leader.max < 5000', { metric: 'election_to_leader', stat: 'max', amount: 5000 }),
  rule('handoff.p50 < 1', { metric: 'handoff', stat: 'p50', amount: 1 }),
  rule('throughput > 1000', { metric: 'throughput', op: '>', amount: 1000 }),
  rule('violations == 0', { metric: 'violations', op: '==', amount: 0 }),
  rule('server_cpu_per_request < 1', { metric: 'server_cpu_per_request', amount: 1 }),
  rule('driver.cpu < 1', { metric: 'driver.cpu', amount: 1 }),
  rule('missing_figure == 0 optional', { metric: 'missing_figure', op: '==', amount: 0, optional: true }),
];

describe('gate lines: every value beside its unit', () => {
  it('workload thresholds (bench): breach, censored, not measured, the main figure', () => {
    const results = checkThresholds(lockRows(1), EVERY_FIGURE, { metric: 'handoff', unit: 'acquisitions' });
    const lines = gateReport('thresholds', results);
    assert.ok(lines.some((l) => l.includes('acquire.p99 = 90 ms')), lines.join('\n'));
    assert.ok(lines.some((l) => l.includes('acquire.count = 500 count')), 'a distribution\'s count is a count, not ms');
    assert.ok(lines.some((l) => l.includes('driver.cpu = 40%')), lines.join('\n'));
    assert.deepEqual(unitless(lines), []);
  });

  it('--fail-on rules (compare, nightly): absolute and relative, one run a side and repeats', () => {
    // A --fail-on rule says what a regression is: these are breached by every figure.
    const absolute = EVERY_FIGURE.map((r) => ({ ...r, text: `${r.metric}.${r.stat} > -1`, op: '>' as const, amount: -1 }));
    const relative = EVERY_FIGURE.map((r) => ({ ...r, text: `${r.metric}.${r.stat} > +10%`, op: '>' as const, amount: 10, relative: true, optional: true }));
    const one: Column[] = [
      { label: 'baseline', rows: lockRows(1) },
      { label: 'candidate', rows: lockRows(3) },
    ];
    const repeats: Column[] = [
      { label: 'A', rows: lockRows(1), repeats: [lockRows(1), lockRows(1.1), lockRows(0.9)] },
      { label: 'B', rows: lockRows(3), repeats: [lockRows(3), lockRows(3.2), lockRows(2.9)] },
    ];
    const lines: string[] = [];
    for (const columns of [one, repeats]) {
      for (const rules of [absolute, relative]) {
        const check = findBreaches(columns, rules);
        lines.push(...breachLines(check.breaches), `fail_on: ${ruleOutcomes(check.breaches)}`, ...check.withinNoise, ...check.notes);
      }
    }
    assert.ok(lines.some((l) => /baseline range [\d.]+–[\d.]+ ms over 3 runs/.test(l)), lines.join('\n'));
    assert.ok(lines.some((l) => /acquire\.count 500 → 500 count/.test(l)), lines.join('\n'));
    assert.ok(lines.some((l) => /throughput 120 → 40 acquisitions\/s/.test(l)), lines.join('\n'));
    assert.deepEqual(unitless(lines), []);
  });
});

// Server view inputs: one server's mntr at the window's edges, its log and GC log.
const snapOf = (at: string, values: Record<string, number>, statsReset = false): ServerViewSnapshot => snap(at, [server(1, { server_state: 'standalone', ...values }, statsReset)]);
const SERVER_LOG = [
  '2026-12-01T06:43:52.000Z [main] WARN org.apache.zookeeper.server.ServerCnxnFactory - maxCnxns is not configured, using default value 0.',
  '2026-12-01T06:43:53.000Z [QuorumPeer[myid=1](plain=127.0.0.1:2181)(secure=disabled)] WARN org.apache.zookeeper.server.quorum.Learner - Exception when following the leader',
  'java.lang.NullPointerException',
  '\tat org.apache.zookeeper.server.quorum.Learner.syncWithLeader(Learner.java:620)',
  '',
].join('\n');
const GC_LOG = [
  '[2026-12-01T06:43:52.500+0000][0.071s] GC(0) Pause Young (Normal) (G1 Evacuation Pause) 6M->2M(64M) 1.394ms',
  '[2026-12-01T06:43:53.500+0000][1.071s] GC(1) Pause Full (System.gc()) 30M->4M(64M) 25.001ms',
  '',
].join('\n');

describe('the notes under the end table', () => {
  it('server view, client log, stalls, censored figures, workload warnings and the scenario\'s own notes', () => {
    const latency = newLatencyHistogram();
    for (const us of [1000, 2000, 3000]) latency.recordValue(us);
    const start = snapOf('2026-12-01T06:43:51Z', {}, true);
    const end = snapOf('2026-12-01T06:43:55Z', { cnt_readlatency: 10, sum_readlatency: 4, max_readlatency: 2 });
    const censored = timeToEventMetric('first_acquisition', [
      { ns: 5e6, censored: false, windowNs: 4e9 },
      { ns: 4e9, censored: true, windowNs: 4e9 },
    ])!;
    const recipe = recipeResultOf({
      recipe: 'predecessor',
      clients: 2,
      metrics: [distribution('acquire', latency), distribution('latency', latency), censored, ...serverLatencyMetrics(serverDeltas(start, end)), scalar('clock_bound', 'ms', 0.4), scalar('undecidable', 'count', 1), scalar('clients_without_acquisition', 'count', 1)],
      windowS: 4,
      startedAt: new Date('2026-12-01T06:43:50Z'),
      endedAt: new Date('2026-12-01T06:43:56Z'),
      serverView: { start, end },
      notes: openLoopFigures({ ...emptyPacerCounts(), due: 1000, started: 900, startedInWindow: 900, dropped: 3, late: 40, lateWaited: 30 }, 100, 10).notes,
    });
    const run = runRecordOf({
      workloadFields: { scenario: 'lock-contention', recipes: ['predecessor'], clients: 2, duration_s: 4 },
      servers: 1,
      recipes: [recipe],
      startedAt: new Date('2026-12-01T06:43:50Z'),
      endedAt: new Date('2026-12-01T06:43:57Z'),
      serverLogs: serverLogRecords([{ id: 1, log: SERVER_LOG, gcLog: GC_LOG, missing: [] }]),
      warnings: ['clients is 30 sessions but the config scenario opens 11 sessions (the readers and the writer)'],
      clientLog: { lines: [], counts: { 'ZOO_ERROR@handle_socket_error_msg': 3, 'ZOO_WARN@zookeeper_interest': 1 }, total: 4 },
      stalls: {
        series: [{ recipe: 'predecessor', metric: 'handoff', count: 663, p99Ms: 23.8, maxMs: 2016, overAbsolute: 1, overP99Factor: 1, stalls: 1 }],
        places: [{ recipe: 'predecessor', tMs: 7100, phase: 'measured', maxMs: 2157, ops: 10, errors: 0, events: ['a', 'b', 'c', 'd', 'e'] }],
        errors: {},
      },
    });
    run.ensemble.notes = serverBugNotes('3.8.0', 1);
    const text = resultTable(run, lockTable(run));
    const notes = text.split('\n').filter((l) => !/^\s*(recipe|-{3,}|predecessor +[\d-])/.test(l));
    for (const expected of ['server-side mean latency', 'server warnings: predecessor', 'sync failure', 'server GC pauses', 'C client logged', 'stall: ', 'first_acquisition: p50', 'rate unsustained']) {
      assert.ok(notes.some((l) => l.includes(expected)), `"${expected}" among the notes:\n${text}`);
    }
    assert.deepEqual(unitless(notes), []);
  });

  it('the scenarios\' notes built from their figures', () => {
    const w = validateWorkload('c.yaml', { name: 'c', scenario: 'config', recipes: ['watch-reread'], readers: 10, clients: 11, duration_s: 0.2, update_rate: 50 }) as ConfigWorkload;
    const late = Array.from({ length: 10 }, (_, k) => ({ seq: k + 1, version: k + 1, intendedNs: k * 20e6, sendNs: k * 50e6, ackNs: k * 50e6 + 50e6 }));
    // One reader on server 1: it holds version 1 at 60 ms (sent at 50 ms).
    const reader = { server: 1, trace: { watcher: 0, arm: { startNs: 0, doneNs: 1e6, version: 0 }, events: [{ armedVersion: 0, arrivalNs: 55e6, rearm: { startNs: 55e6, doneNs: 60e6, version: 1 } }] } };
    const config = configNotes(configFigures({ updates: late, readers: [reader] }), { w, servers: 3, processes: 2, writerReaders: 5, roles: new Map([[1, 'leader']]), undrained: 2 });
    const failover = failoverFigures(
      [{ latency: '', ops: 0, lastAt: undefined, errors: {}, unavailable: {}, acknowledged: { 0: 10, 1: 7 }, unknownWrites: 0, connectionLosses: 0, replacementFailures: {} }],
      new Map([[0, 10], [1, 5]]),
      new Map([[1, 'kill leader at 3.0 s: server 3 (leader)']]),
    ).notes;
    const polls = leaderPollNote(leaderPollCounts([{ atNs: 0, leader: 1 }, { atNs: 1, leader: undefined, error: 'server 2: timeout' }]))!;
    const lines = [...config, ...failover, polls, ...serverBugNotes('3.8.0', 0), ...serverBugNotes('3.8.0', 1)];
    assert.ok(config.some((n) => n.includes('could not keep')) && config.some((n) => n.startsWith('per server: server 1 (leader): 1 readers, hold p50')) && failover.some((n) => n.startsWith('LOST WRITES')), lines.join('\n'));
    assert.deepEqual(unitless(lines), []);
  });
});

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/report');

function runDirectories(dir: string): string[] {
  const here = fs.existsSync(path.join(dir, 'run.json')) ? [dir] : [];
  const below = fs.readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).flatMap((e) => runDirectories(path.join(dir, e.name)));
  return [...here, ...below];
}

interface RecordedRun {
  ensemble?: { notes?: string[] };
  warnings?: string[];
  recipes?: { notes?: string[] }[];
  thresholds?: { reason?: string | null }[];
}

describe('the runs recorded in test/fixtures/report', () => {
  const dirs = runDirectories(FIXTURES);
  it('are there to read', () => assert.ok(dirs.length >= 10, dirs.join(', ')));

  for (const dir of dirs) {
    const name = path.relative(FIXTURES, dir);
    it(`${name}: its notes, warnings and gate reasons as recorded, and the notes its report shows`, () => {
      const doc = JSON.parse(fs.readFileSync(path.join(dir, 'run.json'), 'utf8')) as RecordedRun;
      const recorded = [
        ...(doc.ensemble?.notes ?? []),
        ...(doc.warnings ?? []),
        ...(doc.recipes ?? []).flatMap((r) => r.notes ?? []),
        ...(doc.thresholds ?? []).flatMap((t) => (t.reason ? [t.reason] : [])),
        ...readRunArgument(dir).runs.flatMap((r) => r.info.notes),
      ];
      assert.deepEqual(unitless(recorded), []);
    });

    if (fs.existsSync(path.join(dir, 'summary.csv'))) {
      it(`${name}: a gate line for every recorded figure carries the figure's unit (summary.csv's unit column)`, () => {
        const rows = parseSummaryCsv(fs.readFileSync(path.join(dir, 'summary.csv'), 'utf8'), name);
        const metrics = [...new Set(rows.map((r) => r.metric))];
        // Rules every figure breaches: its p99 (or value) below -1, its count below -1.
        const rules = metrics.flatMap((metric) => {
          const isDist = rows.some((r) => r.metric === metric && r.dist !== undefined);
          const stats = isDist ? (['p99', 'count'] as const) : (['value'] as const);
          return stats.map((stat) => rule(`${metric}.${stat} < -1 allow-censored`, { metric, stat, amount: -1, allowCensored: true }));
        });
        const thresholds = gateReport('thresholds', checkThresholds(rows, rules));
        const doubled = rows.map((r) => ({ ...r, value: r.value === undefined ? undefined : 2 * r.value + 1 }));
        const relative = rules.map((r) => ({ ...r, text: `${r.metric}.${r.stat} > -100%`, op: '>' as const, amount: -100, relative: true }));
        const compared = findBreaches([{ label: 'recorded', rows }, { label: 'doubled', rows: doubled }], [...rules.map((r) => ({ ...r, optional: true })), ...relative.map((r) => ({ ...r, optional: true }))]);
        const lines = [...thresholds, ...breachLines(compared.breaches), ...compared.notes];
        assert.ok(lines.length > rows.length, `a line for every figure: ${lines.length} lines, ${rows.length} rows`);
        assert.deepEqual(unitless(lines), []);
      });
    }
  }
});
