// An election driver's events turned into what a TypeScript candidate's load process reports
// (CandidateReport, its timeline, its terms). The leadership notices themselves reach the coordinator
// live, as zkbench's own candidates post them (its stage fails the leader of the moment); the file keeps
// them too, for the timeline. Per candidate: campaign → leading → ended <why>, error <KIND> <message>,
// session <state>.
import { IntervalRecorder, type IntervalReport } from '../measure/timeline.ts';
import type { CandidateReport } from '../scenarios/election-failover/plan.ts';
import { EventFileError, type DriverEvent, type ReplayWindows } from './event-file.ts';

export interface ElectionReplay {
  report: CandidateReport;
  timeline: IntervalReport;
  /** Terms begun, warm-up included. */
  completed: number;
  sessionEvents: number;
}

const MAX_ERROR_MESSAGES = 5;

export function replayElectionEvents(events: readonly DriverEvent[], windows: ReplayWindows, source = 'event file'): ElectionReplay {
  const timeline = new IntervalRecorder(windows.started.measureFrom);
  const errors: Record<string, number> = {};
  const errorMessages: string[] = [];
  let completed = 0;
  let sessionEvents = 0;
  for (const e of events) {
    switch (e.kind) {
      case 'campaign':
        break;
      case 'leading':
        completed++;
        break;
      case 'ended':
        timeline.event(e.t, 'election', `candidate ${e.client} no longer leads (${e.rest})`);
        break;
      case 'error': {
        const space = e.rest.indexOf(' ');
        const kind = space < 0 ? e.rest || 'other' : e.rest.slice(0, space);
        errors[kind] = (errors[kind] ?? 0) + 1;
        if (errorMessages.length < MAX_ERROR_MESSAGES) errorMessages.push(space < 0 ? kind : e.rest.slice(space + 1));
        timeline.failed(e.t);
        break;
      }
      case 'session':
        sessionEvents++;
        timeline.event(e.t, 'session', e.rest);
        break;
      default:
        throw new EventFileError(`${source}: candidate ${e.client} at ${e.t} ns: "${e.kind}" is not an election event (campaign, leading, ended, error, session)`);
    }
  }
  return { report: { errors, errorMessages }, timeline: timeline.report(), completed, sessionEvents };
}
