// The table printed at the end of a bench run: one row per recipe, the figures a reader compares first.
import { stallNotes } from './stall-scan.ts';
import { distributionMs } from '../measure/histogram.ts';
import { findMetric, scalarValue, type Metric } from '../measure/metrics.ts';
import type { RunRecord } from './run-record.ts';
import { serverViewNotes } from './server-view.ts';

function fmt(v: number | undefined, digits = 3): string {
  if (v === undefined || Number.isNaN(v)) return '-';
  if (v === 0) return '0';
  if (Math.abs(v) >= 1000) return v.toFixed(0);
  return String(Number(v.toPrecision(digits)));
}

function dist(metrics: readonly Metric[], name: string) {
  const m = findMetric(metrics, name);
  return m?.kind === 'distribution' ? distributionMs(m.histogram) : undefined;
}

/** Columns padded to their widest cell: text left-aligned, figures (numeric columns) right-aligned. */
export function renderTable(header: string[], rows: string[][], align: 'numbers-right' | 'left' = 'numbers-right'): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const right = (i: number) => align === 'numbers-right' && i > 0;
  const line = (cells: string[]) =>
    cells.map((c, i) => (right(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** throughput and primitives: one row per request kind. */
function requestTable(run: RunRecord): string {
  const primitives = run.workload.scenario === 'primitives';
  const header = ['request', 'requests/s', 'latency p50', 'p99', 'max', 'client µs/req', primitives ? 'rme %' : 'server µs/req', 'errors'];
  const rows = run.recipes.map((r) => {
    const l = dist(r.metrics, 'latency');
    const v = (name: string) => scalarValue(r.metrics, name);
    return [
      `${r.recipe}${r.driverSaturated ? ' *' : ''}`,
      fmt(v('throughput'), 5), fmt(l?.p50), fmt(l?.p99), fmt(l?.max),
      fmt(v('client_cpu_per_request')), fmt(v(primitives ? 'rme' : 'server_cpu_per_request')), fmt(v('errors')),
    ];
  });
  const shape = primitives ? 'one session, one request at a time (tinybench)' : `${run.workload.clients} sessions in ${run.workload.workers} process(es), closed loop`;
  const notes = [`latencies in ms; workload ${run.workload.name}, ${shape}, ${run.ensemble.servers} server(s) (${run.ensemble.kind})`];
  notes.push(...serverViewNotes(run));
  notes.push(...run.ensemble.notes);
  notes.push(...stallNotes(run.stalls));
  if (run.recipes.some((r) => r.driverSaturated)) notes.push('* driver saturated: the load processes were busy enough to delay timestamps (see run.json)');
  return `${renderTable(header, rows)}\n${notes.join('\n')}`;
}

export function resultTable(run: RunRecord): string {
  if (run.workload.scenario !== 'lock-contention') return requestTable(run);
  const header = [
    'recipe', 'acquire p50', 'p99', 'max', 'handoff p50', 'acq/s', 'notif/acq', 'ops/acq', 'jain', 'violations', 'timeouts', 'errors',
  ];
  const rows = run.recipes.map((r) => {
    const a = dist(r.metrics, 'acquire');
    const h = dist(r.metrics, 'handoff');
    const v = (name: string) => scalarValue(r.metrics, name);
    return [
      `${r.recipe}${r.driverSaturated ? ' *' : ''}`,
      fmt(a?.p50), fmt(a?.p99), fmt(a?.max), fmt(h?.p50),
      fmt(v('throughput'), 4), fmt(v('notifications_per_acquire')), fmt(v('zk_ops_per_acquire')), fmt(v('fairness_jain')),
      fmt(v('violations')), fmt(v('timeouts')), fmt(v('errors')),
    ];
  });
  const notes = [
    `latencies in ms; workload ${run.workload.name}, ${run.workload.clients} clients, ${run.ensemble.servers} server(s) (${run.ensemble.kind})`,
  ];
  for (const r of run.recipes) {
    const starved = scalarValue(r.metrics, 'clients_without_acquisition') ?? 0;
    if (starved > 0) {
      notes.push(`${r.recipe}: ${starved} of ${r.clients} clients never acquired in the measured window (their waits are in no acquire figure)`);
    }
  }
  notes.push(...serverViewNotes(run));
  notes.push(...run.ensemble.notes);
  notes.push(...stallNotes(run.stalls));
  if (run.recipes.some((r) => r.driverSaturated)) {
    notes.push('* driver saturated: the load processes were busy enough to delay timestamps (see run.json)');
  }
  return `${renderTable(header, rows)}\n${notes.join('\n')}`;
}
