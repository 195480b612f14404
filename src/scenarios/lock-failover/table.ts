// lock-failover's table: per recipe, safety first (overlapping holds, what the guard refused or let
// through), then how the lock fared.
import { scalarValue } from '../../measure/metrics.ts';
import type { RunRecord } from '../../results/run-record.ts';
import { dist, fmt } from '../../results/table-format.ts';
import type { ScenarioTable } from '../../results/table-format.ts';

export function lockFailoverTable(run: RunRecord): ScenarioTable {
  const header = ['recipe', 'violations', 'fenced_rejections', 'stale_writes', 'guard_writes', 'recovery fault', 'pause', 'acquisitions', 'acquire p99', 'max', 'expired', 'errors'];
  const rows = run.recipes.map((r) => {
    const a = dist(r.metrics, 'acquire');
    const recovery = (kind: string) => dist(r.metrics, `recovery.${kind}`)?.max;
    const v = (name: string) => scalarValue(r.metrics, name);
    return [
      `${r.recipe}${r.driverSaturated ? ' *' : ''}`,
      fmt(v('violations')), fmt(v('fenced_rejections')), fmt(v('stale_writes')), fmt(v('guard_writes')),
      fmt(recovery('fault')), fmt(recovery('pause')),
      fmt(v('acquisitions')), fmt(a?.p99), fmt(a?.max), fmt(v('sessions_expired')), fmt(v('errors')),
    ];
  });
  const w = run.workload as unknown as Record<string, unknown>;
  const notes = [
    `latencies in ms; recovery: from a fault (kill, pause, isolate) or the holder's pause to the next acquisition, the longest; workload ${run.workload.name}, ${run.workload.clients} clients, ${run.ensemble.servers} server(s) (${run.ensemble.kind}); ` +
      `recovery ${String(w['recovery'])}, fencing ${String(w['fencing'])}`,
  ];
  return { header, rows, notes };
}
