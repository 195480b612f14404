// membership's table: one row per recipe, converge per kind of change, a crash's two parts, the recipe's
// cost per change, and the checks that must be 0 (stale lists, wrong final lists, changes never reflected).
import { scalarValue } from '../../measure/metrics.ts';
import type { RunRecord } from '../../results/run-record.ts';
import { dist, fmt, sessionTimeoutText } from '../../results/table-format.ts';
import type { ScenarioTable } from '../../results/table-format.ts';
import type { MembershipWorkload } from './workload.ts';

export function membershipTable(run: RunRecord): ScenarioTable {
  const header = [
    'recipe', 'join p50', 'p99', 'leave p50', 'p99', 'crash p50', 'p99', 'detect p50', 'propag p50', 'p99', 'relist p50', 'reads/chg', 'stale', 'final wrong', 'unconverged',
  ];
  const rows = run.recipes.map((r) => {
    const d = (name: string) => dist(r.metrics, name);
    const v = (name: string) => scalarValue(r.metrics, name);
    const [join, leave, crash, detect, propagate, relist] = ['converge.join', 'converge.leave', 'converge.crash', 'crash_detection', 'crash_propagation', 'relist'].map(d);
    return [
      `${r.recipe}${r.driverSaturated ? ' *' : ''}`,
      fmt(join?.p50), fmt(join?.p99), fmt(leave?.p50), fmt(leave?.p99), fmt(crash?.p50), fmt(crash?.p99),
      fmt(detect?.p50), fmt(propagate?.p50), fmt(propagate?.p99), fmt(relist?.p50),
      fmt(v('reads_per_change')), fmt(v('stale_views')), fmt(v('final_view_mismatches')), fmt(v('unconverged')),
    ];
  });
  const w = run.workload as MembershipWorkload;
  const notes = [
    `converge in ms, from each change to the last client listing it (crash = detect + propag); workload ${w.name}, ${w.clients} clients, ` +
      `${w.members} servers, then ${w.joins} joins, ${w.leaves} leaves, ${w.crashes} crashes over ${w.durationS} s; ` +
      `${sessionTimeoutText(run)}; ${run.ensemble.servers} ZooKeeper server(s) (${run.ensemble.kind})`,
  ];
  for (const r of run.recipes) {
    const bad = ['final_view_mismatches', 'stale_views', 'unconverged'].filter((m) => (scalarValue(r.metrics, m) ?? 0) > 0);
    if (bad.length > 0) notes.push(`${r.recipe}: FAILED membership checks (${bad.join(', ')}: not zero): its clients did not all end with the true list`);
  }
  return { header, rows, notes };
}
