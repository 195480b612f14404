// bench --repeat N and compare over repeat sets, through the command line on a real embedded ensemble
// (1 server, short runs: this proves the plumbing and the refusals, not the figures; the noise method is
// unit-tested in test/unit/noise.test.ts and measured by npm run bench:false-alarm).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { startCli, tempDir } from '../helpers/cli.ts';

const scratch = tempDir('zkbench-repeats-');
after(() => fs.rmSync(scratch, { recursive: true, force: true }));
const state = path.join(scratch, 'state');
fs.mkdirSync(state);
const results = path.join(scratch, 'results');
const SMALL = ['--workload', 'lock-contention', '--recipes', 'predecessor', '--duration-s', '1', '--warmup-s', '0', '--servers', '1', '--thresholds', '{}', '--results-dir', results];

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string; lastLine: string }> {
  const run = startCli(args, state);
  const code = await run.exited;
  return { code, stdout: run.stdout, stderr: run.stderr, lastLine: run.stdout.trim().split('\n').at(-1) ?? '' };
}

describe('repeat sets', { concurrency: 1 }, () => {
  let set = '';

  it('bench --repeat 2 writes one repeat set: repeats.json and a complete run directory per repeat', async () => {
    const r = await cli(['bench', ...SMALL, '--clients', '8', '--repeat', '2']);
    assert.equal(r.code, 0, r.stderr);
    set = r.lastLine;
    assert.match(path.basename(set), /-lock-contention-x2$/);
    const repeats = JSON.parse(fs.readFileSync(path.join(set, 'repeats.json'), 'utf8'));
    assert.deepEqual({ asked: repeats.asked, runs: repeats.runs, outcome: repeats.outcome }, { asked: 2, runs: ['repeat-1', 'repeat-2'], outcome: 'completed' });
    for (const run of repeats.runs) {
      const json = JSON.parse(fs.readFileSync(path.join(set, run, 'run.json'), 'utf8'));
      assert.equal(json.outcome, 'completed');
      assert.equal(json.workload.clients, 8);
      assert.ok(fs.existsSync(path.join(set, run, 'summary.csv')));
    }
  });

  it('compare takes the set as one side of 2 runs: medians shown, relative rules judged with a noise estimate', async () => {
    const r = await cli(['compare', set, set, '--fail-on', 'acquire.p99>+10%']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /\(median of 2\)/);
    assert.doesNotMatch(r.stderr, /no noise estimate/);
    const one = await cli(['compare', path.join(set, 'repeat-1'), path.join(set, 'repeat-1'), '--fail-on', 'acquire.p99>+10%']);
    assert.equal(one.code, 0, one.stderr);
    assert.match(one.stderr, /^note: no noise estimate: the baseline .*-x2\/repeat-1 is one run/m);
  });

  it('a run of other settings is refused with exit 7 naming the difference; --allow-incomparable compares with a warning', async () => {
    const other = await cli(['bench', ...SMALL, '--clients', '12']);
    assert.equal(other.code, 0, other.stderr);
    const r = await cli(['compare', set, other.lastLine, '--fail-on', 'violations>0']);
    assert.equal(r.code, 7, r.stderr);
    assert.match(r.stderr, /^not comparable: .*-x2 vs .*, lock-contention: clients 8 vs 12$/m);
    assert.equal(r.stdout, '');
    const allowed = await cli(['compare', set, other.lastLine, '--allow-incomparable']);
    assert.equal(allowed.code, 0, allowed.stderr);
    assert.match(allowed.stdout, /^WARNING: these runs are NOT COMPARABLE \(1 difference\(s\)\)/m);
  });

  it('nightly refuses a baseline without run.json before running the suite (exit 7)', async () => {
    const bare = path.join(scratch, 'bare');
    fs.mkdirSync(bare);
    fs.copyFileSync(path.join(set, 'repeat-1', 'summary.csv'), path.join(bare, 'summary.csv'));
    const r = await cli(['nightly', '--baseline', bare, '--results-dir', results]);
    assert.equal(r.code, 7, r.stderr);
    assert.match(r.stderr, /^not comparable: bare: no run\.json beside its summary\.csv/m);
    assert.match(r.stderr, /pass --allow-incomparable/);
  });

  it('--repeat 0 is a usage error before anything starts', async () => {
    const r = await cli(['bench', ...SMALL, '--clients', '8', '--repeat', '0']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--repeat 0: expected a whole number of runs, at least 1/);
  });
});
