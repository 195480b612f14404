// A lock driver's events turned into what a TypeScript lock load process reports (LockClientsReport),
// through the same LockRecorder, so that every lock figure of an external recipe is computed by the same
// code as for zkbench's own (lock-metrics.ts). Per client the events come in its own order:
// acquire → [queued] → held → release (the hold is recorded at its release, as LockClient does), or
// acquire → timeout | abandoned | waiting (still waiting at the stop) | error.
import { LockRecorder } from '../measure/lock-recorder.ts';
import type { LockClientsReport } from '../scenarios/lock-contention/clients.ts';
import { QueueTally } from '../scenarios/lock-contention/queue-tally.ts';
import type { IntervalReport } from '../measure/timeline.ts';
import { EventFileError, type DriverEvent, type ReplayWindows } from './event-file.ts';

export interface LockReplay {
  report: LockClientsReport;
  timeline: IntervalReport;
  /** Acquisitions from the start, warm-up included. */
  completed: number;
  sessionEvents: number;
}

interface Open {
  tAcquire: number;
  tHeld?: number;
  ticket?: number;
}

/**
 * `clientIds`: the clients the process ran (one that never acquired still counts in fairness);
 * `queued`: whether the warm-up waited for the queue (the report then says when it formed).
 */
export function replayLockEvents(events: readonly DriverEvent[], windows: ReplayWindows, clientIds: readonly number[], queued: boolean, source = 'event file'): LockReplay {
  // As in a load process: the recorder starts on the window it was given, then learns the decided one.
  const recorder = new LockRecorder(windows.started);
  if (windows.started.pending) recorder.decide(windows.decided);
  for (const id of clientIds) recorder.addClient(id);
  const tally = queued ? new QueueTally(clientIds, () => undefined) : undefined;
  const open = new Map<number, Open>();
  let sessionEvents = 0;
  const bad = (e: DriverEvent, why: string): never => {
    throw new EventFileError(`${source}: client ${e.client} at ${e.t} ns: "${e.kind}" ${why}`);
  };
  for (const e of events) {
    switch (e.kind) {
      case 'acquire':
        open.set(e.client, { tAcquire: e.t });
        break;
      case 'queued':
        tally?.queued(e.client, e.t);
        break;
      case 'held': {
        const o = open.get(e.client) ?? bad(e, 'without an acquire before it');
        o.tHeld = e.t;
        o.ticket = /^\d+$/.test(e.rest) ? Number(e.rest) : undefined;
        break;
      }
      case 'release': {
        const o = open.get(e.client);
        if (o?.tHeld === undefined) bad(e, 'without a hold before it');
        open.delete(e.client);
        recorder.acquired({ client: e.client, tAcquire: o!.tAcquire, tHeld: o!.tHeld!, tReleased: e.t, ticket: o!.ticket ?? o!.tAcquire });
        break;
      }
      case 'timeout':
        open.delete(e.client);
        recorder.timedOut();
        break;
      case 'abandoned':
        open.delete(e.client);
        recorder.gaveUp();
        break;
      case 'waiting':
        open.delete(e.client);
        recorder.stoppedWhileWaiting();
        break;
      case 'error': {
        open.delete(e.client);
        const space = e.rest.indexOf(' ');
        recorder.failed(space < 0 ? e.rest || 'Error' : e.rest.slice(0, space), space < 0 ? `client ${e.client}` : e.rest.slice(space + 1), e.t);
        break;
      }
      case 'session':
        sessionEvents++;
        recorder.timeline.event(e.t, 'session', e.rest);
        break;
      default:
        bad(e, 'is not a lock event (acquire, queued, held, release, timeout, abandoned, waiting, error, session)');
    }
  }
  const report: LockClientsReport = { ...recorder.report(), ...(tally ? { queue: tally.report() } : {}) };
  return { report, timeline: recorder.timeline.report(), completed: recorder.total, sessionEvents };
}
