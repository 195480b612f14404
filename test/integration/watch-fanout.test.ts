// The watch-fanout scenario on a real 3-server ensemble, through the bench runner: a sweep of watcher
// counts over two load processes, paced (the writer waits for every watcher of both processes: nothing
// coalesces, every armed watcher is notified of every update), with a watcher slowed by a delaying link
// (its events really arrive late: its notify latency is at least the delay); and a rate faster than a
// slow watcher re-arms (what it never sees is counted as coalesced). Counts and lower bounds only.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, describe, it } from 'node:test';
import { findMetric, scalarValue } from '../../src/measure/metrics.ts';
import type { RecipeResult } from '../../src/results/recipe-result.ts';
import { bench, resultsParent } from '../helpers/bench.ts';
import { sharedEnsemble } from '../helpers/ensemble.ts';

const SLOW_MS = 30;

const value = (r: RecipeResult, metric: string): number => {
  const v = scalarValue(r.metrics, metric);
  if (v === undefined) throw new Error(`no ${metric} in ${r.recipe}@${r.watchers}`);
  return v;
};

const minMs = (r: RecipeResult, metric: string): number => {
  const m = findMetric(r.metrics, metric);
  if (m?.kind !== 'distribution' || m.histogram.totalCount === 0) throw new Error(`no ${metric} samples in ${r.recipe}@${r.watchers}`);
  return m.histogram.minNonZeroValue / 1000;
};

describe('watch-fanout scenario', { concurrency: 1 }, () => {
  const ensemble = sharedEnsemble();
  after(() => fs.rmSync(resultsParent, { recursive: true, force: true }));

  it('paced over two processes: every watcher notified of every update, nothing coalesced, a slow link shows in its notify latency', async () => {
    const run = await bench('watch-fanout', ensemble().connectString, {
      watchers: '3,8',
      clients: 8,
      workers: 2,
      duration_s: 1.5,
      warmup_s: 0.5,
      slow_watchers: 1,
      slow_watcher_delay_ms: SLOW_MS,
      slow_watcher_kind: 'link',
      replace_thresholds: {},
    });
    assert.equal(run.record.outcome, 'completed');
    const results = run.record.recipes;
    assert.deepEqual(
      results.map((r) => `${r.recipe}@${r.watchers}`),
      ['data-watch@3', 'data-watch@8', 'exists-watch@3', 'exists-watch@8', 'child-watch@3', 'child-watch@8'],
    );
    for (const r of results) {
      const where = `${r.recipe}@${r.watchers}`;
      const updates = value(r, 'updates');
      assert.ok(updates > 0, `${where}: updates`);
      assert.equal(value(r, 'coalesced'), 0, `${where}: paced coalesces nothing`);
      assert.equal(value(r, 'paced_timeouts'), 0, `${where}: the writer never went on without every watcher`);
      assert.equal(value(r, 'armed'), updates * r.watchers!, `${where}: every watcher armed for every update`);
      assert.equal(value(r, 'notifications'), updates * r.watchers!, `${where}: every armed watcher notified`);
      assert.equal(value(r, 'missed'), 0);
      assert.equal(value(r, 'anomalies'), 0);
      assert.equal(value(r, 'watchers_lost'), 0);
      assert.equal(value(r, 'fanout_incomplete'), 0);
      assert.equal(value(r, 'slow.notifications'), updates, `${where}: the slow watcher got every update too`);
      // The slow watcher's events crossed a link that holds them SLOW_MS: never faster than that.
      assert.ok(minMs(r, 'slow.notify_from_send') >= SLOW_MS, `${where}: slow watcher notify_from_send min ${minMs(r, 'slow.notify_from_send')} ms`);
      assert.ok(minMs(r, 'fanout_last') >= SLOW_MS, `${where}: the last of N is the slow one`);
      assert.match(r.notes!.join('\n'), new RegExp(`writer in load process 0; ${r.watchers} watchers over 2 load processes`));
      assert.match(r.notes!.join('\n'), /1 of \d+ watchers slow on purpose \(everything the servers send them arrives 30 ms late\)/);
    }
  });

  it('rate faster than a slow watcher re-arms: what it never saw is coalesced, and said to be', async () => {
    const run = await bench('watch-fanout', ensemble().connectString, {
      recipes: 'data-watch',
      watchers: '4',
      clients: 4,
      workers: 1,
      duration_s: 1.5,
      warmup_s: 0.5,
      pacing: 'rate',
      rate_per_s: 100,
      slow_watchers: 1,
      slow_watcher_delay_ms: 60,
      slow_watcher_kind: 'rearm',
      replace_thresholds: {},
    });
    const [r] = run.record.recipes;
    assert.ok(r);
    const updates = value(r, 'updates');
    assert.ok(updates > 0);
    assert.ok(value(r, 'slow.coalesced') > 0, 'the slow watcher coalesced updates');
    assert.ok(value(r, 'coalesced') >= value(r, 'slow.coalesced'));
    assert.ok(value(r, 'slow.notifications') < updates, 'the slow watcher was not notified of every update');
    assert.equal(value(r, 'anomalies'), 0);
    assert.equal(value(r, 'watchers_lost'), 0);
    assert.match(r.notes!.join('\n'), /writer and 4 watchers in one load process/);
    assert.match(r.notes!.join('\n'), /60 ms on each event before re-arming/);
  });
});
