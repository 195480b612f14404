// membership: seed 001's server list. Servers register EPHEMERAL_SEQUENTIAL children carrying their
// address under a group node; clients keep a child watch and maintain the list; servers join, leave
// (close their session) and crash (their load process is SIGKILLed, so their node stays until the session
// expires). Figures: converge per kind of change, a crash's detection and propagation, stale lists and
// every client's final list checked (figures.ts). The declaration; the sides load when a run starts.
import { countMetric, latencyMetric } from '../../measure/metric-info.ts';
import { MEMBERSHIP_RECIPE_INFO } from '../../recipes/membership/catalog.ts';
import { externalRecipesOf } from '../../drivers/catalog.ts';
import type { Workload } from '../../workload/schema.ts';
import { timeBound } from '../declaration-kit.ts';
import type { Scenario } from '../scenario.ts';
import { churnProblem } from './churn.ts';
import { membershipTable } from './table.ts';
import { churnIntervalMs, settleMs, type MembershipWorkload } from './workload.ts';
import { membershipReport } from './report.ts';

/** Changes closer than this blur into each other's converge figures. */
const MIN_INTERVAL_MS = 200;

export const membership: Scenario = {
  id: 'membership',
  summary: "seed 001's server list: servers join, leave and crash while clients keep a child watch; how fast every client holds the true list",
  recipes: { ...Object.fromEntries(Object.entries(MEMBERSHIP_RECIPE_INFO).map(([id, info]) => [id, info.summary])), ...externalRecipesOf('membership') },
  fields: [
    { key: 'members', prop: 'members', type: { kind: 'integer', min: 0, max: 100_000 }, default: 10, help: 'servers registered before the churn starts (clients: the sessions watching the list)' },
    { key: 'joins', prop: 'joins', type: { kind: 'integer', min: 0, max: 100_000 }, default: 10, help: 'servers that join during the churn' },
    { key: 'leaves', prop: 'leaves', type: { kind: 'integer', min: 0, max: 100_000 }, default: 10, help: 'servers that leave cleanly during the churn (close their session)' },
    {
      key: 'crashes',
      prop: 'crashes',
      type: { kind: 'integer', min: 0, max: 64 },
      default: 3,
      help: 'servers that crash during the churn: each in a load process of its own, SIGKILLed (its node stays until the session expires)',
    },
  ],
  unit: 'views',
  mainFigure: 'changes',
  metrics: {
    'converge.join': latencyMetric(),
    'converge.leave': latencyMetric(),
    'converge.crash': latencyMetric(),
    crash_detection: latencyMetric(),
    crash_propagation: latencyMetric(),
    relist: latencyMetric(),
    changes: countMetric(),
    views: countMetric(),
    unconverged: countMetric(),
    stale_views: countMetric(),
    final_view_mismatches: countMetric(),
    reads_per_change: countMetric('requests/change/client'),
  },
  check(w, issues) {
    timeBound('membership')(w, issues);
    const m = w as MembershipWorkload;
    const problem = churnProblem(m);
    if (problem) issues.error(problem);
    const changes = m.joins + m.leaves + m.crashes;
    const intervalMs = churnIntervalMs(m);
    if (m.crashes > 0 && (w.durationS ?? 0) * 1000 <= settleMs(m)) {
      issues.error(
        `duration_s ${w.durationS} s leaves no time for the churn: its last ${settleMs(m)} ms are kept for the last crash to be seen (session_timeout_ms + 2 x tick_time_ms); raise duration_s, or lower session_timeout_ms and tick_time_ms`,
      );
    }
    if (changes > 0 && intervalMs < MIN_INTERVAL_MS) {
      issues.warn(`${changes} changes in duration_s ${w.durationS} s (less the last ${settleMs(m)} ms, kept for the last crash to be seen) come every ${intervalMs.toFixed(0)} ms: converge figures of changes that close overlap (raise duration_s)`);
    }
    if (w.warmupS === 0) issues.warn('warmup_s is 0: the churn waits until every client lists the initial servers, so it starts after the measured window opens');
  },
  loadProcesses: (w) => w.workers + (w as MembershipWorkload).crashes,
  report: membershipReport,
  table: membershipTable,
  coordinator: () => import('./coordinator.ts'),
  loadSide: () => import('./clients.ts'),
};
