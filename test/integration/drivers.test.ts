// External recipe drivers on a real ensemble: each shipped lock driver keeps the lock safe under churn,
// the checker finds the broken Curator variant's overlaps, several driver processes' events merge exactly,
// a driver process that dies mid-run is named and leaves the result partial, paused holders are fenced,
// election drivers recover from every staged failure, and the watch drivers' events give the watch-fanout
// and config figures. One 1-server ensemble for the file, with short session timeouts allowed (tick
// 500 ms) so that pauses and crashes past a session need only a few seconds.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import type { ProgressTick } from '../../src/scenarios/context.ts';
import { bench as benchIn, figure } from '../helpers/bench.ts';
import { sharedEnsemble } from '../helpers/ensemble.ts';
import { exitOf, startCli } from '../helpers/cli.ts';

const ensemble = sharedEnsemble({ servers: 1, tickTimeMs: 500, minSessionTimeoutMs: 1000 });

// The runs' result directories, removed when the file is done.
const resultsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zkbench-drivers-test-'));
after(() => fs.rmSync(resultsDir, { recursive: true, force: true }));
const bench = (workload: string, connect: string, overrides: Record<string, unknown>) => benchIn(workload, connect, overrides, { resultsDir });

/** Pids of this process's children whose command line contains `marker`. */
function childPids(marker: string): number[] {
  const out = execFileSync('ps', ['-eo', 'pid=,ppid=,args='], { encoding: 'utf8' });
  return out
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => Number(f[1]) === process.pid && f.slice(2).join(' ').includes(marker))
    .map((f) => Number(f[0]));
}

describe('external lock drivers on a 1-server ensemble', { concurrency: 1 }, () => {
  const churn = { clients: 30, duration_s: 4, warmup_s: 1 };

  it('curator-mutex, curator-semaphore-mutex and kazoo-lock: 0 violations under lock-churn; the unchecked Curator variant overlaps', { timeout: 600_000 }, async () => {
    const recipes = ['curator-mutex', 'curator-semaphore-mutex', 'kazoo-lock', 'curator-mutex-unchecked'];
    // Two runs side by side (each in a namespace of its own): violations are counted from the events,
    // whatever the other run's load does to the timings.
    const outs = await Promise.all([
      bench('lock-churn', ensemble().connectString, { ...churn, recipes: recipes.slice(0, 2), thresholds: '{}' }),
      bench('lock-churn', ensemble().connectString, { ...churn, recipes: recipes.slice(2), thresholds: '{}' }),
    ]);
    const of = (recipe: string) => outs.find((o) => o.record.recipes.some((r) => r.recipe === recipe))!;
    for (const recipe of recipes.slice(0, 3)) {
      const out = of(recipe);
      assert.ok(figure(out, recipe, 'acquisitions') > 0, `${recipe}: no acquisitions`);
      assert.ok(figure(out, recipe, 'abandoned') > 0, `${recipe}: no waiter gave up (no churn)`);
      assert.equal(figure(out, recipe, 'violations'), 0, `${recipe}: violations`);
      assert.ok(figure(out, recipe, 'server_requests_per_acquire') > 0, `${recipe}: no server-side requests`);
      assert.ok(Number.isNaN(figure(out, recipe, 'zk_ops_per_acquire')), `${recipe}: client-side requests cannot be counted inside a library`);
    }
    assert.ok(figure(of('curator-mutex-unchecked'), 'curator-mutex-unchecked', 'violations') > 0, 'the checker missed the unchecked variant');
    assert.ok(figure(of('curator-mutex'), 'curator-mutex', 'driver.gc_pauses') >= 0, 'no GC figure for a JVM driver');
  });

  it('events of several kazoo driver processes merge: every client counted, the drivers\' own counts matched', { timeout: 600_000 }, async () => {
    const out = await bench('lock-contention', ensemble().connectString, { recipes: ['kazoo-lock'], clients: 60, duration_s: 3, warmup_s: 1, thresholds: '{}' });
    const r = out.record.recipes[0]!;
    assert.ok(r.notes?.some((n) => /60 clients over 2 kazoo driver processes/.test(n)), `notes: ${r.notes?.join('; ')}`);
    assert.equal(r.health.length, 2);
    // each process's result is accepted only when its event file holds exactly the acquisitions it counted
    const timelineOps = r.timeline!.intervals.reduce((n, i) => n + i.ops, 0);
    assert.equal(timelineOps, r.completedOps);
    assert.ok(figure(out, 'kazoo-lock', 'fairness_jain') > 0);
    assert.equal(out.record.partial, undefined);
  });

  it('a driver process that dies mid-run is named, and the run says partial', { timeout: 600_000 }, async () => {
    let killed: number | undefined;
    // Killed one second into the measured window (the coordinator's progress says when it opened), so a
    // busy host's slow start-up cannot move the kill before the window or after it.
    const onTick = (t: ProgressTick): void => {
      if (killed !== undefined || !t.measuring || t.plannedS === undefined || t.elapsedS < t.plannedS - 3) return;
      const pids = childPids('kazoo_driver.py');
      if (pids.length !== 2) return;
      killed = pids[1]!;
      process.kill(killed, 'SIGKILL');
    };
    const out = await benchIn('lock-contention', ensemble().connectString, { recipes: ['kazoo-lock'], clients: 60, duration_s: 4, warmup_s: 1, thresholds: '{}' }, { resultsDir, onTick });
    assert.ok(killed, 'no driver process was killed in the measured window');
    const r = out.record.recipes[0]!;
    assert.equal(out.record.partial, true);
    assert.equal(r.lostProcesses?.length, 1);
    assert.match(r.lostProcesses![0]!, new RegExp(`kazoo driver process \\d \\(pid ${killed}\\) died .*killed by SIGKILL`));
    assert.equal(r.health.length, 1, 'the survivor\'s figures are there');
    assert.ok(figure(out, 'kazoo-lock', 'acquisitions') > 0);
  });
});

describe('a paused Curator or kazoo holder on a 1-server ensemble', { concurrency: 1 }, () => {
  // lock-failover's staged pause: the holder's driver process (one client each) is stopped past its session timeout, then resumed mid-hold.
  const paused = {
    recipes: ['curator-mutex', 'kazoo-lock'],
    faults: [],
    clients: 3,
    duration_s: 6,
    warmup_s: 1,
    hold_ms: 50,
    session_timeout_ms: 2000,
    pause_holder_at_s: 2,
    pause_ms: 3500,
    thresholds: '{}',
  };

  it('is fenced: its write after waking is refused (fencing: czxid), let through without fencing', { timeout: 600_000 }, async () => {
    // Two runs side by side (each in a namespace of its own): the figures asserted are counts, which the
    // other run's load cannot change; a paused holder is stopped by SIGSTOP whatever the load.
    const [fenced, open] = await Promise.all([
      bench('lock-failover', ensemble().connectString, { ...paused, fencing: 'czxid' }),
      bench('lock-failover', ensemble().connectString, { ...paused, fencing: 'none' }),
    ]);
    for (const recipe of paused.recipes) {
      assert.equal(figure(fenced, recipe, 'holders_paused'), 1, `${recipe}: no holder paused`);
      assert.ok(figure(fenced, recipe, 'fenced_rejections') >= 1, `${recipe}: the guard refused nothing`);
      assert.equal(figure(fenced, recipe, 'stale_writes'), 0, `${recipe}: a stale write landed despite fencing`);
      const notes = fenced.record.recipes.find((r) => r.recipe === recipe)!.notes ?? [];
      assert.ok(notes.some((n) => /holder client \d \(driver process \d, pid \d+\) paused/.test(n)), `${recipe}: ${notes.join('; ')}`);
      assert.equal(figure(open, recipe, 'holders_paused'), 1, `${recipe}: no holder paused without fencing`);
      assert.ok(figure(open, recipe, 'stale_writes') >= 1, `${recipe}: without fencing the stale write must land`);
    }
  });
});

describe('external election drivers on a 1-server ensemble', { concurrency: 1 }, () => {

  it('curator-leader-latch, curator-leader-selector and kazoo-election: a new leader after every close, crash and pause', { timeout: 900_000 }, async () => {
    const recipes = ['curator-leader-latch', 'curator-leader-selector', 'kazoo-election'];
    const election = {
      // the fewest candidates a crash allows (leader_crashes + 2): each is a driver process of its own
      clients: 3,
      leader_closes: 1,
      leader_crashes: 1,
      leader_pauses: 1,
      leader_pause_ms: 3000,
      session_timeout_ms: 2000,
      // failures at 1.2, 5.9 and 10.5 s (close, crash, pause); the pause's session expires 2 s in, ~1.5 s before the window ends
      duration_s: 14,
      warmup_s: 2,
      thresholds: '{}',
    };
    // The Curator pair and kazoo side by side (two runs, each in a namespace of its own): what is asserted
    // is counts of staged failures and of recoveries, not their times.
    const outs = await Promise.all([
      bench('election-failover', ensemble().connectString, { ...election, recipes: recipes.slice(0, 2) }),
      bench('election-failover', ensemble().connectString, { ...election, recipes: recipes.slice(2) }),
    ]);
    for (const recipe of recipes) {
      const out = outs.find((o) => o.record.recipes.some((r) => r.recipe === recipe))!;
      assert.equal(figure(out, recipe, 'failures'), 3, `${recipe}: failures staged`);
      assert.equal(figure(out, recipe, 'unrecovered'), 0, `${recipe}: a failure without a new leader`);
      const r = out.record.recipes.find((x) => x.recipe === recipe)!;
      for (const kind of ['close', 'crash', 'pause']) {
        const m = r.metrics.find((x) => x.name === `recovery.${kind}`);
        assert.ok(m && m.kind === 'distribution' && m.histogram.totalCount === 1, `${recipe}: no recovery.${kind}`);
      }
      assert.ok(r.notes?.some((n) => /3 clients over 3 (curator|kazoo) driver processes/.test(n)), `${recipe}: ${r.notes?.join('; ')}`);
    }
  });
});

describe('external watch drivers on a 1-server ensemble', { concurrency: 1 }, () => {
  const watch = ['curator-cache', 'kazoo-datawatch'];

  it('watch-fanout: every armed watcher notified of every update, across driver processes; config: every reader converges, none goes back in time', { timeout: 600_000 }, async () => {
    // 55 watchers: kazoo spreads them over 2 processes (50 + 5), Curator runs them in one JVM. The two
    // scenarios side by side (each run in a namespace of its own): what is asserted is counts.
    const watchers = 55;
    const [out, config] = await Promise.all([
      bench('watch-fanout', ensemble().connectString, { recipes: watch, watchers: [watchers], clients: watchers, duration_s: 2, warmup_s: 1, thresholds: '{}' }),
      bench('config-propagation', ensemble().connectString, { recipes: watch, readers: 6, clients: 7, update_rate: 20, duration_s: 2, warmup_s: 1, thresholds: '{}' }),
    ]);
    for (const recipe of watch) {
      const r = out.record.recipes.find((x) => x.recipe === recipe)!;
      const updates = figure(out, recipe, 'updates');
      assert.ok(updates > 0, `${recipe}: no update`);
      // paced: every watcher is armed for every update, and each armed pair is one notification
      assert.equal(figure(out, recipe, 'armed'), updates * watchers, `${recipe}: armed pairs`);
      assert.equal(figure(out, recipe, 'notifications'), figure(out, recipe, 'armed'), `${recipe}: notifications`);
      for (const zero of ['missed', 'anomalies', 'unmatched', 'watchers_lost', 'coalesced']) assert.equal(figure(out, recipe, zero), 0, `${recipe}: ${zero}`);
      const fanout = r.metrics.find((m) => m.name === 'fanout_last');
      assert.ok(fanout?.kind === 'distribution' && fanout.histogram.totalCount === updates, `${recipe}: fanout_last has a case per update`);
      assert.ok(Number.isNaN(figure(out, recipe, 'rearm')), `${recipe}: the library's re-read cannot be timed from outside it`);
      const processes = recipe === 'kazoo-datawatch' ? 2 : 1;
      assert.ok(r.notes?.some((n) => n.includes(`${watchers} clients over ${processes} `)), `${recipe}: ${r.notes?.join('; ')}`);
      assert.equal(r.health.length, processes + 1, `${recipe}: the writer's process and the drivers`);
    }
    assert.equal(out.record.partial, undefined);
    for (const recipe of watch) {
      const updates = figure(config, recipe, 'updates');
      assert.ok(updates > 0, `${recipe}: no config update`);
      const converge = config.record.recipes.find((x) => x.recipe === recipe)!.metrics.find((m) => m.name === 'converge');
      assert.ok(converge?.kind === 'distribution' && converge.histogram.totalCount === updates, `${recipe}: converge has a case per update`);
      for (const zero of ['converge_incomplete', 'undrained', 'stale_reads.own', 'errors']) assert.equal(figure(config, recipe, zero), 0, `${recipe}: ${zero}`);
      assert.ok(Number.isNaN(figure(config, recipe, 'stale_reads')), `${recipe}: a library's read start is not seen`);
    }
  });
});

describe('external membership drivers on a 1-server ensemble', { concurrency: 1 }, () => {
  it('curator-discovery and kazoo-party: every join, leave and crash reaches every client; the crash SIGKILLs a driver process', { timeout: 600_000 }, async () => {
    const recipes = ['curator-discovery', 'kazoo-party'];
    const out = await bench('membership-churn', ensemble().connectString, {
      recipes,
      clients: 6,
      members: 3,
      joins: 1,
      leaves: 1,
      crashes: 1,
      session_timeout_ms: 2000,
      duration_s: 4,
      warmup_s: 1,
      thresholds: '{}',
    });
    for (const recipe of recipes) {
      const r = out.record.recipes.find((x) => x.recipe === recipe)!;
      for (const kind of ['join', 'leave', 'crash']) {
        const m = r.metrics.find((x) => x.name === `converge.${kind}`);
        assert.ok(m && m.kind === 'distribution' && m.histogram.totalCount === 1, `${recipe}: converge.${kind}`);
      }
      assert.equal(figure(out, recipe, 'changes'), 3, `${recipe}: changes`);
      for (const zero of ['unconverged', 'final_view_mismatches', 'errors']) assert.equal(figure(out, recipe, zero), 0, `${recipe}: ${zero}`);
      // A stale list needs a reason the run recorded: Curator's ServiceDiscovery re-registers its instances
      // (delete, then create) when a member's connection comes back, which every cache sees as a drop and a
      // return; on a busy host a member's connection may be suspended. Without a session event, none.
      const sessionEvents = (r.timeline?.events ?? []).filter((e) => e.source === 'session').length;
      if (sessionEvents === 0) assert.equal(figure(out, recipe, 'stale_views'), 0, `${recipe}: stale_views without any session event`);
      assert.ok(Number.isNaN(figure(out, recipe, 'reads_per_change')), `${recipe}: a library's reads are not seen`);
      assert.ok(r.notes?.some((n) => /crash: .*killed \(SIGKILL\)|1 more, one per crash victim/.test(n)), `${recipe}: ${r.notes?.join('; ')}`);
      assert.equal(r.lostProcesses, undefined, `${recipe}: the crash victim's process is killed on purpose, not lost`);
    }
    assert.equal(out.record.partial, undefined);
  });
});

describe('external drivers with a digest credential', { concurrency: 1 }, () => {
  it('curator-mutex and kazoo-lock authenticate from the run identity their processes inherit, under creator ACLs; TLS is refused', { timeout: 600_000 }, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zkbench-drivers-auth-'));
    try {
      const credential = path.join(dir, 'credential');
      fs.writeFileSync(credential, 'digest:driver-user:driver-Secret-91\n', { mode: 0o600 });
      const state = path.join(dir, 'state');
      const args = ['bench', '--workload', 'lock-contention', '--recipes', 'curator-mutex,kazoo-lock', '--clients', '4', '--duration-s', '2', '--warmup-s', '1'];
      const run = startCli([...args, '--replace-thresholds', '{}', '--connect', ensemble().connectString, '--auth-file', credential, '--results-dir', path.join(dir, 'results')], state);
      assert.equal(await exitOf(run), 0, run.stderr);
      const runDir = run.stdout.trim().split('\n').at(-1)!;
      const record = JSON.parse(fs.readFileSync(path.join(runDir, 'run.json'), 'utf8')) as { access?: { acl?: string } };
      assert.equal(record.access?.acl, 'creator');
      const summary = fs.readFileSync(path.join(runDir, 'summary.csv'), 'utf8');
      for (const recipe of ['curator-mutex', 'kazoo-lock']) {
        // a driver without the identity is refused its lock nodes under the creator-only namespace: errors, no acquisitions
        assert.match(summary, new RegExp(`,${recipe},acquisitions,[^,]*,[1-9]`), `${recipe} acquired under the creator ACL`);
        assert.match(summary, new RegExp(`,${recipe},errors,[^,]*,0,`), `${recipe} had no errors`);
      }
      assert.ok(!(run.stdout + run.stderr).includes('driver-Secret-91'), 'the secret is in the output');

      const tls = startCli([...args, '--connect', ensemble().connectString, '--tls-ca', credential, '--results-dir', path.join(dir, 'results-tls')], state);
      assert.equal(await exitOf(tls), 2, tls.stderr);
      assert.match(tls.stderr, /curator-mutex, kazoo-lock: the Curator and kazoo drivers connect in plaintext .* cannot run over TLS/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
