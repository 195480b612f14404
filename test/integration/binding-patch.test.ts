// After `npm run setup`, the zookeeper addon that loads is zkbench's patched build, and it works.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import { spawnSync } from 'node:child_process';
import { BINDING_PATCH, EXPECTED_BINDING_PATCH } from '../../src/zk/binding.ts';
import { ZkSession } from '../../src/zk/session.ts';
import { sharedEnsemble } from '../helpers/ensemble.ts';

const require = createRequire(import.meta.url);

describe('the patched zookeeper addon', { concurrency: 1 }, () => {
  const ensemble = sharedEnsemble({ servers: 1 });

  it('is the build that loads (patch marker present)', () => {
    assert.equal(BINDING_PATCH, EXPECTED_BINDING_PATCH);
    assert.equal((require('zookeeper') as { constants: Record<string, number> }).constants['ZKBENCH_PATCH'], EXPECTED_BINDING_PATCH);
  });

  it("writes the binding's and the C client's logs to stderr, never to stdout (where results go)", () => {
    // Debug level makes both log on every poll; the session connects, then the process exits.
    const script = `
      const ZooKeeper = require('zookeeper');
      const zk = new ZooKeeper({ connect: ${JSON.stringify(ensemble().connectString)}, timeout: 5000, debug_level: ZooKeeper.constants.ZOO_LOG_LEVEL_DEBUG });
      zk.on('connect', () => { zk.close(); setTimeout(() => process.exit(0), 200); });
      zk.init({});
      setTimeout(() => process.exit(3), 10000);`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 20_000 });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /yield/); // the binding's own LOG_DEBUG lines
    assert.match(r.stderr, /ZOO_DEBUG/); // the C client's
    assert.equal(r.stdout, '');
  });

  it('serves requests with and without name re-resolution', async () => {
    for (const serversResolutionDelayMs of [-1, 0, 1000]) {
      const s = await ZkSession.open({ connect: ensemble().connectString, sessionTimeoutMs: 10_000, serversResolutionDelayMs });
      try {
        const path = await s.create(`/patch-${serversResolutionDelayMs + 1}`, 'x');
        // many requests in flight at once: each goes out as one gathered send
        await Promise.all(Array.from({ length: 200 }, (_, i) => s.set(path, `v${i}`)));
        const { data, stat } = await s.get(path);
        assert.equal(stat.version, 200);
        assert.match(data.toString(), /^v\d+$/);
        await s.delete(path);
      } finally {
        s.close();
      }
    }
  });
});
