// lock-contention: clients loop acquire → hold → release on one lock, one lock recipe at a time (SPEC §2
// "Lock family"). The declaration; the coordinator and the load-process side load when a run starts.
import { countMetric, latencyMetric } from '../../measure/metric-info.ts';
import type { OpenLoopSettings, RatePer } from '../../measure/open-loop.ts';
import { externalRecipe, externalRecipesOf } from '../../drivers/catalog.ts';
import { LOCK_RECIPE_INFO } from '../../recipes/lock/catalog.ts';
import { RECOVERY_MODES, type Recovery } from '../../recipes/lock/types.ts';
import type { Workload } from '../../workload/schema.ts';
import { OPEN_LOOP_METRICS, RATE_FIELD, RATE_PER_FIELD } from '../declaration-kit.ts';
import type { Scenario } from '../scenario.ts';
import { lockTable } from './table.ts';
import { LockWorkload, lockOpenLoopOf } from './workload.ts';
import { lockReport } from './report.ts';

const WARMUP_FIELDS: Scenario['fields'] = [
  {
    key: 'warmup_until',
    prop: 'warmupUntil',
    type: { kind: 'enum', values: ['time', 'queued'] },
    default: 'time',
    help: 'time: measure after warmup_s; queued: also wait until every client has queued once (its node created, its first wait armed), so the window starts from a formed queue',
  },
  {
    key: 'warmup_limit_s',
    prop: 'warmupLimitS',
    type: { kind: 'number', min: 1 },
    default: 600,
    help: 'warmup_until queued: the run fails when the queue has not formed this long after the clients started',
  },
];

/** The lock scenarios' shared fields (lock-failover declares them too, identically). */
export const LOCK_FIELDS: Scenario['fields'] = [
  { key: 'hold_ms', prop: 'holdMs', type: { kind: 'number', min: 0 }, default: 0, help: 'how long a holder keeps the lock (0: one event-loop turn)' },
  { key: 'acquire_timeout_ms', prop: 'acquireTimeoutMs', type: { kind: 'integer', min: 0 }, default: 0, help: 'a waiter gives up after this long and counts as a timeout (0: never)' },
  { key: 'give_up_share', prop: 'giveUpShare', type: { kind: 'number', min: 0, max: 1 }, default: 0, help: 'share of acquisitions whose waiter leaves the queue early' },
  { key: 'give_up_after_ms', prop: 'giveUpAfterMs', type: { kind: 'number', min: 0 }, default: 5, help: 'how long such a waiter waits before leaving' },
  {
    key: 'recovery',
    prop: 'recovery',
    type: { kind: 'enum', values: RECOVERY_MODES },
    default: 'restart-session',
    help: 'after a lost connection: restart-session (start over on a fresh session) or resume (retry in the session, protected creates; give up only on expiry)',
  },
];

export const lockContention: Scenario = {
  id: 'lock-contention',
  summary: 'clients contend for one lock: acquisition latency, hand-off, fairness, herd effect, safety',
  recipes: { ...Object.fromEntries(Object.entries(LOCK_RECIPE_INFO).map(([id, info]) => [id, info.summary])), ...externalRecipesOf('lock') },
  fields: [...LOCK_FIELDS, ...WARMUP_FIELDS, RATE_FIELD, RATE_PER_FIELD],
  unit: 'acquisitions',
  mainFigure: 'acquire',
  check: (w, issues) => {
    const l = w as LockWorkload;
    const external = l.recipes.filter((r) => externalRecipe(r) !== undefined);
    if (lockOpenLoopOf(l) && external.length > 0) {
      issues.error(`field "rate": the external recipes' drivers run closed loops only (${external.join(', ')}); drop "rate" or run them in a workload of their own`);
    }
    if (!lockOpenLoopOf(l)) return;
    if (l.durationS === undefined) issues.error('field "rate": an open-loop lock run is time-bound: set "duration_s" (not "acquisitions")');
    if (l.warmupUntil === 'queued') issues.error('field "rate": not with "warmup_until: queued" (the schedule starts with the clients, before the window is decided); use warmup_s');
  },
  metrics: {
    acquire: latencyMetric(),
    handoff: latencyMetric(),
    throughput: countMetric('acquisitions/s'),
    acquisitions: countMetric(),
    zk_ops_per_acquire: countMetric('requests/acquisition'),
    'zk_ops_per_acquire.reads': countMetric('requests/acquisition'),
    'zk_ops_per_acquire.writes': countMetric('requests/acquisition'),
    'zk_ops_per_acquire.watches': countMetric('watches/acquisition'),
    notifications_per_acquire: countMetric('events/acquisition'),
    // Server-side (mntr deltas over the window): the same for every recipe, a library's included.
    server_requests_per_acquire: countMetric('requests/acquisition'),
    'server_requests_per_acquire.reads': countMetric('requests/acquisition'),
    'server_requests_per_acquire.updates': countMetric('requests/acquisition'),
    server_packets_sent_per_acquire: countMetric('packets/acquisition'),
    'driver.cpu_per_acquire': countMetric('ms/acquisition'),
    'driver.gc_pauses': countMetric(),
    'driver.gc_pause_max': countMetric('ms'),
    fairness_jain: countMetric('index'),
    clients_without_acquisition: countMetric(),
    // Per client, from the measured window's start to its first acquisition in it; censored when none came.
    first_acquisition: latencyMetric(),
    fifo_inversions: countMetric('pairs'),
    violations: countMetric(),
    undecidable: countMetric(),
    timeouts: countMetric(),
    abandoned: countMetric(),
    waiting_at_end: countMetric(),
    queue_formed_s: countMetric('s'),
    measure_from_s: countMetric('s'),
    // Open loop (`rate`): from each attempt's intended start to held; with OPEN_LOOP_METRICS' service_time.
    latency: latencyMetric(),
    ...OPEN_LOOP_METRICS,
  },
  report: lockReport,
  table: lockTable,
  coordinator: () => import('./coordinator.ts'),
  loadSide: () => import('./clients.ts'),
};
