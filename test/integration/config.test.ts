// The config scenario on a real 3-server ensemble. First its recipes directly: 9 readers pinned round robin
// to the servers (the servers' own connection counts prove where they went), a writer at 100 updates/s,
// and a follower stopped for a moment mid-run so that its readers fall behind what the others know: every
// update reaches every reader, no session ever reads back in time, and sync-then-read reads nothing stale.
// Then the scenario through the runner, over two load processes, and a rate no writer can keep, which the
// results must say. Counts and identities only, never speeds.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { connectStringOf } from '../../src/ensemble/queries.ts';
import { fourLetterWord } from '../../src/ensemble/four-letter-words.ts';
import { parseMntr } from '../../src/ensemble/mntr.ts';
import { monotonicClock, RunClock } from '../../src/measure/clock.ts';
import { distributionMs } from '../../src/measure/histogram.ts';
import { findMetric } from '../../src/measure/metrics.ts';
import { intendedStartNs, waitBeforeSendNs } from '../../src/measure/watch-pacing.ts';
import type { UpdateRecord } from '../../src/measure/watch-records.ts';
import { CONFIG_RECIPES } from '../../src/recipes/config/index.ts';
import type { NodeWatcher } from '../../src/recipes/watch/types.ts';
import { readerServer } from '../../src/scenarios/config/coordinator.ts';
import { configFigures } from '../../src/scenarios/config/figures.ts';
import { closeSessions, openSessions } from '../../src/zk/open-sessions.ts';
import type { ZkSession } from '../../src/zk/session.ts';
import { deleteTree } from '../../src/zk/tree.ts';
import { bench, figure, resultsParent } from '../helpers/bench.ts';
import { sharedEnsemble } from '../helpers/ensemble.ts';

const READERS = 9;
const UPDATES = 150;
const ROOT = '/zkbench-test-config';
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls until `cond` holds; a hang guard, not a timing assertion. */
async function until(what: string, cond: () => boolean, ms = 30_000): Promise<void> {
  const giveUpAt = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > giveUpAt) throw new Error(`gave up waiting for ${what}`);
    await sleep(2);
  }
}

describe('config scenario on a real ensemble', { concurrency: 1 }, () => {
  const clock = new RunClock(monotonicClock());
  let sessions: ZkSession[] = [];
  let stopped: number | undefined;
  const resume = (): void => {
    if (stopped !== undefined) process.kill(stopped, 'SIGCONT');
    stopped = undefined;
  };
  // Hooks run in the order they are registered: the follower resumes and the sessions close before the ensemble stops.
  after(async () => {
    resume();
    if (sessions[0]) await deleteTree(sessions[0], ROOT).catch(() => undefined);
    closeSessions(sessions);
    fs.rmSync(resultsParent, { recursive: true, force: true });
  });
  const ensemble = sharedEnsemble();

  const connections = async (): Promise<number[]> =>
    Promise.all(ensemble().servers.map(async (s) => Number(parseMntr(await fourLetterWord(s.host, s.clientPort, 'mntr'))?.['num_alive_connections'])));

  before(async () => {
    const servers = ensemble().servers;
    const pinned = (id: number): string => connectStringOf([servers[id - 1]!]);
    const beforeOpen = await connections();
    // Session 0 is the writer's, on server 1; session 1 + i is reader i's.
    const connect = [pinned(1), ...Array.from({ length: READERS }, (_, i) => pinned(readerServer(i, servers.length)))];
    sessions = await openSessions({ connect: ensemble().connectString, connectEach: connect, count: connect.length, sessionTimeoutMs: 30_000 });
    const afterOpen = await connections();
    assert.deepEqual(
      afterOpen.map((n, i) => n - beforeOpen[i]!),
      [1 + READERS / 3, READERS / 3, READERS / 3],
      'each session is connected to the server it was pinned to',
    );
  });

  for (const recipe of CONFIG_RECIPES.values()) {
    it(`${recipe.id}: every update reaches every reader, none reads back in time, with a follower stopped mid-run`, async (t) => {
      const path = `${ROOT}/${recipe.id}`;
      const writer = recipe.writer(sessions[0]!, path, { clock, payload: Buffer.from('config') });
      const start = await writer.prepare();
      const errors: Error[] = [];
      const readers: NodeWatcher[] = sessions.slice(1).map((s, id) => recipe.reader(s, path, { id, clock, onError: (err) => errors.push(err) }));
      for (const r of readers) assert.equal((await r.arm()).version, start.version);

      // A follower other than the writer's server, whose readers will lag while it is stopped.
      const leader = await ensemble().leader();
      const follower = ensemble().servers.find((s) => s.id !== leader?.id && s.id !== 1) ?? ensemble().servers.find((s) => s.id !== leader?.id)!;
      assert.ok(follower.pid, 'the follower has a known pid');

      const updates: UpdateRecord[] = [];
      const schedule = { startNs: clock.now(), ratePerS: 100 };
      for (let seq = 1; seq <= UPDATES; seq++) {
        const waitNs = waitBeforeSendNs(schedule, seq, clock.now());
        if (waitNs > 0) await sleep(waitNs / 1e6);
        if (seq === 50) {
          stopped = follower.pid!;
          process.kill(stopped, 'SIGSTOP');
        }
        if (seq === 80) resume();
        updates.push(await writer.update(intendedStartNs(schedule, seq)));
      }
      resume();
      const last = updates.at(-1)!.version;
      await until(`every reader holding version ${last}`, () => readers.every((r) => r.state.version >= last));
      for (const r of readers) r.stop();
      assert.deepEqual(errors, []);

      const f = configFigures({ updates, readers: readers.map((r, i) => ({ server: readerServer(i, 3), trace: r.trace })) });
      t.diagnostic(
        `stopped follower: server ${follower.id}; stale reads ${f.staleReads} (after the ack ${f.staleAfterAck}) of ${f.reads}; ` +
          `per server ${f.perServer.map((s) => `${s.server}: ${s.staleReads}/${s.reads}`).join(', ')}; coalesced ${f.watch.coalesced}; ` +
          `converge p50 ${distributionMs(f.converge)?.p50} ms`,
      );
      assert.equal(last, start.version + UPDATES);
      assert.equal(f.updates, UPDATES);
      assert.equal(f.convergeIncomplete, 0);
      assert.equal(f.converge.totalCount, UPDATES, 'every update converged');
      assert.equal(f.hold.totalCount, UPDATES * READERS, 'every reader came to hold every update');
      assert.equal(f.watch.notified + f.watch.coalesced, UPDATES * READERS, 'each (reader, update) by an event or a newer read');
      assert.equal(f.watch.missed + f.watch.unmatched + f.watch.anomalies, 0);
      assert.equal(f.staleOwn, 0, "ZooKeeper: a session's reads never go back in time, an event comes before its data");
      if (recipe.id === 'sync-then-read') assert.equal(f.staleReads, 0, 'a read after a sync is at least as new as anything known before it began');
    });
  }

  it('runs through the runner over two load processes, the writer starting once every reader is armed', async () => {
    const run = await bench('config-propagation', ensemble().connectString, { readers: 6, clients: 7, duration_s: 2, warmup_s: 0.5, update_rate: 50, workers: 2 });
    assert.equal(run.record.outcome, 'completed');
    assert.deepEqual(run.record.recipes.map((r) => r.recipe), ['watch-reread', 'sync-then-read']);
    for (const r of run.record.recipes) {
      const updates = figure(run, r.recipe, 'updates');
      assert.ok(updates > 0);
      const converge = findMetric(r.metrics, 'converge');
      assert.equal(converge?.kind === 'distribution' && converge.histogram.totalCount, updates, 'one converge per measured update');
      for (const zero of ['converge_incomplete', 'undrained', 'stale_reads.own', 'anomalies', 'missed', 'errors']) assert.equal(figure(run, r.recipe, zero), 0, `${r.recipe} ${zero}`);
      assert.ok(figure(run, r.recipe, 'reads') >= updates, 'readers read');
      assert.match((r.notes ?? []).join('\n'), /6 readers pinned round robin to the 3 server\(s\).*2 load process\(es\), the writer in process 0 with 3 readers/);
      // The timeline's operations are the writer's acknowledged updates, warm-up included.
      const ops = (r.timeline?.intervals ?? []).reduce((s, i) => s + i.ops, 0);
      assert.equal(ops, r.completedOps);
    }
    assert.equal(figure(run, 'sync-then-read', 'stale_reads'), 0);
  });

  it('says so when the writer cannot keep the rate, and measures the rate it kept', async () => {
    const rate = 20_000; // one update every 50 µs, one at a time: beyond any quorum write's round trip
    const run = await bench('config-propagation', ensemble().connectString, { recipes: ['watch-reread'], readers: 3, clients: 4, duration_s: 1, warmup_s: 0, update_rate: rate });
    const r = run.record.recipes[0]!;
    assert.ok(figure(run, 'watch-reread', 'late_sends') > 0);
    assert.ok(figure(run, 'watch-reread', 'update_rate_achieved') < rate);
    assert.match((r.notes ?? []).join('\n'), /warning: the writer could not keep 20000 updates\/s/);
  });
});
