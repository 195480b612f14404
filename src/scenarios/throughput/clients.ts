// The load-process side of the throughput scenario: every client keeps exactly one request in flight
// on its own node (closed loop), setData or getData, until the run stops. Uses the callback calls of
// the client layer: in a loop of tens of thousands of requests a second, a promise per request is
// measurable client CPU (see `npm run bench:micro`).
import type { RunClock } from '../../measure/clock.ts';
import { ThroughputRecorder } from '../../measure/throughput-recorder.ts';
import { codeName } from '../../zk/errors.ts';
import type { SessionSet } from '../../zk/session-set.ts';
import type { ThroughputPlan } from './plan.ts';
import type { ScenarioRun } from '../scenario.ts';
import type { RunWindow } from '../window.ts';

export function driveThroughputClients(
  plan: ThroughputPlan,
  sessions: SessionSet,
  clock: RunClock,
  recorder: ThroughputRecorder,
  stop: AbortSignal,
): Promise<void> {
  const payload = Buffer.alloc(plan.payloadBytes, 0x7a);
  return new Promise((resolve) => {
    let running = plan.clientIds.length;
    const finish = (): void => {
      if (--running === 0) resolve();
    };
    plan.clientIds.forEach((id, slot) => {
      const session = sessions.at(slot);
      const path = `${plan.nodesPath}/${id}`;
      const next = (): void => {
        if (stop.aborted) {
          finish();
          return;
        }
        const start = clock.now();
        const done = (rc: number): void => {
          if (rc === 0) recorder.completed(start, clock.now());
          else recorder.failed(codeName(rc), clock.now());
          // A failed request is retried after a pause, not in a tight loop against a struggling server.
          if (rc === 0) next();
          else setTimeout(next, 20);
        };
        if (plan.op === 'set') session.setWithCallback(path, payload, done);
        else session.getWithCallback(path, done);
      };
      next();
    });
    if (running === 0) resolve();
  });
}

/** The load-process side of the scenario (Scenario.loadSide). */
export function start(plan: unknown, sessions: SessionSet, clock: RunClock, window: RunWindow, stop: AbortSignal): ScenarioRun {
  const recorder = new ThroughputRecorder(window);
  const done = driveThroughputClients(plan as ThroughputPlan, sessions, clock, recorder, stop).then(() => recorder.report());
  return { counts: () => ({ completed: recorder.total, measured: recorder.measured }), timeline: recorder.timeline, done };
}
