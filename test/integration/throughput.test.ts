// The throughput scenario on a real ensemble: closed-loop requests from several load processes, with
// the client's and the servers' CPU per request.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, describe, it } from 'node:test';
import { scalarValue } from '../../src/measure/metrics.ts';
import type { BenchOutcome } from '../../src/runner/bench-run.ts';
import { bench, figure, resultsParent } from '../helpers/bench.ts';
import { sharedEnsemble } from '../helpers/ensemble.ts';

/** A recipe's server CPU per request as the run recorded it: undefined when the run has no such figure. */
function serverCpu(run: BenchOutcome, recipe: string): number | undefined {
  const r = run.record.recipes.find((x) => x.recipe === recipe);
  assert.ok(r, `recipe ${recipe} in the run`);
  return scalarValue(r.metrics, 'server_cpu_per_request');
}

describe('throughput scenario', { concurrency: 1 }, () => {
  const ensemble = sharedEnsemble();
  after(() => fs.rmSync(resultsParent, { recursive: true, force: true }));

  it('keeps one request in flight per session and reports rate, latency and CPU per request', async () => {
    const run = await bench('throughput', ensemble().connectString, { clients: 20, duration_s: 2, warmup_s: 0.5, workers: 2 });
    assert.equal(run.record.outcome, 'completed');
    for (const op of ['set', 'get']) {
      // How many is the host's business (a count in a fixed window is a rate): that there were some is not.
      assert.ok(figure(run, op, 'requests') > 0, `${op} requests`);
      assert.equal(figure(run, op, 'errors'), 0);
      assert.ok(Math.abs(figure(run, op, 'throughput') - figure(run, op, 'requests') / 2) < 1e-6);
      const cpu = figure(run, op, 'client_cpu_per_request');
      assert.ok(cpu > 0 && cpu < 10_000, `client µs per request ${cpu}`);
      // The helper connects to the test ensemble as an external one: its server processes are unknown to
      // the run, so their CPU is not measured (absent, or NaN where a figure without samples is still
      // written as such), never a number.
      const server = serverCpu(run, op);
      assert.ok(server === undefined || Number.isNaN(server), `${op}: server CPU of an external ensemble is not measured, got ${server}`);
    }
  });

  it('on an ensemble of its own, the servers\' CPU per request is measured: a positive number', async () => {
    const run = await bench('throughput', undefined, { recipes: 'set', clients: 10, duration_s: 2, warmup_s: 0.5, workers: 2, thresholds: '{}' });
    assert.equal(run.record.outcome, 'completed');
    assert.equal(run.record.ensemble.kind, 'embedded');
    assert.ok(figure(run, 'set', 'requests') > 0);
    // Every set is a write every server applies: the servers cannot have spent no CPU on them.
    const server = serverCpu(run, 'set');
    assert.ok(server !== undefined && Number.isFinite(server) && server > 0, `server µs per request ${server}`);
  });
});
