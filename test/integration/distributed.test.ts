// A distributed run on one machine played as four hosts: three `zkbench worker`s, each in its own network
// namespace (test/helpers/netns.ts), joining a coordinator's run through ZooKeeper, on an embedded
// ensemble that listens for clients on every host address. The merged run must be the exact merge of what
// the workers sent (each worker also keeps its results, --save-results); a worker SIGKILLed mid-run must
// be named and the run marked partial; the measured clock offsets must hold the true one (namespaces share
// the host's monotonic clock: 0) within their bounds.
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startEmbeddedEnsemble, type EmbeddedEnsemble } from '../../src/ensemble/index.ts';
import { distributionMs, mergeEncoded } from '../../src/measure/histogram.ts';
import type { LockWorkerReport } from '../../src/measure/lock-recorder.ts';
import { parseCsv } from '../../src/results/read-csv.ts';
import { num } from '../../src/results/summary-csv.ts';
import type { WorkerResult } from '../../src/workers/protocol.ts';
import { exitOf, startCli, tempDir, waitForOutput, ZKBENCH } from '../helpers/cli.ts';
import { TEST_ENSEMBLE } from '../helpers/ensemble.ts';
import { NetNamespaces } from '../helpers/netns.ts';

interface Worker {
  name: string;
  child: ChildProcess;
  stderr: string;
  saved: string;
}

interface RunJson {
  outcome: string;
  partial?: boolean;
  workers?: { name: string; host: string; state: string; atMs?: number; reason?: string; clock: { offsetMs: number; boundMs: number } }[];
  recipes: { recipe: string; completedOps: number }[];
}

describe('distributed run: workers in network namespaces', { concurrency: 1 }, () => {
  let hosts: NetNamespaces;
  let ensemble: EmbeddedEnsemble;
  const dir = tempDir('zkbench-dist-');
  let serial = 0;

  before(async () => {
    hosts = NetNamespaces.create(3); // fails with what is missing (root, iproute2): never skipped
    ensemble = await startEmbeddedEnsemble(TEST_ENSEMBLE, { clientsOnEveryAddress: true });
  });
  after(async () => {
    hosts?.cleanup();
    await ensemble?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Three workers, one per namespace, registered under a namespace of this test's own. */
  async function startWorkers(root: string): Promise<Worker[]> {
    const workers = hosts.namespaces.map((ns, k): Worker => {
      // The same servers in the same order as the coordinator's connect string, at the host's end of this namespace's link.
      const connect = ensemble.servers.map((s) => `${ns.hostAddress}:${s.clientPort}`).join(',');
      const name = `w${k}`;
      const saved = path.join(dir, `${root.slice(1)}-${name}`);
      const child = hosts.spawn(ns, process.execPath, [ZKBENCH, 'worker', '--connect', connect, '--name', name, '--namespace', root, '--session-timeout-ms', '4000', '--save-results', saved]);
      const w: Worker = { name, child, stderr: '', saved };
      child.stderr!.on('data', (d: Buffer) => (w.stderr += d.toString()));
      return w;
    });
    for (const w of workers) {
      const end = Date.now() + 60_000;
      while (!/registered/.test(w.stderr)) {
        if (Date.now() > end || w.child.exitCode !== null) throw new Error(`worker ${w.name} did not register; its stderr:\n${w.stderr}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    return workers;
  }

  function coordinator(root: string, durationS: number) {
    return startCli(
      [
        'bench', '--workload', 'lock-contention', '--recipes', 'predecessor', '--clients', '30', '--duration-s', String(durationS), '--warmup-s', '1',
        '--connect', ensemble.connectString, '--remote-workers', '3', '--namespace', root, '--remote-wait-s', '60', '--results-dir', path.join(dir, 'results'),
      ],
      path.join(dir, `state-${++serial}`),
    );
  }

  it('writes one run directory whose histograms are the exact merge of the three workers\' results', async () => {
    const root = `/zkbtest${process.pid}a`;
    const workers = await startWorkers(root);
    const run = coordinator(root, 3);
    const code = await exitOf(run);
    assert.equal(code, 0, run.stderr);
    const runDir = run.stdout.trim().split('\n').at(-1)!;
    const record = JSON.parse(fs.readFileSync(path.join(runDir, 'run.json'), 'utf8')) as RunJson;
    assert.equal(record.outcome, 'completed');
    assert.equal(record.partial, false);
    assert.deepEqual(record.workers!.map((w) => [w.name, w.state]), [['w0', 'ok'], ['w1', 'ok'], ['w2', 'ok']]);

    const results = workers.map((w) => {
      const files = fs.readdirSync(w.saved);
      assert.equal(files.length, 1, `${w.name} sent one result`);
      return JSON.parse(fs.readFileSync(path.join(w.saved, files[0]!), 'utf8')) as WorkerResult;
    });
    const reports = results.map((r) => r.report as LockWorkerReport);
    const perWorker = reports.map((r) => mergeEncoded([r.acquire]).totalCount);
    assert.ok(perWorker.every((n) => n > 0), `every worker measured acquisitions: ${perWorker.join(', ')}`);
    const merged = distributionMs(mergeEncoded(reports.map((r) => r.acquire)))!;

    const rows = parseCsv(fs.readFileSync(path.join(runDir, 'summary.csv'), 'utf8'));
    const row = (metric: string) => rows.find((r) => r['recipe'] === 'predecessor' && r['metric'] === metric)!;
    const acquire = row('acquire');
    assert.equal(Number(acquire['count']), perWorker.reduce((a, b) => a + b, 0), 'the counts add up exactly');
    for (const stat of ['p50', 'p90', 'p99', 'max'] as const) assert.equal(acquire[stat], num(merged[stat]), `acquire ${stat} is the merged histogram's`);
    assert.equal(Number(row('acquisitions')['value']), Number(acquire['count']));
    assert.equal(record.recipes[0]!.completedOps, results.reduce((s, r) => s + r.completed, 0));
    assert.equal(row('violations')['value'], '0');
    assert.ok(Number(row('clock_bound')['value']) > 0, 'the clock bound is measured, not assumed');
  });

  it('records each worker\'s clock offset and bound; between namespaces of one host the true offset, 0, lies within it', async () => {
    const runs = fs.readdirSync(path.join(dir, 'results'));
    const record = JSON.parse(fs.readFileSync(path.join(dir, 'results', runs[0]!, 'run.json'), 'utf8')) as RunJson;
    for (const w of record.workers!) {
      assert.ok(w.clock.boundMs > 0, `${w.name}: bound ${w.clock.boundMs} ms`);
      assert.ok(Math.abs(w.clock.offsetMs) <= w.clock.boundMs, `${w.name}: |offset ${w.clock.offsetMs}| <= bound ${w.clock.boundMs} ms`);
    }
  });

  it('names a worker SIGKILLed mid-run, goes on with the others and marks the run partial', async () => {
    const root = `/zkbtest${process.pid}b`;
    const workers = await startWorkers(root);
    const run = coordinator(root, 8);
    await waitForOutput(run, /clients running/, 120_000);
    await new Promise((r) => setTimeout(r, 1500));
    const victim = workers[1]!;
    victim.child.kill('SIGKILL'); // ip netns exec execs node: this is the worker's own pid
    const code = await exitOf(run);
    assert.equal(code, 1, `a partial run exits 1; stderr:\n${run.stderr}`);
    assert.match(run.stderr, /partial: remote worker w1 .* was lost/);
    const runDir = run.stdout.trim().split('\n').at(-1)!;
    const record = JSON.parse(fs.readFileSync(path.join(runDir, 'run.json'), 'utf8')) as RunJson;
    assert.equal(record.outcome, 'completed');
    assert.equal(record.partial, true);
    const states = Object.fromEntries(record.workers!.map((w) => [w.name, w.state]));
    assert.deepEqual(states, { w0: 'ok', w1: 'lost', w2: 'ok' });
    const lost = record.workers!.find((w) => w.name === 'w1')!;
    assert.ok(lost.atMs !== undefined && lost.reason !== undefined);
    // The survivors' figures are there: their results, and nothing of the lost one's.
    const survivors = [workers[0]!, workers[2]!].map((w) => JSON.parse(fs.readFileSync(path.join(w.saved, fs.readdirSync(w.saved)[0]!), 'utf8')) as WorkerResult);
    const rows = parseCsv(fs.readFileSync(path.join(runDir, 'summary.csv'), 'utf8'));
    const count = Number(rows.find((r) => r['metric'] === 'acquire')!['count']);
    assert.equal(count, survivors.reduce((s, r) => s + mergeEncoded([(r.report as LockWorkerReport).acquire]).totalCount, 0));
    assert.ok(!fs.existsSync(victim.saved) || fs.readdirSync(victim.saved).length === 0, 'the killed worker sent no result');
  });

  it('says how many workers joined, and how to start more, when too few register in time (exit 3)', async () => {
    const run = startCli(
      ['bench', '--workload', 'lock-contention', '--recipes', 'predecessor', '--clients', '4', '--duration-s', '1', '--connect', ensemble.connectString,
        '--remote-workers', '2', '--namespace', `/zkbtest${process.pid}none`, '--remote-wait-s', '1', '--results-dir', path.join(dir, 'results')],
      path.join(dir, `state-${++serial}`),
    );
    assert.equal(await exitOf(run), 3, run.stderr);
    assert.match(run.stderr, /only 0 of 2 remote workers joined within 1 s .*zkbench worker --connect/s);
  });

  it('refuses --remote-workers without --connect, and for a scenario that kills its own load processes (exit 2)', async () => {
    const noConnect = startCli(['bench', '--workload', 'lock-contention', '--remote-workers', '2'], path.join(dir, `state-${++serial}`));
    assert.equal(await exitOf(noConnect), 2, noConnect.stderr);
    assert.match(noConnect.stderr, /--remote-workers needs --connect/);
    const own = startCli(['bench', '--workload', 'membership-churn', '--remote-workers', '2', '--connect', ensemble.connectString], path.join(dir, `state-${++serial}`));
    assert.equal(await exitOf(own), 2, own.stderr);
    assert.match(own.stderr, /membership scenario decides its own load processes/);
  });
});
