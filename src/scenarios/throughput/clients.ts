// The load-process side of the throughput scenario, setData or getData on each client's own node until the
// run stops. Closed loop (no `rate`): every client keeps exactly one request in flight. Open loop: requests
// go at their intended starts on the pacer's schedule (measure/pacer.ts), up to the plan's maxInFlight
// unanswered per client, pipelined on the client's session (the C client queues them on the connection
// and matches the answers, which come in order). Uses the callback calls of the client layer: in a loop
// of tens of thousands of requests a second, a promise per request is measurable client CPU (see
// `npm run bench:micro`).
import type { RunClock } from '../../measure/clock.ts';
import { inWindow } from '../../measure/measured-window.ts';
import { DRAIN_AFTER_STOP_MS, pacerOptions, type OpenLoopPlan } from '../../measure/open-loop.ts';
import { drivePacer } from '../../measure/paced-driver.ts';
import { Pacer, type PacedOp, type PacerCounts } from '../../measure/pacer.ts';
import { ThroughputRecorder } from '../../measure/throughput-recorder.ts';
import { codeName } from '../../zk/errors.ts';
import type { SessionSet } from '../../zk/session-set.ts';
import type { ThroughputPlan } from './plan.ts';
import type { ScenarioRun } from '../../workers/load-side.ts';
import type { RunWindow } from '../../measure/measured-window.ts';

/** Sends one request of client `slot` and calls `done` with its return code. */
type Issue = (slot: number, done: (rc: number) => void) => void;

function issuer(plan: ThroughputPlan, sessions: SessionSet): Issue {
  const payload = Buffer.alloc(plan.payloadBytes, 0x7a);
  const paths = plan.clientIds.map((id) => `${plan.nodesPath}/${id}`);
  return plan.op === 'set'
    ? (slot, done) => sessions.at(slot).setWithCallback(paths[slot]!, payload, done)
    : (slot, done) => sessions.at(slot).getWithCallback(paths[slot]!, done);
}

export function driveThroughputClients(
  plan: ThroughputPlan,
  sessions: SessionSet,
  clock: RunClock,
  recorder: ThroughputRecorder,
  stop: AbortSignal,
): Promise<void> {
  const issue = issuer(plan, sessions);
  return new Promise((resolve) => {
    let running = plan.clientIds.length;
    const finish = (): void => {
      if (--running === 0) resolve();
    };
    plan.clientIds.forEach((_id, slot) => {
      const next = (): void => {
        if (stop.aborted) {
          finish();
          return;
        }
        const start = clock.now();
        issue(slot, (rc) => {
          if (rc === 0) recorder.completed(start, clock.now());
          else recorder.failed(codeName(rc), clock.now());
          // A failed request is retried after a pause, not in a tight loop against a struggling server.
          if (rc === 0) next();
          else setTimeout(next, 20);
        });
      };
      next();
    });
    if (running === 0) resolve();
  });
}

/**
 * Open loop: the pacer releases requests at their intended starts (a timer set for the next one); an answer
 * frees its client's slot for the oldest request waiting for one. A failed request frees its slot too (the
 * schedule, not the failure, decides when the next goes). After the stop, requests still waiting for a slot
 * are sent for DRAIN_AFTER_STOP_MS, then dropped. Resolves with the pacer's counts once the run stopped and
 * every request sent was answered.
 */
export function driveOpenLoop(
  plan: ThroughputPlan,
  open: OpenLoopPlan,
  sessions: SessionSet,
  clock: RunClock,
  window: RunWindow,
  recorder: ThroughputRecorder,
  stop: AbortSignal,
): Promise<PacerCounts> {
  const issue = issuer(plan, sessions);
  const pacer = new Pacer(pacerOptions(open, window.startAt, window.stopAt, (t) => inWindow(t, window)), clock);
  const send = (op: PacedOp, done: () => void): void =>
    issue(op.client, (rc) => {
      const end = clock.now();
      if (rc === 0) recorder.completed(op.startNs, end, op.intendedNs);
      else recorder.failed(codeName(rc), end);
      done();
    });
  return drivePacer(pacer, clock, stop, send, DRAIN_AFTER_STOP_MS);
}

/** The load-process side of the scenario (Scenario.loadSide). */
export function start(planJson: unknown, sessions: SessionSet, clock: RunClock, window: RunWindow, stop: AbortSignal): ScenarioRun {
  const plan = planJson as ThroughputPlan;
  const recorder = new ThroughputRecorder(window, plan.open !== undefined);
  const done = plan.open
    ? driveOpenLoop(plan, plan.open, sessions, clock, window, recorder, stop).then((counts) => recorder.report(counts))
    : driveThroughputClients(plan, sessions, clock, recorder, stop).then(() => recorder.report());
  return { counts: () => ({ completed: recorder.total, measured: recorder.measured }), timeline: recorder.timeline, done };
}
