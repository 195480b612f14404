// Open-loop load against a deliberately stalled server (issue 10 point 3): a 1-server embedded ensemble is
// stopped (SIGSTOP, the workload's `pause` fault) for 1 s in the middle of a throughput run's measured window.
//  - Open loop (400 setData/s over 4 clients, at most 2 in flight per client): requests keep coming due
//    during the stall; 2 per client are sent and wait for the server, the other ~390 wait unsent for a slot.
//    Their latency from the intended start holds the stall (~20% of the window's requests were due in it);
//    their service time (from the actual start) does not, except for the 8 that were in flight.
//  - Closed loop, same clients and stall: each client's one request waits the stall, then nothing was sent
//    during it, so the stall is in the max but ~0.1% of the requests: the coordinated-omission gap.
// Asserts the structure the stall must create (counts and ratios of the latencies), never speeds.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { RunClock } from '../../src/measure/clock.ts';
import { scalarValue } from '../../src/measure/metrics.ts';
import { dist } from '../../src/results/table-format.ts';
import { runBench, type BenchOutcome } from '../../src/runner/bench-run.ts';
import { loadWorkload } from '../../src/workload/load.ts';

const resultsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zkbench-open-loop-results-'));

const CLIENTS = 4;
const RATE = 400; // requests/s in all: 100/s per client, 2,000 in the 5 s window
const MAX_IN_FLIGHT = 2;
const STALL_MS = 1000;
// 0.5 s warm-up, then 2 s into the window: the server is stopped from 2.5 s to 3.5 s after the clients' start.
const stall = JSON.stringify([
  { at: '2.5s', action: 'pause', target: 'server:1' },
  { at: '3.5s', action: 'resume', target: 'server:1' },
]);

async function run(overrides: Record<string, unknown>): Promise<BenchOutcome> {
  const { workload, file } = loadWorkload('throughput', {
    recipes: 'set',
    clients: CLIENTS,
    servers: 1,
    workers: 1,
    warmup_s: 0.5,
    duration_s: 5,
    faults: stall,
    thresholds: '{}',
    ...overrides,
  });
  const outcome = await runBench({
    workload,
    workloadFile: file,
    argv: [],
    connect: undefined, // an embedded ensemble of its own, which the run may pause (and stops)
    resultsDir,
    clock: new RunClock(process.hrtime.bigint()),
    signal: new AbortController().signal,
    progress: { recipeStart: () => undefined, phase: () => undefined, tick: () => undefined, recipeDone: () => undefined },
    log: () => undefined,
  });
  if (outcome.failure) throw outcome.failure;
  return outcome;
}

function figures(outcome: BenchOutcome) {
  const r = outcome.record.recipes[0]!;
  const latency = dist(r.metrics, 'latency');
  assert.ok(latency, 'a latency distribution');
  return { r, latency, service: dist(r.metrics, 'service_time'), v: (name: string) => scalarValue(r.metrics, name) };
}

const fmt = (d: { p50: number; p99: number; max: number } | undefined): string => (d ? `p50 ${d.p50} p99 ${d.p99} max ${d.max} ms` : '-');

describe('open-loop load against a server stopped for 1 s', { concurrency: 1 }, () => {
  after(() => fs.rmSync(resultsDir, { recursive: true, force: true }));
  let openIntendedP99 = Number.NaN;

  it('shows the stall in the latency from the intended start and much less in the service time', async () => {
    const outcome = await run({ rate: RATE, max_in_flight: MAX_IN_FLIGHT });
    const { r, latency, service, v } = figures(outcome);
    console.log(`open loop: latency (intended) ${fmt(latency)}; service time (actual) ${fmt(service)}; ` +
      `late ${v('late_starts')} (waited ${v('late_starts.waited')}), dropped ${v('dropped')}, achieved ${v('achieved_rate')} of ${v('target_rate')}/s`);
    assert.equal(outcome.record.outcome, 'completed');
    const done = (outcome.record.faults ?? []).filter((f) => f.entry !== undefined);
    assert.deepEqual(done.map((f) => [f.action, f.error]), [['pause', undefined], ['resume', undefined]], 'the stall happened');
    const stalledMs = (done[1]!.atNs! - done[0]!.atNs!) / 1e6;
    assert.ok(stalledMs >= 0.95 * STALL_MS, `the server was stopped for ${stalledMs} ms`);
    assert.ok(service, 'an open-loop run records the service time');
    assert.equal(v('target_rate'), RATE);
    assert.equal(v('errors'), 0);
    assert.equal(v('dropped'), 0, 'a 1 s stall fits in the 10 s queue');
    assert.equal(v('in_flight_max'), MAX_IN_FLIGHT, 'the stall filled every client\'s slots');
    // ~RATE × 1 s requests came due during the stall; all but the 8 in flight waited for a slot.
    assert.ok(v('late_starts.waited')! >= (RATE * STALL_MS) / 1000 / 2, `late starts that waited for a slot: ${v('late_starts.waited')}`);
    // The stall is in the latency from the intended start: the request due as it began waited all of it,
    // and ~20% of the window's requests were due during it (the top 1% waited ≥ ~0.95 s).
    assert.ok(latency.max >= 0.9 * STALL_MS, `latency max ${latency.max} ms`);
    assert.ok(latency.p99 >= 0.8 * STALL_MS, `latency p99 ${latency.p99} ms`);
    // ... and in the service time only for the requests in flight when it began (at most clients ×
    // max_in_flight = 8 of ~2,000, 0.4%: the max, not the p99). Required: service p99 at most a third of the
    // latency p99. Can fail when the host adds over ~250 ms to the p99 of requests outside the stall (a
    // heavily loaded machine), or when the requests in flight exceed 1% of the window's (more clients or slots).
    assert.ok(service.max >= 0.9 * STALL_MS, `service time max ${service.max} ms: the requests in flight waited the stall`);
    assert.ok(service.p99 <= latency.p99 / 3, `service time p99 ${service.p99} ms against latency p99 ${latency.p99} ms`);
    assert.ok(r.metrics.some((m) => m.name === 'service_time'));
    const summary = fs.readFileSync(path.join(outcome.runDir!, 'summary.csv'), 'utf8');
    for (const name of ['service_time', 'target_rate', 'achieved_rate', 'late_starts', 'dropped', 'rate_unsustained']) {
      assert.match(summary, new RegExp(`,set,${name.replace('.', '\\.')},`), `summary.csv has ${name}`);
    }
    assert.match(fs.readFileSync(path.join(outcome.runDir!, 'histograms.hlog'), 'utf8'), /Tag=set\.service_time/);
    assert.match(fs.readFileSync(path.join(outcome.runDir!, 'percentiles.csv'), 'utf8'), /set,service_time,/);
    openIntendedP99 = latency.p99;
  });

  it('a closed loop under the same stall shows the coordinated-omission gap', async (t) => {
    if (Number.isNaN(openIntendedP99)) return t.skip('needs the open-loop run');
    const outcome = await run({});
    const { latency, service, v } = figures(outcome);
    console.log(`closed loop: latency ${fmt(latency)}; ${v('requests')} requests`);
    assert.equal(outcome.record.outcome, 'completed');
    assert.equal(service, undefined, 'a closed loop has no separate service time');
    assert.equal(v('target_rate'), undefined);
    // Each client's one request waited the whole stall: it is in the max ...
    assert.ok(latency.max >= 0.9 * STALL_MS, `closed-loop max ${latency.max} ms`);
    // ... but nothing else was sent during it, so it is 4 requests of thousands and the p99 does not see it.
    // Required: the closed loop's p99 at most a third of the open loop's p99 from the intended start (the
    // same host, the same stall). Fails like the service-time check above, or if the closed loop sent
    // fewer than ~400 requests in its window (4 waiting requests would then be 1%).
    assert.ok(v('requests')! > 100 * CLIENTS, `closed-loop requests ${v('requests')}`);
    assert.ok(latency.p99 <= openIntendedP99 / 3, `closed-loop p99 ${latency.p99} ms against open-loop latency p99 ${openIntendedP99} ms`);
  });
});
