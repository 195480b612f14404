// election-failover's table: one row per recipe, the time to a new leader per kind of failure, a crash's two
// parts, and the two-leader intervals (violations) with their total time.
import { scalarValue } from '../../measure/metrics.ts';
import type { RunRecord } from '../../results/run-record.ts';
import { dist, fmt, sessionTimeoutText } from '../../results/table-format.ts';
import type { ScenarioTable } from '../../results/table-format.ts';
import type { ElectionFailoverWorkload } from './workload.ts';

export function electionTable(run: RunRecord): ScenarioTable {
  const header = ['recipe', 'close p50', 'p99', 'crash p50', 'p99', 'detect p50', 'takeover p50', 'pause p50', 'p99', 'wake→loss p50', 'failures', 'unrecovered', 'violations', 'two leaders ms'];
  const rows = run.recipes.map((r) => {
    const d = (name: string) => dist(r.metrics, name);
    const v = (name: string) => scalarValue(r.metrics, name);
    const [close, crash, detect, takeover, pause, wake] = ['recovery.close', 'recovery.crash', 'crash_detection', 'crash_takeover', 'recovery.pause', 'pause_wake_to_loss'].map(d);
    return [
      `${r.recipe}${r.driverSaturated ? ' *' : ''}`,
      fmt(close?.p50), fmt(close?.p99), fmt(crash?.p50), fmt(crash?.p99), fmt(detect?.p50), fmt(takeover?.p50), fmt(pause?.p50), fmt(pause?.p99), fmt(wake?.p50),
      fmt(v('failures')), fmt(v('unrecovered')), fmt(v('violations')), fmt(v('violation_time')),
    ];
  });
  const w = run.workload as ElectionFailoverWorkload;
  const notes = [
    `time to a new leader in ms, from the failure to another candidate's "I lead" (crash = detect + takeover; wake→loss: a paused leader's belief after its SIGCONT); workload ${w.name}, ${w.clients} candidates, ` +
      `${w.leaderCloses} closes, ${w.leaderCrashes} crashes, ${w.leaderPauses} pauses of ${w.leaderPauseMs} ms over ${w.durationS} s; ${sessionTimeoutText(run)}; ` +
      `${run.ensemble.servers} ZooKeeper server(s) (${run.ensemble.kind})`,
  ];
  for (const r of run.recipes) {
    if ((scalarValue(r.metrics, 'violations') ?? 0) > 0) notes.push(`${r.recipe}: two candidates believed they led at once (a paused leader wakes believing it leads until its client reports the expiry)`);
  }
  return { header, rows, notes };
}
