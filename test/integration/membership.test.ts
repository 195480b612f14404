// Membership (seed 001's server list) on a real 3-server ensemble. The recipes: servers register, leave
// and come back while clients keep their lists, and every client ends holding exactly the registered
// servers, each list change costing the recipe's reads. The scenario: a churn of joins, clean leaves and
// real crashes (a load process SIGKILLed) leaves every client's final list equal to the live servers, and
// a crash converges no sooner than ZooKeeper can expire the session, reported as detection + propagation.
// Counts, orderings and ZooKeeper's own bounds only, never speeds.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { monotonicClock, RunClock } from '../../src/measure/clock.ts';
import { MEMBERSHIP_RECIPES, type MemberList, type MemberView } from '../../src/recipes/membership/index.ts';
import { closeSessions, openSessions } from '../../src/zk/open-sessions.ts';
import type { ZkSession } from '../../src/zk/session.ts';
import { deleteTree, ensurePath } from '../../src/zk/tree.ts';
import { distributionMs } from '../../src/measure/histogram.ts';
import { findMetric } from '../../src/measure/metrics.ts';
import type { BenchOutcome } from '../../src/runner/bench-run.ts';
import { bench, figure, resultsParent } from '../helpers/bench.ts';
import { sharedEnsemble } from '../helpers/ensemble.ts';

const CLIENTS = 8;
const SERVERS = 6;
const ROOT = '/zkbench-test-membership';
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls until `cond` holds; a hang guard, not a timing assertion. */
async function until(what: string, cond: () => boolean, ms = 30_000): Promise<void> {
  const giveUpAt = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > giveUpAt) throw new Error(`gave up waiting for ${what}`);
    await sleep(2);
  }
}

const same = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && [...a].sort().every((x, i) => x === [...b].sort()[i]);

describe('membership on a real ensemble', { concurrency: 1 }, () => {
  // A short tick, so that sessions may time out within a second or two (the minimum is 2 ticks).
  const ensemble = sharedEnsemble({ tickTimeMs: 200, minSessionTimeoutMs: 400 });
  after(() => fs.rmSync(resultsParent, { recursive: true, force: true }));

  describe('recipes', () => {
    const clock = new RunClock(monotonicClock());
    let clients: ZkSession[] = [];
    let admin: ZkSession | undefined;
    after(async () => {
      if (admin) await deleteTree(admin, ROOT, 5000).catch(() => undefined);
      closeSessions([...clients, ...(admin ? [admin] : [])]);
    });
    before(async () => {
      [admin, ...clients] = await openSessions({ connect: ensemble().connectString, sessionTimeoutMs: 10_000, count: CLIENTS + 1 });
    });

    for (const recipe of MEMBERSHIP_RECIPES.values()) {
      it(`${recipe.id}: every client ends holding exactly the registered servers, each list costing the recipe's reads`, async (t) => {
        const group = `${ROOT}/${recipe.id}`;
        await ensurePath(admin!, group);
        const address = (i: number): string => `10.0.0.${i}:7000/${recipe.id}`;
        const errors: Error[] = [];
        const views: MemberView[][] = clients.map(() => []);
        const lists: MemberList[] = clients.map((s, i) => recipe.memberList(s, group, { clock, onView: (v) => views[i]!.push(v), onError: (e) => errors.push(e) }));
        for (const l of lists) assert.deepEqual((await l.start()).addresses, []);
        const servers = new Map<number, ZkSession>();
        const truth = (): string[] => [...servers.keys()].map(address);
        const allHoldTruth = (): boolean => lists.every((l) => same(l.view!.addresses, truth()));
        try {
          // Servers register one at a time, then some leave (their sessions close) and one more joins.
          for (let i = 0; i < SERVERS; i++) {
            const [session] = await openSessions({ connect: ensemble().connectString, sessionTimeoutMs: 10_000, count: 1 });
            servers.set(i, session!);
            const path = await recipe.register(session!, group, address(i));
            assert.ok(path.startsWith(`${group}/`));
            await until(`every client listing server ${i}`, allHoldTruth);
          }
          for (const i of [1, 4]) {
            servers.get(i)!.close();
            servers.delete(i);
            await until(`every client dropping server ${i}`, allHoldTruth);
          }
          const [late] = await openSessions({ connect: ensemble().connectString, sessionTimeoutMs: 10_000, count: 1 });
          servers.set(SERVERS, late!);
          await recipe.register(late!, group, address(SERVERS));
          await until('every client listing the last server', allHoldTruth);

          const children = await admin!.getChildren(group);
          assert.equal(children.length, servers.size, "ZooKeeper's own list");
          for (const l of lists) assert.deepEqual(l.view!.addresses, truth().sort());
          assert.deepEqual(errors, []);
          for (const [i, vs] of views.entries()) {
            // The first list, then one per change at most (changes were applied one at a time).
            assert.ok(vs.length >= 1 + 2 + 1 && vs.length <= 1 + SERVERS + 2 + 1, `client ${i}: ${vs.length} lists`);
            for (const [k, v] of vs.entries()) {
              if (k > 0) assert.ok(v.triggeredNs !== undefined && v.triggeredNs <= v.atNs && vs[k - 1]!.atNs <= v.atNs);
            }
            const listSizes = vs.map((v) => v.addresses.length);
            // names-only reads once per list; reread-data once plus once per child listed.
            const expected = recipe.id === 'names-only' ? vs.length : vs.length + listSizes.reduce((a, b) => a + b, 0);
            assert.equal(lists[i]!.reads, expected, `client ${i} reads`);
          }
          t.diagnostic(`lists per client: ${views.map((v) => v.length).join(', ')}`);
        } finally {
          for (const l of lists) l.stop();
          closeSessions([...servers.values()]);
        }
      });
    }
  });

  describe('scenario', () => {
    const SESSION_TIMEOUT_MS = 1200;
    /** A distribution figure of one recipe, in ms. */
    const latency = (run: BenchOutcome, recipe: string, metric: string) => {
      const m = findMetric(run.record.recipes.find((r) => r.recipe === recipe)!.metrics, metric);
      assert.ok(m?.kind === 'distribution', `${recipe} ${metric} is a distribution`);
      return distributionMs(m.histogram);
    };

    it('churn with real crashes: every final list is the live servers; a crash converges no sooner than its session can expire, as detection + propagation', async (t) => {
      const run = await bench('membership-churn', ensemble().connectString, {
        clients: 12,
        members: 4,
        joins: 3,
        leaves: 3,
        crashes: 2,
        duration_s: 4,
        warmup_s: 1,
        workers: 1,
        session_timeout_ms: SESSION_TIMEOUT_MS,
        tick_time_ms: 200,
      });
      assert.equal(run.record.outcome, 'completed');
      assert.deepEqual(run.record.recipes.map((r) => r.recipe), ['reread-data', 'names-only'], 'the second recipe ran on fresh processes in place of the killed ones');
      for (const recipe of ['reread-data', 'names-only']) {
        const result = run.record.recipes.find((r) => r.recipe === recipe)!;
        t.diagnostic(`${recipe}: ${result.notes?.join(' | ')}`);
        assert.equal(figure(run, recipe, 'final_view_mismatches'), 0, 'every client ends with exactly the live servers');
        assert.equal(figure(run, recipe, 'unconverged'), 0, 'every change reached every client');
        assert.equal(figure(run, recipe, 'stale_views'), 0);
        assert.equal(figure(run, recipe, 'errors'), 0);
        assert.equal(figure(run, recipe, 'changes'), 8);
        assert.ok(!result.notes?.some((n) => n.startsWith('ZooKeeper lists')), "the live servers are ZooKeeper's own list");
        for (const [kind, n] of [['join', 3], ['leave', 3], ['crash', 2]] as const) assert.equal(latency(run, recipe, `converge.${kind}`)?.count, n, kind);

        const crash = latency(run, recipe, 'converge.crash')!;
        const detection = latency(run, recipe, 'crash_detection')!;
        const propagation = latency(run, recipe, 'crash_propagation')!;
        t.diagnostic(`${recipe}: crash converge ${crash.min}..${crash.max} ms = detection ${detection.min}..${detection.max} + propagation ${propagation.min}..${propagation.max}`);
        assert.equal(detection.count, 2);
        assert.equal(propagation.count, 2);
        // Per crash, converge = detection + propagation: so for the sums (means), to the histograms' 3 digits.
        assert.ok(Math.abs(crash.mean - (detection.mean + propagation.mean)) <= 0.002 * crash.mean, 'converge.crash = detection + propagation');
        // ZooKeeper expires a session a full timeout after the last packet it got from it, and an idle C
        // client pings every third of the timeout: no crash can be detected sooner than two thirds of it.
        assert.ok(detection.min >= (2 / 3) * SESSION_TIMEOUT_MS, `detection ${detection.min} ms, session timeout ${SESSION_TIMEOUT_MS} ms`);
        assert.ok(crash.min >= detection.min);
        const relist = latency(run, recipe, 'relist')!;
        assert.ok(relist.count > 0);
        const readsPerChange = figure(run, recipe, 'reads_per_change');
        if (recipe === 'names-only') assert.ok(readsPerChange >= 0.9 && readsPerChange <= 1.1, `names-only reads per change ${readsPerChange}`);
        else assert.ok(readsPerChange > 2, `reread-data reads every child: ${readsPerChange} reads per change`);
      }
      assert.ok(run.record.thresholds.length > 0 && run.record.thresholds.every((c) => c.outcome === 'pass'), JSON.stringify(run.record.thresholds));
    });
  });
});
