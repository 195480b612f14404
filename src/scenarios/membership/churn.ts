// The churn a membership run applies, decided before it starts from the workload and its seed: which
// servers are registered from the start, which of them are crash victims, and the order of the changes.
// Pure, so the same seed makes the same run and the plan can be tested without ZooKeeper.
import { seededRandom } from '../seeded-random.ts';
import type { ChangeKind } from './figures.ts';

export interface ChurnSpec {
  /** Servers registered before the churn starts. */
  members: number;
  joins: number;
  leaves: number;
  crashes: number;
  seed: number;
}

export interface PlannedChange {
  kind: ChangeKind;
  server: number;
}

export interface ChurnPlan {
  /** Servers registered before the churn: ids 0 .. members-1. */
  initial: number[];
  /** One per crash, each in a load process of its own that the crash kills: the first `crashes` initial servers. */
  victims: number[];
  /** Servers that join during the churn: ids members .. members+joins-1. */
  joiners: number[];
  changes: PlannedChange[];
}

/** Why a churn cannot be planned, or undefined when it can. */
export function churnProblem(s: Omit<ChurnSpec, 'seed'>): string | undefined {
  if (s.joins + s.leaves + s.crashes === 0) return 'the churn has no changes: set joins, leaves or crashes above 0';
  if (s.crashes > s.members) return `crashes (${s.crashes}) exceeds members (${s.members}): every crash kills one server registered from the start`;
  const leavable = s.members - s.crashes + s.joins;
  if (s.leaves > leavable) {
    return `leaves (${s.leaves}) exceeds the servers that could leave (members - crashes + joins = ${leavable}): a server leaves once`;
  }
  return undefined;
}

/**
 * Kinds are drawn at random, weighted by how many of each remain; a leave takes a random server that is
 * alive and no crash victim. Only a leave can be impossible at some step (no such server yet), and then
 * another kind is drawn; churnProblem guarantees a leave is possible whenever only leaves remain.
 */
export function planChurn(s: ChurnSpec): ChurnPlan {
  const problem = churnProblem(s);
  if (problem) throw new Error(problem);
  const random = seededRandom(s.seed * 7919 + 17);
  const initial = Array.from({ length: s.members }, (_, i) => i);
  const victims = initial.slice(0, s.crashes);
  const joiners = Array.from({ length: s.joins }, (_, i) => s.members + i);
  const leavable = initial.slice(s.crashes);
  const remaining: Record<ChangeKind, number> = { join: s.joins, leave: s.leaves, crash: s.crashes };
  const changes: PlannedChange[] = [];
  let joined = 0;
  let crashed = 0;
  while (remaining.join + remaining.leave + remaining.crash > 0) {
    const kinds = (['join', 'leave', 'crash'] as const).filter((k) => remaining[k] > 0 && (k !== 'leave' || leavable.length > 0));
    if (kinds.length === 0) throw new Error('churn plan: only leaves remain and no server can leave (churnProblem should have said so)');
    const total = kinds.reduce((n, k) => n + remaining[k], 0);
    let pick = random() * total;
    const kind = kinds.find((k) => (pick -= remaining[k]) < 0) ?? kinds.at(-1)!;
    remaining[kind]--;
    if (kind === 'join') {
      const server = joiners[joined++]!;
      changes.push({ kind, server });
      leavable.push(server);
    } else if (kind === 'crash') {
      changes.push({ kind, server: victims[crashed++]! });
    } else {
      const [server] = leavable.splice(Math.floor(random() * leavable.length), 1);
      changes.push({ kind, server: server! });
    }
  }
  return { initial, victims, joiners, changes };
}

/** The servers alive once every change is applied. */
export function aliveAfter(plan: ChurnPlan): number[] {
  const alive = new Set([...plan.initial]);
  for (const c of plan.changes) {
    if (c.kind === 'join') alive.add(c.server);
    else alive.delete(c.server);
  }
  return [...alive].sort((a, b) => a - b);
}

/** The address server `id` registers (unique in a run, so a list of addresses is a list of servers). */
export function serverAddress(id: number): string {
  return `10.0.${Math.floor(id / 250)}.${(id % 250) + 1}:7000`;
}
