// The throughput scenario on a real ensemble: closed-loop requests from several load processes, with
// the client's and the servers' CPU per request.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, describe, it } from 'node:test';
import { bench, figure, resultsParent } from '../helpers/bench.ts';
import { sharedEnsemble } from '../helpers/ensemble.ts';

describe('throughput scenario', { concurrency: 1 }, () => {
  const ensemble = sharedEnsemble();
  after(() => fs.rmSync(resultsParent, { recursive: true, force: true }));

  it('keeps one request in flight per session and reports rate, latency and CPU per request', async () => {
    const run = await bench('throughput', ensemble().connectString, { clients: 20, duration_s: 2, warmup_s: 0.5, workers: 2 });
    assert.equal(run.record.outcome, 'completed');
    for (const op of ['set', 'get']) {
      assert.ok(figure(run, op, 'requests') > 500, `${op} requests`);
      assert.equal(figure(run, op, 'errors'), 0);
      assert.ok(Math.abs(figure(run, op, 'throughput') - figure(run, op, 'requests') / 2) < 1e-6);
      const cpu = figure(run, op, 'client_cpu_per_request');
      assert.ok(cpu > 0 && cpu < 10_000, `client µs per request ${cpu}`);
    }
    // the helper connects to the test ensemble as an external one: its server processes are unknown
    assert.ok(Number.isNaN(figure(run, 'set', 'server_cpu_per_request')) || figure(run, 'set', 'server_cpu_per_request') > 0);
  });
});
