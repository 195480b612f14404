// What the servers saw in a measured window, from `mntr` at its start and end: per server the change
// of the cumulative counters and the gauges at both edges, and over the ensemble the servers' mean
// request latency (the figure printed beside the client's). Why deltas, and when a maximum is known:
// src/ensemble/server-view.ts.
import { mntrNumber, type MntrValues } from './mntr.ts';
import type { ServerMntr, ServerViewSnapshot } from './server-view.ts';
import { scalar, scalarOr, unmeasured, type Metric } from '../measure/metrics.ts';

export interface Gauge {
  start: number | undefined;
  end: number | undefined;
}

export interface ServerWindowDelta {
  id: number;
  /** Why the deltas are unknown for this server (no answer, counters went back); undefined when known. */
  unknown?: string;
  stateStart?: string;
  stateEnd?: string;
  /** Requests the server answered for its own clients in the window (reads + updates, pings and session set-up included). */
  requests: number;
  reads: number;
  updates: number;
  latencySumMs: number;
  /** latencySumMs / requests; NaN without requests. */
  latencyMeanMs: number;
  /** Largest request latency in the window; known only when `srst` reset the server at the window's start. */
  latencyMaxMs: number | undefined;
  packetsReceived: number;
  packetsSent: number;
  fsyncs: number;
  fsyncMeanMs: number;
  /** Known only when the server printed it (ZooKeeper 3.5; 3.8 logs each exceedance as a WARN line). */
  fsyncThresholdExceeded: number | undefined;
  outstandingRequests: Gauge;
  watches: Gauge;
  znodes: Gauge;
  connections: Gauge;
}

export interface WindowServerLatency {
  /** Requests the servers answered in the window, all servers together. */
  requests: number;
  /** Sum of the servers' latencies over their request count; NaN when a server's deltas are unknown. */
  meanMs: number;
  /** The largest request latency on any server; undefined unless every server was reset at the start. */
  maxMs: number | undefined;
  /** Servers whose deltas are unknown: the figures then cover only part of the requests and are not given. */
  serversUnknown: number[];
}

// Counters that only grow between resets: one that went back means a restart or a reset by someone else.
const CUMULATIVE = ['uptime', 'cnt_readlatency', 'sum_readlatency', 'cnt_updatelatency', 'sum_updatelatency', 'packets_received', 'packets_sent', 'cnt_fsynctime', 'sum_fsynctime'] as const;

const text = (v: MntrValues | undefined, key: string): string | undefined => (typeof v?.[key] === 'string' ? (v[key] as string) : undefined);

function gauge(a: MntrValues | undefined, b: MntrValues | undefined, key: string): Gauge {
  return { start: mntrNumber(a, key), end: mntrNumber(b, key) };
}

function unknownDelta(id: number, why: string, a: MntrValues | undefined, b: MntrValues | undefined): ServerWindowDelta {
  return {
    id,
    unknown: why,
    ...(text(a, 'server_state') !== undefined ? { stateStart: text(a, 'server_state') } : {}),
    ...(text(b, 'server_state') !== undefined ? { stateEnd: text(b, 'server_state') } : {}),
    requests: Number.NaN,
    reads: Number.NaN,
    updates: Number.NaN,
    latencySumMs: Number.NaN,
    latencyMeanMs: Number.NaN,
    latencyMaxMs: undefined,
    packetsReceived: Number.NaN,
    packetsSent: Number.NaN,
    fsyncs: Number.NaN,
    fsyncMeanMs: Number.NaN,
    fsyncThresholdExceeded: undefined,
    outstandingRequests: gauge(a, b, 'outstanding_requests'),
    watches: gauge(a, b, 'watch_count'),
    znodes: gauge(a, b, 'znode_count'),
    connections: gauge(a, b, 'num_alive_connections'),
  };
}

/** One server's window from its start and end answers. */
export function serverDelta(start: ServerMntr | undefined, end: ServerMntr | undefined, id: number): ServerWindowDelta {
  const a = start?.mntr;
  const b = end?.mntr;
  if (a === undefined || b === undefined) {
    const why = [start?.error && `at the start: ${start.error}`, end?.error && `at the end: ${end.error}`].filter(Boolean).join('; ');
    return unknownDelta(id, `no mntr answer${why ? ` (${why})` : ''}`, a, b);
  }
  const diff = (key: string): number => {
    const x = mntrNumber(a, key);
    const y = mntrNumber(b, key);
    return x === undefined || y === undefined ? Number.NaN : y - x;
  };
  const wentBack = CUMULATIVE.filter((k) => diff(k) < 0);
  if (wentBack.length > 0) {
    // uptime alone also goes back when a server joins a new quorum after an election (ZooKeeper starts its
    // server instance anew) while its metrics carry on; from mntr alone that cannot be told from a restart.
    const why = wentBack.length === 1 && wentBack[0] === 'uptime'
      ? 'the server restarted, or joined a new quorum after an election (its server instance starts anew), during the window'
      : 'the server restarted or its statistics were reset during the window';
    return unknownDelta(id, `counters went back (${wentBack.join(', ')}): ${why}`, a, b);
  }
  const reads = diff('cnt_readlatency');
  const updates = diff('cnt_updatelatency');
  const requests = reads + updates;
  const latencySumMs = diff('sum_readlatency') + diff('sum_updatelatency');
  const fsyncs = diff('cnt_fsynctime');
  const maxOf = (...keys: string[]): number | undefined => {
    const vs = keys.map((k) => mntrNumber(b, k));
    return vs.some((v) => v === undefined) ? undefined : Math.max(...(vs as number[]));
  };
  const exceeded = diff('fsync_threshold_exceed_count');
  return {
    id,
    ...(text(a, 'server_state') !== undefined ? { stateStart: text(a, 'server_state') } : {}),
    ...(text(b, 'server_state') !== undefined ? { stateEnd: text(b, 'server_state') } : {}),
    requests,
    reads,
    updates,
    latencySumMs,
    latencyMeanMs: requests > 0 ? latencySumMs / requests : Number.NaN,
    // After a reset at the start, the end's maxima cover exactly the window (and the instant before it).
    latencyMaxMs: start?.statsReset ? maxOf('max_readlatency', 'max_updatelatency') : undefined,
    packetsReceived: diff('packets_received'),
    packetsSent: diff('packets_sent'),
    fsyncs,
    fsyncMeanMs: fsyncs > 0 ? diff('sum_fsynctime') / fsyncs : Number.NaN,
    fsyncThresholdExceeded: Number.isNaN(exceeded) ? undefined : exceeded,
    outstandingRequests: gauge(a, b, 'outstanding_requests'),
    watches: gauge(a, b, 'watch_count'),
    znodes: gauge(a, b, 'znode_count'),
    connections: gauge(a, b, 'num_alive_connections'),
  };
}

/** Every server's window, in the order of the start snapshot (servers only at the end are appended). */
export function serverDeltas(start: ServerViewSnapshot, end: ServerViewSnapshot): ServerWindowDelta[] {
  const ids = [...new Set([...start.servers.map((s) => s.id), ...end.servers.map((s) => s.id)])];
  return ids.map((id) =>
    serverDelta(
      start.servers.find((s) => s.id === id),
      end.servers.find((s) => s.id === id),
      id,
    ),
  );
}

/** The ensemble's mean (and, after resets, maximum) request latency over the window. */
export function windowServerLatency(deltas: readonly ServerWindowDelta[]): WindowServerLatency {
  const serversUnknown = deltas.filter((d) => d.unknown !== undefined).map((d) => d.id);
  const known = deltas.filter((d) => d.unknown === undefined);
  const requests = known.reduce((n, d) => n + d.requests, 0);
  const sum = known.reduce((n, d) => n + d.latencySumMs, 0);
  const complete = deltas.length > 0 && serversUnknown.length === 0;
  const maxima = known.map((d) => d.latencyMaxMs);
  return {
    requests,
    meanMs: complete && requests > 0 ? sum / requests : Number.NaN,
    maxMs: complete && maxima.every((m) => m !== undefined) ? Math.max(...(maxima as number[])) : undefined,
    serversUnknown,
  };
}

/** Why the mean is unknown: no server, a server's deltas unknown (which and why), or no request in the window. */
export function meanUnknownWhy(deltas: readonly ServerWindowDelta[]): string {
  if (deltas.length === 0) return 'no server was asked for mntr';
  // Servers with the same reason named together: "servers 1, 2: no mntr answer (...)".
  const byWhy = new Map<string, number[]>();
  for (const d of deltas) if (d.unknown !== undefined) byWhy.set(d.unknown, [...(byWhy.get(d.unknown) ?? []), d.id]);
  if (byWhy.size > 0) return [...byWhy].map(([why, ids]) => `server${ids.length > 1 ? 's' : ''} ${ids.join(', ')}: ${why}`).join('; ');
  return 'the servers answered no request in the measured window';
}

/**
 * summary.csv's rows: `server_latency` (mean) and `server_latency_max`, in ms; not measured (empty, with
 * why) when unknown. `deltas` undefined: the window never opened, so the servers were never asked.
 */
export function serverLatencyMetrics(deltas: readonly ServerWindowDelta[] | undefined): Metric[] {
  if (deltas === undefined) {
    const why = 'the servers\' view was not taken: the measured window never opened';
    return [unmeasured('server_latency', 'ms', why), unmeasured('server_latency_max', 'ms', why)];
  }
  const latency = windowServerLatency(deltas);
  const meanWhy = meanUnknownWhy(deltas);
  return [
    scalarOr('server_latency', 'ms', latency.meanMs, meanWhy),
    // The maximum of no request is not 0: without requests it is not measured either.
    scalarOr(
      'server_latency_max',
      'ms',
      latency.requests > 0 ? latency.maxMs : undefined,
      Number.isFinite(latency.meanMs) ? 'the servers\' statistics were not reset (srst) at the window\'s start (embedded ensembles only), so their maximum spans more than the window' : meanWhy,
    ),
  ];
}
