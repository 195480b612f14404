// Micro-benchmarks of the measurement path (tinybench): what the suite itself costs per sample, per
// acquisition and per run, so its overhead can be read against the figures it reports.
// Run: npm run bench:micro
import { Bench } from 'tinybench';
import { encodeHistogram, mergeEncoded, newLatencyHistogram, recordNs } from '../src/measure/histogram.ts';
import { findViolations, handoffTimes, fifoInversions, type HoldRecord } from '../src/measure/hold-intervals.ts';
import { LockRecorder } from '../src/measure/lock-recorder.ts';
import { lockMetrics } from '../src/measure/lock-metrics.ts';
import { histogramLog } from '../src/results/hlog.ts';
import { percentilesCsv } from '../src/results/percentiles-csv.ts';
import { runJson } from '../src/results/run-json.ts';
import type { RunRecord } from '../src/results/run-record.ts';
import { summaryCsv } from '../src/results/summary-csv.ts';
import { timelineCsv } from '../src/results/timeline-csv.ts';
import { IntervalRecorder, recipeTimeline, TIMELINE_INTERVAL_NS, type IntervalReport } from '../src/measure/timeline.ts';
import { emptyCounters } from '../src/measure/request-counts.ts';
import { validateWorkload } from '../src/scenarios/catalog.ts';

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
const intervals = new IntervalRecorder(0);
/** One process's timeline of a 12 s recipe at 2,000 requests/s. */
function processTimeline(): IntervalReport {
  const rec = new IntervalRecorder(2000e6);
  for (let i = 0; i < 24_000; i++) rec.completed(i * 5e5, 1e6 + (i % 700) * 1e4);
  return rec.report();
}
const twoProcesses = [processTimeline(), processTimeline()];
const timelineOf = () => recipeTimeline('r', { gridFrom: 2000e6, intervalNs: TIMELINE_INTERVAL_NS }, { startAt: 0, measureFrom: 2000e6, stopAt: 12_000e6 }, twoProcesses);

/** A finished run of four recipes, 10k holds each, as the result writers receive it. */
function fourRecipeRun(): RunRecord {
  const window = { measureFrom: 0, stopAt: 20_000e6 };
  const health = { eventLoopDelayMs: { p50: 0, p99: 1, max: 2, mean: 0 }, cpuPct: 40, windowS: 10, rssMb: 80 };
  const recipes = (['exclusive-node', 'children-watch', 'predecessor-unchecked', 'predecessor'] as const).map((recipe) => {
    const rec = new LockRecorder(window);
    for (const h of tenThousand) rec.acquired(h);
    const outcome = lockMetrics({ reports: [rec.report()], counters: emptyCounters(), health: [health], sessionsExpired: 0, ...window });
    return { ...outcome, recipe, clients: 100, health: [health], connectMs: [50], firstAcquisitionAt: 0, startedAt: new Date(), endedAt: new Date(), interrupted: false, timeline: timelineOf() };
  });
  const workload = validateWorkload('micro.yaml', { name: 'micro', scenario: 'lock-contention', recipes: ['predecessor'], clients: 100, duration_s: 10 });
  return {
    runId: 'micro', workload, workloadFile: 'micro.yaml', argv: [],
    versions: { suite: '0', node: process.version, zookeeperClient: 'x', zookeeperServer: '3.8.0' },
    host: { hostname: 'h', platform: 'p', cpus: 2, cpuModel: 'c', memoryGb: 1 },
    ensemble: { kind: 'embedded', connectString: '', servers: 3, leaderId: 1, serverVersion: '3.8.0', settings: undefined, startMs: 1, serverCpuPct: {}, notes: [] },
    startedAt: new Date(), endedAt: new Date(), outcome: 'completed', error: undefined, timeToFirstAcquisitionMs: 1, recipes, thresholds: [],
  };
}
const finishedRun = fourRecipeRun();

const bench = new Bench({ time: 500 });
bench
  .add('record one latency sample (recordNs)', () => {
    recordNs(histogram, 123_456 + (t++ % 1000) * 1000);
  })
  .add('record one acquisition (LockRecorder.acquired)', () => {
    t++;
    recorder.acquired({ client: t % 100, tAcquire: t * 1e6, tHeld: t * 1e6 + 5e5, tReleased: t * 1e6 + 9e5, ticket: t });
  })
  .add('record one request into the timeline (IntervalRecorder.completed)', () => {
    t++;
    intervals.completed(t * 5e4, 123_456 + (t % 1000) * 1000);
  })
  .add('timeline of one recipe: 2 processes x 24k requests, recorded and merged', () => {
    const reports = [processTimeline(), processTimeline()];
    recipeTimeline('r', { gridFrom: 2000e6, intervalNs: TIMELINE_INTERVAL_NS }, { startAt: 0, measureFrom: 2000e6, stopAt: 12_000e6 }, reports);
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
  })
  .add('lock figures of one recipe from 10k holds (lockMetrics)', () => {
    const rec = new LockRecorder({ measureFrom: 0, stopAt: undefined });
    for (const h of tenThousand) rec.acquired(h);
    lockMetrics({ reports: [rec.report()], counters: emptyCounters(), health: [], sessionsExpired: 0, measureFrom: 0, stopAt: 20_000e6 });
  })
  .add('format every result file of a 4-recipe run', () => {
    summaryCsv(finishedRun);
    percentilesCsv(finishedRun);
    histogramLog(finishedRun);
    runJson(finishedRun);
    timelineCsv(finishedRun);
  });

await bench.run();
console.table(bench.table());
