// ensemble-failover's table: one row per fault (its unavailability over sessions, the recovery and the
// election it caused), and a table of run totals (requests/s, connection losses, failed requests, expired sessions, lost and unknown writes).
import { scalarValue } from '../../measure/metrics.ts';
import type { RunRecord } from '../../results/run-record.ts';
import { boundCell, censored, dist, fmt, type ScenarioTable, sessionTimeoutText } from '../../results/table-format.ts';

export function failoverTable(run: RunRecord): ScenarioTable {
  const header = ['recipe', 'fault', 'unavail p50', 'p99', 'max', 'recovery', 'to leader', 'to write'];
  const rows: string[][] = [];
  const totals: string[][] = [];
  for (const r of run.recipes) {
    const v = (name: string) => scalarValue(r.metrics, name);
    const entries = r.metrics.filter((m) => m.name.startsWith('unavailable.') || m.name.startsWith('recovery.')).map((m) => Number(m.name.split('.')[1]));
    for (const entry of [...new Set(entries)].sort((a, b) => a - b)) {
      const u = dist(r.metrics, `unavailable.${entry}`);
      const c = censored(r.metrics, `unavailable.${entry}`);
      const recovery = dist(r.metrics, `recovery.${entry}`);
      // The election this fault caused (election-metrics.ts): blank when it took no leader away.
      const fault = run.faults?.find((f) => f.recipe === r.recipe && f.entry === entry);
      const e = fault?.election?.changed === false ? undefined : fault?.election;
      const what = fault ? `${entry} ${fault.action} ${fault.server === undefined ? fault.target : `server ${fault.server}`}${fault.role ? ` (${fault.role})` : ''}` : String(entry);
      // As election-metrics.ts counts it: an election not seen before the next fault is censored at that window.
      const next = run.faults?.find((f) => f.recipe === r.recipe && f.entry !== undefined && f.atNs !== undefined && fault?.atNs !== undefined && f.atNs > fault.atNs);
      const windowMs = next && fault?.atNs !== undefined ? (next.atNs! - fault.atNs) / 1e6 : undefined;
      const election = (ms: number | undefined): string => (windowMs !== undefined && (ms === undefined || ms > windowMs) ? `≥${fmt(windowMs)}` : fmt(ms));
      rows.push([r.recipe, what, boundCell(u?.p50, c), boundCell(u?.p99, c), boundCell(u?.max, c), boundCell(recovery?.max, censored(r.metrics, `recovery.${entry}`)), e ? election(e.toLeaderMs) : '', e ? election(e.toWriteMs) : '']);
    }
    totals.push([`${r.recipe}${r.driverSaturated ? ' *' : ''}`, fmt(v('throughput')), fmt(v('connection_losses')), fmt(v('failed_ops')), fmt(v('sessions_expired')), fmt(v('lost_writes')), fmt(v('unknown_writes'))]);
  }
  const w = run.workload;
  const notes = [
    `unavailable: per session, its longest time without a success in the fault's window (from the fault to the next fault or the measured window's end; ms), ` +
      `a session not back when the window closed counted at its gap so far (censored, "≥"); recovery: ms from the fault until throughput stays at or above half its mean over the 2 s before it (until the next fault; "≥": still below when the window closed); ` +
      'to leader, to write: election_to_leader and election_to_write of a fault that took the leader away (ms from the fault to a server answering leader, to the first write accepted; blank: no election); ' +
      `workload ${w.name}, ${w.clients} sessions, ${sessionTimeoutText(run)}, ${run.ensemble.servers} servers (${run.ensemble.kind}), tickTime ${w.tickTimeMs} ms`,
  ];
  for (const r of run.recipes) if ((scalarValue(r.metrics, 'lost_writes') ?? 0) > 0) notes.push(`${r.recipe}: LOST WRITES: acknowledged counter values missing after the run`);
  return {
    header,
    rows,
    notes,
    more: [{ title: 'run totals (counts; req/s: requests per second of the measured window)', header: ['recipe', 'req/s', 'conn losses', 'failed', 'expired', 'lost writes', 'unknown writes'], rows: totals }],
  };
}
