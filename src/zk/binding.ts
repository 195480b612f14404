// The npm `zookeeper` binding (the ZooKeeper C client on the libuv loop), loaded once and typed for the
// subset the suite uses. Everything else in src/ talks to ZkSession, never to this module directly.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export type Completion<T> = (rc: number, error: string, value: T) => void;
export type RawWatcher = (type: number, state: number, path: string) => void;

export interface RawStat {
  czxid: number;
  mzxid: number;
  version: number;
  cversion: number;
  ephemeralOwner: string;
  numChildren: number;
}

/** The callback API of the binding's JS class (each method returns the C call's immediate rc). */
export interface RawZooKeeper {
  /** The session timeout the server granted (zoo_recv_timeout), once connected; -1 before. */
  readonly timeout?: number;
  init(config: Record<string, unknown>): unknown;
  close(): unknown;
  on(event: 'connect' | 'connecting' | 'close', listener: (...args: unknown[]) => void): unknown;
  once(event: 'connect' | 'connecting' | 'close', listener: (...args: unknown[]) => void): unknown;
  removeAllListeners(): unknown;
  a_create(path: string, data: string | Buffer, flags: number, cb: Completion<string>): number;
  /** Patch level 6: a create with this ACL (a_create always gives world:anyone). */
  a_create_acl(path: string, data: string | Buffer, flags: number, acl: RawAcl[], cb: Completion<string>): number;
  a_delete_(path: string, version: number, cb: Completion<void>): number;
  a_exists(path: string, watch: boolean, cb: Completion<RawStat>): number;
  aw_exists(path: string, watcher: RawWatcher, cb: Completion<RawStat>): number;
  a_get(path: string, watch: boolean, cb: (rc: number, error: string, stat: RawStat, data: Buffer | string) => void): number;
  aw_get(path: string, watcher: RawWatcher, cb: (rc: number, error: string, stat: RawStat, data: Buffer | string) => void): number;
  a_get_children(path: string, watch: boolean, cb: Completion<string[]>): number;
  aw_get_children(path: string, watcher: RawWatcher, cb: Completion<string[]>): number;
  aw_get_children2(path: string, watcher: RawWatcher, cb: (rc: number, error: string, children: string[], stat: RawStat) => void): number;
  a_set(path: string, data: string | Buffer, version: number, cb: Completion<RawStat>): number;
  a_sync(path: string, cb: Completion<string>): number;
  a_set_acl(path: string, version: number, acl: RawAcl[], cb: (rc: number, error: string) => void): number;
  a_get_acl(path: string, cb: (rc: number, error: string, acl: RawAcl[] | null, stat: RawStat | null) => void): number;
  add_auth(scheme: string, auth: string, cb: (rc: number, error: string) => void): number;
  /** Patch level 5: why the last TLS handshake failed, while the handle is open (verification: the server's certificate was refused). */
  tls_error(): { message: string; verification: boolean } | undefined;
}

/** One ACL entry as the binding speaks it (perms: ZOO_PERM_* bits). */
export interface RawAcl {
  perms: number;
  scheme: string;
  auth: string;
}

interface BindingModule {
  new (config: Record<string, unknown>): RawZooKeeper;
  constants: Record<string, number>;
}

export const ZooKeeperBinding = require('zookeeper') as BindingModule;
export const zkConstants = ZooKeeperBinding.constants;

/** Version of the npm package that provides the binding (recorded in run.json). */
export function bindingVersion(): string {
  return (require('zookeeper/package.json') as { version: string }).version;
}

/**
 * The zkbench patch level of the loaded addon (patches/zookeeper+7.3.0.patch: no name resolution per I/O
 * event, one TCP segment per request, an optimised C client, no debug strings without a logger), or
 * undefined for the binding as shipped, whose per-request CPU cost would be measured along with ZooKeeper.
 */
export const BINDING_PATCH: number | undefined = zkConstants['ZKBENCH_PATCH'];

/**
 * The level patches/zookeeper+7.3.0.patch builds (its ZKBENCH_PATCH constant): 2 added the binding's own
 * log on stderr instead of stdout; 3 retries a lost connection when the C client says (not up to a third of
 * the session timeout later); 5 builds the C client with OpenSSL and Cyrus SASL and takes `tls` and `sasl`
 * in init(); 6 adds a_create_acl, a create with the caller's ACL; 7 sends the C client's log into a pipe the program reads (docs/zookeeper-binding-patch.md). An older build still loads, but is not what the patch describes.
 */
export const EXPECTED_BINDING_PATCH = 7;

export class AddonNotPatchedError extends Error {
  override readonly name = 'AddonNotPatchedError';
}

export function assertPatchedBinding(): void {
  if (BINDING_PATCH !== undefined && BINDING_PATCH !== EXPECTED_BINDING_PATCH) {
    throw new AddonNotPatchedError(
      `the loaded zookeeper addon (${require.resolve('zookeeper')}) is zkbench patch level ${BINDING_PATCH}, but ` +
        `patches/zookeeper+7.3.0.patch builds level ${EXPECTED_BINDING_PATCH}: run \`npm run setup\` to rebuild it.`,
    );
  }
  if (BINDING_PATCH === undefined) {
    throw new AddonNotPatchedError(
      `the loaded zookeeper addon (${require.resolve('zookeeper')}) is the build as shipped, not zkbench's patched build; ` +
        'its client costs ~150 µs of CPU per request and would be measured along with ZooKeeper. ' +
        'Run `npm run setup` (it applies patches/zookeeper+7.3.0.patch and rebuilds the addon from source).',
    );
  }
}

function constant(name: string): number {
  const v = zkConstants[name];
  if (typeof v !== 'number') throw new Error(`zookeeper binding lacks constant ${name}`);
  return v;
}

export const ZOK = constant('ZOK');
export const ZNOAUTH = constant('ZNOAUTH');
export const ZAUTHFAILED = constant('ZAUTHFAILED');
export const ZINVALIDACL = constant('ZINVALIDACL');
export const ZNONODE = constant('ZNONODE');
export const ZNODEEXISTS = constant('ZNODEEXISTS');
export const ZNOTEMPTY = constant('ZNOTEMPTY');
export const ZBADVERSION = constant('ZBADVERSION');
export const ZCONNECTIONLOSS = constant('ZCONNECTIONLOSS');
export const ZSESSIONEXPIRED = constant('ZSESSIONEXPIRED');
export const ZINVALIDSTATE = constant('ZINVALIDSTATE');
export const ZOPERATIONTIMEOUT = constant('ZOPERATIONTIMEOUT');

export const ZOO_EPHEMERAL = constant('ZOO_EPHEMERAL');
export const ZOO_EPHEMERAL_SEQUENTIAL = constant('ZOO_EPHEMERAL_SEQUENTIAL');
export const ZOO_PERSISTENT_SEQUENTIAL = constant('ZOO_PERSISTENT_SEQUENTIAL');

export const ZOO_SESSION_EVENT = constant('ZOO_SESSION_EVENT');
export const ZOO_CREATED_EVENT = constant('ZOO_CREATED_EVENT');
export const ZOO_DELETED_EVENT = constant('ZOO_DELETED_EVENT');
export const ZOO_CHANGED_EVENT = constant('ZOO_CHANGED_EVENT');
export const ZOO_CHILD_EVENT = constant('ZOO_CHILD_EVENT');
export const ZOO_EXPIRED_SESSION_STATE = constant('ZOO_EXPIRED_SESSION_STATE');
export const ZOO_AUTH_FAILED_STATE = constant('ZOO_AUTH_FAILED_STATE');
export const ZOO_LOG_LEVEL_ERROR = constant('ZOO_LOG_LEVEL_ERROR');
