// What membership's report shows (report-view.ts): how fast every client holds the true server list per
// kind of change (join, leave, crash), crash detection and propagation, and the list's correctness.
import { distribution, key, scalars, type ReportDeclaration } from '../report-view.ts';

export const membershipReport: ReportDeclaration = {
  keyFigures: [
    key('converge.join', 'p99', 'join converge p99', 'ms'),
    key('converge.leave', 'p99', 'leave converge p99', 'ms'),
    key('converge.crash', 'p99', 'crash converge p99', 'ms'),
    key('crash_detection', 'p50', 'crash detection p50', 'ms'),
    key('reads_per_change', 'value', 'reads per change', 'requests/change/client'),
    key('stale_views', 'value', 'stale views', 'count', true),
    key('final_view_mismatches', 'value', 'final list wrong', 'count', true),
  ],
  charts: [
    distribution('converge.join', 'converge after a join, by percentile', "converge.join: from a server's registration to every client holding a list with it."),
    distribution('converge.leave', 'converge after a leave, by percentile', "converge.leave: from a server closing its session to every client holding a list without it."),
    distribution('converge.crash', 'converge after a crash, by percentile', "converge.crash: from a server's crash (SIGKILL) to every client holding a list without it; includes the session timeout."),
    distribution('crash_detection', 'crash detection by percentile', "crash_detection: from the crash to the server deleting the crashed member's ephemeral node (its session expired)."),
    distribution('crash_propagation', 'crash propagation by percentile', 'crash_propagation: from that deletion to every client holding the list without it.'),
    distribution('relist', 'relist by percentile', "relist: from a child-watch event to the client holding the re-read list."),
    scalars('correctness and cost', 'Over the run.', [
      { metric: 'changes', label: 'changes (joins, leaves, crashes)', unit: 'count' },
      { metric: 'views', label: 'lists the clients held', unit: 'count' },
      { metric: 'reads_per_change', label: 'reads per change per client', unit: 'requests/change/client' },
      { metric: 'stale_views', label: 'stale lists (older than one already held)', unit: 'count' },
      { metric: 'unconverged', label: 'changes not seen by every client', unit: 'count' },
      { metric: 'final_view_mismatches', label: "clients whose final list was wrong", unit: 'count' },
    ]),
  ],
  timeline: { unit: 'lists re-read' },
};
