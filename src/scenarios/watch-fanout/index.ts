// watch-fanout: N watcher sessions hold a watch on one znode and a writer changes it (SPEC §2 "Watch
// family", issue 8): how long one change takes to reach each watcher and the last of them, and what
// one-shot watches lose when updates outpace re-arming. One run sweeps the number of watchers; every
// recipe (watch style) runs at every point. The declaration; coordinator and load side load lazily.
import { countMetric, latencyMetric, type MetricInfo } from '../../measure/metric-info.ts';
import { WATCH_RECIPE_INFO } from '../../recipes/watch/catalog.ts';
import type { Workload } from '../../workload/schema.ts';
import type { Scenario } from '../scenario.ts';
import type { WorkloadIssues } from '../../workload/vocabulary.ts';
import { SLOW_KINDS, type SlowKind } from './plan.ts';
import { fanoutTable } from './table.ts';
import { externalRecipe, externalRecipesOf } from '../../drivers/catalog.ts';
import { WatchFanoutWorkload } from './workload.ts';
import { fanoutReport } from './report.ts';

/**
 * Watch events one load process receives per second before its loop runs late (data-watch, re-arm
 * included, on the 2-core machine the suite is tuned on); beyond it `rate` measures the driver.
 */
export const EVENTS_PER_S_PER_PROCESS = 20_000;
/**
 * setData requests a second one writer session can have answered here (the ensemble's write capacity on
 * the 2-core machine, reference/RESULTS.md: ~14k/s from pipelined Java clients); a rate above it would
 * measure the writer's queue, not the watches.
 */
export const WRITER_RATE_CEILING = 10_000;
const latency = latencyMetric;
const METRICS: Record<string, MetricInfo> = {
  notify_from_send: latency(),
  notify_from_ack: latency(),
  notify_before_ack: latency(),
  notify_before_ack_share: countMetric('share of events'),
  'notify_from_ack.signed_p50': countMetric('ms'),
  'notify_from_ack.signed_p99': countMetric('ms'),
  fanout_last: latency(),
  rearm: latency(),
  unwatched: latency(),
  send_lag: latency(),
  updates: countMetric(),
  notifications: countMetric(),
  armed: countMetric('pairs'),
  armed_per_update: countMetric('watchers'),
  coalesced: countMetric(),
  coalesced_rate: countMetric('share of updates'),
  missed: countMetric(),
  unobserved: countMetric('pairs'),
  fanout_incomplete: countMetric('updates'),
  fanout_none_armed: countMetric('updates'),
  late_sends: countMetric(),
  unmatched: countMetric(),
  anomalies: countMetric(),
  update_rate: countMetric('updates/s'),
  paced_timeouts: countMetric(),
  watchers_lost: countMetric(),
  writer_errors: countMetric(),
  'slow.notify_from_send': latency(),
  'slow.notify_from_ack.signed_p50': countMetric('ms'),
  'slow.rearm': latency(),
  'slow.unwatched': latency(),
  'slow.notifications': countMetric(),
  'slow.coalesced': countMetric(),
};

/** Cross-field checks at load time (the fields' own bounds are checked before). */
export function checkWatchFanout(wl: Workload, issues: WorkloadIssues): void {
  const w = wl as WatchFanoutWorkload;
  if (w.durationS === undefined) issues.error('the watch-fanout scenario is time-bound: set "duration_s" (measured seconds per recipe and watcher count), not "acquisitions"');
  const largest = Math.max(...w.watchers);
  if (largest > w.clients) {
    issues.error(
      `"watchers" asks for ${largest} but "clients" is ${w.clients}: in watch-fanout, clients is the most watcher sessions a run may open ` +
        `(each watcher has its own session, the writer one more); raise clients to ${largest} (--clients ${largest}) or drop the larger points`,
    );
  }
  if (w.pacing === 'rate' && w.ratePerS === undefined) issues.error('pacing "rate" needs "rate_per_s" (updates per second, e.g. --rate-per-s 100)');
  if (w.pacing === 'paced' && w.ratePerS !== undefined) issues.warn(`rate_per_s (${w.ratePerS} updates/s) is ignored: pacing is "paced" (the next update waits for every watcher to re-arm)`);
  const smallest = Math.min(...w.watchers);
  if (w.slowWatchers > smallest) {
    issues.error(`"slow_watchers" (${w.slowWatchers}) is more than the smallest sweep point (${smallest} watchers): lower it or drop that point`);
  }
  const external = w.recipes.filter((r) => externalRecipe(r) !== undefined);
  if (w.slowWatchers > 0 && external.length > 0) {
    issues.error(`"slow_watchers": the external recipes' drivers have no slow watchers (${external.join(', ')}); set slow_watchers 0 or run them in a workload of their own`);
  }
  if (w.slowWatchers > 0 && w.slowWatcherDelayMs <= 0) issues.error('"slow_watchers" needs "slow_watcher_delay_ms" above 0 (how slow they are)');
  if (w.slowWatchers > 0 && w.slowWatcherKind === 'link' && w.slowWatcherDelayMs * 3 >= w.sessionTimeoutMs) {
    issues.error(
      `a slow link of ${w.slowWatcherDelayMs} ms delays the slow watchers' pings too: keep slow_watcher_delay_ms below a third of session_timeout_ms (${w.sessionTimeoutMs}), or their sessions expire`,
    );
  }
  if (w.ratePerS !== undefined && w.ratePerS > WRITER_RATE_CEILING) {
    issues.error(
      `rate_per_s ${w.ratePerS} is more than one writer session gets answered (~${WRITER_RATE_CEILING} setData/s here): ` +
        'the figures would time the writer\'s queue, not the watches; lower rate_per_s',
    );
  }
  if (w.pacing === 'rate' && w.ratePerS !== undefined) {
    // workers 0 is resolved later (from the cores and where the servers run): at least one process.
    const processes = Math.max(1, w.workers);
    const events = w.ratePerS * largest;
    if (events > EVENTS_PER_S_PER_PROCESS * processes) {
      issues.warn(
        `rate_per_s ${w.ratePerS} updates/s to ${largest} watchers asks ${processes} load process(es) to receive up to ${events} events/s, ` +
          `more than the ~${EVENTS_PER_S_PER_PROCESS} events/s one process takes here: the figures at that point will include the driver's queueing (see driver.saturated)`,
      );
    }
  }
}

export const watchFanout: Scenario = {
  id: 'watch-fanout',
  summary: 'N watchers hold a watch on one znode, a writer changes it: notify latency per watcher, the last of N, coalescing; sweeps N',
  recipes: { ...Object.fromEntries(Object.entries(WATCH_RECIPE_INFO).map(([id, info]) => [id, info.summary])), ...externalRecipesOf('watch') },
  fields: [
    {
      key: 'watchers',
      prop: 'watchers',
      type: { kind: 'integer-list', min: 1, max: 100_000 },
      required: true,
      help: 'watcher sessions, a sweep (e.g. 10,100,1000): every recipe runs at every count; each must be <= clients',
    },
    { key: 'pacing', prop: 'pacing', type: { kind: 'enum', values: ['paced', 'rate'] }, default: 'paced', help: 'paced: the next update once every watcher re-armed; rate: rate_per_s updates a second whatever the watchers do' },
    { key: 'rate_per_s', prop: 'ratePerS', type: { kind: 'number', min: 0, exclusiveMin: true }, help: 'pacing rate: updates per second (open loop)' },
    { key: 'slow_watchers', prop: 'slowWatchers', type: { kind: 'integer', min: 0 }, default: 0, help: 'watchers made slow on purpose at every point (their figures: slow.*)' },
    { key: 'slow_watcher_delay_ms', prop: 'slowWatcherDelayMs', type: { kind: 'number', min: 0 }, default: 50, help: 'how slow: the slow link\'s delay, or the time spent on each event before re-arming' },
    {
      key: 'slow_watcher_kind',
      prop: 'slowWatcherKind',
      type: { kind: 'enum', values: SLOW_KINDS },
      default: 'link',
      help: 'link: what the servers send them arrives late (shows in notify latency); rearm: they re-arm late (updates coalesce)',
    },
  ],
  unit: 'updates',
  mainFigure: 'notify_from_send',
  metrics: METRICS,
  check: checkWatchFanout,
  resultsPerRecipe: (w) => (w as WatchFanoutWorkload).watchers.length,
  report: fanoutReport,
  table: fanoutTable,
  coordinator: () => import('./coordinator.ts'),
  loadSide: () => import('./clients.ts'),
};
