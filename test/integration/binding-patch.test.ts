// After `npm run setup`, the zookeeper addon that loads is zkbench's patched build, and it works.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import { BINDING_PATCH } from '../../src/zk/binding.ts';
import { ZkSession } from '../../src/zk/session.ts';
import { sharedEnsemble } from '../helpers/ensemble.ts';

const require = createRequire(import.meta.url);

describe('the patched zookeeper addon', { concurrency: 1 }, () => {
  const ensemble = sharedEnsemble({ servers: 1 });

  it('is the build that loads (patch marker present)', () => {
    assert.equal(BINDING_PATCH, 1);
    assert.equal((require('zookeeper') as { constants: Record<string, number> }).constants['ZKBENCH_PATCH'], 1);
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
