// The `mntr` four-letter word: a server's own figures as "zk_<key>\t<value>" lines. Parsing keeps
// the keys a run records (request latency, queues, watches, znodes, packets, fsyncs, role); the rest
// of ZooKeeper 3.8's ~400 lines are summaries of internal queues no figure of ours is read from.

/** `mntr` values by key without the `zk_` prefix: numbers as numbers, the rest (state, version) as text. */
export type MntrValues = Record<string, number | string>;

/**
 * What a snapshot keeps. 3.8 prints the server-wide `avg/min/max_latency` and, per request class,
 * Prometheus-style summaries `cnt_/sum_/max_readlatency` and `..._updatelatency` (ms, from a request's
 * arrival to its answer, on the server its client is connected to; pings and session set-up included).
 * `fsync_threshold_exceed_count` is printed by 3.5 (3.8 keeps it for JMX only and logs each
 * exceedance as a WARN line instead); `synced_followers` and `pending_syncs` by a leader only.
 */
export const MNTR_KEYS = [
  'server_state',
  'uptime',
  'avg_latency',
  'min_latency',
  'max_latency',
  'cnt_readlatency',
  'sum_readlatency',
  'max_readlatency',
  'cnt_updatelatency',
  'sum_updatelatency',
  'max_updatelatency',
  'outstanding_requests',
  'packets_received',
  'packets_sent',
  'num_alive_connections',
  'watch_count',
  'znode_count',
  'ephemerals_count',
  'approximate_data_size',
  'cnt_fsynctime',
  'sum_fsynctime',
  'max_fsynctime',
  'fsync_threshold_exceed_count',
  'synced_followers',
  'pending_syncs',
] as const;

/**
 * Parse a `mntr` answer, keeping `keys` (or every key). Undefined when the answer holds no
 * `zk_` line: a server that does not allow the word answers a sentence ("mntr is not executed because
 * it is not in the whitelist."), one outside a quorum "This ZooKeeper instance is not currently serving requests".
 */
export function parseMntr(text: string, keys: readonly string[] | 'all' = MNTR_KEYS): MntrValues | undefined {
  const wanted = keys === 'all' ? undefined : new Set(keys);
  const values: MntrValues = {};
  let lines = 0;
  for (const raw of text.split(/\r?\n/)) {
    const m = /^zk_(\w+)\s+(.*)$/.exec(raw.trim());
    if (!m) continue;
    lines++;
    const [, key, rest] = m as unknown as [string, string, string];
    if (wanted && !wanted.has(key)) continue;
    const value = rest.trim();
    const n = Number(value);
    values[key] = value !== '' && Number.isFinite(n) ? n : value;
  }
  return lines > 0 ? values : undefined;
}

/** A numeric value, or undefined when the key is absent or not a number. */
export function mntrNumber(values: MntrValues | undefined, key: string): number | undefined {
  const v = values?.[key];
  return typeof v === 'number' ? v : undefined;
}
