// Micro-benchmarks of the measurement path (tinybench): what the suite itself costs per sample, per
// acquisition and per run, so its overhead can be read against the figures it reports.
// Run: npm run bench:micro
import { Bench } from 'tinybench';
import { encodeHistogram, mergeEncoded, newLatencyHistogram, recordNs } from '../src/measure/histogram.ts';
import { findViolations, handoffTimes, fifoInversions, type HoldRecord } from '../src/measure/hold-intervals.ts';
import { LockRecorder } from '../src/measure/lock-recorder.ts';

/** n back-to-back holds of 1 ms by 100 clients, as a safe recipe produces them. */
function holds(n: number): HoldRecord[] {
  return Array.from({ length: n }, (_, i) => ({
    client: i % 100,
    tAcquire: i * 1e6 - 5e6,
    tHeld: i * 1e6,
    tReleased: i * 1e6 + 9e5,
    ticket: i,
  }));
}

const histogram = newLatencyHistogram();
const recorder = new LockRecorder({ measureFrom: 0, stopAt: undefined });
const tenThousand = holds(10_000);
const full = newLatencyHistogram();
for (let i = 0; i < 100_000; i++) recordNs(full, (i % 5000) * 1e4);
const encoded = [encodeHistogram(full), encodeHistogram(full)];
let t = 0;

const bench = new Bench({ time: 500 });
bench
  .add('record one latency sample (recordNs)', () => {
    recordNs(histogram, 123_456 + (t++ % 1000) * 1000);
  })
  .add('record one acquisition (LockRecorder.acquired)', () => {
    t++;
    recorder.acquired({ client: t % 100, tAcquire: t * 1e6, tHeld: t * 1e6 + 5e5, tReleased: t * 1e6 + 9e5, ticket: t });
  })
  .add('violation check, 10k holds', () => {
    findViolations(tenThousand);
  })
  .add('hand-off times, 10k holds', () => {
    handoffTimes(tenThousand);
  })
  .add('FIFO inversions, 10k holds', () => {
    fifoInversions(tenThousand);
  })
  .add('encode a 100k-sample histogram', () => {
    encodeHistogram(full);
  })
  .add('decode + merge two encoded histograms', () => {
    mergeEncoded(encoded);
  });

await bench.run();
console.table(bench.table());
