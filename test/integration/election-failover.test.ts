// Leader election on a real 3-server ensemble. The recipes: among several candidates exactly one leads,
// and when the leader resigns or its session closes exactly one other takes over. The scenario: the
// application leader closes, crashes (its load process SIGKILLed) and is paused (SIGSTOP beyond the
// session timeout, then SIGCONT); every failure finds a new leader, a crash's takeover comes only after
// ZooKeeper expired the dead leader's session, and the paused leader, waking still believing it leads,
// is counted in violations. Counts, orderings and ZooKeeper's own bounds only, never speeds.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { distributionMs } from '../../src/measure/histogram.ts';
import { findMetric } from '../../src/measure/metrics.ts';
import { ELECTION_RECIPES, type Leadership } from '../../src/recipes/election/index.ts';
import type { BenchOutcome } from '../../src/runner/bench-run.ts';
import { closeSessions, openSessions } from '../../src/zk/open-sessions.ts';
import type { ZkSession } from '../../src/zk/session.ts';
import { deleteTree, ensurePath } from '../../src/zk/tree.ts';
import { bench, figure, resultsParent } from '../helpers/bench.ts';
import { sharedEnsemble } from '../helpers/ensemble.ts';
import { within } from '../helpers/wait.ts';

const CANDIDATES = 4;
const ROOT = '/zkbench-test-election';
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('election on a real ensemble', { concurrency: 1 }, () => {
  // A short tick, so that sessions may time out within a second or two (the minimum is 2 ticks).
  const ensemble = sharedEnsemble({ tickTimeMs: 200, minSessionTimeoutMs: 400 });
  after(() => fs.rmSync(resultsParent, { recursive: true, force: true }));

  describe('recipes', () => {
    let admin: ZkSession | undefined;
    before(async () => {
      [admin] = await openSessions({ connect: ensemble().connectString, sessionTimeoutMs: 10_000, count: 1 });
    });
    after(async () => {
      if (admin) await deleteTree(admin, ROOT, 5000).catch(() => undefined);
      closeSessions(admin ? [admin] : []);
    });

    for (const recipe of ELECTION_RECIPES.values()) {
      it(`${recipe.id}: exactly one leader; when it resigns, then when its session closes, exactly one other takes over`, async () => {
        const path = `${ROOT}/${recipe.id}`;
        await ensurePath(admin!, path);
        const sessions = await openSessions({ connect: ensemble().connectString, sessionTimeoutMs: 10_000, count: CANDIDATES });
        const stop = new AbortController();
        const leading = new Map<number, Leadership>();
        const order: number[] = [];
        try {
          const campaigns = sessions.map((s, i) =>
            recipe
              .candidate(s, path)
              .campaign(stop.signal)
              .then((l) => {
                leading.set(i, l);
                order.push(i);
              }),
          );
          for (const c of campaigns) c.catch(() => undefined);
          const waitForLeaders = async (n: number): Promise<void> => {
            for (let k = 0; order.length < n; k++) {
              if (k > 15_000) throw new Error(`gave up waiting for leader ${n}`);
              await sleep(2);
            }
            await sleep(300); // room for a wrong second leader to show itself
          };
          await waitForLeaders(1);
          assert.equal(order.length, 1, 'one leader among the candidates');
          const first = order[0]!;
          const firstLeadership = leading.get(first)!;
          await firstLeadership.resign();
          assert.equal(await within('the first leadership ending by resignation', firstLeadership.ended), 'resigned');
          await waitForLeaders(2);
          assert.equal(order.length, 2, 'one successor after a resignation');
          const second = order[1]!;
          assert.notEqual(second, first);
          sessions[second]!.close();
          assert.equal(await within('the second leadership ending with its session', leading.get(second)!.ended), 'session-closed', 'a leader whose session closes learns it');
          await waitForLeaders(3);
          assert.equal(order.length, 3, 'one successor after a session close');
          assert.ok(![first, second].includes(order[2]!));
          const children = await admin!.getChildren(path);
          assert.equal(children.length, recipe.id === 'predecessor-election' ? CANDIDATES - 2 : 1, `ZooKeeper's own view: ${children.join(', ')}`);
        } finally {
          stop.abort('test over');
          closeSessions(sessions);
        }
      });
    }
  });

  describe('scenario', () => {
    const SESSION_TIMEOUT_MS = 2000;
    const latency = (run: BenchOutcome, recipe: string, metric: string) => {
      const m = findMetric(run.record.recipes.find((r) => r.recipe === recipe)!.metrics, metric);
      assert.ok(m?.kind === 'distribution', `${recipe} ${metric} is a distribution`);
      return distributionMs(m.histogram);
    };

    it('the leader closes, crashes and is paused: each time a new leader; a crash takes over after the expiry; the paused leader is a violation', async (t) => {
      const run = await bench('election-failover', ensemble().connectString, {
        clients: 3,
        leader_closes: 1,
        leader_crashes: 1,
        leader_pauses: 1,
        leader_pause_ms: 3500,
        duration_s: 21,
        warmup_s: 1,
        session_timeout_ms: SESSION_TIMEOUT_MS,
        tick_time_ms: 200,
      });
      assert.equal(run.record.outcome, 'completed');
      assert.deepEqual(run.record.recipes.map((r) => r.recipe), ['predecessor-election', 'exclusive-node-election'], 'the second recipe ran on a fresh process in place of the killed one');
      for (const recipe of ['predecessor-election', 'exclusive-node-election']) {
        const result = run.record.recipes.find((r) => r.recipe === recipe)!;
        t.diagnostic(`${recipe}: ${result.notes?.join(' | ')}`);
        assert.equal(figure(run, recipe, 'failures'), 3);
        assert.equal(figure(run, recipe, 'unrecovered'), 0, 'every failure found a new leader');
        if (figure(run, recipe, 'errors') > 0) t.diagnostic(`${recipe}: ${figure(run, recipe, 'errors')} request error(s), each followed by a campaign on a fresh session (a busy host)`);
        for (const kind of ['close', 'crash', 'pause']) assert.equal(latency(run, recipe, `recovery.${kind}`)?.count, 1, kind);
        const crash = latency(run, recipe, 'recovery.crash')!;
        const detection = latency(run, recipe, 'crash_detection')!;
        const takeover = latency(run, recipe, 'crash_takeover')!;
        t.diagnostic(`${recipe}: close ${latency(run, recipe, 'recovery.close')!.max} ms, crash ${crash.max} = ${detection.max} + ${takeover.max} ms, pause ${latency(run, recipe, 'recovery.pause')!.max} ms, violations ${figure(run, recipe, 'violations')} for ${figure(run, recipe, 'violation_time')} ms`);
        // ZooKeeper expires a session a full timeout after the last packet it got from it, and an idle C
        // client pings every third of the timeout: no crash can be detected, nor taken over, sooner.
        assert.ok(detection.min >= (2 / 3) * SESSION_TIMEOUT_MS, `detection ${detection.min} ms, session timeout ${SESSION_TIMEOUT_MS} ms`);
        assert.ok(crash.min >= detection.min, 'the takeover follows the expiry');
        assert.ok(Math.abs(crash.mean - (detection.mean + takeover.mean)) <= 0.002 * crash.mean + 0.01, 'recovery.crash = detection + takeover');
        // The paused leader was replaced while stopped, and woke believing it led: an overlap. (A session
        // expiring on its own on a very busy host would be one more, rightly: hence at least one.)
        assert.ok(figure(run, recipe, 'violations') >= 1, 'the paused leader is counted');
        assert.ok(figure(run, recipe, 'violation_time') > 0);
        assert.equal(result.violations.length, figure(run, recipe, 'violations'));
        assert.equal(latency(run, recipe, 'pause_wake_to_loss')?.count, 1, 'the paused leader learned it lost, after waking');
      }
    });
  });
});
