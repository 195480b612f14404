// lock-failover: lock contention per lock recipe while the ensemble fails under it (the workload's
// `faults`, e.g. the leader killed) and while the lock holder's own load process is paused (SIGSTOP) past
// its session timeout and resumed, still believing it holds the lock (issue 9 point 4). Every holder
// writes its fencing token into a guard znode (recipes/lock/fencing.ts), so the run shows the overlapping
// holds (`violations`) beside what fencing refused (`fenced_rejections`) or, without it, let through
// (`stale_writes`). The clients are lock-contention's; each runs in a load process of its own, so pausing
// a process pauses exactly one holder.
import { countMetric, latencyMetric } from '../../measure/metric-info.ts';
import { fencingLockRecipes } from '../../drivers/catalog.ts';
import { LOCK_RECIPE_INFO } from '../../recipes/lock/catalog.ts';
import { timeBound } from '../declaration-kit.ts';
import { LOCK_FIELDS, lockContention } from '../lock-contention/index.ts';
import type { Scenario } from '../scenario.ts';
import { lockFailoverTable } from './table.ts';
import { FENCING_MODES, LockFailoverWorkload, guardSessionTimeoutMs } from './workload.ts';
import { lockFailoverReport } from './report.ts';


export const lockFailover: Scenario = {
  id: 'lock-failover',
  summary: 'lock contention through faults and a paused holder: violations, and what fencing tokens refuse',
  recipes: { ...Object.fromEntries(Object.entries(LOCK_RECIPE_INFO).map(([id, info]) => [id, info.summary])), ...fencingLockRecipes() },
  fields: [
    ...LOCK_FIELDS,
    {
      key: 'fencing',
      prop: 'fencing',
      type: { kind: 'enum', values: FENCING_MODES },
      default: 'czxid',
      help: "czxid: the guard refuses a holder's write whose token (its lock node's czxid) is older than the guard's; none: it takes every write",
    },
    { key: 'pause_holder_at_s', prop: 'pauseHolderAtS', type: { kind: 'number', min: 0 }, help: "when (from the clients' start) the holder's load process is paused; unset: never" },
    { key: 'pause_ms', prop: 'pauseMs', type: { kind: 'number', min: 1 }, default: 10_000, help: 'how long the holder stays paused (longer than session_timeout_ms, so its session expires)' },
  ],
  unit: 'acquisitions',
  mainFigure: 'acquire',
  metrics: {
    ...lockContention.metrics,
    guard_writes: countMetric(),
    stale_writes: countMetric(),
    fenced_rejections: countMetric(),
    holders_paused: countMetric(),
    // From a fault (kill, pause, isolate) or the holder's pause to the next acquisition (recovery.ts).
    'recovery.fault': latencyMetric(),
    'recovery.pause': latencyMetric(),
    unrecovered: countMetric(),
  },
  check(w, issues) {
    timeBound('lock-failover')(w, issues);
    const f = w as LockFailoverWorkload;
    if (f.clients < 2) issues.error('lock-failover needs "clients" of 2 or more: a paused holder matters only when someone else can take the lock');
    if (f.pauseHolderAtS === undefined) return;
    if (f.pauseMs <= f.sessionTimeoutMs) {
      issues.error(`"pause_ms" (${f.pauseMs}) must exceed "session_timeout_ms" (${f.sessionTimeoutMs}): the paused holder's session must expire while it sleeps`);
    }
    if (f.pauseHolderAtS >= f.warmupS + (f.durationS ?? 0)) {
      issues.error(`"pause_holder_at_s" (${f.pauseHolderAtS}) falls after the clients stop (warmup_s + duration_s = ${f.warmupS + (f.durationS ?? 0)} s)`);
    }
    if (f.holdMs < 20) issues.warn(`"hold_ms" is ${f.holdMs} ms: the holder to pause is picked from hold notices, and a hold this short may end before the pause lands`);
    // The C client gives a connection up after 2/3 of the negotiated timeout without an answer.
    if (f.pauseMs >= (guardSessionTimeoutMs(f) * 2) / 3) {
      issues.error(
        `"pause_ms" (${f.pauseMs}) must stay below 2/3 of the guard's session timeout (20 ticks = ${guardSessionTimeoutMs(f)} ms): the guard stands for a storage service that outlives the pause; raise "tick_time_ms" or shorten the pause`,
      );
    }
  },
  // One client per load process: pausing a process pauses exactly one holder.
  loadProcesses: (w) => w.clients,
  report: lockFailoverReport,
  table: lockFailoverTable,
  coordinator: () => import('./coordinator.ts'),
  loadSide: () => import('../lock-contention/clients.ts'),
};
