// timeline.csv from real runs on a 1-server ensemble: every interval of each recipe's span, warm-up
// included; ops adding up exactly to the operations the load processes counted (and, over the measured
// intervals, to the measured figure); the leader polled; and a server crash mid-run showing as a stall,
// without a leader, with the sessions' disconnections marked at their moment.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { RunClock } from '../../src/measure/clock.ts';
import { parseCsv } from '../../src/results/read-csv.ts';
import { timelineRowsFrom, type TimelineRow } from '../../src/report/read-run.ts';
import { runBench, type BenchOutcome } from '../../src/runner/bench-run.ts';
import { bench, figure, resultsParent } from '../helpers/bench.ts';
import { sharedEnsemble } from '../helpers/ensemble.ts';
import { loadWorkload } from '../../src/scenarios/catalog.ts';

function timelineOf(run: BenchOutcome): TimelineRow[] {
  assert.ok(run.runDir, 'a run directory');
  const text = fs.readFileSync(path.join(run.runDir, 'timeline.csv'), 'utf8');
  assert.ok(!JSON.parse(fs.readFileSync(path.join(run.runDir, 'run.json'), 'utf8')).recipes.some((r: object) => 'timeline' in r), 'run.json does not repeat it');
  return timelineRowsFrom(text);
}

const intervalsOf = (rows: readonly TimelineRow[], recipe: string): TimelineRow[] => rows.filter((r) => r.recipe === recipe && r.ops !== undefined);
const sum = (rows: readonly TimelineRow[], f: (r: TimelineRow) => number | undefined): number => rows.reduce((s, r) => s + (f(r) ?? 0), 0);

function completedOps(run: BenchOutcome, recipe: string): number {
  const n = run.record.recipes.find((r) => r.recipe === recipe)?.completedOps;
  assert.ok(n !== undefined && n > 0, `${recipe}: operations counted`);
  return n;
}

/** Interval rows 100 ms apart without a gap, warm-up first, then the measured window. */
function assertContiguous(rows: readonly TimelineRow[], warmupIntervals: number, measuredIntervals: number | undefined): void {
  for (let i = 1; i < rows.length; i++) assert.equal(rows[i]!.tMs - rows[i - 1]!.tMs, 100, `row ${i} follows at 100 ms`);
  const phases = rows.map((r) => r.phase);
  assert.equal(phases.filter((p) => p === 'warmup').length, warmupIntervals, 'warm-up intervals');
  assert.deepEqual(phases.slice(0, warmupIntervals), Array(warmupIntervals).fill('warmup'));
  if (measuredIntervals !== undefined) assert.equal(phases.filter((p) => p === 'measured').length, measuredIntervals, 'measured intervals');
}

describe('timeline.csv', { concurrency: 1 }, () => {
  const ensemble = sharedEnsemble({ servers: 1 });
  after(() => fs.rmSync(resultsParent, { recursive: true, force: true }));

  it('lock-contention: every interval from the warm-up to the stop; ops add up to every acquisition', async () => {
    const run = await bench('lock-contention', ensemble().connectString, { clients: 6, recipes: 'predecessor,exclusive-node', duration_s: 1, warmup_s: 0.3, workers: 2 });
    const rows = timelineOf(run);
    const text = fs.readFileSync(path.join(run.runDir!, 'timeline.csv'), 'utf8');
    assert.match(text, /^t_ms,recipe,ops,errors,p50_ms,p99_ms,max_ms,leader,event,phase\r?\n/);
    for (const recipe of ['predecessor', 'exclusive-node']) {
      const intervals = intervalsOf(rows, recipe);
      // 0.3 s warm-up and 1 s measured, both on the grid; a last acquisition may land after the stop.
      assertContiguous(intervals, 3, 10);
      assert.equal(sum(intervals, (r) => r.ops), completedOps(run, recipe), `${recipe}: every acquisition, warm-up included`);
      const measured = intervals.filter((r) => r.phase === 'measured');
      assert.equal(sum(measured, (r) => r.ops), figure(run, recipe, 'acquisitions'), `${recipe}: the measured intervals hold the measured acquisitions`);
      assert.equal(sum(intervals, (r) => r.errors), figure(run, recipe, 'errors'));
      for (const r of intervals) {
        assert.equal(r.leader, '1', `${recipe} at ${r.tMs} ms: the standalone server leads`);
        assert.equal(r.p99Ms !== undefined, (r.ops ?? 0) > 0, 'latency exactly where there were acquisitions');
      }
    }
    // The recipes follow one another in time.
    const [a, b] = [intervalsOf(rows, 'predecessor'), intervalsOf(rows, 'exclusive-node')];
    assert.ok(a.at(-1)!.tMs < b[0]!.tMs);
  });

  it('primitives: one session, warm-up then measured from an interval boundary; ops add up to every request', async () => {
    const run = await bench('primitives', ensemble().connectString, { recipes: 'get,set', duration_s: 0.5, warmup_s: 0.2 });
    const rows = timelineOf(run);
    for (const op of ['get', 'set']) {
      const intervals = intervalsOf(rows, op);
      assert.ok(intervals.length >= 2 + 5, `${op}: ${intervals.length} intervals cover warm-up and measurement`);
      assertContiguous(intervals, intervals.filter((r) => r.phase === 'warmup').length, undefined);
      assert.ok(intervals[0]!.phase === 'warmup' && intervals.at(-1)!.phase === 'measured');
      assert.equal(sum(intervals, (r) => r.ops), completedOps(run, op), `${op}: every request, warm-up included`);
      assert.equal(sum(intervals.filter((r) => r.phase === 'measured'), (r) => r.ops), figure(run, op, 'requests'), `${op}: the measured intervals hold the measured requests`);
      assert.ok(intervals.every((r) => r.leader === '1'));
    }
  });

  it('a server crash mid-run: the stall and the sessions losing their server are in their place in time', async () => {
    const { workload, file } = loadWorkload('lock-contention', { clients: 4, recipes: 'predecessor', duration_s: 5, warmup_s: 0.2, workers: 1 });
    let crash: Promise<void> | undefined;
    const progress = {
      recipeStart: () => undefined,
      phase: () => undefined,
      recipeDone: () => undefined,
      // Once measuring, crash the only server and start it again (a JVM start: seconds).
      tick: ({ measuring }: { measuring: boolean }) => {
        if (measuring && !crash) crash = ensemble().stopServer(1, { kill: true }).then(() => ensemble().restartServer(1));
      },
    };
    let run: BenchOutcome;
    try {
      run = await runBench({
        workload,
        workloadFile: file,
        argv: [],
        connect: ensemble().connectString,
        resultsDir: resultsParent,
        clock: new RunClock(process.hrtime.bigint()),
        signal: new AbortController().signal,
        progress,
        log: () => undefined,
      });
    } finally {
      await crash; // the server is up again for whatever follows, whatever happened
    }
    assert.ok(crash, 'the server was crashed during the run');
    const rows = timelineOf(run);
    const intervals = intervalsOf(rows, 'predecessor');
    assert.equal(sum(intervals, (r) => r.ops), completedOps(run, 'predecessor'));
    const disconnected = rows.find((r) => r.event.startsWith('session disconnected'));
    assert.ok(disconnected, `a disconnection event row: ${rows.filter((r) => r.event !== '').map((r) => r.event).join('; ')}`);
    assert.equal(disconnected.recipe, 'predecessor');
    assert.equal(disconnected.ops, undefined, 'an event row has no figures');
    // What the run looked like, for a failure's message.
    const seen = rows.map((r) => (r.event ? `${r.tMs}:${r.event}` : `${r.tMs}:${r.phase}:${r.ops}:${r.leader}`)).join(' | ');
    // The polls saw the server gone (every 200 ms once it is lost): the intervals without a leader. A crash
    // can stall the lock longer than that (a contender that started over on a fresh session leaves its
    // old session's lock node until the restarted server expires it), so the server's absence, not the
    // longest stall, marks the crash.
    const firstLost = intervals.findIndex((r) => r.leader === '');
    const lastLost = intervals.length - 1 - [...intervals].reverse().findIndex((r) => r.leader === '');
    assert.ok(firstLost >= 0, `an interval without a leader: ${seen}`);
    // The first interval without a leader may hold the crash itself, acquisitions before it included.
    const lastBefore = intervals.slice(0, firstLost + 1).filter((r) => (r.ops ?? 0) > 0).at(-1);
    assert.ok(lastBefore, `acquisitions before the server went: ${seen}`);
    assert.ok(lastLost > firstLost, `the server was gone for more than an interval (a JVM restart): ${seen}`);
    assert.ok(intervals.slice(firstLost + 1, lastLost + 1).every((r) => r.ops === 0), `no acquisition while the only server was gone: ${seen}`);
    // The disconnection is marked in the stall: after the last acquisitions and before the server was seen
    // back (how soon after the crash the client hears of it depends on the host's load).
    assert.ok(disconnected.tMs >= lastBefore.tMs && disconnected.tMs <= intervals[lastLost]!.tMs, `disconnected at ${disconnected.tMs} ms: ${seen}`);
    // Written as parsed CSV too: the event row's other figures are empty cells.
    const raw = parseCsv(fs.readFileSync(path.join(run.runDir!, 'timeline.csv'), 'utf8')).find((r) => r.event === disconnected.event)!;
    assert.deepEqual([raw.ops, raw.errors, raw.p99_ms, raw.leader], ['', '', '', '']);
  });
});
