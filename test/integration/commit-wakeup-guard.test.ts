// Embedded servers run beside the ZOOKEEPER-4537 guard (src/ensemble/server-launcher) unless it is
// turned off, and serve normally either way.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, it } from 'node:test';
import { ZkSession } from '../../src/zk/session.ts';
import { sharedEnsemble } from '../helpers/ensemble.ts';

/** Thread names of a process (Linux truncates each to 15 bytes). */
function threadNames(pid: number): string[] {
  return fs.readdirSync(`/proc/${pid}/task`).map((tid) => fs.readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim());
}

const commandLine = (pid: number) => fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');

async function writeAndRead(connect: string): Promise<void> {
  const s = await ZkSession.open({ connect, sessionTimeoutMs: 10_000 });
  try {
    await s.create('/guarded', 'x');
    await s.set('/guarded', 'y');
    assert.equal((await s.get('/guarded')).data.toString(), 'y');
    await s.delete('/guarded');
  } finally {
    s.close();
  }
}

describe('the commit wake-up guard', { concurrency: 1 }, () => {
  describe('on (the default)', () => {
    const ensemble = sharedEnsemble({ servers: 3 });
    it('runs in every server JVM, which still names QuorumPeerMain on its command line', async () => {
      for (const s of ensemble().servers) {
        assert.ok(s.pid !== undefined);
        const args = commandLine(s.pid);
        assert.ok(args.includes('ZkbenchServer'), args.join(' '));
        assert.ok(args.includes('org.apache.zookeeper.server.quorum.QuorumPeerMain'));
        assert.ok(args.includes('-Dzkbench.commitWakeupGuardMs=1'));
        assert.ok(threadNames(s.pid).includes('zkbench-commit-'), `no guard thread in server ${s.id}`);
      }
      await writeAndRead(ensemble().connectString);
    });
  });

  describe('off (commitWakeupGuardMs: 0)', () => {
    const ensemble = sharedEnsemble({ servers: 1, commitWakeupGuardMs: 0 });
    it('runs the server as installed', async () => {
      const s = ensemble().servers[0]!;
      assert.ok(s.pid !== undefined);
      assert.ok(!commandLine(s.pid).includes('ZkbenchServer'));
      assert.ok(!threadNames(s.pid).includes('zkbench-commit-'));
      await writeAndRead(ensemble().connectString);
    });
  });
});
