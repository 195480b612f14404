// A membership driver's events turned into what a TypeScript membership load process reports
// (MembershipReport: every client's lists), so that converge, crash detection and propagation of an
// external recipe are computed by the same code as for zkbench's own (membership/figures.ts). Per client,
// in its own order: `view <client> <t> <address,...|->` each time the library gave the application a new
// list (t: when the list was known), `error <client> <t> <KIND> <message>`, `session <client> <t> <state>`.
// Members (the servers) use client ids −1 − server for their own errors and session events.
// How many reads a library spends on a list, and when the watch event that started it arrived, are
// inside the library: `relist` and `reads_per_change` are not measured for these recipes (the coordinator
// says so), and the lists are not timeline operations (their cost is unknown).
import { encodeHistogram, newLatencyHistogram } from '../measure/histogram.ts';
import type { MeasuredWindow } from '../measure/measured-window.ts';
import { IntervalRecorder, type IntervalReport } from '../measure/timeline.ts';
import type { ClientTrace } from '../scenarios/membership/figures.ts';
import type { MembershipReport } from '../scenarios/membership/plan.ts';
import { EventFileError, type DriverEvent } from './event-file.ts';

export interface MembershipReplay {
  report: MembershipReport;
  timeline: IntervalReport;
  /** Lists published, warm-up included (the driver's own count must match). */
  completed: number;
  sessionEvents: number;
}

const MAX_ERROR_MESSAGES = 5;

/** `clientIds`: the watching clients the process ran; `addresses`: every server's address, by id. */
export function replayMembershipEvents(events: readonly DriverEvent[], window: MeasuredWindow, clientIds: readonly number[], addresses: readonly string[], source = 'event file'): MembershipReplay {
  const idOf = new Map(addresses.map((a, id) => [a, id]));
  const traces = new Map<number, ClientTrace>(clientIds.map((client) => [client, { client, views: [] }]));
  const timeline = new IntervalRecorder(window.measureFrom);
  const errors: Record<string, number> = {};
  const errorMessages: string[] = [];
  let views = 0;
  let viewsMeasured = 0;
  let sessionEvents = 0;
  for (const e of events) {
    switch (e.kind) {
      case 'view': {
        const trace = traces.get(e.client) ?? fail(e, 'is for a client this process did not run');
        const servers = e.rest === '-' || e.rest === '' ? [] : e.rest.split(',').map((a) => idOf.get(a) ?? -1).sort((a, b) => a - b);
        trace.views.push({ atNs: e.t, servers });
        views++;
        if (e.t >= window.measureFrom) viewsMeasured++;
        break;
      }
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
        fail(e, 'is not a membership event (view, error, session)');
    }
  }
  function fail(e: DriverEvent, why: string): never {
    throw new EventFileError(`${source}: client ${e.client} at ${e.t} ns: "${e.kind}" ${why}`);
  }
  return {
    report: { clients: [...traces.values()], readsMeasured: 0, relist: encodeHistogram(newLatencyHistogram()), views, viewsMeasured, errors, errorMessages },
    timeline: timeline.report(),
    completed: views,
    sessionEvents,
  };
}
