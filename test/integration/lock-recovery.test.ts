// recovery: resume vs restart-session (issue 9 point 3), on a real 3-server ensemble. A waiter's connection
// loses every answer from its servers (nftables drops their client port's packets to the clients), just as
// it creates its queue node: the create is applied but its answer lost. Under `resume` the waiter waits
// out the loss, finds its node again by the protection prefix and keeps its place: it acquires after the
// contender queued before it, and the queue never holds a second node of its. Under `restart-session` the
// acquisition fails with the connection loss and the node it cannot know about stays in the queue.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { tableScript, usableNft } from '../../src/ensemble/faults/nftables.ts';
import { connectStringOf } from '../../src/ensemble/queries.ts';
import { LOCK_RECIPES, type Recovery } from '../../src/recipes/lock/index.ts';
import { isConnectionLoss } from '../../src/recipes/lock/recovery.ts';
import { ZkSession, type SessionState } from '../../src/zk/session.ts';
import { deleteTree, ensurePath } from '../../src/zk/tree.ts';
import { sharedEnsemble } from '../helpers/ensemble.ts';
import { pollUntil, within } from '../helpers/wait.ts';

// Long enough that a busy host (a CPU hog beside the suite) does not time out the sessions on server 1: the
// cut waiter still loses its connection after two thirds of it.
const SESSION_TIMEOUT_MS = 10_000;
const QUEUE_RECIPES = ['predecessor', 'children-watch', 'predecessor-unchecked'] as const;

/** One-way cut: every packet from the given servers' client ports to the clients is dropped (this process's own table). */
class AnswerCut {
  private readonly nft = usableNft().nft;
  // Named as the fault layer names its tables, so a stale one left by a killed test is found and removed by it.
  readonly table = `zkbench_${process.pid}_${randomBytes(4).toString('hex')}`;
  private live = false;

  cut(servers: readonly { host: string; clientPort: number }[]): void {
    const rules = servers.map((s) => `ip saddr ${s.host} tcp sport ${s.clientPort} drop`);
    execFileSync(this.nft, ['-f', '-'], { input: tableScript(this.table, rules) });
    this.live = true;
  }

  heal(): void {
    if (!this.live) return;
    execFileSync(this.nft, ['delete', 'table', 'inet', this.table]);
    this.live = false;
  }
}

/** Resolves once `session` is in state `wanted`; rejects naming it after the deadline. */
function untilState(session: ZkSession, wanted: SessionState, who: string): Promise<void> {
  let off = (): void => undefined;
  const reached = new Promise<void>((resolve) => {
    if (session.state === wanted) return resolve();
    off = session.onStateChange((s) => s === wanted && resolve());
  });
  return within(`${who}'s session ${wanted} (it is ${session.state})`, reached).finally(() => off());
}

const untilChildren = (admin: ZkSession, path: string, n: number): Promise<string[]> =>
  pollUntil(`${n} nodes in ${path}`, () => admin.getChildren(path), (children) => children.length >= n);

describe('lock recovery across a lost connection (3 servers)', { concurrency: 1 }, () => {
  const ensemble = sharedEnsemble({ servers: 3 });
  const answers = new AnswerCut();
  after(() => answers.heal());

  /** Holder and first waiter on server 1; the waiter under test on servers 2 and 3, whose answers are cut. */
  async function scene(recipeId: string, recovery: Recovery) {
    const [s1, s2, s3] = ensemble().servers;
    const open = (servers: typeof s1[]) => ZkSession.open({ connect: connectStringOf(servers as never), sessionTimeoutMs: SESSION_TIMEOUT_MS });
    const [admin, h, w1, w] = await Promise.all([open([s1!]), open([s1!]), open([s1!]), open([s2!, s3!])]);
    const lockPath = `/recovery/${recipeId}-${recovery}`;
    await ensurePath(admin, lockPath);
    const recipe = LOCK_RECIPES.get(recipeId as never)!;
    const holder = recipe.contender(h, lockPath, recovery);
    await within('the holder acquiring', holder.acquire(new AbortController().signal));
    const first = recipe.contender(w1, lockPath, recovery);
    const order: string[] = [];
    const firstHeld = first.acquire(new AbortController().signal).then((held) => (order.push('first'), held));
    const before = await untilChildren(admin, lockPath, 2);
    answers.cut([s2!, s3!]);
    const disconnected = untilState(w, 'disconnected', 'the waiter');
    disconnected.catch(() => undefined); // awaited by the tests that need it; a rejection is theirs to report
    const waiter = recipe.contender(w, lockPath, recovery);
    const waiting = waiter.acquire(new AbortController().signal);
    waiting.then(() => order.push('waiter'), () => undefined);
    return {
      admin, h, w1, w, lockPath, before, holder, first, firstHeld, waiter, waiting, order, disconnected,
      close: async () => {
        answers.heal();
        for (const s of [h, w1, w]) s.close();
        await deleteTree(admin, lockPath, 15_000).catch(() => undefined);
        admin.close();
      },
    };
  }

  for (const recipeId of QUEUE_RECIPES) {
    it(`${recipeId}, resume: a create whose answer was lost keeps its node and its place in the queue`, async () => {
      const s = await scene(recipeId, 'resume');
      try {
        await s.disconnected; // the waiter's connection is lost with its create's answer
        const queued = await untilChildren(s.admin, s.lockPath, 3);
        const mine = queued.filter((c) => !s.before.includes(c));
        assert.equal(mine.length, 1, `queue: ${queued.join(', ')}`);
        answers.heal();
        await untilState(s.w, 'connected', 'the waiter');
        await s.holder.release();
        await within('the first waiter acquiring after the holder released', s.firstHeld);
        // The waiter, queued behind `first`, still waits: its node survived, so its turn is after first's.
        assert.deepEqual(s.order, ['first']);
        const nodesNow = await s.admin.getChildren(s.lockPath);
        assert.equal(nodesNow.length, 2, `queue after the holder left: ${nodesNow.join(', ')}`);
        await s.first.release();
        const held = await within('the waiter acquiring after the first released', s.waiting);
        assert.deepEqual(s.order, ['first', 'waiter']);
        const name = held.path.slice(s.lockPath.length + 1);
        // The node it holds by is the one created while its connection was cut, and the only one it has.
        assert.ok(mine.includes(name), `held by ${name}; created during the cut: ${mine.join(', ')}`);
        assert.deepEqual(await s.admin.getChildren(s.lockPath), [name]);
        await s.waiter.release();
      } finally {
        await s.close();
      }
    });
  }

  it('predecessor, restart-session: the acquisition fails with the lost connection and its node is orphaned in the queue', async () => {
    const s = await scene('predecessor', 'restart-session');
    try {
      await assert.rejects(within('the waiter\'s acquisition failing', s.waiting), (e: unknown) => isConnectionLoss(e));
      answers.heal();
      await untilState(s.w, 'connected', 'the waiter');
      // The create was applied: the queue holds the holder's, first's and an orphan the waiter never learnt of.
      const queue = await s.admin.getChildren(s.lockPath);
      assert.equal(queue.length, 3, `queue: ${queue.join(', ')}`);
      await s.holder.release();
      await within('the first waiter acquiring after the holder released', s.firstHeld);
      await s.first.release();
    } finally {
      await s.close();
    }
  });
});
