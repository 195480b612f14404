// The watch recipes on a real 3-server ensemble, 20 watcher sessions and a writer: paced updates reach
// every watcher with nothing coalesced (a slow watcher included: paced waits for it); updates every 5 ms
// outpace a watcher that takes 50 ms to re-arm, and what it misses is counted as coalesced while its
// events keep their arrival times. Counts and orderings only, never speeds.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { monotonicClock, RunClock } from '../../src/measure/clock.ts';
import { valueAtPercentile, type Histogram } from '../../src/measure/histogram.ts';
import { accountWatcher, signedPercentileUs, watchFigures, type WatchFigures } from '../../src/measure/watch-metrics.ts';
import { intendedStartNs, pacedMayUpdate, waitBeforeSendNs } from '../../src/measure/watch-pacing.ts';
import type { UpdateRecord } from '../../src/measure/watch-records.ts';
import { WATCH_RECIPES, type NodeWatcher, type NodeWriter, type WatchRecipe } from '../../src/recipes/watch/index.ts';
import { closeSessions, openSessions } from '../../src/zk/open-sessions.ts';
import type { ZkSession } from '../../src/zk/session.ts';
import { deleteTree } from '../../src/zk/tree.ts';
import { sharedEnsemble } from '../helpers/ensemble.ts';

const WATCHERS = 20;
const ROOT = '/zkbench-test-watch';
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls until `cond` holds; a hang guard, not a timing assertion. */
async function until(what: string, cond: () => boolean, ms = 30_000): Promise<void> {
  const giveUpAt = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > giveUpAt) throw new Error(`gave up waiting for ${what}`);
    await sleep(1);
  }
}

/** What the run measured, for the test log (not asserted). */
function describeFigures(f: WatchFigures): string {
  const ms = (h: Histogram, p: number): string => (valueAtPercentile(h, p) / 1000).toFixed(2);
  return (
    `notify_from_send p50 ${ms(f.notifyFromSend, 50)} p99 ${ms(f.notifyFromSend, 99)} ms, ` +
    `notify_from_ack signed p50 ${(signedPercentileUs(f.notifyFromAck, f.notifyBeforeAck, 50) / 1000).toFixed(2)} ms ` +
    `(${f.notifyBeforeAck.totalCount} of ${f.notified} events before the ack), fanout_last p50 ${ms(f.fanoutLast, 50)} ms, ` +
    `rearm p50 ${ms(f.rearm, 50)} ms, coalesced ${f.coalesced}, armed ${f.armed}`
  );
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

describe('watch recipes on a real ensemble', { concurrency: 1 }, () => {
  const clock = new RunClock(monotonicClock());
  let sessions: ZkSession[] = [];
  // Hooks run in the order they are registered: the sessions close before the ensemble stops.
  after(async () => {
    if (sessions[0]) await deleteTree(sessions[0], ROOT).catch(() => undefined);
    closeSessions(sessions);
  });
  const ensemble = sharedEnsemble();
  before(async () => {
    sessions = await openSessions({ connect: ensemble().connectString, sessionTimeoutMs: 30_000, count: WATCHERS + 1 });
  });

  /** A writer on a fresh znode and 20 armed watchers, watcher 0 re-arming `slowMs` after each event. */
  async function setUp(recipe: WatchRecipe, name: string, slowMs: number) {
    const path = `${ROOT}/${recipe.id}/${name}`;
    const writer: NodeWriter = recipe.writer(sessions[0]!, path, { clock, payload: Buffer.from('config v1') });
    const start = await writer.prepare();
    const errors: Error[] = [];
    const watchers: NodeWatcher[] = sessions
      .slice(1)
      .map((s, id) => recipe.watcher(s, path, { id, clock, rearmDelayMs: id === 0 ? slowMs : 0, onError: (err) => errors.push(err) }));
    for (const w of watchers) {
      const seen = await w.arm();
      assert.equal(seen.version, start.version);
      if (recipe.id === 'child-watch') assert.equal(seen.children, 0);
    }
    const allSawLast = (): boolean => pacedMayUpdate(writer.state, watchers.map((w) => w.state));
    return { writer, watchers, start, allSawLast, errors };
  }

  for (const recipe of WATCH_RECIPES.values()) {
    it(`${recipe.id}: paced updates reach every watcher, nothing coalesced, a slow watcher included`, async (t) => {
      const { writer, watchers, start, allSawLast, errors } = await setUp(recipe, 'paced', 10);
      const updates: UpdateRecord[] = [];
      for (let k = 0; k < 25; k++) {
        await until(`every watcher re-armed at version ${writer.state.version}`, allSawLast);
        updates.push(await writer.update());
      }
      await until('the last update reaching every watcher', allSawLast);
      for (const w of watchers) w.stop();

      assert.deepEqual(updates.map((u) => u.version), Array.from({ length: 25 }, (_, i) => start.version + i + 1));
      const f = watchFigures({ updates, watchers: watchers.map((w) => w.trace) });
      t.diagnostic(describeFigures(f));
      assert.equal(f.notified, WATCHERS * 25, 'every watcher, every update');
      assert.equal(f.armed, WATCHERS * 25, 'paced: every watcher armed for every update');
      assert.equal(f.coalesced, 0);
      assert.equal(f.missed, 0);
      assert.equal(f.unobserved, 0);
      assert.equal(f.fanoutLast.totalCount, 25);
      assert.equal(f.notifyFromSend.totalCount, WATCHERS * 25);
      assert.equal(f.notifyFromAck.totalCount + f.notifyBeforeAck.totalCount, WATCHERS * 25);
      assert.equal(f.rearm.totalCount, WATCHERS * 25);
      assert.equal(f.anomalies + f.unmatched, 0);
      for (const w of watchers) {
        assert.equal(w.trace.events.length, 25);
        for (const e of w.trace.events) {
          assert.ok(e.rearm, 're-armed after every event');
          assert.equal(e.rearm.version, e.armedVersion + 1, 'each re-read saw exactly the announced update');
          assert.ok(e.arrivalNs <= e.rearm.startNs && e.rearm.startNs <= e.rearm.doneNs);
        }
      }
      assert.deepEqual(errors, []);
    });

    it(`${recipe.id}: updates every 5 ms outpace a watcher that re-arms 50 ms after each event`, async (t) => {
      const { writer, watchers, start, allSawLast, errors } = await setUp(recipe, 'rate', 50);
      const schedule = { startNs: clock.now(), ratePerS: 200 };
      const sent: Promise<UpdateRecord>[] = [];
      for (let seq = 1; seq <= 60; seq++) {
        const waitNs = waitBeforeSendNs(schedule, seq, clock.now());
        if (waitNs > 0) await sleep(waitNs / 1e6);
        sent.push(writer.update(intendedStartNs(schedule, seq)));
      }
      const updates = await Promise.all(sent);
      await until('the last update reaching every watcher', allSawLast);
      for (const w of watchers) w.stop();

      assert.equal(updates.at(-1)!.version, start.version + 60);
      assert.deepEqual(errors, []);
      const f = watchFigures({ updates, watchers: watchers.map((w) => w.trace) });
      t.diagnostic(`${describeFigures(f)}; slow watcher: ${JSON.stringify(f.perWatcher[0])}`);
      assert.equal(f.anomalies + f.unmatched, 0);
      assert.equal(f.missed, 0);
      assert.equal(f.unobserved, 0);
      assert.equal(f.notified + f.coalesced, WATCHERS * 60, 'every update, to every watcher, by an event or by a re-read');
      assert.equal(f.sendLag.totalCount, 60);

      const slow = f.perWatcher.find((p) => p.watcher === 0)!;
      assert.ok(slow.coalesced > 0, `the slow watcher coalesced updates (${JSON.stringify(slow)})`);
      assert.equal(slow.notified + slow.coalesced, 60);
      assert.ok(slow.notified < 60);

      // Its events carry their arrival: timestamped before the deliberate delay, not when it re-armed.
      const trace = watchers[0]!.trace;
      const byVersion = new Map(updates.map((u) => [u.version, u]));
      const events = accountWatcher(trace).events;
      assert.equal(events.length, slow.notified);
      for (const e of events) assert.ok(e.rearm && e.arrivalNs < e.rearm.startNs, 'arrival precedes the delayed re-arm');
      const notifyFromSend = events.map((e) => e.arrivalNs - byVersion.get(e.version)!.sendNs);
      const delayed = events.map((e) => e.rearm!.startNs - e.arrivalNs);
      // The re-arm waited out the delay after the stamped arrival, so the delay is in no notify figure.
      for (const d of delayed) assert.ok(d >= 45e6, `re-armed ${d / 1e6} ms after the event's arrival, not its 50 ms delay after it`);
      t.diagnostic(`slow watcher notify_from_send median ${median(notifyFromSend) / 1e6} ms, re-arm delay median ${median(delayed) / 1e6} ms`);
    });
  }
});
