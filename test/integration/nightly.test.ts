// Suites, thresholds, compare and the nightly job end to end through the command line, on real
// embedded ensembles (1 server and short runs: this proves the plumbing, not the figures).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { parse } from 'yaml';
import { exitOf, startCli, tempDir } from '../helpers/cli.ts';

const scratch = tempDir('zkbench-nightly-');
after(() => fs.rmSync(scratch, { recursive: true, force: true }));
const state = path.join(scratch, 'state');
fs.mkdirSync(state);

// Every workload of the suite, shrunk (a scenario's own flags reach only its workloads); thresholds off so
// that short noisy runs cannot trip them here. A short warm-up: a run whose window measured nothing exits 5
// (docs/gates.md), and a busy machine can take the first second of a 12-client lock run to form the queue.
const SMALL = ['--clients', '12', '--duration-s', '1', '--warmup-s', '0.5', '--servers', '1', '--replace-thresholds', '{}', '--watchers', '4', '--readers', '4', '--members', '3', '--joins', '1', '--leaves', '1', '--crashes', '0'];
const SUITE_RUNS = ['lock-contention', 'lock-churn', 'lock-contention-1000', 'watch-fanout', 'membership-churn', 'config-propagation'];

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string; lastLine: string }> {
  const run = startCli(args, state);
  const code = await exitOf(run);
  return { code, stdout: run.stdout, stderr: run.stderr, lastLine: run.stdout.trim().split('\n').at(-1) ?? '' };
}

describe('suites, compare and the nightly job', { concurrency: 1 }, () => {
  let first = '';
  let second = '';

  it('runs a suite into one directory: a complete run per workload, suite.json and one summary.csv', async () => {
    const r = await cli(['bench', '--suite', 'nightly', ...SMALL, '--results-dir', path.join(scratch, 'results')]);
    assert.equal(r.code, 0, r.stderr);
    first = r.lastLine;
    const suite = JSON.parse(fs.readFileSync(path.join(first, 'suite.json'), 'utf8'));
    assert.equal(suite.outcome, 'completed');
    assert.deepEqual(suite.runs, SUITE_RUNS);
    for (const run of suite.runs) {
      assert.deepEqual(fs.readdirSync(path.join(first, run)).sort(), ['gc', 'histograms.hlog', 'percentiles.csv', 'run.json', 'server-warnings.log', 'summary.csv', 'timeline.csv']);
    }
    const workloads = new Set(fs.readFileSync(path.join(first, 'summary.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')[0]));
    assert.deepEqual([...workloads].sort(), [...SUITE_RUNS].sort());
  });

  it('nightly: runs the suite, writes report.html, compares with the baseline and passes', async () => {
    const r = await cli(['nightly', '--baseline', first, '--fail-on', 'predecessor.violations>0', ...SMALL, '--results-dir', path.join(scratch, 'results')]);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    second = r.lastLine;
    assert.notEqual(second, first);
    assert.ok(fs.existsSync(path.join(second, 'report.html')));
    assert.match(fs.readFileSync(path.join(second, 'comparison.md'), 'utf8'), /\| acquire\.p99 \| ms \|/);
    assert.match(r.stdout, /compared with .* by 1 rule\(s\): all passed/);
  });

  it('compare: two runs side by side exit 0; a doctored worse p99 exits 4 naming the breach; a bad rule exits 2', async () => {
    const same = await cli(['compare', first, second, '--fail-on', 'predecessor.violations>0']);
    assert.equal(same.code, 0, same.stderr);
    // each workload's headline figures (the suite directories' long names become A and B)
    assert.match(same.stdout, /^lock-contention\nrecipe +run +acquire p50 +acquire p99/m);
    assert.match(same.stdout, /^predecessor +A +[\d.]+ /m);
    assert.match(same.stdout, /\d\.\d\dx/);

    // a copy of the second run (its run.json files too: same settings) whose predecessor acquire p99 is three times worse
    const doctored = path.join(scratch, 'doctored');
    fs.cpSync(second, doctored, { recursive: true });
    const lines = fs.readFileSync(path.join(second, 'summary.csv'), 'utf8').split('\n');
    const header = lines[0]!.split(',');
    const p99 = header.indexOf('p99');
    const worse = lines.map((l) => {
      const c = l.split(',');
      if (c[0] === 'lock-contention' && c[1] === 'predecessor' && c[2] === 'acquire') c[p99] = String(Number(c[p99]) * 3);
      return c.join(',');
    });
    fs.writeFileSync(path.join(doctored, 'summary.csv'), worse.join('\n'));
    const bad = await cli(['compare', second, doctored, '--fail-on', 'acquire.p99>+10%', '--format', 'markdown']);
    assert.equal(bad.code, 4);
    assert.match(bad.stdout, /BREACH acquire\.p99>\+10%: doctored, lock-contention \/ predecessor acquire\.p99 .*\(\+200\.0%\)/);

    // one run a side: the output says that no noise estimate exists
    assert.match(bad.stderr, /no noise estimate: the baseline .* is one run/);

    // a bare summary.csv cannot be checked for comparability: refused (7), or compared with a warning
    const bare = path.join(scratch, 'bare.csv');
    fs.copyFileSync(path.join(second, 'summary.csv'), bare);
    const refused = await cli(['compare', bare, second]);
    assert.equal(refused.code, 7, refused.stderr);
    assert.match(refused.stderr, /^not comparable: bare\.csv: no run\.json beside its summary\.csv/m);
    const allowed = await cli(['compare', bare, second, '--allow-incomparable']);
    assert.equal(allowed.code, 0, allowed.stderr);
    assert.match(allowed.stdout, /^WARNING: these runs are NOT COMPARABLE/m);

    const typo = await cli(['compare', first, second, '--fail-on', 'aquire.p99>+10%']);
    assert.equal(typo.code, 2);
    assert.match(typo.stderr, /unknown metric "aquire"/);
  });

  it('thresholds: --thresholds adds to the workload\'s; a breach is printed, recorded in run.json and exits 4', async () => {
    const r = await cli([
      // a count of acquisitions rather than a short window: the figure is measured however busy the machine
      'bench', '--workload', 'lock-contention', '--recipes', 'predecessor', '--clients', '12', '--acquisitions', '5', '--warmup-s', '0', '--servers', '1',
      '--thresholds', '{"predecessor.acquire.p50": "< 0.001ms", "predecessor.violations": "== 0"}',
      '--results-dir', path.join(scratch, 'results'),
    ]);
    assert.equal(r.code, 4, r.stderr + r.stdout);
    // the main figure, the workload's predecessor.violations and *.errors, the added p50; the other recipes' rules not run
    assert.match(r.stdout, /thresholds: 3 passed, 1 breach, 2 not run\n/);
    assert.match(r.stdout, /BREACH: predecessor\.acquire\.p50 < 0\.001ms \(lock-contention \/ predecessor acquire\.p50 = [\d.]+ ms\)/);
    const json = JSON.parse(fs.readFileSync(path.join(r.lastLine, 'run.json'), 'utf8'));
    assert.deepEqual(
      json.thresholds.map((t: { rule: string; outcome: string }) => [t.rule, t.outcome]),
      [
        ['main figure acquire.count > 0', 'pass'],
        ['predecessor.violations == 0', 'pass'],
        ['exclusive-node.violations == 0', 'not run'],
        ['children-watch.violations == 0', 'not run'],
        ['*.errors == 0', 'pass'],
        ['predecessor.acquire.p50 < 0.001ms', 'breach'],
      ],
    );
  });

  it('the nightly workflow is valid YAML that runs the README set-up and npm run nightly', () => {
    const wf = parse(fs.readFileSync(new URL('../../.github/workflows/nightly.yml', import.meta.url), 'utf8'));
    assert.ok(wf.on.schedule && 'workflow_dispatch' in wf.on);
    const runs = (wf.jobs.nightly.steps as { run?: string; uses?: string }[]).map((s) => s.run ?? s.uses ?? '').join('\n');
    assert.match(runs, /npm run setup/);
    assert.match(runs, /npm run nightly -- --baseline/);
    assert.match(runs, /actions\/upload-artifact/);
    const readme = fs.readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    assert.match(readme, /npm run setup/);
  });
});
