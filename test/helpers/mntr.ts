// The servers' view for unit tests: one server's mntr answer (a follower's plain counters, overridden by
// `values`) and a snapshot of the servers at a moment.
import type { ServerMntr, ServerViewSnapshot } from '../../src/ensemble/server-view.ts';

export const mntr = (values: Record<string, number | string>): Record<string, number | string> => ({
  server_state: 'follower',
  uptime: 1000,
  cnt_readlatency: 0,
  sum_readlatency: 0,
  max_readlatency: 0,
  cnt_updatelatency: 0,
  sum_updatelatency: 0,
  max_updatelatency: 0,
  packets_received: 0,
  packets_sent: 0,
  cnt_fsynctime: 0,
  sum_fsynctime: 0,
  outstanding_requests: 0,
  watch_count: 0,
  znode_count: 5,
  num_alive_connections: 1,
  ...values,
});
export const server = (id: number, values: Record<string, number | string>, statsReset = false): ServerMntr => ({ id, statsReset, mntr: mntr(values) });
export const snap = (at: string, servers: ServerMntr[]): ServerViewSnapshot => ({ at: new Date(at), servers });
