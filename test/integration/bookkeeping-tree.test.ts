// The suite's bookkeeping (ensurePath, deleteTree) rides out a connection lost mid-request, as a fault
// between two recipes causes: the request is in flight on a paused server, the server is then killed and
// started again, and the operation completes once the session is back.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isZkError } from '../../src/zk/errors.ts';
import { ZkSession } from '../../src/zk/session.ts';
import { ensurePath, deleteTree, whenConnected } from '../../src/zk/tree.ts';
import { ZNODEEXISTS } from '../../src/zk/binding.ts';
import { sharedEnsemble } from '../helpers/ensemble.ts';
import { within } from '../helpers/wait.ts';

describe('bookkeeping across a lost connection', () => {
  const ensemble = sharedEnsemble({ servers: 1 });
  let session: ZkSession;
  before(async () => {
    session = await ZkSession.open({ connect: ensemble().connectString, sessionTimeoutMs: 20_000 });
  });
  after(() => session?.close());

  /** Starts `op` while the only server is paused (so it is in flight), then crashes and restarts the server. */
  async function throughCrash<T>(op: () => Promise<T>): Promise<{ value: T; sawLoss: boolean }> {
    let sawLoss = false;
    const off = session.onStateChange((s) => {
      if (s !== 'connected') sawLoss = true;
    });
    try {
      await ensemble().pauseServer(1);
      const pending = op();
      await new Promise((r) => setTimeout(r, 200));
      await ensemble().stopServer(1, { kill: true });
      await ensemble().restartServer(1);
      return { value: await within('the call in flight through the server crash', pending), sawLoss };
    } finally {
      off();
    }
  }

  it('ensurePath completes, and an exclusive node it created before the loss counts as its own', async () => {
    const { sawLoss } = await throughCrash(() => ensurePath(session, '/bk/run-1/data', { exclusive: true }));
    assert.ok(sawLoss, 'the session lost its connection during the call');
    await whenConnected(session);
    assert.ok(await session.exists('/bk/run-1/data'));
    // Without a lost connection, exclusive still means exclusive.
    await assert.rejects(ensurePath(session, '/bk/run-1/data', { exclusive: true }), (err) => isZkError(err, ZNODEEXISTS));
  });

  it('deleteTree completes', async () => {
    await ensurePath(session, '/bk/run-2/a/b');
    const { sawLoss } = await throughCrash(() => deleteTree(session, '/bk/run-2'));
    assert.ok(sawLoss);
    await whenConnected(session);
    assert.equal(await session.exists('/bk/run-2'), null);
  });

  it('a run stopping (the signal the session was opened with) ends the wait for a server at once', async () => {
    const stop = new AbortController();
    const other = await ZkSession.open({ connect: ensemble().connectString, sessionTimeoutMs: 20_000, signal: stop.signal });
    try {
      const lost = new Promise<void>((resolve) => other.onStateChange((s) => s === 'disconnected' && resolve()));
      await ensemble().stopServer(1, { kill: true });
      await within('the client noticing the lost server', lost); // it now waits for a server
      const waiting = whenConnected(other, 60_000);
      stop.abort();
      await assert.rejects(waiting, /stopped while waiting for a server/);
    } finally {
      other.close();
      await ensemble().restartServer(1);
    }
  });

  it('whenConnected rejects once the session is closed', async () => {
    const other = await ZkSession.open({ connect: ensemble().connectString, sessionTimeoutMs: 20_000 });
    other.close();
    await assert.rejects(whenConnected(other, 5000), /closed/);
  });
});
