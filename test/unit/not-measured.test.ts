// Unknown is not zero: a figure without samples is absent (an empty summary.csv cell), and run.json and
// the notes say which and why.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DriverHealth } from '../../src/measure/driver-health.ts';
import { encodeHistogram, newLatencyHistogram } from '../../src/measure/histogram.ts';
import type { ThroughputWorkerReport } from '../../src/measure/throughput-recorder.ts';
import { distribution, scalar, scalarValue, unmeasured, type Metric } from '../../src/measure/metrics.ts';
import { throughputMetrics } from '../../src/measure/throughput-metrics.ts';
import { absentFigures, NO_OBSERVATIONS, NO_SAMPLES, notMeasuredNotes, notMeasuredOf } from '../../src/results/not-measured.ts';
import { runJson } from '../../src/results/run-json.ts';
import { summaryRows } from '../../src/results/summary-csv.ts';
import { recipeResultOf, runRecordOf } from '../helpers/run-record.ts';

const healthy: DriverHealth = { eventLoopDelayMs: { p50: 0.1, p99: 1, max: 2, mean: 0.2 }, cpuPct: 30, windowS: 1, rssMb: 50 };

const report: ThroughputWorkerReport = { latency: encodeHistogram(newLatencyHistogram()), ops: 100, lastAt: undefined, errors: {} };

function runOf(metrics: Metric[], driverSaturated?: boolean) {
  const t0 = new Date('2026-12-07T02:00:00Z');
  return runRecordOf({
    workloadFields: { scenario: 'throughput', recipes: ['set'], clients: 2, duration_s: 1 },
    recipes: [recipeResultOf({ recipe: 'set', clients: 2, metrics, windowS: 1, startedAt: t0, endedAt: t0, driverSaturated })],
    startedAt: t0,
    endedAt: t0,
  });
}

describe('figures not measured', () => {
  it('lists every scalar without a number and every empty distribution, with the maker\'s reason or a generic one', () => {
    const metrics = [
      scalar('requests', 'count', 0), // zero is a measurement
      unmeasured('server_cpu_per_request', 'µs', 'servers elsewhere'),
      scalar('rme', '%', Number.NaN),
      distribution('latency', newLatencyHistogram()),
    ];
    assert.deepEqual(absentFigures('set', metrics), [
      { figure: 'server_cpu_per_request', recipe: 'set', reason: 'servers elsewhere' },
      { figure: 'rme', recipe: 'set', reason: NO_SAMPLES },
      { figure: 'latency', recipe: 'set', reason: NO_OBSERVATIONS },
    ]);
  });

  it('groups the notes by reason and names figures as recipe.figure', () => {
    const notes = notMeasuredNotes([
      { figure: 'a', recipe: 'r', reason: 'why 1' },
      { figure: 'b', recipe: 'r', reason: 'why 2' },
      { figure: 'c', recipe: 's', reason: 'why 1' },
    ]);
    assert.deepEqual(notes, ['not measured (why 1): r.a, s.c', 'not measured (why 2): r.b']);
  });

  it('server CPU of servers not on this host: an empty summary.csv cell, and run.json says why', () => {
    const out = throughputMetrics({
      reports: [report],
      health: [healthy],
      windowS: 1,
      serverCpuS: { notMeasured: 'no server process on this host' },
      sessionsExpired: 0,
    });
    assert.ok(Number.isNaN(scalarValue(out.metrics, 'server_cpu_per_request')));
    assert.equal(scalarValue(out.metrics, 'client_cpu_per_request'), (0.3 * 1e6) / 100);
    const run = runOf(out.metrics, false);
    const row = summaryRows(run).find((r) => r.metric === 'server_cpu_per_request')!;
    assert.equal(row.value, undefined);
    const doc = JSON.parse(runJson(run)) as { notMeasured: { figure: string; recipe: string; reason: string }[] };
    assert.deepEqual(
      doc.notMeasured.filter((n) => n.figure === 'server_cpu_per_request'),
      [{ figure: 'server_cpu_per_request', recipe: 'set', reason: 'no server process on this host' }],
    );
    assert.deepEqual(notMeasuredOf(run), doc.notMeasured);
  });

  it('client CPU and driver figures of an unwatched load process are absent, and saturation is "unknown" in run.json', () => {
    const out = throughputMetrics({
      reports: [report],
      health: [{ windowS: 0, rssMb: 1, notMeasured: 'the monitor never started' }],
      windowS: 1,
      serverCpuS: 2,
      sessionsExpired: 0,
    });
    assert.equal(out.driverSaturated, undefined);
    assert.equal(scalarValue(out.metrics, 'server_cpu_per_request'), 2e4);
    const doc = JSON.parse(runJson(runOf(out.metrics, out.driverSaturated))) as { notMeasured: { figure: string; reason: string }[]; recipes: { driverSaturated: unknown }[] };
    assert.equal(doc.recipes[0]!.driverSaturated, 'unknown');
    const absent = doc.notMeasured.map((n) => n.figure);
    for (const f of ['client_cpu_per_request', 'driver.cpu', 'driver.event_loop_delay_p99', 'driver.saturated']) assert.ok(absent.includes(f), `${f} in ${absent.join(', ')}`);
    assert.match(doc.notMeasured.find((n) => n.figure === 'driver.cpu')!.reason, /process 0: the monitor never started/);
  });
});
