// One contender at a time, on a real server: giving up leaves no node behind, and a waiter whose session
// dies is told so instead of waiting forever, for every recipe.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LOCK_RECIPES, AcquireAbortedError } from '../../src/recipes/lock/index.ts';
import { ZkError } from '../../src/zk/errors.ts';
import { ZkSession } from '../../src/zk/session.ts';
import { deleteTree, ensurePath } from '../../src/zk/tree.ts';
import { sharedEnsemble } from '../helpers/ensemble.ts';
import { within } from '../helpers/wait.ts';

describe('lock contenders on a 1-server ensemble', { concurrency: 1 }, () => {
  const ensemble = sharedEnsemble({ servers: 1 });
  const open = () => ZkSession.open({ connect: ensemble().connectString, sessionTimeoutMs: 10_000 });

  for (const recipe of LOCK_RECIPES.values()) {
    it(`${recipe.id}: a waiter that gives up withdraws, one whose session closes fails, the holder is unaffected`, async () => {
      const admin = await open();
      const [a, b, c] = await Promise.all([open(), open(), open()]);
      const lockPath = `/contenders/${recipe.id}`;
      await ensurePath(admin, lockPath);
      try {
        const holder = recipe.contender(a, lockPath);
        await within('the holder acquiring a free lock', holder.acquire(new AbortController().signal));
        const childrenWhileHeld = (await admin.getChildren(lockPath)).length;

        // b waits, then gives up: it must leave no node behind
        const giveUp = new AbortController();
        const waiting = recipe.contender(b, lockPath).acquire(giveUp.signal);
        await new Promise((r) => setTimeout(r, 200));
        giveUp.abort('give-up');
        await assert.rejects(within('the given-up wait ending', waiting), (e: unknown) => e instanceof AcquireAbortedError && e.reason === 'give-up');
        assert.equal((await admin.getChildren(lockPath)).length, childrenWhileHeld);

        // c waits, then its session goes away: the wait ends with a ZooKeeper error, not never
        const doomed = recipe.contender(c, lockPath).acquire(new AbortController().signal);
        await new Promise((r) => setTimeout(r, 200));
        c.close();
        await assert.rejects(within('the wait of a closed session ending', doomed), (e: unknown) => e instanceof ZkError);

        await holder.release();
        // the lock is free again: a new contender gets it at once
        const next = recipe.contender(b, lockPath);
        await next.acquire(AbortSignal.timeout(5000));
        await next.release();
      } finally {
        for (const s of [a, b, c]) s.close();
        await deleteTree(admin, '/contenders', 15_000);
        admin.close();
      }
    });
  }
});
