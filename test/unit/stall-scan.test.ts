import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HistogramLogWriter } from 'hdr-histogram-js';
import { newLatencyHistogram } from '../../src/measure/histogram.ts';
import { countAbove, errorCounts, slowPlaces, slowSeries } from '../../src/results/stall-scan.ts';

function hlogOf(series: Record<string, number[]>): string {
  let out = '';
  const w = new HistogramLogWriter((t) => (out += t));
  w.outputLogFormatVersion();
  w.outputStartTime(0);
  for (const [tag, valuesUs] of Object.entries(series)) {
    const h = newLatencyHistogram();
    for (const v of valuesUs) h.recordValue(v);
    h.tag = tag;
    w.outputIntervalHistogram(h, 0, 10, 1000);
  }
  return out;
}

describe('stall scan', () => {
  it('counts values above a limit exactly, within the histogram precision', () => {
    const h = newLatencyHistogram();
    for (let i = 0; i < 100; i++) h.recordValue(500);
    for (const v of [999_000, 1_000_000, 4_300_000]) h.recordValue(v);
    assert.equal(countAbove(h, 1_000_000), 1);
    assert.equal(countAbove(h, 600), 3);
    assert.equal(countAbove(h, 100), 103);
  });

  it('counts operations over 1 s, over 3x their p99, and over both (the stalls)', () => {
    const quiet = Array.from({ length: 1000 }, (_, i) => 1000 + i); // 1.0-2.0 ms
    const queued = Array.from({ length: 1000 }, (_, i) => 1_000_000 + 1000 * i); // 1-2 s: long, but all alike
    const series = slowSeries(
      hlogOf({ 'predecessor.handoff': [...quiet, 4_300_000], 'predecessor.acquire': quiet, 'children-watch.acquire': [...quiet, 7000], 'children-watch.handoff': queued }),
    );
    const by = new Map(series.map((s) => [`${s.recipe}.${s.metric}`, [s.overAbsolute, s.overP99Factor, s.stalls]]));
    assert.deepEqual(by.get('predecessor.handoff'), [1, 1, 1]);
    assert.deepEqual(by.get('predecessor.acquire'), [0, 0, 0]);
    assert.deepEqual(by.get('children-watch.acquire'), [0, 1, 0]); // 7 ms > 3 x ~2 ms: a tail, not a stall
    assert.deepEqual(by.get('children-watch.handoff')!.slice(1), [0, 0]); // over 1 s, none over 3x p99
  });

  it('places slow and failing intervals in time, with the events around them', () => {
    const timeline = [
      't_ms,recipe,ops,errors,p50_ms,p99_ms,max_ms,leader,event,phase',
      '100,create,50,0,0.5,0.9,1.0,2,,warmup',
      '200,create,50,0,0.5,0.8,1.1,2,,warmup',
      '250,create,50,0,0.5,0.8,30,2,,warmup',
      '300,create,0,0,,,,2,,measured',
      '350,create,,,,,,,zkbench guard: woke CommitProcessor:1,measured',
      '400,create,1,0,0.6,9000,9000,2,,measured',
      '500,create,40,1,0.5,1.0,1.2,2,,measured',
      '9000,create,,,,,,,session disconnected,measured',
    ].join('\n');
    const places = slowPlaces(timeline);
    assert.deepEqual(
      places.map((p) => [p.tMs, p.phase, p.maxMs, p.errors]),
      [
        [400, 'measured', 9000, 0],
        [500, 'measured', 1.2, 1],
      ],
    );
    assert.deepEqual(places[0]!.events, ['350 ms: zkbench guard: woke CommitProcessor:1']);
    // Judged by the series' own p99 when the histograms give it: 9 s is no stall where p99 is 5 s.
    assert.deepEqual(slowPlaces(timeline, new Map([['create', 5000]])).map((p) => p.tMs), [500]);
  });

  it('sums errors by code over recipes, and counts errors without a code', () => {
    const summary = [
      'workload,recipe,metric,unit,value,count,min,p50,p90,p99,p999,max,mean,stdev,clients,watchers,servers',
      'primitives,create,errors.ZOPERATIONTIMEOUT,count,1,,,,,,,,,,1,,3',
      'primitives,set,errors.ZOPERATIONTIMEOUT,count,2,,,,,,,,,,1,,3',
      'primitives,set,errors,count,2,,,,,,,,,,1,,3',
      'primitives,get,errors,count,1,,,,,,,,,,1,,3',
    ].join('\n');
    assert.deepEqual(errorCounts(summary), { ZOPERATIONTIMEOUT: 3, 'code not recorded': 1 });
  });
});
