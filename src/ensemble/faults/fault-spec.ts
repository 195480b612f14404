// A fault schedule as the fault controllers carry it out (injector.ts, targets.ts): each entry's time, action,
// target and isolation scope. Parsed and checked from a workload's `faults` field by workload/faults.ts.

export const FAULT_ACTIONS = ['kill', 'restart', 'pause', 'resume', 'isolate', 'heal'] as const;
export type FaultAction = (typeof FAULT_ACTIONS)[number];

export const FAULT_TARGETS = ['leader', 'follower', 'server:N', 'random', 'previous'] as const;
export type FaultTarget = { kind: 'leader' } | { kind: 'follower' } | { kind: 'random' } | { kind: 'previous' } | { kind: 'server'; id: number };

export const ISOLATION_SCOPES = ['servers', 'all'] as const;
export type IsolationScope = (typeof ISOLATION_SCOPES)[number];

/** One entry of `faults`, as the resolved workload (and run.json) holds it. */
export interface FaultSpec {
  /** From the recipe's clients' start (warm-up included), ms. */
  atMs: number;
  action: FaultAction;
  /** leader, follower, server:N, random or previous. */
  target: string;
  /** isolate only: cut from the other servers (default) or from its clients too. */
  from?: IsolationScope;
}

const SERVER_TARGET = /^server:(\d+)$/;

export function parseTarget(target: string): FaultTarget | undefined {
  const m = SERVER_TARGET.exec(target);
  if (m) return { kind: 'server', id: Number(m[1]) };
  return target === 'leader' || target === 'follower' || target === 'random' || target === 'previous' ? { kind: target } : undefined;
}

/** "10s", "1.5s": a schedule time as messages print it. */
export const seconds = (ms: number): string => `${Number((ms / 1000).toFixed(3))}s`;

/** "kill leader at 10s", "isolate server:2 from all at 5s": how messages and logs name an entry. */
export function describeFault(f: FaultSpec): string {
  return `${f.action} ${f.target}${f.action === 'isolate' && f.from === 'all' ? ' from all' : ''} at ${seconds(f.atMs)}`;
}

