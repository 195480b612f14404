// lock-contention with `warmup_until: queued` on a real ensemble: the measured window opens only once
// every contender has queued. Two witnesses: the load processes' own stamps (queue_formed_s is never after
// measure_from_s), and the servers, asked for their watches the moment the window opens: every waiter's
// watch is already there (with a long hold the queue stands still, so the count is exact).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mntrNumber } from '../../src/ensemble/mntr.ts';
import { bench, figure } from '../helpers/bench.ts';
import { sharedEnsemble } from '../helpers/ensemble.ts';

const CLIENTS = 300;

describe('warmup_until: queued', { concurrency: 1 }, () => {
  const ensemble = sharedEnsemble();

  for (const recipe of ['predecessor', 'exclusive-node']) {
    it(`${recipe}: the measured window opens after every client queued, with every waiter's watch on the servers`, async () => {
      const run = await bench('lock-contention', ensemble().connectString, {
        clients: CLIENTS,
        recipes: recipe,
        warmup_s: 0,
        warmup_until: 'queued',
        duration_s: 0.5,
        hold_ms: 2000, // the first holder holds past the window: the queue is the same at its start and its end
        workers: 2,
      });
      const formed = figure(run, recipe, 'queue_formed_s');
      const from = figure(run, recipe, 'measure_from_s');
      assert.ok(formed > 0, `the queue took time to form (${formed} s)`);
      assert.ok(from >= formed, `measured from ${from} s, the queue formed at ${formed} s`);

      const view = run.record.recipes.find((r) => r.recipe === recipe)!.serverView;
      assert.ok(view, 'the servers were asked when the window opened');
      const watches = view.start.servers.reduce((sum, s) => sum + (mntrNumber(s.mntr, 'watch_count') ?? Number.NaN), 0);
      // One waiter holds the lock and watches nothing; every other has its one watch armed.
      assert.equal(watches, CLIENTS - 1, `watches on the servers when the window opened`);
    });
  }
});
