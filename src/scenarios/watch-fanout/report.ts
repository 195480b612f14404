// What watch-fanout's report shows (report-view.ts): notify latency at each watcher count (a sweep), the
// last watcher of each update, coalescing, and the distributions at each point.
import { distribution, key, scalars, type ReportDeclaration } from '../report-view.ts';

export const fanoutReport: ReportDeclaration = {
  keyFigures: [
    key('notify_from_send', 'p50', 'notify from send p50', 'ms'),
    key('notify_from_send', 'p99', 'notify from send p99', 'ms'),
    key('notify_from_ack', 'p99', 'notify from ack p99', 'ms'),
    key('fanout_last', 'p99', 'last watcher p99', 'ms'),
    key('update_rate', 'value', 'updates', 'updates/s'),
    key('coalesced_rate', 'value', 'coalesced', 'share of updates'),
    key('missed', 'value', 'missed', 'count', true),
  ],
  charts: [
    { kind: 'sweep', metric: 'notify_from_send', parameter: 'watchers', title: 'notify latency against watchers', description: "notify_from_send: from the writer's call (setData sent) to each watcher's event, at each watcher count the run measured." },
    { kind: 'sweep', metric: 'fanout_last', parameter: 'watchers', title: 'last watcher against watchers', description: 'fanout_last: from the write to the event of the last watcher armed for it, at each watcher count.' },
    distribution('notify_from_send', 'notify latency from the send by percentile', "notify_from_send: from the writer's call to each watcher's event. One line per recipe and watcher count."),
    distribution('notify_from_ack', 'notify latency from the ack by percentile', "notify_from_ack: from the writer's acknowledgement to each watcher's event (events at or after it)."),
    distribution('fanout_last', 'last watcher by percentile', 'fanout_last: from the write to the event of the last watcher armed for it; an update some armed watcher never heard of is censored.'),
    distribution('rearm', 're-arm by percentile', 'rearm: from an event to the watcher armed again (its re-read answered); updates inside this gap are coalesced.'),
    scalars('updates, events and what was lost', 'Over the measured window, per recipe and watcher count.', [
      { metric: 'update_rate', label: 'updates per second', unit: 'updates/s' },
      { metric: 'notifications', label: 'events delivered', unit: 'count' },
      { metric: 'coalesced_rate', label: 'coalesced (updates a watcher saw only as a later value)', unit: 'share of updates' },
      { metric: 'missed', label: 'missed (an armed watcher never told; must be 0)', unit: 'count' },
      { metric: 'anomalies', label: 'anomalies (values seen out of order)', unit: 'count' },
      { metric: 'watchers_lost', label: 'watchers lost', unit: 'count' },
    ]),
  ],
  timeline: { unit: 'events' },
};
