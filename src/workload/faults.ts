// The workload's `faults` field: what is done to the ensemble's servers, when, and to whom, during every
// recipe. Parsing (the shape of each entry) and the schedule's checks at load time (a time beyond the
// run, a restart of a server never killed, a target that cannot exist) live here; carrying the faults
// out is src/runner/fault-run.ts. Pure.
//
// Times (`at`) count from the recipe's clients' start: the warm-up's start, where every recipe's
// timeline begins. So `at: 12s` with `warmup_s: 2` is 10 s into the measured window, and every fault
// must fall before the clients stop (warm-up + duration). Each recipe gets the whole schedule, on an
// ensemble restored to health before it (killed servers restarted, paused ones resumed, isolations
// healed).

import { parse as parseYaml } from 'yaml';
import {
  describeFault,
  FAULT_ACTIONS,
  FAULT_TARGETS,
  ISOLATION_SCOPES,
  parseTarget,
  seconds,
  type FaultAction,
  type FaultSpec,
  type IsolationScope,
} from '../ensemble/faults/fault-spec.ts';

export class FaultScheduleError extends Error {
  override readonly name = 'FaultScheduleError';
}

const ENTRY_KEYS = ['at', 'action', 'target', 'from'] as const;

/** 10, "10s", "1.5s", "500ms" (a bare number is seconds) -> ms; undefined when not a time. */
export function parseTimeMs(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value * 1000 : undefined;
  if (typeof value !== 'string') return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s)?\s*$/.exec(value);
  if (!m) return undefined;
  return m[2] === 'ms' ? Number(m[1]) : Number(m[1]) * 1000;
}

/**
 * The entries' shape: a list of mappings with a time, a known action, a known target and `from` only on
 * isolate. A string is read as YAML, so JSON or the flow style the help shows (the command line's --faults:
 * `[{at: 10s, action: kill, target: leader}]`). `where` names the field in messages.
 */
export function parseFaults(value: unknown, where: string): FaultSpec[] {
  let list = value;
  if (typeof value === 'string') {
    try {
      list = parseYaml(value);
    } catch {
      throw new FaultScheduleError(`${where}: neither YAML nor JSON: ${value} (e.g. [{at: 10s, action: kill, target: leader}])`);
    }
  }
  if (!Array.isArray(list)) throw new FaultScheduleError(`${where}: expected a list of faults, e.g. [{at: 10s, action: kill, target: leader}], got ${JSON.stringify(value)}`);
  return list.map((raw: unknown, i) => {
    const entry = `${where}, entry ${i + 1}`;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new FaultScheduleError(`${entry}: expected a mapping {at, action, target}, got ${JSON.stringify(raw)}`);
    const r = raw as Record<string, unknown>;
    const unknown = Object.keys(r).find((k) => !(ENTRY_KEYS as readonly string[]).includes(k));
    if (unknown !== undefined) throw new FaultScheduleError(`${entry}: unknown key "${unknown}"; allowed: ${ENTRY_KEYS.join(', ')}`);
    for (const k of ['at', 'action', 'target'] as const) if (r[k] === undefined || r[k] === null) throw new FaultScheduleError(`${entry}: "${k}" is missing`);
    const atMs = parseTimeMs(r['at']);
    if (atMs === undefined) throw new FaultScheduleError(`${entry}: at ${JSON.stringify(r['at'])} is not a time; write 10s, 1.5s or 500ms (from the clients' start)`);
    const action = r['action'];
    if (typeof action !== 'string' || !(FAULT_ACTIONS as readonly string[]).includes(action)) {
      throw new FaultScheduleError(`${entry}: unknown action ${JSON.stringify(action)}; actions: ${FAULT_ACTIONS.join(', ')}`);
    }
    const target = r['target'];
    if (typeof target !== 'string' || parseTarget(target) === undefined) {
      throw new FaultScheduleError(`${entry}: unknown target ${JSON.stringify(target)}; targets: ${FAULT_TARGETS.join(', ')}`);
    }
    const spec: FaultSpec = { atMs, action: action as FaultAction, target };
    if (r['from'] !== undefined) {
      if (action !== 'isolate') throw new FaultScheduleError(`${entry}: "from" belongs to isolate only (what the server is cut off from)`);
      if (typeof r['from'] !== 'string' || !(ISOLATION_SCOPES as readonly string[]).includes(r['from'])) {
        throw new FaultScheduleError(`${entry}: from ${JSON.stringify(r['from'])}: allowed ${ISOLATION_SCOPES.join(', ')}`);
      }
      spec.from = r['from'] as IsolationScope;
    } else if (action === 'isolate') {
      spec.from = 'servers';
    }
    return spec;
  });
}

/** What the schedule check needs of the workload. */
export interface ScheduleContext {
  servers: number;
  warmupS: number;
  /** Undefined: the run ends on a count of acquisitions, not a time. */
  durationS: number | undefined;
}

export interface ScheduleIssues {
  error(message: string): never;
  warn(message: string): void;
}

/** The state a fault leaves a server in, and the actions that undo each. */
type Condition = 'killed' | 'paused' | 'isolated';
const CAUSES: Partial<Record<FaultAction, Condition>> = { kill: 'killed', pause: 'paused', isolate: 'isolated' };
const CURES: Partial<Record<FaultAction, Condition>> = { restart: 'killed', resume: 'paused', heal: 'isolated' };
const NEVER: Record<Condition, string> = {
  killed: 'a restart of a server that was never killed',
  paused: 'a resume of a server that was never paused',
  isolated: 'a heal without an isolate',
};
const CAUSE_OF: Record<Condition, FaultAction> = { killed: 'kill', paused: 'pause', isolated: 'isolate' };

/**
 * Checks a schedule against the run, simulating it on what is known before the run: a `server:N` is that
 * server; a leader, follower or random target is "the server entry i chose", which `previous` can name
 * again but nothing else can (it may or may not be some server:N). Errors for what is certainly wrong;
 * a warning when the ensemble may lose its quorum.
 */
export function checkFaultSchedule(faults: readonly FaultSpec[], w: ScheduleContext, where: string, issues: ScheduleIssues): void {
  if (faults.length === 0) return;
  if (w.durationS === undefined) issues.error(`${where}: faults need a time-bound run (set duration_s instead of acquisitions): their times count from the clients' start`);
  const runMs = (w.warmupS + w.durationS) * 1000;
  const quorumCanLose = Math.floor((w.servers - 1) / 2);
  // Identity of each entry's target: "s<N>" for server:N, "e<i>" for the server entry i chose.
  const identity: string[] = [];
  const conditions = new Map<string, Set<Condition>>();
  const causedBy = new Map<string, number>(); // identity+condition -> entry that caused it
  const has = (id: string, c: Condition): boolean => conditions.get(id)?.has(c) ?? false;
  const possibly = (id: string, c: Condition): boolean => has(id, c) || (id.startsWith('s') && [...conditions].some(([other, set]) => other.startsWith('e') && set.has(c)));
  const down = (): string[] => [...conditions].filter(([, set]) => set.size > 0).map(([id]) => id);
  let quorumLostAt: { entry: number; atMs: number } | undefined;

  faults.forEach((f, i) => {
    const n = i + 1;
    const fail = (msg: string): never => issues.error(`${where}, entry ${n} (${describeFault(f)}): ${msg}`);
    const target = parseTarget(f.target)!;
    if (f.atMs >= runMs) fail(`${seconds(f.atMs)} is beyond the run: the clients stop at ${seconds(runMs)} (warm-up ${w.warmupS} s + duration ${w.durationS} s; times count from the clients' start)`);
    if (i > 0 && f.atMs < faults[i - 1]!.atMs) fail(`entries must be in time order (entry ${i} is at ${seconds(faults[i - 1]!.atMs)}); \`previous\` means the entry before`);
    if (target.kind === 'server' && (target.id < 1 || target.id > w.servers)) fail(`there is no server ${target.id}: the ensemble has servers 1..${w.servers}`);
    if (target.kind === 'follower' && w.servers === 1) fail('a 1-server ensemble has no follower');
    if (f.action === 'isolate' && f.from !== 'all' && w.servers === 1) fail('a 1-server ensemble has no other server to cut it off from (use from: all to cut its clients off)');
    const cure = CURES[f.action];
    if (cure && (target.kind === 'leader' || target.kind === 'follower')) {
      fail(`a ${cure} server has no role to be found by; ${f.action} takes server:N, previous or random`);
    }
    if (target.kind === 'previous' && i === 0) fail('`previous` names the target of the entry before, and this is the first');
    const id = target.kind === 'server' ? `s${target.id}` : target.kind === 'previous' ? identity[i - 1]! : `e${n}`;
    identity.push(id);

    if ((target.kind === 'leader' || target.kind === 'follower') && quorumLostAt !== undefined) {
      fail(`from entry ${quorumLostAt.entry} on, more servers are down than a quorum of ${w.servers} can lose (${quorumCanLose}), so there is no ${target.kind} to target`);
    }
    const cause = CAUSES[f.action];
    if (cause) {
      if (has(id, cause)) fail(`its target is already ${cause} (by entry ${causedBy.get(`${id}/${cause}`)})`);
      if (cause !== 'killed' && has(id, 'killed')) fail(`its target was killed by entry ${causedBy.get(`${id}/killed`)} and not restarted`);
      const set = conditions.get(id) ?? new Set<Condition>();
      if (cause === 'killed') set.delete('paused'); // SIGKILL ends a stopped process too
      set.add(cause);
      conditions.set(id, set);
      causedBy.set(`${id}/${cause}`, n);
    } else if (cure) {
      const possible = target.kind === 'random' ? [...conditions.values()].some((set) => set.has(cure)) : possibly(id, cure);
      if (!possible) fail(`${NEVER[cure]}: no earlier entry ${CAUSE_OF[cure]}s ${target.kind === 'random' ? 'any server' : 'it'} (or it was ${cure === 'killed' ? 'restarted' : cure === 'paused' ? 'resumed' : 'healed'} since)`);
      // A random pick, or server:N that may be a server a leader/follower/random entry chose: which one is
      // well again is known only at run time, so the others stay as they are (the quorum count may overcount).
      if (has(id, cure)) conditions.get(id)!.delete(cure);
    }
    const downNow = down();
    if (downNow.length > quorumCanLose && quorumLostAt === undefined) {
      quorumLostAt = { entry: n, atMs: f.atMs };
      issues.warn(
        `${where}, entry ${n} (${describeFault(f)}): up to ${downNow.length} of ${w.servers} servers are then down (killed, paused or cut off), more than a quorum can lose (${quorumCanLose} server(s)): ` +
          'writes stop until enough of them are back',
      );
    } else if (downNow.length <= quorumCanLose) {
      quorumLostAt = undefined;
    }
  });
}
