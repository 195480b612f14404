// A stall provoked on purpose: the leader of a kept 3-server ensemble is stopped (SIGSTOP) for 2 s in
// the middle of a lock recipe's measured window. The run must show it everywhere a reader looks: the
// stall scan and the notes (which series, where), timeline.csv at its time, the servers' mntr on both sides of it, the
// report's timeline. Asserts what must follow from a 2 s stop, never speeds.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { DEFAULT_ENSEMBLE_SETTINGS, downKeptEnsemble, keptEnsembleStatus, upKeptEnsemble } from '../../src/ensemble/index.ts';
import { RunClock } from '../../src/measure/clock.ts';
import { timelineChart } from '../../src/report/charts.ts';
import { readRunArgument } from '../../src/report/read-run.ts';
import { parseCsv } from '../../src/results/read-csv.ts';
import { stallNotes } from '../../src/results/stall-scan.ts';
import { runBench } from '../../src/runner/bench-run.ts';
import { loadWorkload } from '../../src/scenarios/catalog.ts';


const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zkbench-stall-state-'));
process.env.ZKBENCH_STATE_DIR = stateDir;
const resultsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zkbench-stall-results-'));

const PAUSE_AFTER_MS = 2000; // after the clients start: 0.5 s warm-up, then 1.5 s into the window
const PAUSE_MS = 2000;

describe('a stall provoked on purpose (leader stopped for 2 s)', { concurrency: 1 }, () => {
  let paused: number | undefined;
  const resume = () => {
    if (paused !== undefined) process.kill(paused, 'SIGCONT');
    paused = undefined;
  };
  after(async () => {
    resume(); // a failing test must not leave a stopped JVM behind
    await downKeptEnsemble().catch(() => undefined);
    fs.rmSync(stateDir, { recursive: true, force: true });
    fs.rmSync(resultsDir, { recursive: true, force: true });
  });

  it('appears in the notes, timeline.csv, a servers\' view around it and the report', async () => {
    await upKeptEnsemble({ ...DEFAULT_ENSEMBLE_SETTINGS, servers: 3, heapMb: 128 });
    const status = await keptEnsembleStatus();
    const leader = status.servers.find((s) => s.id === status.leader);
    assert.ok(leader?.pid, 'a leader with a known pid');

    const { workload, file } = loadWorkload('lock-contention', { recipes: ['predecessor'], clients: 10, duration_s: 6, warmup_s: 0.5 });
    const timers: NodeJS.Timeout[] = [];
    const clock = new RunClock(process.hrtime.bigint());
    let stoppedAtMs = NaN; // on the run clock, as timeline.csv's t_ms
    let stoppedWallMs = NaN; // wall clock, as the mntr snapshots' times
    const outcome = await runBench({
      workload,
      workloadFile: file,
      argv: [],
      connect: undefined,
      resultsDir,
      clock,
      signal: new AbortController().signal,
      progress: {
        recipeStart: () => undefined,
        // From the clients' start, not the recipe's: opening the sessions takes seconds on a busy host.
        phase: (text: string) => {
          if (!/clients running/.test(text) || timers.length > 0) return;
          timers.push(
            setTimeout(() => {
              paused = leader.pid;
              process.kill(leader.pid!, 'SIGSTOP');
              stoppedAtMs = clock.now() / 1e6;
              stoppedWallMs = Date.now();
              timers.push(setTimeout(resume, PAUSE_MS));
            }, PAUSE_AFTER_MS),
          );
        },
        tick: () => undefined,
        recipeDone: () => undefined,
      },
      log: () => undefined,
    }).finally(() => {
      for (const t of timers) clearTimeout(t);
      resume();
    });
    if (outcome.failure) throw outcome.failure;
    const runDir = outcome.runDir!;
    assert.equal(outcome.record.ensemble.kind, 'kept');

    // The scan: exactly one hand-off is in flight at a time, so the stop lands in one hand-off.
    const handoff = outcome.record.stalls!.series.find((s) => s.recipe === 'predecessor' && s.metric === 'handoff');
    assert.ok(handoff && handoff.stalls >= 1, `hand-off stalls: ${JSON.stringify(handoff)}`);
    assert.ok(handoff.maxMs >= PAUSE_MS * 0.9, `the slowest hand-off (${handoff.maxMs} ms) spans the stop`);
    const notes = stallNotes(outcome.record.stalls);
    assert.ok(notes.some((n) => n.startsWith('stall: predecessor.handoff')), notes.join('\n'));

    // timeline.csv: a measured interval whose slowest acquisition spans the stop, at about its time.
    const rows = parseCsv(fs.readFileSync(path.join(runDir, 'timeline.csv'), 'utf8')).filter((r) => r.event === '');
    const stalled = rows.filter((r) => Number(r.max_ms) >= PAUSE_MS * 0.9);
    assert.ok(stalled.length >= 1, 'an interval holds an acquisition that waited through the stop');
    // An acquisition that waited through the stop completes in the interval where the stop ended, or later.
    const at = Number(stalled[0]!.t_ms);
    assert.ok(at + 100 >= stoppedAtMs + PAUSE_MS && at < stoppedAtMs + PAUSE_MS + 3000, `stalled interval at ${at} ms, stop at ${stoppedAtMs} ms`);
    assert.equal(stalled[0]!.phase, 'measured');
    assert.ok(notes.some((n) => n.startsWith('stall in timeline.csv at')), notes.join('\n'));

    // The servers' view brackets the stop: every server answered mntr at both edges of the window it
    // fell in. (mntr max_latency shows the stop only when the write in flight sat at a follower: a
    // stopped leader times a request from when it reads it, after the stop; so no assertion on it.)
    const view = outcome.record.recipes[0]!.serverView!;
    assert.deepEqual(view.start.servers.map((s) => s.mntr !== undefined), [true, true, true]);
    assert.deepEqual(view.end.servers.map((s) => s.mntr !== undefined), [true, true, true]);
    assert.ok(view.start.at.getTime() < stoppedWallMs && view.end.at.getTime() > stoppedWallMs + PAUSE_MS, 'the window spans the stop');

    // The report's timeline draws the interval at its place.
    const run = readRunArgument(runDir).runs[0]!;
    const chart = timelineChart(run, { recipes: ['predecessor'] })!;
    const data = (chart.spec as unknown as { vconcat: { layer: { data?: { values: { t_ms: number; p99_ms: number | null }[] } }[] }[] }).vconcat
      .flatMap((p) => p.layer)
      .flatMap((l) => l.data?.values ?? []);
    assert.ok(data.some((d) => d.t_ms === Number(stalled[0]!.t_ms) && (d.p99_ms ?? 0) >= PAUSE_MS * 0.9), 'the report draws the stalled interval');
  });
});
