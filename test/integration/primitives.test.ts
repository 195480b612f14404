// The primitives scenario on a real ensemble: every operation timed on one session, and the run's
// AbortSignal left as it was found (tinybench never removes its listeners).
import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { takeServerView, type WindowEdge } from '../../src/ensemble/server-view.ts';
import { RunClock } from '../../src/measure/clock.ts';
import { scalarValue } from '../../src/measure/metrics.ts';
import { runRecipe } from '../../src/scenarios/primitives/coordinator.ts';
import { PRIMITIVE_OPS } from '../../src/scenarios/primitives/ops.ts';
import { WorkerPool } from '../../src/workers/pool.ts';
import { ZkSession } from '../../src/zk/session.ts';
import { deleteTree, ensurePath } from '../../src/zk/tree.ts';
import { sharedEnsemble } from '../helpers/ensemble.ts';
import { loadWorkload } from '../../src/scenarios/catalog.ts';

const quiet = { recipeStart: () => undefined, phase: () => undefined, tick: () => undefined };

describe('primitives scenario', { concurrency: 1 }, () => {
  const ensemble = sharedEnsemble({ servers: 1 });
  const namespace = '/zkbench-test-primitives';
  let admin: ZkSession | undefined;
  before(async () => {
    admin = await ZkSession.open({ connect: ensemble().connectString, sessionTimeoutMs: 10_000 });
    await ensurePath(admin, namespace);
  });
  after(async () => {
    if (admin) await deleteTree(admin, namespace).catch(() => undefined);
    admin?.close();
  });

  it('times every operation and leaves no abort listener behind on the run signal', async () => {
    const { workload } = loadWorkload('primitives', { duration_s: 0.2, warmup_s: 0.05, servers: 1 });
    const run = new AbortController();
    const pool = WorkerPool.start(0);
    const sessions = { connect: ensemble().connectString, sessionTimeoutMs: 10_000, connectTimeoutMs: 10_000, serversResolutionDelayMs: -1 };
    const ctx = { workload, pool, admin: admin!, namespace, clock: new RunClock(process.hrtime.bigint()), sessions, progress: quiet, signal: run.signal, serverCpuSeconds: async () => new Map<number, number>(), serverView: (edge: WindowEdge) => takeServerView(ensemble(), edge) };
    const listenersBefore = getEventListeners(run.signal, 'abort').length;
    try {
      // Twice over every operation: more than the default limit of 10 listeners if each left one.
      for (const op of [...PRIMITIVE_OPS, ...PRIMITIVE_OPS]) {
        const [r] = await runRecipe(ctx, op);
        assert.ok(r);
        assert.ok((scalarValue(r.metrics, 'requests') ?? 0) > 0, `${op} requests`);
        assert.equal(scalarValue(r.metrics, 'errors'), 0, `${op} errors`);
        assert.equal(getEventListeners(run.signal, 'abort').length, listenersBefore, `abort listeners after ${op}`);
      }
    } finally {
      await pool.close();
    }
  });
});
