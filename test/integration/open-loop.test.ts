// Open-loop load against a deliberately stalled server (issue 10 point 3): a 1-server embedded ensemble is
// stopped (SIGSTOP, the workload's `pause` fault) for 1 s in the middle of a throughput run's measured window.
//  - Open loop (200 setData/s over 2 clients, at most 2 in flight per client): requests keep coming due
//    during the stall; 2 per client are sent and wait for the server, the other ~195 wait unsent for a slot.
//    Their latency from the intended start holds the stall (~20% of the window's requests were due in it);
//    their service time (from the actual start) does not, except for the 4 that were in flight.
//  - Closed loop, same clients and stall: each client's one request waits the stall, and nothing else was
//    sent during it, so the stall is in the max but in a tiny share of the requests: the coordinated-omission gap.
// Asserts the structure the stall must create (counts and ratios of the latencies), never speeds.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { RunClock } from '../../src/measure/clock.ts';
import type { Histogram } from '../../src/measure/histogram.ts';
import { findMetric, scalarValue } from '../../src/measure/metrics.ts';
import { dist } from '../../src/results/table-format.ts';
import { runBench, type BenchOutcome } from '../../src/runner/bench-run.ts';
import { loadWorkload } from '../../src/scenarios/catalog.ts';


const resultsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zkbench-open-loop-results-'));

const CLIENTS = 2;
const RATE = 200; // requests/s in all: 100/s per client, 1,000 in the 5 s window
const MAX_IN_FLIGHT = 2;
const STALL_MS = 1000;
// 0.5 s warm-up, then 2 s into the window: the server is stopped from 2.5 s to 3.5 s after the clients' start.
const stall = JSON.stringify([
  { at: '2.5s', action: 'pause', target: 'server:1' },
  { at: '3.5s', action: 'resume', target: 'server:1' },
]);

async function run(overrides: Record<string, unknown>, workloadName = 'throughput'): Promise<BenchOutcome> {
  const { workload, file } = loadWorkload(workloadName, {
    recipes: 'set',
    clients: CLIENTS,
    servers: 1,
    workers: 1,
    warmup_s: 0.5,
    duration_s: 5,
    faults: stall,
    replace_thresholds: '{}',
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
  const histogram = (name: string): Histogram | undefined => {
    const m = findMetric(r.metrics, name);
    return m?.kind === 'distribution' ? m.histogram : undefined;
  };
  return { r, latency, service: dist(r.metrics, 'service_time'), hist: histogram, v: (name: string) => scalarValue(r.metrics, name) };
}

/**
 * How long the server was stopped: from the SIGSTOP to the SIGCONT, as run.json's faults record them. On a
 * busy host the pause can start late (the fault first asks the server its role) while the resume keeps its
 * time, so this, not the nominal second, is what the latencies are held against.
 */
function stalled(outcome: BenchOutcome): number {
  const done = (outcome.record.faults ?? []).filter((f) => f.entry !== undefined);
  assert.deepEqual(done.map((f) => [f.action, f.error]), [['pause', undefined], ['resume', undefined]], 'the stall happened');
  const ms = (done[1]!.atNs! - done[0]!.atNs!) / 1e6;
  assert.ok(ms >= STALL_MS / 2, `the server was stopped for ${ms} ms, not about ${STALL_MS}`);
  return ms;
}

/** The share of the recorded latencies at or above `ms` (to HdrHistogram's precision). */
function shareAtLeast(h: Histogram, ms: number): number {
  let below = 0; // a percentile whose value is below ms
  let above = 100;
  for (let i = 0; i < 50; i++) {
    const mid = (below + above) / 2;
    if (h.getValueAtPercentile(mid) < ms * 1000) below = mid;
    else above = mid;
  }
  return (100 - below) / 100;
}

const fmt = (d: { p50: number; p99: number; max: number } | undefined): string => (d ? `p50 ${d.p50} p99 ${d.p99} max ${d.max} ms` : '-');

describe('open-loop load against a server stopped for 1 s', { concurrency: 1 }, () => {
  after(() => fs.rmSync(resultsDir, { recursive: true, force: true }));
  let openLoop: { p99: number; waitedHalfStall: number } | undefined;

  it('shows the stall in the latency from the intended start and much less in the service time', async () => {
    const outcome = await run({ rate: RATE, max_in_flight: MAX_IN_FLIGHT });
    const { r, latency, service, hist, v } = figures(outcome);
    const stalledMs = stalled(outcome);
    // Requests that waited at least half the stall, by either clock: the stall's footprint.
    const waited = shareAtLeast(hist('latency')!, stalledMs / 2);
    const waitedSent = service ? shareAtLeast(hist('service_time')!, stalledMs / 2) : Number.NaN;
    console.log(`open loop (server stopped ${stalledMs.toFixed(0)} ms): latency (intended) ${fmt(latency)}; service time (actual) ${fmt(service)}; ` +
      `${(100 * waited).toFixed(2)}% vs ${(100 * waitedSent).toFixed(2)}% of requests >= half the stall; late ${v('late_starts')} (waited ${v('late_starts.waited')}), dropped ${v('dropped')}, achieved ${v('achieved_rate')} of ${v('target_rate')}/s`);
    assert.equal(outcome.record.outcome, 'completed');
    assert.ok(service, 'an open-loop run records the service time');
    assert.equal(v('target_rate'), RATE);
    assert.equal(v('errors'), 0);
    // A host too busy to catch up after the stall drops what still waits after the stop: flagged, not hidden.
    const unsustained = v('dropped')! > 0 || v('achieved_rate')! < 0.95 * RATE;
    assert.equal(v('rate_unsustained'), unsustained ? 1 : 0);
    assert.equal(unsustained, (r.notes ?? []).some((n) => n.startsWith('rate unsustained')));
    assert.equal(v('in_flight_max'), MAX_IN_FLIGHT, 'the stall filled every client\'s slots');
    // ~RATE × stall requests came due during the stall; all but the 4 in flight waited for a slot.
    assert.ok(v('late_starts.waited')! >= (RATE * stalledMs) / 1000 / 2, `late starts that waited for a slot: ${v('late_starts.waited')}`);
    // The stall is in the latency from the intended start: the request due as it began waited all of it,
    // and ~20% of the window's requests were due during it (the top 1% waited all but ~50 ms of it).
    assert.ok(latency.max >= 0.9 * stalledMs, `latency max ${latency.max} ms`);
    assert.ok(latency.p99 >= 0.8 * stalledMs, `latency p99 ${latency.p99} ms`);
    // ... and in the service time only for the requests in flight when it began (at most clients ×
    // max_in_flight = 4 of ~1,000, 0.4%: the max, not the p99). Required: of the requests that waited at
    // least half the stall by the intended start (~10%), at most a fifth by the actual start; and the
    // service p99 at most half the latency p99. Can fail when the host itself holds requests for half the
    // stall or more outside it (a machine loaded far beyond its cores: at a load average of 21 on 2 cores the
    // service p99 reached 0.42 of the latency p99 here), or when the requests in flight exceed 1% of the
    // window's (more clients or slots).
    assert.ok(service.max >= 0.9 * stalledMs, `service time max ${service.max} ms: the requests in flight waited the stall`);
    assert.ok(waited >= 0.05, `${waited} of the requests waited half the stall from their intended start`);
    assert.ok(waitedSent <= waited / 5, `${waitedSent} of the requests waited half the stall from their actual start, against ${waited}`);
    assert.ok(service.p99 <= latency.p99 / 2, `service time p99 ${service.p99} ms against latency p99 ${latency.p99} ms`);
    assert.ok(r.metrics.some((m) => m.name === 'service_time'));
    const summary = fs.readFileSync(path.join(outcome.runDir!, 'summary.csv'), 'utf8');
    for (const name of ['service_time', 'target_rate', 'achieved_rate', 'late_starts', 'dropped', 'rate_unsustained']) {
      assert.match(summary, new RegExp(`,set,${name.replace('.', '\\.')},`), `summary.csv has ${name}`);
    }
    assert.match(fs.readFileSync(path.join(outcome.runDir!, 'histograms.hlog'), 'utf8'), /Tag=set\.service_time/);
    assert.match(fs.readFileSync(path.join(outcome.runDir!, 'percentiles.csv'), 'utf8'), /set,service_time,/);
    openLoop = { p99: latency.p99, waitedHalfStall: waited };
  });

  it('a closed loop under the same stall shows the coordinated-omission gap', async (t) => {
    if (!openLoop) return t.skip('needs the open-loop run');
    const outcome = await run({});
    const { latency, service, hist, v } = figures(outcome);
    const stalledMs = stalled(outcome);
    const waited = shareAtLeast(hist('latency')!, stalledMs / 2);
    console.log(`closed loop (server stopped ${stalledMs.toFixed(0)} ms): latency ${fmt(latency)}; ${v('requests')} requests, ${(100 * waited).toFixed(2)}% >= half the stall`);
    assert.equal(outcome.record.outcome, 'completed');
    assert.equal(service, undefined, 'a closed loop has no separate service time');
    assert.equal(v('target_rate'), undefined);
    // Each client's one request waited the whole stall: it is in the max ...
    assert.ok(latency.max >= 0.9 * stalledMs, `closed-loop max ${latency.max} ms`);
    // ... but nothing else was sent during it, so it is 2 requests of thousands and the p99 does not see it.
    // Required: of its requests, at most a fifth of the open loop's share waited half the stall, and its p99
    // is at most half the open loop's p99 from the intended start (the same host, a stall as long). Fails
    // like the service-time checks above, or if the closed loop sent fewer than ~200 requests in its
    // window (2 waiting requests would then be 1%).
    assert.ok(v('requests')! > 100 * CLIENTS, `closed-loop requests ${v('requests')}`);
    assert.ok(waited <= openLoop.waitedHalfStall / 5, `closed loop: ${waited} of the requests waited half the stall, open loop ${openLoop.waitedHalfStall}`);
    assert.ok(latency.p99 <= openLoop.p99 / 2, `closed-loop p99 ${latency.p99} ms against open-loop latency p99 ${openLoop.p99} ms`);
  });

  it('lock attempts at a rate: the stall is in latency (from the intended start), barely in acquire (from the call)', async () => {
    // 4 contenders at 40 attempts/s in all (10/s each, one attempt at a time per client): ~40 attempts come
    // due during the stall, 4 are under way when it begins (their service time holds it), the rest start
    // after it, late, behind their client's previous attempt.
    const outcome = await run({ recipes: 'predecessor', clients: 4, rate: 40 }, 'lock-contention');
    const r = outcome.record.recipes[0]!;
    const latency = dist(r.metrics, 'latency');
    const acquire = dist(r.metrics, 'acquire');
    const service = dist(r.metrics, 'service_time');
    const hist = (name: string): Histogram => {
      const m = findMetric(r.metrics, name);
      assert.ok(m?.kind === 'distribution', name);
      return m.histogram;
    };
    const v = (name: string) => scalarValue(r.metrics, name);
    const stalledMs = stalled(outcome);
    const waited = shareAtLeast(hist('latency'), stalledMs / 2);
    const waitedSent = shareAtLeast(hist('acquire'), stalledMs / 2);
    console.log(`open-loop locks (server stopped ${stalledMs.toFixed(0)} ms): latency ${fmt(latency)}; acquire (= service time) ${fmt(acquire)}; ` +
      `${(100 * waited).toFixed(2)}% vs ${(100 * waitedSent).toFixed(2)}% >= half the stall; ${v('acquisitions')} acquisitions, late ${v('late_starts')}, dropped ${v('dropped')}, achieved ${v('achieved_rate')} of ${v('target_rate')}/s`);
    assert.equal(outcome.record.outcome, 'completed');
    assert.ok(latency && acquire && service, 'latency, acquire and service_time');
    assert.deepEqual(service, acquire, 'service_time is the acquire span (from the acquire() call), as SPEC defines acquire');
    assert.equal(v('target_rate'), 40);
    assert.equal(v('in_flight_max'), 1, 'one attempt at a time per client');
    assert.equal(v('violations'), 0);
    assert.equal(hist('latency').totalCount, hist('acquire').totalCount, 'both clocks time every measured acquisition');
    assert.ok(latency.max >= 0.9 * stalledMs, `latency max ${latency.max} ms`);
    // ~20% of the window's attempts were due during the stall and waited at least half of it from their
    // intended start; from their actual start only the 4 under way did (~2%). Required: at most a third.
    assert.ok(waited >= 0.05, `${waited} of the acquisitions waited half the stall from their intended start`);
    assert.ok(waitedSent <= waited / 3, `${waitedSent} from their actual start, against ${waited}`);
    assert.match(fs.readFileSync(path.join(outcome.runDir!, 'summary.csv'), 'utf8'), /,predecessor,service_time,/);
  });
});
