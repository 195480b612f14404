// config: seed 000's configuration management. One configuration znode, `readers` sessions holding a data
// watch on it (pinned round robin to the servers, so a lagging server shows), one writer updating it at
// `update_rate` (open loop: each update at its intended start, up to max_in_flight unacknowledged): how long
// until every reader holds an update (converge), and whether a reader ever reads an older version than some
// client already knew (stale_reads). The figures are defined in figures.ts; the writer's own latencies and
// pacing figures in measure/open-loop.ts.
import { countMetric, latencyMetric } from '../../measure/metric-info.ts';
import { scalarValue } from '../../measure/metrics.ts';
import { CONFIG_RECIPE_INFO } from '../../recipes/config/catalog.ts';
import { dist, fmt } from '../../results/table-format.ts';
import type { Workload } from '../../workload/schema.ts';
import { MAX_IN_FLIGHT_FIELD, OPEN_LOOP_METRICS, timeBound } from '../declaration-kit.ts';
import type { Scenario } from '../scenario.ts';
import { ConfigWorkload } from './workload.ts';
import { externalRecipesOf } from '../../drivers/catalog.ts';
import { configReport } from './report.ts';

const FEW_UPDATES = 20;

export const config: Scenario = {
  id: 'config',
  summary: 'readers hold a data watch on one configuration znode, a writer updates it at a rate: convergence and stale reads',
  // A library's cache (CuratorCache, kazoo's DataWatch) is a configuration reader as applications use it.
  recipes: { ...Object.fromEntries(Object.entries(CONFIG_RECIPE_INFO).map(([id, info]) => [id, info.summary])), ...externalRecipesOf('watch') },
  fields: [
    { key: 'readers', prop: 'readers', type: { kind: 'integer', min: 1, max: 100_000 }, required: true, help: 'reader sessions, pinned round robin to the servers (the writer is one more session)' },
    { key: 'update_rate', prop: 'updateRate', type: { kind: 'number', min: 0, exclusiveMin: true, max: 100_000 }, default: 50, help: 'updates per second the writer sends, each at its intended start on a fixed schedule (open loop, up to max_in_flight unacknowledged)' },
    MAX_IN_FLIGHT_FIELD,
  ],
  unit: 'updates',
  mainFigure: 'converge',
  metrics: {
    converge: latencyMetric(),
    converge_from_ack: latencyMetric(),
    converged_before_ack: countMetric('updates'),
    converge_incomplete: countMetric('updates'),
    hold: latencyMetric(),
    reads: countMetric(),
    stale_reads: countMetric(),
    'stale_reads.own': countMetric(),
    'stale_reads.after_ack': countMetric(),
    stale_age: latencyMetric(),
    updates: countMetric(),
    update_rate_achieved: countMetric('updates/s'),
    send_lag: latencyMetric(),
    late_sends: countMetric(),
    notify_from_send: latencyMetric(),
    rearm: latencyMetric(),
    coalesced: countMetric(),
    coalesced_rate: countMetric('share of updates'),
    missed: countMetric(),
    unmatched: countMetric(),
    anomalies: countMetric(),
    undrained: countMetric('readers'),
    zk_ops_per_update: countMetric('requests/update'),
    // the writer's updates: latency from the intended start, service_time from the send (open-loop.ts)
    latency: latencyMetric(),
    ...OPEN_LOOP_METRICS,
  },
  check(w, issues) {
    timeBound('config')(w, issues);
    const c = w as ConfigWorkload;
    if (c.readers + 1 > c.clients) {
      issues.error(`the config scenario opens readers + 1 sessions (the writer): ${c.readers} readers need clients >= ${c.readers + 1}, not ${c.clients}; set "clients" to ${c.readers + 1}`);
    }
    if (c.clients > c.readers + 1) {
      issues.warn(`clients is ${c.clients} sessions but the config scenario opens ${c.readers + 1} sessions (the readers and the writer); the load processes were chosen for ${c.clients} sessions`);
    }
    const planned = c.updateRate * (c.durationS ?? 0);
    if (planned < FEW_UPDATES) {
      issues.warn(`${c.updateRate} updates/s for ${c.durationS} s is ${Math.floor(planned)} measured updates: converge percentiles rest on fewer than ${FEW_UPDATES} updates`);
    }
  },
  report: configReport,
  table(run) {
    const header = ['recipe', 'converge p50', 'p99', 'max', 'hold p99', 'write p99', 'stale reads', 'after ack', 'own', 'reads', 'coalesced', 'updates/s', 'errors'];
    const rows = run.recipes.map((r) => {
      const c = dist(r.metrics, 'converge');
      const h = dist(r.metrics, 'hold');
      const write = dist(r.metrics, 'latency');
      const v = (name: string) => scalarValue(r.metrics, name);
      return [
        `${r.recipe}${r.driverSaturated ? ' *' : ''}${v('rate_unsustained') === 1 ? ' !' : ''}`,
        fmt(c?.p50), fmt(c?.p99), fmt(c?.max), fmt(h?.p99), fmt(write?.p99),
        fmt(v('stale_reads')), fmt(v('stale_reads.after_ack')), fmt(v('stale_reads.own')), fmt(v('reads')),
        fmt(v('coalesced')), fmt(v('update_rate_achieved'), 4), fmt(v('errors')),
      ];
    });
    const w = run.workload as ConfigWorkload;
    const notes = [
      `latencies in ms; workload ${w.name}, ${w.readers} readers, ${w.updateRate} updates/s, ${run.ensemble.servers} server(s) (${run.ensemble.kind})`,
      'converge: writer\'s call → every reader holds that version or newer; write: the writer\'s update, intended start → acknowledgement; stale: a read that began after some client knew a newer version',
    ];
    return { header, rows, notes };
  },
  coordinator: () => import('./coordinator.ts'),
  loadSide: () => import('./clients.ts'),
};
