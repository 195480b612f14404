// The timeline's arithmetic: bucketing by completion on a shared grid, exact merging across processes
// (histograms per interval, not percentiles), events counted per interval, the leader forward-filled,
// the phase of a moment, and session state changes as events.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RunClock } from '../../src/measure/clock.ts';
import { distributionMs, encodeHistogram, mergeEncoded, newLatencyHistogram, recordNs } from '../../src/measure/histogram.ts';
import {
  IntervalRecorder,
  intervalIndex,
  leaderAt,
  mergeIntervalReports,
  phaseAt,
  recipeTimeline,
  TIMELINE_INTERVAL_NS,
} from '../../src/measure/timeline.ts';
import { LeaderPoller, type LeaderAnswer } from '../../src/runner/leader-poller.ts';
import { sessionEventOf } from '../../src/zk/session-events.ts';

const MS = 1e6;
const GRID_FROM = 2000 * MS; // the measured window's start
const grid = { gridFrom: GRID_FROM, intervalNs: TIMELINE_INTERVAL_NS };

describe('IntervalRecorder', () => {
  it('buckets operations by their completion on the grid of the measured window, warm-up below zero', () => {
    const rec = new IntervalRecorder(GRID_FROM);
    rec.completed(GRID_FROM - 150 * MS, 5 * MS); // warm-up: interval -2
    rec.completed(GRID_FROM - 1, 1 * MS); // the last ns of the warm-up: interval -1
    rec.completed(GRID_FROM, 2 * MS); // first measured ns: interval 0
    rec.completed(GRID_FROM + 99.9 * MS, 3 * MS);
    rec.failed(GRID_FROM + 100 * MS);
    const r = rec.report();
    assert.deepEqual(
      r.buckets.map((b) => [b.index, b.ops, b.errors, b.latency !== undefined]),
      [
        [-2, 1, 0, true],
        [-1, 1, 0, true],
        [0, 2, 0, true],
        [1, 0, 1, false],
      ],
    );
    assert.equal(r.gridFrom, GRID_FROM);
    assert.equal(intervalIndex(grid, GRID_FROM + 100 * MS), 1);
  });

  it('counts repeated events of one interval as one, with the first moment', () => {
    const rec = new IntervalRecorder(GRID_FROM);
    rec.event(GRID_FROM + 40 * MS, 'session', 'session disconnected');
    rec.event(GRID_FROM + 10 * MS, 'session', 'session disconnected');
    rec.event(GRID_FROM + 20 * MS, 'session', 'session expired');
    rec.event(GRID_FROM + 140 * MS, 'session', 'session disconnected');
    const events = rec.report().events.map((e) => [e.index, e.text, e.firstAt - GRID_FROM, e.count]);
    assert.deepEqual(events, [
      [0, 'session disconnected', 10 * MS, 2],
      [0, 'session expired', 20 * MS, 1],
      [1, 'session disconnected', 140 * MS, 1],
    ]);
  });

  it('still adds a straggler to an interval whose histogram was already sealed', () => {
    const rec = new IntervalRecorder(GRID_FROM);
    rec.completed(GRID_FROM + 10 * MS, 1 * MS);
    rec.completed(GRID_FROM + 5000 * MS, 1 * MS); // 50 intervals later: interval 0 is sealed
    rec.completed(GRID_FROM + 20 * MS, 9 * MS); // a hold recorded at its release, long after
    const merged = mergeIntervalReports(grid, [rec.report()]);
    const first = merged.intervals[0]!;
    assert.equal(first.index, 0);
    assert.equal(first.ops, 2);
    assert.ok(Math.abs(first.maxMs! - 9) < 0.01, `max ${first.maxMs}`);
  });
});

describe('mergeIntervalReports', () => {
  it('merges the histograms of each interval across processes, giving the percentiles of all values', () => {
    // Process A: fast ops; process B: a few slow ones. Averaging per-process p99s would give neither.
    const a = new IntervalRecorder(GRID_FROM);
    const b = new IntervalRecorder(GRID_FROM);
    const all = newLatencyHistogram();
    for (let i = 1; i <= 95; i++) {
      a.completed(GRID_FROM + i * MS, i * 10_000); // 0.01 .. 0.95 ms
      recordNs(all, i * 10_000);
    }
    for (let i = 1; i <= 5; i++) {
      b.completed(GRID_FROM + 50 * MS, i * 100 * MS); // 100 .. 500 ms
      recordNs(all, i * 100 * MS);
    }
    b.failed(GRID_FROM + 60 * MS);
    b.completed(GRID_FROM + 150 * MS, 2 * MS);
    const merged = mergeIntervalReports(grid, [a.report(), b.report()]);
    assert.equal(merged.intervals.length, 2);
    const [first, second] = merged.intervals;
    // As every histogram that crossed a process boundary (the max is its bucket's highest equivalent value).
    const expected = distributionMs(mergeEncoded([encodeHistogram(all)]))!;
    assert.equal(first!.ops, 100);
    assert.equal(first!.errors, 1);
    assert.equal(first!.p50Ms, expected.p50);
    assert.equal(first!.p99Ms, expected.p99);
    assert.equal(first!.maxMs, expected.max);
    assert.ok(first!.p99Ms! > 400, `p99 of all values (${first!.p99Ms}) is a slow one`);
    assert.equal(second!.ops, 1);
  });

  it('adds the event counts of every process and keeps the earliest moment', () => {
    const a = new IntervalRecorder(GRID_FROM);
    const b = new IntervalRecorder(GRID_FROM);
    a.event(GRID_FROM + 30 * MS, 'session', 'session disconnected');
    b.event(GRID_FROM + 20 * MS, 'session', 'session disconnected');
    b.event(GRID_FROM + 25 * MS, 'session', 'session disconnected');
    const merged = mergeIntervalReports(grid, [a.report(), b.report()]);
    assert.deepEqual(merged.events.map((e) => [e.firstAt - GRID_FROM, e.count]), [[20 * MS, 3]]);
  });

  it('refuses reports on another grid', () => {
    const other = new IntervalRecorder(GRID_FROM + 1);
    assert.throws(() => mergeIntervalReports(grid, [other.report()]), /interval grids differ/);
  });
});

describe('recipeTimeline', () => {
  it('spans from the clients start to the stop, and turns counted events into timeline events', () => {
    const rec = new IntervalRecorder(GRID_FROM);
    rec.completed(GRID_FROM + 10 * MS, MS);
    rec.event(GRID_FROM + 30 * MS, 'session', 'session disconnected');
    rec.event(GRID_FROM + 35 * MS, 'session', 'session disconnected');
    const window = { startAt: GRID_FROM - 500 * MS, measureFrom: GRID_FROM, stopAt: GRID_FROM + 1000 * MS };
    const t = recipeTimeline('predecessor', grid, window, [rec.report()]);
    assert.equal(t.from, window.startAt);
    assert.equal(t.to, window.stopAt);
    assert.deepEqual(t.events, [{ atNs: GRID_FROM + 30 * MS, recipe: 'predecessor', source: 'session', text: 'session disconnected (×2)' }]);
    assert.deepEqual(t.leaders, []);
  });

  it('extends the span to what completed after the stop', () => {
    const rec = new IntervalRecorder(GRID_FROM);
    rec.completed(GRID_FROM + 1234 * MS, MS);
    const t = recipeTimeline('set', grid, { startAt: GRID_FROM, measureFrom: GRID_FROM, stopAt: GRID_FROM + 1000 * MS }, [rec.report()]);
    assert.equal(t.to, GRID_FROM + 1300 * MS);
  });
});

describe('leader and phase', () => {
  it('forward-fills the latest answer before an interval ends; unknown before the first and after a failed poll', () => {
    const samples = [
      { atNs: 100, leader: 3 },
      { atNs: 1000, leader: undefined },
      { atNs: 1500, leader: 1 },
    ];
    assert.equal(leaderAt(samples, 100), undefined, 'a poll answered at the end of the interval is not yet known');
    assert.equal(leaderAt(samples, 101), 3);
    assert.equal(leaderAt(samples, 999), 3);
    assert.equal(leaderAt(samples, 1200), undefined);
    assert.equal(leaderAt(samples, 9999), 1);
    assert.equal(leaderAt([], 9999), undefined);
  });

  it('names the phase of a moment: warm-up, measured window, after the stop', () => {
    const w = { measureFrom: 1000, stopAt: 2000 };
    assert.equal(phaseAt(w, 999), 'warmup');
    assert.equal(phaseAt(w, 1000), 'measured');
    assert.equal(phaseAt(w, 1999), 'measured');
    assert.equal(phaseAt(w, 2000), 'after');
    assert.equal(phaseAt({ measureFrom: 1000, stopAt: undefined }, 1e12), 'measured');
  });
});

describe('session events', () => {
  it('are losing the connection, getting it back, and expiring; opening and closing are not', () => {
    assert.equal(sessionEventOf('connected', 'disconnected'), 'session disconnected');
    assert.equal(sessionEventOf('disconnected', 'disconnected'), undefined);
    assert.equal(sessionEventOf('disconnected', 'connected'), 'session reconnected');
    assert.equal(sessionEventOf('connecting', 'connected'), undefined);
    assert.equal(sessionEventOf('disconnected', 'expired'), 'session expired');
    assert.equal(sessionEventOf('connected', 'closed'), undefined);
  });
});

describe('LeaderPoller', () => {
  it('polls at once and when asked, stamps each answer on the run clock, and keeps a failed poll as an error, not as no leader', async () => {
    let now = 0n;
    const clock = new RunClock(0n, () => now);
    const answers: (() => Promise<LeaderAnswer>)[] = [
      async () => ({ leader: 2 }),
      async () => Promise.reject(new Error('refused')),
      async () => ({ leader: undefined, error: 'server 2: no answer within 2000 ms' }),
      async () => ({ leader: undefined }),
    ];
    let asked = 0;
    const settled: (() => void)[] = [];
    const poller = new LeaderPoller(() => {
      const answer = answers[asked++]!();
      void answer.catch(() => undefined).finally(() => setImmediate(() => settled.shift()?.()));
      return answer;
    }, clock);
    const next = (): Promise<void> => new Promise((r) => settled.push(r));
    now = 5n;
    let done = next();
    poller.start();
    poller.pollNow(); // a poll is under way: not asked twice
    await done;
    for (const t of [7n, 8n, 9n]) {
      now = t;
      done = next();
      poller.pollNow();
      await done;
    }
    assert.equal(asked, 4);
    assert.deepEqual(poller.stop(), [
      { atNs: 5, leader: 2 },
      { atNs: 7, leader: undefined, error: 'refused' },
      { atNs: 8, leader: undefined, error: 'server 2: no answer within 2000 ms' },
      { atNs: 9, leader: undefined },
    ]);
  });
});
