// watch-fanout's table: one row per (recipe, watchers), the figures a reader compares first.
import { scalarValue } from '../../measure/metrics.ts';
import type { RunRecord } from '../../results/run-record.ts';
import { dist, fmt } from '../../results/table-format.ts';
import type { ScenarioTable } from '../../results/table-format.ts';
import type { WatchFanoutWorkload } from './workload.ts';

export function fanoutTable(run: RunRecord): ScenarioTable {
  const header = [
    'recipe', 'watchers', 'from send p50', 'p99', 'from ack p50', 'p99', 'fanout_last p50', 'p99', 'coalesced', 'updates', 'upd/s', 'loop delay p99',
  ];
  const rows = run.recipes.map((r) => {
    const send = dist(r.metrics, 'notify_from_send');
    const last = dist(r.metrics, 'fanout_last');
    const v = (name: string) => scalarValue(r.metrics, name);
    return [
      `${r.recipe}${r.driverSaturated ? ' *' : ''}`,
      fmt(r.watchers),
      fmt(send?.p50), fmt(send?.p99),
      fmt(v('notify_from_ack.signed_p50')), fmt(v('notify_from_ack.signed_p99')),
      fmt(last?.p50), fmt(last?.p99),
      fmt(v('coalesced')), fmt(v('updates')), fmt(v('update_rate'), 4),
      fmt(v('driver.event_loop_delay_p99')),
    ];
  });
  const w = run.workload as WatchFanoutWorkload;
  const pacing = w.pacing === 'rate' ? `rate ${w.ratePerS} updates/s` : 'paced';
  const notes = [
    `latencies in ms; workload ${run.workload.name}, ${pacing}, ${run.workload.workers} load process(es), ${run.ensemble.servers} server(s) (${run.ensemble.kind})`,
    'from send / from ack: writer\'s call / acknowledgement to each watcher\'s event; from ack is over every event, negative for those that arrived before the ack',
    'fanout_last: send to the last event of the watchers armed for the update; loop delay: the worst load process\'s event-loop delay p99',
  ];
  return { header, rows, notes };
}
