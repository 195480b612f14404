// election-failover: the election recipes of SPEC §1 while the application leader fails: it closes its
// session cleanly, crashes (its load process SIGKILLed: its session must time out) or is paused (SIGSTOP
// beyond the session timeout, then SIGCONT: it wakes believing it leads). Figures: time to a new leader
// per kind of failure, a crash's detection and takeover, and the intervals with two leaders (figures.ts).
// The declaration; the sides load when a run starts.
import { countMetric, latencyMetric } from '../../measure/metric-info.ts';
import { externalRecipesOf } from '../../drivers/catalog.ts';
import { ELECTION_RECIPE_INFO } from '../../recipes/election/catalog.ts';
import type { Workload } from '../../workload/schema.ts';
import { timeBound } from '../declaration-kit.ts';
import type { Scenario } from '../scenario.ts';
import { electionTable } from './table.ts';
import { ElectionFailoverWorkload } from './workload.ts';
import { electionReport } from './report.ts';

/** Candidates at most: each is a load process of its own. */
const MAX_CANDIDATES = 32;

export const electionFailover: Scenario = {
  id: 'election-failover',
  summary: 'the application leader closes, crashes (SIGKILL) or is paused (SIGSTOP): time to a new leader, and intervals with two leaders',
  recipes: { ...Object.fromEntries(Object.entries(ELECTION_RECIPE_INFO).map(([id, info]) => [id, info.summary])), ...externalRecipesOf('election') },
  fields: [
    { key: 'leader_closes', prop: 'leaderCloses', type: { kind: 'integer', min: 0, max: 1000 }, default: 2, help: 'times the leader closes its session cleanly (it then rejoins on a fresh session)' },
    { key: 'leader_crashes', prop: 'leaderCrashes', type: { kind: 'integer', min: 0, max: MAX_CANDIDATES }, default: 2, help: "times the leader's load process is SIGKILLed (each crash costs a candidate: its session must time out)" },
    { key: 'leader_pauses', prop: 'leaderPauses', type: { kind: 'integer', min: 0, max: 1000 }, default: 2, help: "times the leader's load process is SIGSTOPped for leader_pause_ms, then continued (it then rejoins)" },
    { key: 'leader_pause_ms', prop: 'leaderPauseMs', type: { kind: 'integer', min: 1 }, default: 5000, help: 'how long a paused leader stays stopped: longer than session_timeout_ms, so that another takes over' },
  ],
  unit: 'elections',
  mainFigure: 'elections',
  metrics: {
    'recovery.close': latencyMetric(),
    'recovery.crash': latencyMetric(),
    'recovery.pause': latencyMetric(),
    crash_detection: latencyMetric(),
    crash_takeover: latencyMetric(),
    pause_wake_to_loss: latencyMetric(),
    elections: countMetric(),
    failures: countMetric(),
    unrecovered: countMetric(),
    violations: countMetric(),
    violation_time: countMetric('ms'),
  },
  check(w, issues) {
    timeBound('election-failover')(w, issues);
    const e = w as ElectionFailoverWorkload;
    const failures = e.leaderCloses + e.leaderCrashes + e.leaderPauses;
    if (failures === 0) issues.error('no failures: set leader_closes, leader_crashes or leader_pauses above 0');
    if (w.clients > MAX_CANDIDATES) issues.error(`clients (${w.clients}) is above ${MAX_CANDIDATES}: every candidate is a load process of its own`);
    if (w.clients < e.leaderCrashes + 2) {
      issues.error(`clients (${w.clients}) must be at least leader_crashes + 2 (${e.leaderCrashes + 2}): every crash costs a candidate for the rest of the run, and the last leader needs a successor`);
    }
    if (e.leaderPauses > 0 && e.leaderPauseMs <= w.sessionTimeoutMs) {
      issues.error(`leader_pause_ms (${e.leaderPauseMs}) must be above session_timeout_ms (${w.sessionTimeoutMs}): a shorter pause ends before the session can expire, and no one takes over`);
    }
    // A crash waits for the session timeout, a pause for leader_pause_ms and then the expiry's news: each slot needs room.
    const slotMs = ((w.durationS ?? 0) * 1000) / Math.max(1, failures);
    const needMs = Math.max(e.leaderCrashes > 0 ? 2 * w.sessionTimeoutMs : 0, e.leaderPauses > 0 ? e.leaderPauseMs + w.sessionTimeoutMs : 0, 1000);
    if (slotMs < needMs) {
      issues.warn(`${failures} failures in duration_s ${w.durationS} s come every ${slotMs.toFixed(0)} ms, less than the ${needMs} ms one takes to settle: later failures wait, and some may not be staged (raise duration_s)`);
    }
    if (w.warmupS === 0) issues.warn('warmup_s is 0: the first failure may come before the first leader is elected');
  },
  loadProcesses: (w) => w.clients,
  report: electionReport,
  table: electionTable,
  coordinator: () => import('./coordinator.ts'),
  loadSide: () => import('./candidate.ts'),
};
