// Every summary.csv row agrees with itself (issue 16, item 6): a distribution's mean lies within [min, max]
// and its count is the histogram's total count, for plain and censored distributions, recorded in this
// process or merged from encoded ones (as the load processes send them); a scalar row is its value alone.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encodeHistogram, mergeEncoded, newLatencyHistogram, type Histogram } from '../../src/measure/histogram.ts';
import { distribution, scalar, type Metric } from '../../src/measure/metrics.ts';
import { formatSummaryCsv, parseSummaryCsv, summaryRows } from '../../src/results/summary-csv.ts';
import { recipeResultOf, runRecordOf } from '../helpers/run-record.ts';

function histogramOf(us: readonly number[]): Histogram {
  const h = newLatencyHistogram();
  for (const v of us) h.recordValue(v);
  return h;
}

/** Value sets whose bucket midpoints lie outside the recorded range (the rows issue 16 found), and ordinary ones. */
const VALUE_SETS: Record<string, number[]> = {
  'one election (828.553 ms, mean was 828.672)': [828_553],
  'two values in one bucket, both below its middle': [828_500, 828_520],
  'a recorded zero and a large value': [0, 16_050_000],
  'a spread of latencies': Array.from({ length: 997 }, (_, i) => 100 + i * 37),
  'one sub-millisecond value': [7],
};

function metricsOf(name: string, us: readonly number[]): Metric[] {
  const h = histogramOf(us);
  return [
    distribution(name, h),
    distribution(`${name}.merged`, mergeEncoded([encodeHistogram(h)])),
    distribution(`${name}.censored`, histogramOf(us), { count: 1, windowMs: Math.max(...us) / 1000 }),
    scalar(`${name}.count`, 'count', us.length),
  ];
}

const T0 = new Date('2026-12-07T00:00:00Z');

describe('summary rows agree with themselves', () => {
  for (const [label, us] of Object.entries(VALUE_SETS)) {
    it(`for every metric kind: ${label}`, () => {
      const metrics = metricsOf('figure', us);
      const run = runRecordOf({
        workloadFields: { scenario: 'lock-contention', recipes: ['predecessor'], clients: 1, duration_s: 1 },
        recipes: [recipeResultOf({ recipe: 'predecessor', clients: 1, metrics, windowS: 1, startedAt: T0, endedAt: T0 })],
        startedAt: T0,
        endedAt: T0,
      });
      // As written and as read back (compare and the gates read the file).
      const written = summaryRows(run);
      const read = parseSummaryCsv(formatSummaryCsv(written), 'summary.csv');
      for (const rows of [written, read]) {
        for (const m of metrics) {
          const row = rows.find((r) => r.metric === m.name)!;
          if (m.kind === 'scalar') {
            assert.equal(row.value, m.value, `${m.name}: a scalar row holds its value`);
            assert.equal(row.dist, undefined, `${m.name}: a scalar row leaves the distribution columns empty`);
            continue;
          }
          const d = row.dist!;
          assert.equal(d.count, m.histogram.totalCount, `${m.name}: count is the histogram's`);
          assert.ok(d.min! <= d.mean! && d.mean! <= d.max!, `${m.name}: mean ${d.mean} within [${d.min}, ${d.max}]`);
          for (const p of ['p50', 'p90', 'p99', 'p999'] as const) assert.ok(d.min! <= d[p]! && d[p]! <= d.max!, `${m.name}: ${p} ${d[p]} within [${d.min}, ${d.max}]`);
          assert.equal(row.censored, m.censored?.count, `${m.name}: censored count carried`);
        }
      }
    });
  }
});
