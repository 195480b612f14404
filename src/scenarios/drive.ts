// The load-process side of every scenario behind one call: what a process is told to drive (a plan),
// and what it reports back. Each scenario keeps its own recorder; the worker only starts and collects.
import type { RunClock } from '../measure/clock.ts';
import { LockRecorder, type LockWorkerReport } from '../measure/lock-recorder.ts';
import { ThroughputRecorder, type ThroughputWorkerReport } from '../measure/throughput-recorder.ts';
import type { IntervalRecorder } from '../measure/timeline.ts';
import type { SessionSet } from '../zk/session-set.ts';
import { driveLockClients } from './lock-contention/clients.ts';
import type { LockClientsPlan } from './lock-contention/plan.ts';
import { driveThroughputClients } from './throughput/clients.ts';
import type { ThroughputPlan } from './throughput/plan.ts';
import type { RunWindow } from './window.ts';

export type ClientsPlan = { scenario: 'lock-contention'; lock: LockClientsPlan } | { scenario: 'throughput'; throughput: ThroughputPlan };

export type ScenarioReport = { scenario: 'lock-contention'; lock: LockWorkerReport } | { scenario: 'throughput'; throughput: ThroughputWorkerReport };

export function clientIdsOf(plan: ClientsPlan): number[] {
  return plan.scenario === 'lock-contention' ? plan.lock.clientIds : plan.throughput.clientIds;
}

export interface ScenarioRun {
  /** Completed operations so far, warm-up included and measured only, for progress. */
  counts(): { completed: number; measured: number };
  /** The scenario's per-interval record, which other sources (session events) add to. */
  timeline: IntervalRecorder;
  done: Promise<ScenarioReport>;
}

export function startScenario(plan: ClientsPlan, sessions: SessionSet, clock: RunClock, window: RunWindow, stop: AbortSignal): ScenarioRun {
  switch (plan.scenario) {
    case 'lock-contention': {
      const recorder = new LockRecorder(window);
      const done = driveLockClients(plan.lock, sessions, clock, recorder, stop).then((): ScenarioReport => ({ scenario: 'lock-contention', lock: recorder.report() }));
      return { counts: () => ({ completed: recorder.total, measured: recorder.measured }), timeline: recorder.timeline, done };
    }
    case 'throughput': {
      const recorder = new ThroughputRecorder(window);
      const done = driveThroughputClients(plan.throughput, sessions, clock, recorder, stop).then((): ScenarioReport => ({ scenario: 'throughput', throughput: recorder.report() }));
      return { counts: () => ({ completed: recorder.total, measured: recorder.measured }), timeline: recorder.timeline, done };
    }
  }
}
