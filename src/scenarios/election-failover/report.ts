// What election-failover's report shows (report-view.ts): time to a new application leader per kind of
// failure (close, crash, pause), crash detection and take-over, and intervals with two leaders.
import { distribution, key, scalars, type ReportDeclaration } from '../report-view.ts';

export const electionReport: ReportDeclaration = {
  keyFigures: [
    key('recovery.close', 'p50', 'after close p50', 'ms'),
    key('recovery.crash', 'p50', 'after crash p50', 'ms'),
    key('recovery.pause', 'p50', 'after pause p50', 'ms'),
    key('crash_detection', 'p50', 'crash detection p50', 'ms'),
    key('elections', 'value', 'elections', 'count'),
    key('unrecovered', 'value', 'unrecovered', 'count', true),
    key('violations', 'value', 'two-leader intervals', 'count', true),
  ],
  charts: [
    distribution('recovery.close', 'new leader after a clean close, by percentile', 'recovery.close: from the leader closing its session to another candidate acting as leader.'),
    distribution('recovery.crash', 'new leader after a crash, by percentile', "recovery.crash: from the leader's process SIGKILLed to another candidate acting as leader (waits for the session to expire)."),
    distribution('recovery.pause', 'new leader after a pause, by percentile', "recovery.pause: from the leader's process SIGSTOPped to another candidate acting as leader."),
    distribution('crash_detection', 'crash detection by percentile', "crash_detection: from the crash to the server expiring the crashed leader's session."),
    distribution('crash_takeover', 'take-over after detection by percentile', 'crash_takeover: from the session expiry to the next leader acting.'),
    distribution('pause_wake_to_loss', 'paused leader: wake to knowing it lost, by percentile', 'pause_wake_to_loss: from the paused leader continuing to it learning its session expired; in between it may still act as leader.'),
    scalars('failures and safety', 'Counted over the run.', [
      { metric: 'elections', label: 'elections', unit: 'count' },
      { metric: 'failures', label: 'failures staged', unit: 'count' },
      { metric: 'unrecovered', label: 'unrecovered failures (no new leader)', unit: 'count' },
      { metric: 'violations', label: 'intervals with two leaders', unit: 'count' },
      { metric: 'violation_time', label: 'time with two leaders', unit: 'ms' },
    ]),
  ],
  timeline: { unit: 'elections' },
};
