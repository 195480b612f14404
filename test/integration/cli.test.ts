// The command line end to end, including the ways out users meet: a bad workload file, an unreachable
// ensemble, Ctrl-C in the middle of a run. Each ends with a clear message, a non-zero exit, no server
// left running and no half-written result.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { EXPECTED_BINDING_PATCH } from '../../src/zk/binding.ts';
import { exitOf, serverPids, startCli, tempDir, waitForOutput } from '../helpers/cli.ts';

const scratch = tempDir('zkbench-cli-');
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

/** A fresh results parent and state dir per test. */
function dirs(name: string) {
  const results = path.join(scratch, name, 'results');
  const state = path.join(scratch, name, 'state');
  fs.mkdirSync(state, { recursive: true });
  return { results, state };
}

function assertNoNewServers(before: Set<number>, state: string): void {
  const leaked = [...serverPids(state)].filter((p) => !before.has(p));
  for (const pid of leaked) process.kill(pid, 'SIGKILL');
  assert.deepEqual(leaked, [], 'ZooKeeper servers left running');
}

describe('zkbench command line', { concurrency: 1 }, () => {
  it('runs a workload on an embedded 3-server ensemble and prints the run directory last', async () => {
    const { results, state } = dirs('happy');
    const before = serverPids(state);
    const run = startCli(
      ['bench', '--workload', 'lock-contention', '--recipes', 'predecessor,exclusive-node', '--clients', '10', '--duration-s', '1', '--warmup-s', '0', '--results-dir', results],
      state,
    );
    const code = await exitOf(run);
    assert.equal(code, 0, run.stderr);
    const lines = run.stdout.trim().split('\n');
    const runDir = lines.at(-1)!;
    assert.equal(path.dirname(runDir), path.resolve(results));
    assert.deepEqual(fs.readdirSync(runDir).sort(), ['gc', 'histograms.hlog', 'percentiles.csv', 'run.json', 'server-warnings.log', 'summary.csv', 'timeline.csv']);
    assert.match(run.stdout, /predecessor\s+[\d.]+/); // the terminal table
    const json = JSON.parse(fs.readFileSync(path.join(runDir, 'run.json'), 'utf8'));
    assert.equal(json.outcome, 'completed');
    assert.equal(json.ensemble.kind, 'embedded');
    assert.equal(json.ensemble.servers, 3);
    assert.ok(json.ensemble.leaderId >= 1);
    assert.match(json.versions.zookeeperServer, /^3\./);
    assert.match(json.versions.zookeeperClient, new RegExp(`zkbench patch ${EXPECTED_BINDING_PATCH}$`));
    assert.ok(json.timeToFirstAcquisitionMs > 0);
    assert.match(run.stderr, /\[1\/2\] predecessor done/); // progress, plain lines when not a terminal
    assertNoNewServers(before, state);
  });

  it('refuses a bad workload file with exit 2, naming the file and field, starting nothing', async () => {
    const { results, state } = dirs('bad-workload');
    const file = path.join(scratch, 'bad.yaml');
    fs.writeFileSync(file, 'name: bad\nscenario: lock-contention\nrecipes: [predecessor]\nclients: 10\nduration_s: 1\nclinets: 3\n');
    const before = serverPids(state);
    const run = startCli(['bench', '--workload', file, '--results-dir', results], state);
    assert.equal(await exitOf(run), 2);
    assert.match(run.stderr, new RegExp(`${file}.*unknown field "clinets"`));
    assert.equal(fs.existsSync(results), false);
    assertNoNewServers(before, state);

    const badFlag = startCli(['bench', '--workload', 'lock-contention', '--recipes', 'bakery', '--results-dir', results], state);
    assert.equal(await exitOf(badFlag), 2);
    assert.match(badFlag.stderr, /--recipes: unknown value "bakery"; allowed: .*predecessor/);
  });

  it('reports an unreachable --connect with exit 3 and what to do', async () => {
    const { results, state } = dirs('unreachable');
    const run = startCli(['bench', '--workload', 'lock-contention', '--connect', '127.0.0.1:1', '--results-dir', results], state);
    assert.equal(await exitOf(run), 3);
    assert.match(run.stderr, /127\.0\.0\.1:1/);
    assert.match(run.stderr, /docker compose up -d|ensemble up/);
    assert.equal(fs.existsSync(results) && fs.readdirSync(results).length > 0, false);
  });

  it('stops cleanly on Ctrl-C mid-run: exit 130, servers stopped, nothing half-written', async () => {
    const { results, state } = dirs('ctrl-c');
    const before = serverPids(state);
    const run = startCli(['bench', '--workload', 'lock-contention', '--clients', '20', '--duration-s', '120', '--results-dir', results], state);
    let code: number;
    try {
      await waitForOutput(run, /clients running/, 60_000);
      await new Promise((r) => setTimeout(r, 1000));
      process.kill(-run.child.pid!, 'SIGINT'); // the whole process group, as a terminal's Ctrl-C does
      code = await Promise.race([run.exited, new Promise<number>((r) => setTimeout(() => r(-1), 30_000))]);
    } finally {
      // whatever failed above, the run and its servers must not outlive the test
      if (run.child.exitCode === null) process.kill(-run.child.pid!, 'SIGKILL');
    }
    assert.equal(code, 130, run.stderr);
    assert.match(run.stderr, /interrupted before any recipe finished: no results written/);
    assert.deepEqual(fs.existsSync(results) ? fs.readdirSync(results) : [], []);
    assertNoNewServers(before, state);
  });
});
