// What config's report shows (report-view.ts): how fast every reader holds a new configuration, stale
// reads, and the writer's open-loop latency.
import { distribution, key, scalars, type ReportDeclaration } from '../report-view.ts';

export const configReport: ReportDeclaration = {
  keyFigures: [
    key('converge', 'p50', 'converge p50', 'ms'),
    key('converge', 'p99', 'converge p99', 'ms'),
    key('hold', 'p99', 'hold p99', 'ms'),
    key('latency', 'p99', 'write p99', 'ms'),
    key('stale_reads', 'value', 'stale reads', 'count'),
    key('stale_reads.own', 'value', 'own stale reads', 'count', true),
    key('update_rate_achieved', 'value', 'updates', 'updates/s'),
  ],
  charts: [
    distribution('converge', 'converge by percentile', "converge: per update, from the writer's call until every reader holds that version or a later one (a reader that never did is censored)."),
    distribution('converge_from_ack', 'converge from the ack by percentile', "converge_from_ack: the same, from the writer's acknowledgement."),
    distribution('hold', 'hold per reader by percentile', "hold: per reader and update, from the writer's call to that reader holding the version."),
    distribution('stale_age', 'stale age by percentile', 'stale_age: how old a stale read was: from a newer version first becoming readable to the read that returned the older one.'),
    distribution('latency', 'writer latency by percentile', "latency: each update from its intended start (the rate's schedule) to its acknowledgement (open loop)."),
    scalars('reads and updates', 'Over the measured window.', [
      { metric: 'update_rate_achieved', label: 'updates per second achieved', unit: 'updates/s' },
      { metric: 'reads', label: 'reads', unit: 'count' },
      { metric: 'stale_reads', label: 'stale reads', unit: 'count' },
      { metric: 'stale_reads.after_ack', label: "stale reads after the update's ack", unit: 'count' },
      { metric: 'stale_reads.own', label: "stale reads of a reader's own earlier view (must be 0)", unit: 'count' },
      { metric: 'coalesced_rate', label: 'coalesced', unit: 'share of updates' },
      { metric: 'converge_incomplete', label: 'updates not held by every reader', unit: 'updates' },
    ]),
  ],
  timeline: { unit: 'updates' },
};
