// The workload schema: every field a workload file may set, its type, its bounds and what it means.
// One table drives validation, command-line overrides and `zkbench list`, so they cannot drift apart.
import { LOCK_RECIPE_IDS, type LockRecipeId } from '../recipes/lock/types.ts';
import { THROUGHPUT_OPS, type ThroughputOp } from '../scenarios/throughput/plan.ts';
import { PRIMITIVE_OPS, type PrimitiveOp } from '../scenarios/primitives/ops.ts';

export const SCENARIOS = ['lock-contention', 'throughput', 'primitives'] as const;

/** What `recipes` may name, per scenario: lock recipes, or the operations of the throughput scenario. */
export const RECIPES_BY_SCENARIO: Readonly<Record<ScenarioId, readonly string[]>> = {
  'lock-contention': LOCK_RECIPE_IDS,
  throughput: THROUGHPUT_OPS,
  primitives: PRIMITIVE_OPS,
};
export type ScenarioId = (typeof SCENARIOS)[number];

export interface Workload {
  name: string;
  description: string;
  scenario: ScenarioId;
  /** Lock recipes (lock-contention) or operations (throughput), run one after another. */
  recipes: (LockRecipeId | ThroughputOp | PrimitiveOp)[];
  clients: number;
  /** Measured acquisitions per client (after warm-up); exclusive with durationS. */
  acquisitions: number | undefined;
  /** Measured seconds per recipe (after warm-up); exclusive with acquisitions. */
  durationS: number | undefined;
  holdMs: number;
  warmupS: number;
  sessionTimeoutMs: number;
  acquireTimeoutMs: number;
  giveUpShare: number;
  giveUpAfterMs: number;
  servers: number;
  tickTimeMs: number;
  workers: number;
  seed: number;
  /** Size of the data written by the throughput scenario's set (and read by its get). */
  payloadBytes: number;
  /** How often the client re-resolves server names, ms; -1: only when (re)connecting. */
  resolutionDelayMs: number;
  /** Embedded servers: period of the ZOOKEEPER-4537 guard, ms (0: the servers as installed). */
  commitWakeupGuardMs: number;
  /** Figure selector → requirement, e.g. "predecessor.acquire.p99": "< 50ms"; checked after every run. */
  thresholds: Record<string, string>;
}

type FieldType =
  | { kind: 'string' }
  | { kind: 'integer'; min: number; max?: number; oneOf?: readonly number[] }
  | { kind: 'number'; min: number; max?: number; exclusiveMin?: boolean }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'enum-list'; values: readonly string[] }
  | { kind: 'thresholds' };

export interface FieldSpec {
  /** Key in the workload file (snake_case); the command-line flag is its kebab-case form. */
  key: string;
  prop: keyof Workload;
  type: FieldType;
  required?: boolean;
  default?: unknown;
  help: string;
}

export const FIELDS: readonly FieldSpec[] = [
  { key: 'name', prop: 'name', type: { kind: 'string' }, required: true, help: 'workload name (names the run directory)' },
  { key: 'description', prop: 'description', type: { kind: 'string' }, default: '', help: 'what the workload shows' },
  { key: 'scenario', prop: 'scenario', type: { kind: 'enum', values: SCENARIOS }, required: true, help: 'what drives the clients' },
  {
    key: 'recipes',
    prop: 'recipes',
    type: { kind: 'enum-list', values: [...LOCK_RECIPE_IDS, ...THROUGHPUT_OPS, ...PRIMITIVE_OPS.filter((op) => !(THROUGHPUT_OPS as readonly string[]).includes(op))] },
    required: true,
    help: 'lock recipes (lock-contention) or request kinds (throughput: set, get; primitives: create, get, set, exists, getChildren, delete, sync), run one after another',
  },
  { key: 'clients', prop: 'clients', type: { kind: 'integer', min: 1, max: 100_000 }, required: true, help: 'concurrent client sessions contending' },
  { key: 'acquisitions', prop: 'acquisitions', type: { kind: 'integer', min: 1 }, help: 'measured acquisitions per client (or duration_s)' },
  { key: 'duration_s', prop: 'durationS', type: { kind: 'number', min: 0, exclusiveMin: true }, help: 'measured seconds per recipe (or acquisitions)' },
  { key: 'hold_ms', prop: 'holdMs', type: { kind: 'number', min: 0 }, default: 0, help: 'how long a holder keeps the lock (0: one event-loop turn)' },
  { key: 'warmup_s', prop: 'warmupS', type: { kind: 'number', min: 0 }, default: 0, help: 'seconds of contention before measuring' },
  { key: 'session_timeout_ms', prop: 'sessionTimeoutMs', type: { kind: 'integer', min: 1000 }, default: 15_000, help: 'ZooKeeper session timeout asked for' },
  { key: 'acquire_timeout_ms', prop: 'acquireTimeoutMs', type: { kind: 'integer', min: 0 }, default: 0, help: 'a waiter gives up after this long and counts as a timeout (0: never)' },
  { key: 'give_up_share', prop: 'giveUpShare', type: { kind: 'number', min: 0, max: 1 }, default: 0, help: 'share of acquisitions whose waiter leaves the queue early' },
  { key: 'give_up_after_ms', prop: 'giveUpAfterMs', type: { kind: 'number', min: 0 }, default: 5, help: 'how long such a waiter waits before leaving' },
  { key: 'servers', prop: 'servers', type: { kind: 'integer', min: 1, oneOf: [1, 3, 5, 7] }, default: 3, help: 'embedded ensemble size' },
  { key: 'tick_time_ms', prop: 'tickTimeMs', type: { kind: 'integer', min: 100, max: 60_000 }, default: 2000, help: 'embedded ensemble tickTime' },
  {
    key: 'workers',
    prop: 'workers',
    type: { kind: 'integer', min: 0, max: 64 },
    default: 0,
    help: 'child processes the clients are spread over (0: chosen from the cores and where the servers run)',
  },
  { key: 'seed', prop: 'seed', type: { kind: 'integer', min: 0 }, default: 1, help: 'seed of the random choices (who gives up)' },
  { key: 'payload_bytes', prop: 'payloadBytes', type: { kind: 'integer', min: 0, max: 1_000_000 }, default: 64, help: 'throughput: bytes written by set' },
  {
    key: 'resolution_delay_ms',
    prop: 'resolutionDelayMs',
    type: { kind: 'integer', min: -1 },
    default: -1,
    help: 'how often the client re-resolves server names (ms; -1: only when reconnecting; 0: every I/O event, as shipped)',
  },
  {
    key: 'commit_wakeup_guard_ms',
    prop: 'commitWakeupGuardMs',
    type: { kind: 'integer', min: 0, max: 1000 },
    default: 1,
    help: 'embedded servers: how often a guard checks for the ZooKeeper 3.6-3.8.0 lost commit wake-up, ZOOKEEPER-4537 (ms; 0: servers as installed)',
  },
  {
    key: 'thresholds',
    prop: 'thresholds',
    type: { kind: 'thresholds' },
    default: {},
    help: 'requirements checked after the run, e.g. {"predecessor.acquire.p99": "< 50ms", "*.violations": "== 0"}',
  },
];

export function flagOf(field: FieldSpec): string {
  return field.key.replaceAll('_', '-');
}

export function describeType(t: FieldType): string {
  switch (t.kind) {
    case 'string':
      return 'a string';
    case 'integer':
      return t.oneOf ? `one of ${t.oneOf.join(', ')}` : `an integer >= ${t.min}${t.max !== undefined ? ` and <= ${t.max}` : ''}`;
    case 'number':
      return `a number ${t.exclusiveMin ? '>' : '>='} ${t.min}${t.max !== undefined ? ` and <= ${t.max}` : ''}`;
    case 'enum':
      return `one of ${t.values.join(', ')}`;
    case 'enum-list':
      return `a non-empty list of ${t.values.join(', ')}`;
    case 'thresholds':
      return 'a mapping of [recipe.]metric[.stat] to "OP amount" (e.g. "< 50ms"), or that mapping as JSON on the command line';
  }
}
