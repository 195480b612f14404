// Percentiles never leave the recorded range: HdrHistogram reports a bucket's highest equivalent value
// (its lowest, at 0%), which can lie beyond the recorded maximum (minimum).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { distributionMs, newLatencyHistogram, valueAtPercentile } from '../../src/measure/histogram.ts';
import { percentileDistribution } from '../../src/results/percentiles-csv.ts';

/** The exclusive-node hand-off of issue 7: max 50.861 ms, p999 printed as 50.879 ms. */
function handoff() {
  const h = newLatencyHistogram();
  h.recordValue(3001); // µs; its bucket starts at 3000
  for (let i = 0; i < 997; i++) h.recordValue(10_000);
  h.recordValue(50_861);
  h.recordValue(50_861);
  return h;
}

describe('percentiles within the recorded range', () => {
  it('reproduces HdrHistogram reporting beyond the extremes', () => {
    const h = handoff();
    assert.equal(h.maxValue, 50_861);
    assert.equal(h.getValueAtPercentile(99.9), 50_879);
    assert.equal(h.getValueAtPercentile(0), 3000);
  });

  it('clamps every summary percentile to [min, max]', () => {
    const d = distributionMs(handoff())!;
    assert.equal(d.p999, 50.861);
    assert.equal(d.max, 50.861);
    assert.equal(d.min, 3.001);
    assert.equal(valueAtPercentile(handoff(), 100), 50_861);
    assert.equal(d.p50, 10.007); // inside the range: HdrHistogram's value (the bucket's highest) as it is
  });

  it('clamps every row of percentiles.csv', () => {
    const rows = percentileDistribution(handoff());
    const values = rows.map((r) => Number(r[0]));
    assert.equal(Math.max(...values), 50.861);
    assert.equal(Math.min(...values), 3.001);
    assert.ok(values.includes(10.007), 'values inside the range are left as HdrHistogram prints them');
  });

  it('keeps a recorded zero as the minimum', () => {
    const h = newLatencyHistogram();
    h.recordValue(0);
    h.recordValue(7);
    assert.equal(distributionMs(h)!.min, 0);
    assert.equal(distributionMs(h)!.max, 0.007);
  });
});
