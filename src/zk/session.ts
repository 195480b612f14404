// One ZooKeeper session: typed promise calls whose errors carry the numeric code, watch callbacks that
// only ever see node events, the session's state, and counts of what it asked and what it was told.
import {
  ZooKeeperBinding,
  ZOK,
  ZNONODE,
  ZAUTHFAILED,
  zkConstants,
  BINDING_PATCH,
  ZINVALIDSTATE,
  ZSESSIONEXPIRED,
  ZOO_SESSION_EVENT,
  ZOO_CREATED_EVENT,
  ZOO_DELETED_EVENT,
  ZOO_CHANGED_EVENT,
  ZOO_CHILD_EVENT,
  ZOO_EXPIRED_SESSION_STATE,
  ZOO_AUTH_FAILED_STATE,
  ZOO_LOG_LEVEL_ERROR,
  type RawAcl,
  type RawStat,
  type RawWatcher,
  type RawZooKeeper,
} from './binding.ts';
import { ZkError } from './errors.ts';
import { toClientConnect } from './connect-string.ts';
import { AuthRefusedError, currentCredential, currentNodeAcl, identityOf, type Credential, type NodeAclChoice } from './credentials.ts';
import { isTlsRefusal, saslInitOptions, saslRefusedError, tlsInitOptions, tlsRefusedError, type SaslOptions, type TlsOptions } from './security.ts';
import { emptyCounters, type OpKind, type SessionCounters } from '../measure/request-counts.ts';

export type WatchEventType = 'created' | 'deleted' | 'changed' | 'child' | 'other';
export interface WatchEvent {
  type: WatchEventType;
  path: string;
}
export type Watcher = (event: WatchEvent) => void;

/** Completion of a promise-free watched read: rc, and on ZOK what was read. */
export type StatCompletion = (rc: number, stat: Stat | undefined) => void;
export type ChildrenCompletion = (rc: number, children: string[] | undefined, stat: Stat | undefined) => void;

export type SessionState = 'connecting' | 'connected' | 'disconnected' | 'expired' | 'closed';

export interface Stat {
  /** The zxid of the transaction that created the node (exact while the epoch stays below 2^21). */
  czxid: number;
  version: number;
  cversion: number;
  numChildren: number;
  ephemeralOwner: string;
}

export interface SessionOptions {
  /** host:port,host:port,... optionally followed by a chroot path. */
  connect: string;
  sessionTimeoutMs: number;
  /** Give up on the first connection after this long. */
  connectTimeoutMs?: number;
  /**
   * The binding closes a session after this many consecutive partial reads; a getChildren of a
   * thousand contenders arrives in many pieces, so the suite raises the binding's default of 10.
   */
  responseCounterLimit?: number;
  /** Gives up on the handshake (Ctrl-C). */
  signal?: AbortSignal | undefined;
  /**
   * How often the C client re-resolves the server names, ms; -1 (default) only when (re)connecting.
   * The binding as shipped re-resolves on every I/O event (the patched addon makes this settable).
   */
  serversResolutionDelayMs?: number;
  /** Who the session is: undefined takes the process's (credentials.ts useCredential), null none at all. */
  credential?: Credential | null;
  /** The ACL of every node the session creates: undefined takes the process's choice. */
  nodeAcl?: NodeAclChoice;
  /** TLS to the servers' secure client port (security.ts); absent: plaintext. */
  tls?: TlsOptions | undefined;
  /** SASL authentication of every connection (DIGEST-MD5); absent: none. */
  sasl?: SaslOptions | undefined;
}

const PERM_ALL = zkConstants['ZOO_PERM_ALL'] ?? 31;
/** world:anyone may do everything: the binding's create always gives this. */
export const OPEN_ACL: readonly RawAcl[] = [{ perms: PERM_ALL, scheme: 'world', auth: 'anyone' }];
/** Every identity the creating session authenticated as (digest: USER:hash) may do everything; nobody else anything. */
export const CREATOR_ACL: readonly RawAcl[] = [{ perms: PERM_ALL, scheme: 'auth', auth: '' }];

/** Whether the loaded addon opens SASL sessions (a `sasl` connect option): zkbench's patch from level 5. */
export function saslSupported(): boolean {
  return (BINDING_PATCH ?? 0) >= 5;
}

const EVENT_TYPES = new Map<number, WatchEventType>([
  [ZOO_CREATED_EVENT, 'created'],
  [ZOO_DELETED_EVENT, 'deleted'],
  [ZOO_CHANGED_EVENT, 'changed'],
  [ZOO_CHILD_EVENT, 'child'],
]);

const toStat = (s: RawStat): Stat => ({
  czxid: s.czxid,
  version: s.version,
  cversion: s.cversion,
  numChildren: s.numChildren,
  ephemeralOwner: s.ephemeralOwner,
});

/** The numeric code of a refused request (issue() only ever rejects with ZkError). */
const codeOf = (err: Error): number => (err instanceof ZkError ? err.code : ZINVALIDSTATE);

const DEFAULT_CONNECT_TIMEOUT_MS = 30_000;
/** How often a TLS session that is not yet connected looks for a refused certificate. */
const TLS_WATCH_MS = 100;

export class ConnectTimeoutError extends Error {
  override readonly name = 'ConnectTimeoutError';
}

export class ZkSession {
  readonly counters: SessionCounters = emptyCounters();
  private currentState: SessionState = 'connecting';
  private readonly stateListeners = new Set<(s: SessionState) => void>();

  private constructor(
    private readonly zk: RawZooKeeper,
    /** The open's signal (Ctrl-C): besides the handshake, it ends any wait for the session to reconnect (tree.ts). */
    readonly signal: AbortSignal | undefined,
    /** The ACL of every node the session creates. */
    readonly nodeAcl: NodeAclChoice = 'open',
  ) {}

  /** Open a session and resolve once it is connected. */
  static open(opts: SessionOptions): Promise<ZkSession> {
    const credential = opts.credential === undefined ? currentCredential() : (opts.credential ?? undefined);
    if (credential?.scheme === 'sasl' && !saslSupported()) {
      return Promise.reject(
        new AuthRefusedError(
          `${identityOf(credential)}: the loaded zookeeper addon has no SASL support (zkbench's patched build adds it); ` +
            'run `npm run setup` with the SASL-enabled patch, or use a digest credential (digest:USER:PASSWORD)',
        ),
      );
    }
    // SASL from the options, or from the process's credential (--auth-file sasl:DIGEST-MD5:USER:PASSWORD).
    const sasl: SaslOptions | undefined =
      opts.sasl ?? (credential?.scheme === 'sasl' ? { mechanism: credential.mechanism, user: credential.user, password: credential.password } : undefined);
    const zk = new ZooKeeperBinding({
      connect: toClientConnect(opts.connect),
      timeout: opts.sessionTimeoutMs,
      debug_level: ZOO_LOG_LEVEL_ERROR,
      host_order_deterministic: false,
      data_as_buffer: true,
      response_counter_limit: opts.responseCounterLimit ?? 10_000,
      servers_resolution_delay_ms: opts.serversResolutionDelayMs ?? -1,
      ...(opts.tls ? { tls: tlsInitOptions(opts.connect, opts.tls) } : {}),
      ...(sasl ? { sasl: saslInitOptions(sasl) } : {}),
    });
    const session = new ZkSession(zk, opts.signal, opts.nodeAcl ?? currentNodeAcl());
    const connectTimeoutMs = opts.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    return new Promise((resolve, reject) => {
      const giveUp = (err: Error) => () => {
        opts.signal?.removeEventListener('abort', onAbort);
        session.close();
        reject(err);
      };
      const timer = setTimeout(() => {
        clearInterval(tlsWatch);
        // The last TLS failure, read before the handle closes, says why there was no session.
        const tlsError = opts.tls ? zk.tls_error() : undefined;
        giveUp(new ConnectTimeoutError(`no session with ${opts.connect} within ${connectTimeoutMs} ms${tlsError ? ` (last TLS error: ${tlsError.message})` : ''}`))();
      }, connectTimeoutMs);
      // A certificate refused (unknown CA, name mismatch) is refused again on every server and retry: give up at once.
      const tlsWatch = opts.tls
        ? setInterval(() => {
            const tlsError = zk.tls_error();
            if (!tlsError || !isTlsRefusal(tlsError)) return;
            clearTimeout(timer);
            clearInterval(tlsWatch);
            giveUp(tlsRefusedError(opts.connect, tlsError.message, opts.tls!))();
          }, TLS_WATCH_MS)
        : undefined;
      const onAbort = (): void => {
        clearTimeout(timer);
        clearInterval(tlsWatch);
        giveUp(new Error(`session opening aborted (${String(opts.signal?.reason)})`))();
      };
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      let authenticated = false;
      zk.on('connect', () => {
        const connected = (): void => {
          clearTimeout(timer);
          clearInterval(tlsWatch);
          opts.signal?.removeEventListener('abort', onAbort);
          session.setState('connected');
          resolve(session);
        };
        // The C client keeps the credential and sends it again after every reconnect by itself.
        if (credential?.scheme !== 'digest' || authenticated) return connected();
        authenticated = true;
        const rc = zk.add_auth('digest', `${credential.user}:${credential.password}`, (code) => {
          if (code === ZOK) return connected();
          clearTimeout(timer);
          opts.signal?.removeEventListener('abort', onAbort);
          session.close();
          reject(new AuthRefusedError(`the ensemble refused ${identityOf(credential)} (${code === ZAUTHFAILED ? 'ZAUTHFAILED' : `rc ${code}`}); check the credential`));
        });
        if (rc !== ZOK) {
          clearTimeout(timer);
          session.close();
          reject(new AuthRefusedError(`could not send ${identityOf(credential)}'s credential (rc ${rc})`));
        }
      });
      zk.on('connecting', () => session.setState('disconnected'));
      zk.on('close', (_self, code) => {
        clearTimeout(timer);
        clearInterval(tlsWatch);
        opts.signal?.removeEventListener('abort', onAbort);
        const expired = code === ZOO_EXPIRED_SESSION_STATE;
        // Closed before it ever connected (expired during the handshake, refused): the caller must hear of it.
        if (session.currentState === 'connecting') {
          reject(code === ZOO_AUTH_FAILED_STATE && sasl ? saslRefusedError(opts.connect, sasl) : new ZkError(expired ? ZSESSIONEXPIRED : ZINVALIDSTATE, 'connect', opts.connect));
        }
        session.setState(expired ? 'expired' : 'closed');
      });
      zk.init({});
    });
  }

  get state(): SessionState {
    return this.currentState;
  }

  /** Called on every state change; returns a function that unsubscribes. */
  onStateChange(listener: (s: SessionState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  private setState(s: SessionState): void {
    if (this.currentState === 'closed' || this.currentState === 'expired') return;
    this.currentState = s;
    for (const l of this.stateListeners) l(s);
  }

  /** Close once; the handle is never touched again (the binding must not reuse a closed handle). */
  /** The session timeout the server negotiated (it clamps the one asked for to its min and max), once connected. */
  get negotiatedTimeoutMs(): number | undefined {
    const t = this.zk.timeout;
    return typeof t === 'number' && t > 0 ? t : undefined;
  }

  close(): void {
    if (this.currentState === 'closed' || this.currentState === 'expired') return;
    this.setState('closed');
    this.zk.close();
  }

  /**
   * Every node a session creates carries the ACL it was opened with (the run's choice): open, or creator-only,
   * given in the create request itself, so a recipe's node costs no extra request and is never open meanwhile.
   */
  create(path: string, data: string | Buffer = '', flags = 0): Promise<string> {
    return this.call('create', path, (cb: (rc: number, e: string, p: string) => void) =>
      this.nodeAcl === 'open' ? this.zk.a_create(path, data, flags, cb) : this.zk.a_create_acl(path, data, flags, [...CREATOR_ACL], cb),
    );
  }

  /** ACL requests are set-up, never measured: not in the request counters. */
  setAcl(path: string, acl: readonly RawAcl[], version = -1): Promise<void> {
    return this.uncounted('setAcl', path, (done) => this.zk.a_set_acl(path, version, [...acl], (rc) => done(rc, undefined)));
  }

  /**
   * Only where the answer is sure to be ZOK (this identity's own node): the binding as patched today
   * crashes the process on a refused getACL (its acl_completion frees the absent ACL vector).
   */
  getAcl(path: string): Promise<RawAcl[]> {
    return this.uncounted('getAcl', path, (done) =>
      this.zk.a_get_acl(path, (rc, _e, acl) => done(rc, (acl ?? []).map((a) => ({ perms: a.perms, scheme: a.scheme, auth: a.auth })))),
    );
  }

  private uncounted<T>(op: string, path: string, start: (done: (rc: number, value: T) => void) => number): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.currentState === 'closed' || this.currentState === 'expired') return reject(new ZkError(ZINVALIDSTATE, op, path));
      const rc = start((code, value) => (code === ZOK ? resolve(value) : reject(new ZkError(code, op, path))));
      if (rc !== ZOK) reject(new ZkError(rc, op, path));
    });
  }

  delete(path: string, version = -1): Promise<void> {
    return this.call('delete', path, (cb: (rc: number, e: string, v: void) => void) => this.zk.a_delete_(path, version, cb));
  }

  /** The node's stat, or null when it does not exist (a watch set on a missing node fires on its creation). */
  exists(path: string, watcher?: Watcher): Promise<Stat | null> {
    return new Promise((resolve, reject) => {
      const done = (rc: number, _e: string, stat: RawStat): void => {
        if (rc === ZOK) resolve(toStat(stat));
        else if (rc === ZNONODE) resolve(null);
        else reject(new ZkError(rc, 'exists', path));
      };
      this.issue('exists', path, watcher, reject, () =>
        watcher ? this.zk.aw_exists(path, this.wrapWatcher(watcher), done) : this.zk.a_exists(path, false, done),
      );
    });
  }

  getChildren(path: string, watcher?: Watcher): Promise<string[]> {
    return this.call('getChildren', path, (cb: (rc: number, e: string, c: string[]) => void) =>
      watcher ? this.zk.aw_get_children(path, this.wrapWatcher(watcher), cb) : this.zk.a_get_children(path, false, cb),
      watcher,
    );
  }

  get(path: string, watcher?: Watcher): Promise<{ data: Buffer; stat: Stat }> {
    return new Promise((resolve, reject) => {
      const done = (rc: number, _e: string, stat: RawStat, data: Buffer | string): void => {
        if (rc === ZOK) resolve({ data: Buffer.isBuffer(data) ? data : Buffer.from(data ?? ''), stat: toStat(stat) });
        else reject(new ZkError(rc, 'get', path));
      };
      this.issue('get', path, watcher, reject, () =>
        watcher ? this.zk.aw_get(path, this.wrapWatcher(watcher), done) : this.zk.a_get(path, false, done),
      );
    });
  }

  async set(path: string, data: string | Buffer, version = -1): Promise<Stat> {
    const raw = await this.call('set', path, (cb: (rc: number, e: string, s: RawStat) => void) =>
      this.zk.a_set(path, data, version, cb),
    );
    return toStat(raw);
  }

  sync(path: string): Promise<string> {
    return this.call('sync', path, (cb: (rc: number, e: string, p: string) => void) => this.zk.a_sync(path, cb));
  }

  /**
   * setData with a bare completion (rc only) and no promise: for closed loops where the per-request
   * promise would be the largest client cost. rc is 0 on success; a request refused at once completes
   * with its rc too.
   */
  setWithCallback(path: string, data: Buffer, done: (rc: number) => void): void {
    this.issueRaw('set', path, done, () => this.zk.a_set(path, data, -1, (rc) => done(rc)));
  }

  /** getData with a bare completion, as setWithCallback. */
  getWithCallback(path: string, done: (rc: number) => void): void {
    this.issueRaw('get', path, done, () => this.zk.a_get(path, false, (rc) => done(rc)));
  }

  /** getData with a bare completion and the data on ZOK: reading many nodes per event without a promise each. */
  getDataWithCallback(path: string, done: (rc: number, data: Buffer | undefined) => void): void {
    this.issue('get', path, undefined, (err) => done(codeOf(err), undefined), () =>
      this.zk.a_get(path, false, (rc, _e, _stat, data) =>
        done(rc, rc === ZOK ? (Buffer.isBuffer(data) ? data : Buffer.from(data ?? '')) : undefined),
      ),
    );
  }

  /**
   * getData with a watch and a bare completion (the stat on ZOK): re-arming a data watch on every event
   * without a promise per event.
   */
  watchData(path: string, watcher: Watcher, done: StatCompletion): void {
    this.issue('get', path, watcher, (err) => done(codeOf(err), undefined), () =>
      this.zk.aw_get(path, this.wrapWatcher(watcher), (rc, _e, stat) => done(rc, rc === ZOK ? toStat(stat) : undefined)),
    );
  }

  /** exists with a watch and a bare completion; ZNONODE (no stat) still leaves a watch that fires on creation. */
  watchExists(path: string, watcher: Watcher, done: StatCompletion): void {
    this.issue('exists', path, watcher, (err) => done(codeOf(err), undefined), () =>
      this.zk.aw_exists(path, this.wrapWatcher(watcher), (rc, _e, stat) => done(rc, rc === ZOK ? toStat(stat) : undefined)),
    );
  }

  /**
   * getChildren2 with a watch and a bare completion: the children and the parent's stat, whose cversion
   * counts every child created or deleted.
   */
  watchChildren(path: string, watcher: Watcher, done: ChildrenCompletion): void {
    this.issue('getChildren', path, watcher, (err) => done(codeOf(err), undefined, undefined), () =>
      this.zk.aw_get_children2(path, this.wrapWatcher(watcher), (rc, _e, children, stat) =>
        rc === ZOK ? done(rc, children, toStat(stat)) : done(rc, undefined, undefined),
      ),
    );
  }

  private issueRaw(kind: OpKind, path: string, done: (rc: number) => void, start: () => number): void {
    this.issue(kind, path, undefined, (err) => done(codeOf(err)), start);
  }

  /** Issue a request whose completion carries (rc, error, value); value on ZOK, ZkError otherwise. */
  private call<T>(kind: OpKind, path: string, start: (cb: (rc: number, e: string, v: T) => void) => number, watcher?: Watcher): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.issue(kind, path, watcher, reject, () =>
        start((rc, _e, value) => (rc === ZOK ? resolve(value) : reject(new ZkError(rc, kind, path)))),
      );
    });
  }

  /** Count the request, refuse on a closed handle, and surface the C call's immediate failure. */
  private issue(kind: OpKind, path: string, watcher: Watcher | undefined, reject: (e: Error) => void, start: () => number): void {
    if (this.currentState === 'closed' || this.currentState === 'expired') {
      reject(new ZkError(ZINVALIDSTATE, kind, path));
      return;
    }
    this.counters.requests[kind]++;
    if (watcher) this.counters.watchesSet++;
    const rc = start();
    // A non-zero rc means the request was never queued and its completion will never run.
    if (rc !== ZOK) reject(new ZkError(rc, kind, path));
  }

  /** Session events reach every path watcher in the C client (type -1); only node events pass. */
  private wrapWatcher(watcher: Watcher): RawWatcher {
    return (type, _state, path) => {
      if (type === ZOO_SESSION_EVENT) return;
      this.counters.notifications++;
      watcher({ type: EVENT_TYPES.get(type) ?? 'other', path });
    };
  }
}
