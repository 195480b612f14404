// Reading what a report draws: the CSV reader, run directories (with and without timeline.csv), suite
// directories, and the arguments that are neither, each refused with its name in the message.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { numberField, parseCsv, parseCsvRecords } from '../../src/results/read-csv.ts';
import { NotARunError, readRunArgument } from '../../src/report/read-run.ts';
import { SUMMARY_COLUMNS } from '../../src/results/summary-csv.ts';

const FIXTURES = fileURLToPath(new URL('../fixtures/report/', import.meta.url));
const FAILOVER = path.join(FIXTURES, 'failover-run');
const SUITE = path.join(FIXTURES, 'suite');

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'zkbench-report-read-'));
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

/** A copy of a fixture run directory to break. */
function copyOf(src: string, name: string): string {
  const dst = path.join(scratch, name);
  fs.cpSync(src, dst, { recursive: true });
  return dst;
}

describe('CSV reader', () => {
  it('reads quoted fields, doubled quotes, empty fields and CRLF', () => {
    assert.deepEqual(parseCsvRecords('a,b,c\r\n1,"x, ""y""",\r\n"",2,3\n'), [
      ['a', 'b', 'c'],
      ['1', 'x, "y"', ''],
      ['', '2', '3'],
    ]);
    assert.deepEqual(parseCsvRecords('a\n"multi\nline"'), [['a'], ['multi\nline']]);
  });

  it('keys records by the header and names missing columns', () => {
    assert.deepEqual(parseCsv('x,y\n1,2\n3\n'), [
      { x: '1', y: '2' },
      { x: '3', y: '' },
    ]);
    assert.throws(() => parseCsv('x,y\n1,2\n', ['x', 'z']), /missing column\(s\) z/);
    assert.throws(() => parseCsv(''), /empty file/);
    assert.throws(() => parseCsvRecords('a\n"open'), /unterminated/);
  });

  it('reads numbers, Infinity, and leaves empty fields undefined', () => {
    assert.equal(numberField('1.5'), 1.5);
    assert.equal(numberField('Infinity'), Infinity);
    assert.equal(numberField(''), undefined);
    assert.equal(numberField('n/a'), undefined);
  });
});

describe('reading a run directory', () => {
  it('reads run.json, summary.csv, percentiles.csv and timeline.csv', () => {
    const { runs, warnings } = readRunArgument(FAILOVER);
    assert.deepEqual(warnings, []);
    assert.equal(runs.length, 1);
    const run = runs[0]!;
    assert.equal(run.name, 'failover-run');
    assert.equal(run.suite, undefined);
    assert.equal(run.info.workload, 'failover');
    assert.equal(run.info.outcome, 'completed');
    assert.deepEqual(run.info.ensemble, { kind: 'embedded', servers: 3, leaderId: 3, connectString: '127.0.0.1:2181' });
    assert.equal(run.info.versions.zookeeperServer, '3.8.0');
    assert.deepEqual(
      run.info.recipes.map((r) => [r.recipe, r.driverSaturated]),
      [
        ['predecessor', false],
        ['children-watch', true],
      ],
    );
    const throughput = run.summary.find((s) => s.recipe === 'predecessor' && s.metric === 'throughput');
    assert.equal(throughput?.value, 600);
    const acquire = run.summary.find((s) => s.recipe === 'children-watch' && s.metric === 'acquire');
    assert.equal(acquire?.value, undefined);
    assert.equal(acquire?.p99, 2100);
  });

  it('drops the final percentile row of each series (inverted = Infinity)', () => {
    const run = readRunArgument(FAILOVER).runs[0]!;
    const text = fs.readFileSync(path.join(FAILOVER, 'percentiles.csv'), 'utf8');
    const infinite = text.split('\n').filter((l) => l.endsWith(',Infinity')).length;
    assert.equal(infinite, 4, 'fixture: one Infinity row per (recipe, metric)');
    assert.equal(run.percentiles.length, text.trim().split('\n').length - 1 - infinite);
    assert.ok(run.percentiles.every((p) => Number.isFinite(p.inverted)));
    assert.deepEqual([...new Set(run.percentiles.map((p) => `${p.recipe}.${p.metric}`))], [
      'predecessor.acquire',
      'predecessor.handoff',
      'children-watch.acquire',
      'children-watch.handoff',
    ]);
  });

  it('reads timeline.csv with its events, quoted ones included', () => {
    const run = readRunArgument(FAILOVER).runs[0]!;
    assert.ok(run.timeline);
    assert.equal(run.timeline.length, 62);
    const events = run.timeline.filter((r) => r.event !== '');
    assert.deepEqual([...new Set(events.map((r) => `${r.tMs} ${r.event}`))], ['1000 kill leader (server 3)', '2200 server 3 restarted, rejoins as follower']);
    const outage = run.timeline.find((r) => r.tMs === 1200 && r.recipe === 'predecessor');
    assert.equal(outage?.p99Ms, undefined);
    assert.equal(outage?.ops, 0);
  });

  it('has no timeline when the run wrote none', () => {
    const run = readRunArgument(path.join(SUITE, 'lock-churn')).runs[0]!;
    assert.equal(run.timeline, undefined);
  });
});

describe('reading a suite directory', () => {
  it('reads each sub-run in suite.json order, named <suite>/<workload>', () => {
    const { runs, warnings } = readRunArgument(SUITE);
    assert.deepEqual(warnings, []);
    assert.deepEqual(
      runs.map((r) => [r.name, r.suite, r.info.workload]),
      [
        ['suite/lock-contention', 'suite', 'lock-contention'],
        ['suite/lock-churn', 'suite', 'lock-churn'],
      ],
    );
  });

  it('warns about a listed sub-run that is missing and draws the others', () => {
    const dir = copyOf(SUITE, 'suite-missing');
    fs.rmSync(path.join(dir, 'lock-churn'), { recursive: true });
    const { runs, warnings } = readRunArgument(dir);
    assert.deepEqual(runs.map((r) => r.info.workload), ['lock-contention']);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /lists lock-churn but there is no run directory/);
  });
});

describe('arguments that are not runs', () => {
  const refused = (arg: string, pattern: RegExp): void => {
    assert.throws(
      () => readRunArgument(arg),
      (err: unknown) => {
        assert.ok(err instanceof NotARunError, String(err));
        assert.equal(err.argument, arg);
        assert.ok(err.message.startsWith(`${arg}: `), err.message);
        assert.match(err.message, pattern);
        return true;
      },
    );
  };

  it('refuses a missing path, a file and a directory that is neither a run nor a suite', () => {
    refused(path.join(scratch, 'nope'), /no such directory/);
    refused(path.join(FAILOVER, 'run.json'), /not a directory/);
    fs.mkdirSync(path.join(scratch, 'empty'));
    refused(path.join(scratch, 'empty'), /not a zkbench run directory .* nor a suite directory/);
  });

  it('names the missing result file of a run directory', () => {
    const dir = copyOf(FAILOVER, 'no-percentiles');
    fs.rmSync(path.join(dir, 'percentiles.csv'));
    refused(dir, /missing percentiles\.csv/);
  });

  it('names a result file that is not what zkbench writes', () => {
    const dir = copyOf(FAILOVER, 'bad-csv');
    fs.writeFileSync(path.join(dir, 'summary.csv'), 'name,size\nx,1\n');
    refused(dir, /summary\.csv is not a zkbench result file: missing column/);
    const dir2 = copyOf(FAILOVER, 'bad-json');
    fs.writeFileSync(path.join(dir2, 'run.json'), '{ not json');
    refused(dir2, /run\.json is not a zkbench result file/);
  });

  it('refuses a suite directory without summary.csv or sub-runs', () => {
    const dir = path.join(scratch, 'hollow-suite');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'suite.json'), '{"suite":"nightly","runs":["lock-contention"]}');
    refused(dir, /no summary\.csv/);
    fs.writeFileSync(path.join(dir, 'summary.csv'), 'workload,recipe,metric,unit,value\n');
    refused(dir, /without any run directory/);
  });
});

describe('the run notes a report shows', () => {
  it("carries the ensemble's notes and a note per stall from run.json into the run's header", async () => {
    const { runHeaderHtml } = await import('../../src/report/html.ts');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zkbench-notes-'));
    try {
      fs.cpSync(FAILOVER, dir, { recursive: true });
      const doc = JSON.parse(fs.readFileSync(path.join(dir, 'run.json'), 'utf8'));
      doc.ensemble.notes = ['note: ZooKeeper 3.8.0 has ZOOKEEPER-4537'];
      doc.stalls = {
        series: [{ recipe: 'predecessor', metric: 'handoff', count: 663, p99Ms: 23.8, maxMs: 2016, overAbsolute: 1, overP99Factor: 1, stalls: 1 }],
        places: [{ recipe: 'predecessor', tMs: 7100, phase: 'measured', maxMs: 2157, ops: 10, errors: 0, events: [] }],
        errors: {},
      };
      fs.writeFileSync(path.join(dir, 'run.json'), JSON.stringify(doc));
      const run = readRunArgument(dir).runs[0]!;
      assert.deepEqual(run.info.notes, [
        'note: ZooKeeper 3.8.0 has ZOOKEEPER-4537',
        'stall: predecessor.handoff: 1 of 663 values over 1 s and 3x its p99 (23.8 ms), max 2016 ms',
        'stall in timeline.csv at 7.1 s (measured), predecessor: an operation of 2157 ms ended there',
      ]);
      assert.match(runHeaderHtml(run), /<dt>notes<\/dt><dd>note: ZooKeeper 3\.8\.0 has ZOOKEEPER-4537<br>stall: predecessor\.handoff/);
      // A run.json without them (older runs, the fixture itself) has no notes row.
      assert.deepEqual(readRunArgument(FAILOVER).runs[0]!.info.notes, []);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('censored figures in the report', () => {
  it("shows a figure's censored cases in words and its bounds with ≥, read from summary.csv's censored and window_ms", async () => {
    const { runHeaderHtml } = await import('../../src/report/html.ts');
    const dir = copyOf(FAILOVER, 'censored');
    const row0 = { workload: 'failover', recipe: 'mixed', metric: 'unavailable.1', unit: 'ms', count: '10', min: '40', p50: '2483', p90: '2483', p99: '2483', p999: '2483', max: '2483', mean: '1800', stdev: '900', censored: '7', window_ms: '2483' };
    const cells = SUMMARY_COLUMNS.map((c) => (row0 as Record<string, string>)[c] ?? '');
    fs.writeFileSync(path.join(dir, 'summary.csv'), `${SUMMARY_COLUMNS.join(',')}\n${cells.join(',')}\n`);
    const run = readRunArgument(dir).runs[0]!;
    const row = run.summary.find((r) => r.metric === 'unavailable.1')!;
    assert.deepEqual([row.censored, row.windowMs], [7, 2483]);
    const html = runHeaderHtml(run);
    assert.match(html, /Censored figures/);
    assert.match(html, /<td>unavailable\.1<\/td><td>≥2483<\/td><td>≥2483<\/td><td>≥2483<\/td><td><span class="bad">7 of 10 sessions not back within 2\.48 s<\/span><\/td>/);
    // A run without censored figures has no such table.
    assert.doesNotMatch(runHeaderHtml(readRunArgument(FAILOVER).runs[0]!), /Censored figures/);
  });
});
