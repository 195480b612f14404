// The client layer against real servers: numeric error codes, watchers that never see session events,
// session state, per-session counters, and a clear refusal when the server limits connections.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diagnoseSessionRefusal } from '../../src/ensemble/diagnose.ts';
import { ZNODEEXISTS, ZNONODE, ZOO_EPHEMERAL } from '../../src/zk/binding.ts';
import { ZkError } from '../../src/zk/errors.ts';
import { closeSessions, openSessions, SessionsRefusedError } from '../../src/zk/open-sessions.ts';
import { ZkSession, type SessionState, type WatchEvent } from '../../src/zk/session.ts';
import { sharedEnsemble } from '../helpers/ensemble.ts';

const waitFor = async (what: string, cond: () => boolean, ms = 20_000): Promise<void> => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('ZkSession on a 1-server ensemble', { concurrency: 1 }, () => {
  const ensemble = sharedEnsemble({ servers: 1 });

  it('rejects with ZkError carrying the numeric code', async () => {
    const s = await ZkSession.open({ connect: ensemble().connectString, sessionTimeoutMs: 10_000 });
    try {
      await s.create('/codes');
      await assert.rejects(s.create('/codes'), (e: unknown) => e instanceof ZkError && e.code === ZNODEEXISTS && e.codeName === 'ZNODEEXISTS');
      await assert.rejects(s.delete('/codes/missing'), (e: unknown) => e instanceof ZkError && e.code === ZNONODE);
      assert.equal(await s.exists('/codes/missing'), null);
      assert.equal(s.counters.requests.create, 2);
      assert.equal(s.counters.requests.delete, 1);
      assert.equal(s.counters.requests.exists, 1);
      await s.delete('/codes');
    } finally {
      s.close();
    }
    // a closed handle is never used again: calls fail at once
    await assert.rejects(s.create('/after-close'), (e: unknown) => e instanceof ZkError);
  });

  it('keeps session events away from watchers and surfaces the session state', async () => {
    const e = ensemble();
    const owner = await ZkSession.open({ connect: e.connectString, sessionTimeoutMs: 30_000 });
    const watcher = await ZkSession.open({ connect: e.connectString, sessionTimeoutMs: 30_000 });
    try {
      await owner.create('/watched', '', ZOO_EPHEMERAL);
      const events: WatchEvent[] = [];
      const states: SessionState[] = [];
      watcher.onStateChange((st) => states.push(st));
      assert.ok(await watcher.exists('/watched', (ev) => events.push(ev)));
      assert.equal(watcher.counters.watchesSet, 1);

      // Lose the server: the C client sends a session event to every path watcher; ours must not see it.
      await e.stopServer(1);
      await waitFor('disconnection', () => watcher.state === 'disconnected');
      await e.restartServer(1);
      await waitFor('reconnection', () => watcher.state === 'connected' && owner.state === 'connected');
      assert.deepEqual(events, []);
      assert.ok(states.includes('disconnected') && states.at(-1) === 'connected');

      await owner.delete('/watched');
      await waitFor('the deletion event', () => events.length === 1);
      assert.deepEqual(events, [{ type: 'deleted', path: '/watched' }]);
      assert.equal(watcher.counters.notifications, 1);
    } finally {
      owner.close();
      watcher.close();
    }
  });
});

describe('a server that limits connections per address', { concurrency: 1 }, () => {
  const ensemble = sharedEnsemble({ servers: 1, maxClientCnxns: 5 });

  it('ends in a SessionsRefusedError that names maxClientCnxns and the fix', async () => {
    const connect = ensemble().connectString;
    await assert.rejects(
      openSessions({ connect, sessionTimeoutMs: 10_000, connectTimeoutMs: 3000, count: 12, parallelism: 4, diagnose: () => diagnoseSessionRefusal(connect) }),
      (e: unknown) => e instanceof SessionsRefusedError && /maxClientCnxns=5/.test(e.message) && /maxClientCnxns=0/.test(e.message),
    );
    // what was opened was closed again: the server takes the full quota once more
    const again = await openSessions({ connect, sessionTimeoutMs: 10_000, connectTimeoutMs: 5000, count: 5 });
    closeSessions(again);
  });
});
