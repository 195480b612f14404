// The remote workers' transport on a real ensemble: mailbox messages in order, a message over the chunk
// size split and put back together, and the double barrier letting nobody leave before everyone has.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DoubleBarrier } from '../../src/workers/remote/double-barrier.ts';
import { MailboxReader, MailboxWriter } from '../../src/workers/remote/mailbox.ts';
import { ZkSession } from '../../src/zk/session.ts';
import { deleteTree, ensurePath } from '../../src/zk/tree.ts';
import { sharedEnsemble } from '../helpers/ensemble.ts';
import { until, within } from '../helpers/wait.ts';

describe('remote transport', { concurrency: 1 }, () => {
  const ensemble = sharedEnsemble({ servers: 1 });
  const open = () => ZkSession.open({ connect: ensemble().connectString, sessionTimeoutMs: 10_000 });

  it('delivers every message once, in order, and a 1.3 MB message whole through chunks', async () => {
    const [a, b] = await Promise.all([open(), open()]);
    const root = `/mailbox-${process.pid}`;
    try {
      await ensurePath(a, `${root}/box`);
      await ensurePath(a, `${root}/chunks`);
      const got: unknown[] = [];
      let gone: Error | undefined;
      const reader = new MailboxReader(b, `${root}/box`, `${root}/chunks`, (m) => got.push(m), (e) => (gone = e)).start();
      const writer = new MailboxWriter(a, `${root}/box`, `${root}/chunks`);
      const big = { type: 'result', holds: Array.from({ length: 40_000 }, (_, i) => ({ client: i, tHeld: i * 1e9 + 0.5, note: 'x'.repeat(8) })) };
      const sent: unknown[] = [...Array.from({ length: 20 }, (_, i) => ({ type: 'n', i, big: i === 10 ? big : undefined }))];
      await Promise.all(sent.map((m) => writer.send(m)));
      try {
        await until(`all ${sent.length} messages read`, () => got.length >= sent.length || gone !== undefined);
      } finally {
        reader.stop();
      }
      assert.equal(gone, undefined);
      assert.deepEqual(got, sent);
      assert.deepEqual(await a.getChildren(`${root}/box`), [], 'read messages are deleted');
      assert.deepEqual(await a.getChildren(`${root}/chunks`), [], 'and their chunks');
    } finally {
      await deleteTree(a, root).catch(() => undefined);
      a.close();
      b.close();
    }
  });

  it('double barrier: everyone starts with the ready data; nobody is out of leave() before the last has left', async () => {
    const sessions = await Promise.all([open(), open(), open()]);
    const coordinator = await open();
    const path = `/barrier-${process.pid}`;
    try {
      await ensurePath(coordinator, path);
      const signal = new AbortController().signal;
      const barriers = sessions.map((s, i) => new DoubleBarrier(s, path, `p${i}`));
      const entered = barriers.map((b) => b.enter(signal));
      // Open only once all three are in.
      await until(`all 3 participants in ${path}`, async () => (await coordinator.getChildren(path)).length >= 3);
      await DoubleBarrier.open(coordinator, path, Buffer.from('window'));
      assert.deepEqual((await within('all 3 participants entering', Promise.all(entered))).map((d) => d.toString()), ['window', 'window', 'window']);
      const events: string[] = [];
      const leaving = barriers.slice(0, 2).map((b, i) => b.leave(signal).then(() => events.push(`out ${i}`)));
      await new Promise((r) => setTimeout(r, 300));
      events.push('last leaves');
      await within('the last participant leaving', barriers[2]!.leave(signal));
      await within('the first two participants out of leave()', Promise.all(leaving));
      assert.equal(events[0], 'last leaves', events.join(', '));
    } finally {
      await deleteTree(coordinator, path).catch(() => undefined);
      for (const s of [...sessions, coordinator]) s.close();
    }
  });

  it('double barrier: a participant whose session ends leaves by itself', async () => {
    const [a, b, coordinator] = await Promise.all([open(), open(), open()]);
    const path = `/barrier-dead-${process.pid}`;
    try {
      await ensurePath(coordinator, path);
      const signal = new AbortController().signal;
      const entered = [new DoubleBarrier(a, path, 'a').enter(signal), new DoubleBarrier(b, path, 'b').enter(signal)];
      await until(`both participants in ${path}`, async () => (await coordinator.getChildren(path)).length >= 2);
      await DoubleBarrier.open(coordinator, path, Buffer.from('go'));
      await within('both participants entering', Promise.all(entered));
      b.close(); // its ephemeral node goes with its session
      await within('the survivor leaving after the other\'s session ended', new DoubleBarrier(a, path, 'a').leave(signal));
      assert.deepEqual(await coordinator.getChildren(path), ['ready']);
    } finally {
      await deleteTree(coordinator, path).catch(() => undefined);
      for (const s of [a, b, coordinator]) s.close();
    }
  });
});
