// The ensemble's own view on real servers, through the runner: an embedded ensemble (mntr after srst,
// server max known, GC logs and warnings kept), a kept one (only what its servers logged during the
// run; statistics never reset) and an --connect one (mntr only). Asserts what must hold, never timings.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { DEFAULT_ENSEMBLE_SETTINGS, downKeptEnsemble, fourLetterWord, upKeptEnsemble } from '../../src/ensemble/index.ts';
import { parseGcPauses, pausesDuring } from '../../src/ensemble/gc-log.ts';
import { RunClock } from '../../src/measure/clock.ts';
import { distributionMs } from '../../src/measure/histogram.ts';
import { serverDeltas } from '../../src/ensemble/mntr-deltas.ts';
import { findMetric, scalarValue } from '../../src/measure/metrics.ts';
import { runBench, type BenchOutcome } from '../../src/runner/bench-run.ts';
import type { RecipeResult } from '../../src/results/recipe-result.ts';
import { sharedEnsemble } from '../helpers/ensemble.ts';
import { loadWorkload } from '../../src/scenarios/catalog.ts';

// No kept ensemble unless this file starts one: runs without --connect start an embedded ensemble.
const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zkbench-view-state-'));
process.env.ZKBENCH_STATE_DIR = stateDir;
const resultsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zkbench-view-results-'));

const OVERRIDES = { recipes: ['get', 'set'], duration_s: 1, warmup_s: 0.2 };

async function primitives(connect: string | undefined, servers: number, onRecipeStart: (recipe: string) => void = () => undefined): Promise<BenchOutcome & { runDir: string }> {
  const { workload, file } = loadWorkload('primitives', { ...OVERRIDES, servers });
  const outcome = await runBench({
    workload,
    workloadFile: file,
    argv: [],
    connect,
    resultsDir,
    clock: new RunClock(process.hrtime.bigint()),
    signal: new AbortController().signal,
    progress: { recipeStart: onRecipeStart, phase: () => undefined, tick: () => undefined, recipeDone: () => undefined },
    log: () => undefined,
  });
  if (outcome.failure) throw outcome.failure;
  assert.equal(outcome.record.outcome, 'completed');
  assert.ok(outcome.runDir);
  return outcome as BenchOutcome & { runDir: string };
}

const recipeOf = (run: BenchOutcome, name: string): RecipeResult => run.record.recipes.find((r) => r.recipe === name)!;
const runJson = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, 'run.json'), 'utf8'));

/** What holds for every ensemble that answers mntr: snapshots of every server inside the recipe, requests the servers counted. */
function assertViewOfEveryServer(run: BenchOutcome, servers: number): void {
  for (const op of ['get', 'set'] as const) {
    const r = recipeOf(run, op);
    const view = r.serverView;
    assert.ok(view, `${op}: a servers' view`);
    for (const snap of [view.start, view.end]) {
      assert.deepEqual(snap.servers.map((s) => s.id).sort(), Array.from({ length: servers }, (_, i) => i + 1));
      for (const s of snap.servers) assert.ok(s.mntr, `${op}: server ${s.id} answered mntr (${s.error})`);
    }
    assert.ok(r.startedAt <= view.start.at && view.start.at <= view.end.at && view.end.at <= r.endedAt, `${op}: the window lies inside the recipe`);
    const states = view.end.servers.map((s) => s.mntr!.server_state);
    assert.equal(states.filter((s) => s === 'leader' || s === 'standalone').length, 1, `states ${states.join(',')}`);

    // Every request the client timed was answered between the two snapshots: the servers counted it.
    const deltas = serverDeltas(view.start, view.end);
    assert.deepEqual(deltas.filter((d) => d.unknown !== undefined), []);
    const client = findMetric(r.metrics, 'latency');
    assert.ok(client?.kind === 'distribution');
    const timed = client.histogram.totalCount;
    assert.ok(timed > 0);
    const counted = deltas.reduce((n, d) => n + (op === 'get' ? d.reads : d.updates), 0);
    assert.ok(counted >= timed, `${op}: servers counted ${counted} ${op === 'get' ? 'reads' : 'updates'}, the client timed ${timed}`);

    const mean = scalarValue(r.metrics, 'server_latency')!;
    assert.ok(Number.isFinite(mean) && mean >= 0, `${op}: server mean ${mean}`);
    assert.ok(distributionMs(client.histogram)!.mean > 0);
  }
}

describe('the servers\' view of a run', { concurrency: 1 }, () => {
  const external = sharedEnsemble({ servers: 1 });
  after(async () => {
    await downKeptEnsemble().catch(() => undefined);
    fs.rmSync(stateDir, { recursive: true, force: true });
    fs.rmSync(resultsDir, { recursive: true, force: true });
  });

  it('embedded: mntr after srst at every window, server max, GC logs and warnings in the run directory', async () => {
    const run = await primitives(undefined, 3);
    assert.equal(run.record.ensemble.kind, 'embedded');
    assertViewOfEveryServer(run, 3);
    for (const op of ['get', 'set']) {
      const r = recipeOf(run, op);
      assert.ok(r.serverView!.start.servers.every((s) => s.statsReset), `${op}: srst before the start snapshot`);
      // The maximum covers a superset of the requests the mean covers (those since srst).
      const max = scalarValue(r.metrics, 'server_latency_max')!;
      assert.ok(Number.isFinite(max) && max >= scalarValue(r.metrics, 'server_latency')!, `${op}: max ${max}`);
    }

    const json = runJson(run.runDir);
    assert.equal(json.serverLogs.available, true);
    assert.ok(fs.existsSync(path.join(run.runDir, 'server-warnings.log')));
    for (const id of [1, 2, 3]) {
      const gcFile = path.join(run.runDir, 'gc', `server-${id}.log`);
      const gcLog = fs.readFileSync(gcFile, 'utf8');
      assert.match(gcLog, /\]\[[\d.]+s\] Using /, `server ${id}: a unified GC log with time and uptime`);
      assert.equal(json.serverLogs.servers.find((s: { id: number }) => s.id === id).gcPauses, parseGcPauses(gcLog).length);
      // Each recipe's count is the copied log's pauses in its window.
      for (const r of json.recipes) {
        const during = pausesDuring(parseGcPauses(gcLog), new Date(r.serverView.window.start), new Date(r.serverView.window.end));
        assert.equal(r.serverView.gcPauses.byServer[String(id)].pauses, during.length);
      }
    }
    const summary = fs.readFileSync(path.join(run.runDir, 'summary.csv'), 'utf8');
    assert.match(summary, /^primitives,get,server_latency,ms,[\d.]+,/m);
    assert.match(summary, /^primitives,set,server_latency_max,ms,\d+,/m);
  });

  it('kept: only the warnings its servers logged during the run, counted in the recipe; statistics not reset', async () => {
    const state = await upKeptEnsemble({ ...DEFAULT_ENSEMBLE_SETTINGS, servers: 1, heapMb: 128 });
    const s = state.servers[0]!;
    // A malformed request makes the server log a WARN ("Len error"): once before the run, once during `set`.
    const provoke = () => fourLetterWord(s.host, s.clientPort, 'xxxx', 2000).catch(() => '');
    await provoke();
    let provoked: Promise<unknown> | undefined;
    const run = await primitives(undefined, 1, (recipe) => {
      if (recipe === 'set') provoked = provoke();
    });
    await provoked;
    assert.equal(run.record.ensemble.kind, 'kept');
    assertViewOfEveryServer(run, 1);
    const set = recipeOf(run, 'set');
    assert.ok(set.serverView!.start.servers.every((x) => !x.statsReset), 'a kept ensemble may serve other runs: no srst');
    assert.ok(Number.isNaN(scalarValue(set.metrics, 'server_latency_max')!));

    const warningsLog = fs.readFileSync(path.join(run.runDir, 'server-warnings.log'), 'utf8');
    // (sessionless: the malformed request never opened a session; clients closing with a reset name theirs)
    const lenErrors = warningsLog.split('\n').filter((l) => /WARN .* - Close of session 0x0$/.test(l));
    assert.equal(lenErrors.length, 1, `only the warning logged during the run:\n${warningsLog}`);
    assert.match(lenErrors[0]!, /^server-1 \d{4}-\d\d-\d\dT[\d:.]+Z \| /);
    const json = runJson(run.runDir);
    // The maximum is absent, and run.json says why (not a 0).
    const maxAbsent = json.notMeasured.find((n: { recipe: string; figure: string }) => n.recipe === 'set' && n.figure === 'server_latency_max');
    assert.match(maxAbsent?.reason ?? '', /not reset \(srst\)/, JSON.stringify(json.notMeasured));
    const setView = json.recipes.find((r: { recipe: string }) => r.recipe === 'set').serverView;
    assert.ok(setView.warnings.byServer['1'] >= 1, JSON.stringify(setView.warnings));
    assert.equal(setView.warnings.total, setView.warnings.byServer['1']);
    assert.ok(fs.existsSync(path.join(run.runDir, 'gc', 'server-1.log')));
    // ... and a mark on the timeline, in the recipe it happened in.
    const timeline = fs.readFileSync(path.join(run.runDir, 'timeline.csv'), 'utf8');
    assert.match(timeline, /^[\d.]+,set,,,,,,,server 1 WARN NIOServerCnxn: Close of session 0x0,/m);
    await downKeptEnsemble();
  });

  it('--connect: mntr only; no logs of servers that are not ours', async () => {
    const run = await primitives(external().connectString, 1);
    assert.equal(run.record.ensemble.kind, 'external');
    assertViewOfEveryServer(run, 1);
    assert.ok(recipeOf(run, 'get').serverView!.start.servers.every((x) => !x.statsReset), 'never srst on a user\'s ensemble');
    assert.equal(runJson(run.runDir).serverLogs.available, false);
    assert.ok(!fs.existsSync(path.join(run.runDir, 'server-warnings.log')));
    assert.ok(!fs.existsSync(path.join(run.runDir, 'gc')));
  });
});
