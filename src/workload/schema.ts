// The workload schema: every field a workload file may set, its type, its bounds and what it means.
// One table (fields.ts: these and the scenarios' own) drives validation, command-line overrides and
// `zkbench list`, so they cannot drift apart.
// The fields every scenario shares are here; a scenario's own fields are declared in its folder
// (src/scenarios/<id>/index.ts) and joined to these in fields.ts.
import type { FaultSpec } from '../ensemble/faults/fault-spec.ts';

/**
 * A resolved workload: the common fields, typed here, and the scenario's own fields (its `fields`), read
 * through the scenario's typed view of it (e.g. `Workload & LockFields`).
 */
export interface Workload {
  name: string;
  description: string;
  /** A scenario id of the registry (src/scenarios/registry.ts). */
  scenario: string;
  /** The scenario's recipes (or request kinds), run one after another. */
  recipes: string[];
  clients: number;
  /** Measured acquisitions per client (after warm-up); exclusive with durationS. */
  acquisitions: number | undefined;
  /** Measured seconds per recipe (after warm-up); exclusive with acquisitions. */
  durationS: number | undefined;
  warmupS: number;
  sessionTimeoutMs: number;
  servers: number;
  tickTimeMs: number;
  workers: number;
  seed: number;
  /** Size of the data every write sends (set, a watched node's updates). */
  payloadBytes: number;
  /** How often the client re-resolves server names, ms; -1: only when (re)connecting. */
  resolutionDelayMs: number;
  /** Embedded servers: period of the ZOOKEEPER-4537 guard, ms (0: the servers as installed). */
  commitWakeupGuardMs: number;
  /** Figure selector → requirement, e.g. "predecessor.acquire.p99": "< 50ms"; checked after every run. */
  thresholds: Record<string, string>;
  /** Faults done to the servers during every recipe (workload/faults.ts); empty: none. */
  faults: FaultSpec[];
  /** A file holding the run's credential (zk/credentials.ts); the path only, never the secret. */
  authFile: string | undefined;
  /** The ACL of what zkbench creates; undefined: open without credentials, creator with them. */
  acl: string | undefined;
  /** Embedded servers: which four-letter words they allow (all, ruok, none). */
  fourLetterWords: string;
  /** Embedded servers: the AdminServer on or off. */
  adminServer: string;
  /** TLS to the servers (docs/tls-sasl.md): PEM files of the CA, and of a client certificate and key for servers that ask for one. */
  tlsCa?: string | undefined;
  tlsCert?: string | undefined;
  tlsKey?: string | undefined;
  /** TLS without checking the servers' certificate chain or name (said loudly in the run's output). */
  tlsInsecure: boolean;
  /** Embedded ensembles: none, TLS-only client ports, or SASL DIGEST-MD5 required of every session. */
  ensembleSecurity: 'none' | 'tls' | 'sasl';
  /** The scenario's own fields, by prop. */
  readonly [scenarioField: string]: unknown;
}

type FieldType =
  | { kind: 'string' }
  | { kind: 'boolean' }
  | { kind: 'integer'; min: number; max?: number; oneOf?: readonly number[] }
  | { kind: 'number'; min: number; max?: number; exclusiveMin?: boolean }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'enum-list'; values: readonly string[] }
  | { kind: 'integer-list'; min: number; max?: number }
  | { kind: 'thresholds' }
  | { kind: 'faults' };

export interface FieldSpec {
  /** Key in the workload file (snake_case); the command-line flag is its kebab-case form. */
  key: string;
  /** Property of the resolved Workload (camelCase). */
  prop: string;
  type: FieldType;
  required?: boolean;
  default?: unknown;
  help: string;
}

export const COMMON_FIELDS: readonly FieldSpec[] = [
  { key: 'name', prop: 'name', type: { kind: 'string' }, required: true, help: 'workload name (names the run directory)' },
  { key: 'description', prop: 'description', type: { kind: 'string' }, default: '', help: 'what the workload shows' },
  // scenario and recipes: their allowed values come from the registry (fields.ts).
  { key: 'scenario', prop: 'scenario', type: { kind: 'enum', values: [] }, required: true, help: 'what drives the clients (see `zkbench list`)' },
  { key: 'recipes', prop: 'recipes', type: { kind: 'enum-list', values: [] }, required: true, help: "the scenario's recipes (or request kinds), run one after another" },
  { key: 'clients', prop: 'clients', type: { kind: 'integer', min: 1, max: 100_000 }, required: true, help: 'concurrent client sessions contending' },
  { key: 'acquisitions', prop: 'acquisitions', type: { kind: 'integer', min: 1 }, help: 'measured acquisitions per client (or duration_s)' },
  { key: 'duration_s', prop: 'durationS', type: { kind: 'number', min: 0, exclusiveMin: true }, help: 'measured seconds per recipe (or acquisitions)' },
  { key: 'warmup_s', prop: 'warmupS', type: { kind: 'number', min: 0 }, default: 0, help: 'seconds of contention before measuring' },
  { key: 'session_timeout_ms', prop: 'sessionTimeoutMs', type: { kind: 'integer', min: 1000 }, default: 15_000, help: 'ZooKeeper session timeout asked for' },
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
  { key: 'payload_bytes', prop: 'payloadBytes', type: { kind: 'integer', min: 0, max: 1_000_000 }, default: 64, help: 'bytes of data every write sends (set, a watched node\'s updates)' },
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
    key: 'auth_file',
    prop: 'authFile',
    type: { kind: 'string' },
    help: 'file holding the credential every session authenticates with, one line: digest:USER:PASSWORD or sasl:DIGEST-MD5:USER:PASSWORD (docs/auth-acl-chroot.md)',
  },
  {
    key: 'acl',
    prop: 'acl',
    type: { kind: 'enum', values: ['open', 'creator'] },
    help: 'ACL of the nodes zkbench creates: open (world) or creator (only the run\'s identity); default open without credentials, creator with them',
  },
  {
    key: 'four_letter_words',
    prop: 'fourLetterWords',
    type: { kind: 'enum', values: ['all', 'ruok', 'none'] },
    default: 'all',
    help: 'embedded servers: the four-letter words they allow (4lw.commands.whitelist: all, ruok, none; ZooKeeper always allows srvr), as locked-down ensembles are set up',
  },
  {
    key: 'admin_server',
    prop: 'adminServer',
    type: { kind: 'enum', values: ['off', 'on'] },
    default: 'off',
    help: "embedded servers: the AdminServer (/commands/mntr, /commands/server_stats) on a port of its own; zkbench asks it for what the four-letter words do not give",
  },
  {
    key: 'thresholds',
    prop: 'thresholds',
    type: { kind: 'thresholds' },
    default: {},
    help: 'requirements checked after the run, e.g. {"predecessor.acquire.p99": "< 50ms", "*.violations": "== 0"}; flags after the amount: optional, allow-censored (docs/gates.md). On the command line they add to the workload\'s (--replace-thresholds replaces them)',
  },
  {
    key: 'faults',
    prop: 'faults',
    type: { kind: 'faults' },
    default: [],
    help: "faults done to the servers during every recipe, times from its clients' start, e.g. [{at: 10s, action: kill, target: leader}, {at: 20s, action: restart, target: previous}]",
  },
  {
    key: 'tls_ca',
    prop: 'tlsCa',
    type: { kind: 'string' },
    help: "PEM file of the CA that signed the servers' certificates: sessions connect over TLS, checking the chain and the server's name (an embedded `ensemble_security: tls` ensemble brings its own)",
  },
  { key: 'tls_cert', prop: 'tlsCert', type: { kind: 'string' }, help: 'PEM file of a client certificate (chain), for servers with ssl.clientAuth=need|want; implies TLS' },
  { key: 'tls_key', prop: 'tlsKey', type: { kind: 'string' }, help: "PEM file of the client certificate's private key (default: in tls_cert's file)" },
  {
    key: 'tls_insecure',
    prop: 'tlsInsecure',
    type: { kind: 'boolean' },
    default: false,
    help: "TLS without checking the servers' certificate chain or name (tests only: anyone in the path can read and change the traffic); said loudly in the output",
  },
  {
    key: 'ensemble_security',
    prop: 'ensembleSecurity',
    type: { kind: 'enum', values: ['none', 'tls', 'sasl'] },
    default: 'none',
    help: 'embedded ensemble: none; tls (clients only over TLS: secureClientPort, Netty, a keystore made for the run); sasl (every session must authenticate with SASL DIGEST-MD5, a user made for the run)',
  },
];

export function flagOf(field: FieldSpec): string {
  return field.key.replaceAll('_', '-');
}

export function describeType(t: FieldType): string {
  switch (t.kind) {
    case 'string':
      return 'a string';
    case 'boolean':
      return 'true or false';
    case 'integer':
      return t.oneOf ? `one of ${t.oneOf.join(', ')}` : `an integer >= ${t.min}${t.max !== undefined ? ` and <= ${t.max}` : ''}`;
    case 'number':
      return `a number ${t.exclusiveMin ? '>' : '>='} ${t.min}${t.max !== undefined ? ` and <= ${t.max}` : ''}`;
    case 'enum':
      return `one of ${t.values.join(', ')}`;
    case 'enum-list':
      return `a non-empty list of ${t.values.join(', ')}`;
    case 'integer-list':
      return `a non-empty list of integers >= ${t.min}${t.max !== undefined ? ` and <= ${t.max}` : ''} (on the command line: 10,100,1000)`;
    case 'thresholds':
      return 'a mapping of [recipe.]metric[.stat] to "OP amount" (e.g. "< 50ms"), or that mapping as JSON on the command line';
    case 'faults':
      return (
        'a list of {at: 10s|500ms, action: kill|restart|pause|resume|isolate|heal, target: leader|follower|server:N|random|previous, ' +
        'from: servers|all (isolate only)}, or that list as JSON on the command line'
      );
  }
}
