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
import { resultsParent } from '../helpers/bench.ts';
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
});
