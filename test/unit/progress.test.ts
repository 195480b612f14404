// Live progress: what it counts, the rate of the measured window only, and no undefined fields.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProgressReporter } from '../../src/cli/progress.ts';
import { newLatencyHistogram } from '../../src/measure/histogram.ts';
import { LockRecorder } from '../../src/measure/lock-recorder.ts';
import { liveRate } from '../../src/measure/measured-window.ts';
import { distribution, scalar } from '../../src/measure/metrics.ts';
import { ThroughputRecorder } from '../../src/measure/throughput-recorder.ts';
import type { RecipeResult } from '../../src/results/recipe-result.ts';

const S = 1e9;

/** A reporter writing plain lines (not a terminal) into an array. */
function reporter(total: number): { p: ProgressReporter; lines: string[] } {
  const lines: string[] = [];
  const stream = { isTTY: false, write: (s: string) => lines.push(...s.split('\n').filter(Boolean)) } as unknown as NodeJS.WriteStream;
  return { p: new ProgressReporter(total, stream), lines };
}

function result(recipe: string, metrics: RecipeResult['metrics']): RecipeResult {
  const t = new Date();
  return { recipe, clients: 1, metrics, violations: [], driverSaturated: false, windowS: 1, health: [], connectMs: [], firstAcquisitionAt: undefined, startedAt: t, endedAt: t, interrupted: false };
}

describe('liveRate', () => {
  const window = { measureFrom: 10 * S, stopAt: 20 * S };

  it('divides each process count by the part of the window its sample covers', () => {
    // Samples taken at different moments: each is exact for its own time, and the rates add up.
    const rate = liveRate(
      [
        { completed: 9000, measured: 1000, at: 10.5 * S }, // 2,000/s
        { completed: 9000, measured: 3000, at: 11 * S }, // 3,000/s
      ],
      window,
    );
    assert.equal(rate, 5000);
  });

  it('ignores samples from before the window and time after the stop', () => {
    assert.equal(liveRate([{ completed: 500, measured: 0, at: 9 * S }], window), 0);
    assert.equal(liveRate([{ completed: 99, measured: 20_000, at: 25 * S }], window), 2000);
    assert.equal(liveRate([{ completed: 99, measured: 4000, at: 12 * S }], { measureFrom: 10 * S, stopAt: undefined }), 2000);
  });
});

describe('recorders count the measured window apart from the warm-up', () => {
  const window = { measureFrom: 10 * S, stopAt: 20 * S };

  it('throughput: requests issued in the warm-up are not measured', () => {
    const r = new ThroughputRecorder(window);
    r.completed(9 * S, 9.5 * S);
    r.completed(9.9 * S, 10.1 * S); // issued in warm-up
    r.completed(11 * S, 11.1 * S);
    assert.equal(r.total, 3);
    assert.equal(r.measured, 1);
  });

  it('lock: acquisitions held in the warm-up are not measured', () => {
    const r = new LockRecorder(window);
    r.acquired({ client: 1, tAcquire: 8 * S, tHeld: 9 * S, tReleased: 9.1 * S, ticket: 1 });
    r.acquired({ client: 1, tAcquire: 9.9 * S, tHeld: 10.2 * S, tReleased: 10.3 * S, ticket: 1 });
    assert.equal(r.total, 2);
    assert.equal(r.measured, 1);
  });
});

describe('ProgressReporter', () => {
  it('names what the scenario counts and labels the warm-up as not measured', () => {
    const { p, lines } = reporter(2);
    p.recipeStart('get', 'requests');
    p.tick({ elapsedS: 0.5, plannedS: 12, measuring: false, count: 4000, ratePerS: undefined });
    p.tick({ elapsedS: 8, plannedS: 12, measuring: true, count: 198_000, ratePerS: 33_012.4 });
    assert.deepEqual(lines, ['[1/2] 0.5 of 12 s warm-up: 4000 requests (not measured)', '[1/2] 8.0 of 12 s measuring: 198000 requests, 33012/s']);
  });

  it('ends a throughput or primitives recipe without undefined fields or acquisitions', () => {
    const { p, lines } = reporter(1);
    p.recipeStart('get', 'requests');
    p.recipeDone(result('get', [distribution('latency', newLatencyHistogram()), scalar('throughput', 'requests/s', 33_000.2), scalar('requests', 'count', 330_002)]));
    assert.deepEqual(lines, ['[1/1] get done: 330002 measured requests, 33000/s']);
  });

  it('ends a lock recipe with its acquisitions and violations', () => {
    const { p, lines } = reporter(1);
    p.recipeStart('predecessor', 'acquisitions');
    p.recipeDone(result('predecessor', [scalar('throughput', 'acquisitions/s', 650.8), scalar('acquisitions', 'count', 6508), scalar('violations', 'count', 0)]));
    assert.deepEqual(lines, ['[1/1] predecessor done: 6508 measured acquisitions, 651/s, violations 0']);
    assert.doesNotMatch(lines.join('\n'), /undefined|NaN/);
  });

  it('never contradicts itself: past the planned time, a slow rate, a sweep point reported late', () => {
    const { p, lines } = reporter(7);
    p.recipeStart('exclusive-node-election', 'elections');
    p.tick({ elapsedS: 5.5, plannedS: 3, measuring: true, count: 3, ratePerS: 0.1449 });
    p.recipeDone(result('exclusive-node-election', [scalar('elections', 'count', 3), scalar('throughput', 'elections/s', 0.15)]));
    p.recipeStart('data-watch', 'notifications');
    p.recipeDone({ ...result('data-watch', [scalar('notifications', 'count', 10)]), watchers: 10 });
    assert.deepEqual(lines, [
      '[1/7] 5.5 s (planned 3) measuring: 3 elections, 0.145/s',
      '[1/7] exclusive-node-election done: 3 measured elections, 0.15/s',
      '[2/7] data-watch@10 (point of data-watch): 10 measured notifications',
    ]);
  });
});
