// lock-contention's table: one row per lock recipe, the figures a reader compares first.
import { scalarValue } from '../../measure/metrics.ts';
import type { RunRecord } from '../../results/run-record.ts';
import { dist, fmt } from '../../results/table-format.ts';
import type { ScenarioTable } from '../../results/table-format.ts';

export function lockTable(run: RunRecord): ScenarioTable {
  const header = [
    'recipe', 'acquire p50', 'p99', 'max', 'latency p50', 'p99', 'handoff p50', 'acq/s', 'notif/acq', 'ops/acq', 'srv req/acq', 'cpu ms/acq', 'jain', 'violations', 'timeouts', 'errors',
  ];
  const rows = run.recipes.map((r) => {
    const a = dist(r.metrics, 'acquire');
    const h = dist(r.metrics, 'handoff');
    // Open loop: from each attempt's intended start (acquire is from its call); '-' in a closed-loop run, and then left out.
    const l = dist(r.metrics, 'latency');
    const v = (name: string) => scalarValue(r.metrics, name);
    return [
      `${r.recipe}${r.driverSaturated ? ' *' : ''}`,
      fmt(a?.p50), fmt(a?.p99), fmt(a?.max), fmt(l?.p50), fmt(l?.p99), fmt(h?.p50),
      fmt(v('throughput'), 4), fmt(v('notifications_per_acquire')), fmt(v('zk_ops_per_acquire')),
      fmt(v('server_requests_per_acquire')), fmt(v('driver.cpu_per_acquire')), fmt(v('fairness_jain')),
      fmt(v('violations')), fmt(v('timeouts')), fmt(v('errors')),
    ];
  });
  const notes = [
    `latencies in ms${run.recipes.some((r) => dist(r.metrics, 'latency')) ? ' (latency: from the intended start of each attempt, open loop; acquire: from its call)' : ''}; workload ${run.workload.name}, ${run.workload.clients} clients, ${run.ensemble.servers} server(s) (${run.ensemble.kind})`,
    'ops/acq: requests the clients counted (not measured inside an external library); srv req/acq: server-side, every request the servers answered in the window (mntr); cpu ms/acq: the client processes\' CPU',
  ];
  for (const r of run.recipes) {
    const formed = scalarValue(r.metrics, 'queue_formed_s');
    const from = scalarValue(r.metrics, 'measure_from_s');
    if (formed !== undefined && from !== undefined) {
      notes.push(`${r.recipe}: warm-up until queued: every client had queued ${fmt(formed, 3)} s after the clients started; measured from ${fmt(from, 3)} s`);
    }
    const starved = scalarValue(r.metrics, 'clients_without_acquisition') ?? 0;
    if (starved > 0) {
      notes.push(`${r.recipe}: ${starved} of ${r.clients} clients never acquired in the measured window (their waits are in no acquire figure; first_acquisition counts them as censored)`);
    }
    const bound = scalarValue(r.metrics, 'clock_bound');
    if (bound !== undefined) {
      const undecidable = scalarValue(r.metrics, 'undecidable') ?? 0;
      notes.push(`${r.recipe}: hand-off between two workers ± ${fmt(bound)} ms (clock_bound); ${undecidable} overlap(s) within the clocks' bound counted as undecidable, not as violations`);
    }
  }
  return { header, rows, notes };
}
