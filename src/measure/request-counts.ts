// What a session asked of ZooKeeper and what it was told, counted per request kind: the raw material of the
// requests-per-operation figures (lock-metrics.ts, the scenarios' own). Kept by every ZkSession (zk/session.ts).

export type OpKind = 'create' | 'delete' | 'exists' | 'get' | 'getChildren' | 'set' | 'sync';
export const OP_KINDS: readonly OpKind[] = ['create', 'delete', 'exists', 'get', 'getChildren', 'set', 'sync'];
export const WRITE_OPS: ReadonlySet<OpKind> = new Set(['create', 'delete', 'set']);

export interface SessionCounters {
  requests: Record<OpKind, number>;
  /** Requests that registered a watch (a subset of the reads). */
  watchesSet: number;
  /** Node watch events delivered to this session (session events excluded). */
  notifications: number;
}

export function emptyCounters(): SessionCounters {
  return {
    requests: { create: 0, delete: 0, exists: 0, get: 0, getChildren: 0, set: 0, sync: 0 },
    watchesSet: 0,
    notifications: 0,
  };
}

export function addCounters(into: SessionCounters, from: SessionCounters): void {
  for (const k of OP_KINDS) into.requests[k] += from.requests[k];
  into.watchesSet += from.watchesSet;
  into.notifications += from.notifications;
}
