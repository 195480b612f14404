// Which server a fault hits, from what the servers said of themselves just before it (srvr) and what
// earlier faults did to them. A target picks only among the servers the action can apply to: `random`
// kills one that runs, restarts one that was killed; `follower` picks among the followers by the
// seeded generator, so a run with the same seed hits the same servers. Pure.
import type { FaultAction, FaultSpec } from './fault-spec.ts';
import { parseTarget } from './fault-spec.ts';

/** What one server is now, as a fault sees it. */
export interface ServerCondition {
  id: number;
  /** From srvr: leader, follower, standalone, observer; 'not serving' (it answered without a Mode); 'no answer'. */
  role: string;
  killed: boolean;
  paused: boolean;
  isolated: boolean;
}

export type Resolution = { id: number; role: string } | { id: undefined; why: string; retry: boolean };

/** Can `action` apply to `s` now? Undefined when it can, else why not. */
export function whyNot(action: FaultAction, s: ServerCondition): string | undefined {
  switch (action) {
    case 'kill':
      return s.killed ? 'it is already killed' : undefined;
    case 'restart':
      return s.killed ? undefined : 'it was not killed';
    case 'pause':
      return s.killed ? 'it is killed' : s.paused ? 'it is already paused' : undefined;
    case 'resume':
      return s.paused ? undefined : 'it is not paused';
    case 'isolate':
      return s.killed ? 'it is killed' : s.isolated ? 'it is already cut off' : undefined;
    case 'heal':
      return s.isolated ? undefined : 'it is not cut off';
  }
}

const DONE: Record<FaultAction, string> = { kill: 'killed', restart: 'restarted', pause: 'paused', resume: 'resumed', isolate: 'cut off', heal: 'healed' };

const pick = <T>(items: readonly T[], random: () => number): T => items[Math.min(items.length - 1, Math.floor(random() * items.length))]!;

/**
 * The server `fault` targets now. `retry` is true when the answer may change by waiting (no leader
 * during an election); otherwise the fault cannot be done at all.
 */
export function resolveTarget(fault: FaultSpec, servers: readonly ServerCondition[], previous: number | undefined, random: () => number): Resolution {
  const target = parseTarget(fault.target);
  if (!target) return { id: undefined, why: `unknown target "${fault.target}"`, retry: false };
  const eligible = servers.filter((s) => whyNot(fault.action, s) === undefined);
  const byRole = (roles: readonly string[]): ServerCondition[] => eligible.filter((s) => roles.includes(s.role));
  switch (target.kind) {
    case 'leader': {
      const [leader] = byRole(['leader', 'standalone']);
      return leader ? { id: leader.id, role: leader.role } : { id: undefined, why: 'no server answers Mode: leader', retry: true };
    }
    case 'follower': {
      const followers = byRole(['follower']);
      if (followers.length === 0) return { id: undefined, why: 'no server answers Mode: follower', retry: true };
      const s = pick(followers, random);
      return { id: s.id, role: s.role };
    }
    case 'random': {
      if (eligible.length === 0) return { id: undefined, why: `no server can be ${DONE[fault.action]} now`, retry: false };
      const s = pick(eligible, random);
      return { id: s.id, role: s.role };
    }
    case 'server':
    case 'previous': {
      const id = target.kind === 'server' ? target.id : previous;
      if (id === undefined) return { id: undefined, why: 'there is no previous fault', retry: false };
      const s = servers.find((x) => x.id === id);
      if (!s) return { id: undefined, why: `there is no server ${id}`, retry: false };
      const why = whyNot(fault.action, s);
      return why === undefined ? { id: s.id, role: s.role } : { id: undefined, why: `server ${id}: ${why}`, retry: false };
    }
  }
}
