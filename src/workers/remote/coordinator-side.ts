// The coordinator's end of a distributed run: claim N registered workers (an EPHEMERAL assignment node
// per worker, owned by the coordinator's session, so a coordinator that dies releases them), give each a
// pair of mailboxes under the run's node, serve the clock echo, and speak to each worker through a
// ZkWorkerChannel, which the WorkerPool drives like any other channel. A worker whose registration
// vanishes (its session expired or was closed) is dead to its channel: the pool names it and goes on.
import { ZNODEEXISTS, ZNONODE, ZOO_EPHEMERAL } from '../../zk/binding.ts';
import { isZkError } from '../../zk/errors.ts';
import type { ZkSession } from '../../zk/session.ts';
import { deleteTree, ensurePath } from '../../zk/tree.ts';
import type { WorkerChannel } from '../channel.ts';
import type { FromWorker, ToWorker } from '../protocol.ts';
import { ClockEchoServer } from './clock-echo.ts';
import { DoubleBarrier } from './double-barrier.ts';
import { layoutOf, runPathsOf, type Assignment, type Layout, type Registration, type RunPaths } from './layout.ts';
import { MailboxReader, MailboxWriter } from './mailbox.ts';

const CLOSE_GRACE_MS = 5000;

export class RemoteWorkersMissingError extends Error {
  override readonly name = 'RemoteWorkersMissingError';
}

export interface GatherOptions {
  admin: ZkSession;
  /** Rendezvous root (the workers' --namespace). */
  root: string;
  /** Unique name of this run's node under <root>/runs. */
  runName: string;
  count: number;
  waitMs: number;
  /** The connect string to suggest in the error message. */
  connect: string;
  signal: AbortSignal;
  log: (line: string) => void;
}

class ZkWorkerChannel implements WorkerChannel {
  readonly remote = true;
  readonly pid = undefined;
  readonly control = undefined;
  private dead: string | undefined;
  private closed = false;
  private round = 0;
  private queue: Promise<void> = Promise.resolve();
  private readonly messageListeners: ((m: FromWorker) => void)[] = [];
  private readonly deathListeners: ((reason: string) => void)[] = [];
  private readonly writer: MailboxWriter;
  private readonly reader: MailboxReader;

  constructor(
    private readonly session: ZkSession,
    private readonly layout: Layout,
    private readonly paths: RunPaths,
    private readonly registration: Registration,
  ) {
    const name = registration.name;
    this.writer = new MailboxWriter(session, paths.to(name), paths.chunks);
    this.reader = new MailboxReader(session, paths.from(name), paths.chunks, (m) => {
      for (const l of this.messageListeners) l(m as FromWorker);
    }, (err) => this.die(`its mailbox could not be read (${err.message})`)).start();
    void this.watchRegistration();
  }

  get label(): string {
    return `worker ${this.registration.name} on ${this.registration.host}`;
  }

  get identity(): WorkerChannel['identity'] {
    return { name: this.registration.name, host: this.registration.host, pid: this.registration.pid };
  }

  get deathReason(): string | undefined {
    return this.dead;
  }

  /** Its registration is the sign of life: watched until it goes (the worker's session expired or closed). */
  private async watchRegistration(): Promise<void> {
    const path = `${this.layout.workers}/${this.registration.name}`;
    while (!this.closed && this.dead === undefined) {
      let fired!: () => void;
      const event = new Promise<void>((r) => (fired = r));
      try {
        if ((await this.session.exists(path, () => fired())) === null) {
          this.die(`lost: its registration ${path} vanished (its session expired or was closed)`);
          return;
        }
      } catch (err) {
        if (this.closed) return;
        this.die(`lost: its registration could not be read (${(err as Error).message})`);
        return;
      }
      await event;
    }
  }

  private die(reason: string): void {
    if (this.dead !== undefined || this.closed) return;
    this.dead = reason;
    this.reader.stop();
    for (const l of this.deathListeners) l(reason);
  }

  send(msg: ToWorker): void {
    if (this.dead !== undefined || this.closed) return;
    this.queue = this.queue
      .then(async () => {
        if (msg.type === 'prepare') {
          this.round++;
          await ensurePath(this.session, this.paths.barrier(this.round)); // before the worker can want to enter it
        }
        // The window reaches the workers as the barrier's ready node: everyone starts when it opens.
        if (msg.type === 'go') await DoubleBarrier.open(this.session, this.paths.barrier(this.round), Buffer.from(JSON.stringify(msg.window)));
        else await this.writer.send(msg.type === 'prepare' ? withoutSasl(msg) : msg);
      })
      .catch((err: unknown) => this.die(`could not be reached (${(err as Error).message})`));
  }

  onMessage(listener: (msg: FromWorker) => void): void {
    this.messageListeners.push(listener);
  }

  onDeath(listener: (reason: string) => void): void {
    this.deathListeners.push(listener);
  }

  /** Tell it the run is over; it goes back to waiting for a run (its assignment is deleted by the group). */
  async close(): Promise<void> {
    if (this.closed) return;
    if (this.dead === undefined) this.send({ type: 'exit' });
    this.closed = true;
    await Promise.race([this.queue, new Promise((r) => setTimeout(r, CLOSE_GRACE_MS))]);
    this.reader.stop();
  }
}

export class RemoteWorkerGroup {
  private constructor(
    private readonly admin: ZkSession,
    private readonly layout: Layout,
    private readonly paths: RunPaths,
    private readonly claimed: Registration[],
    private readonly echo: ClockEchoServer,
    readonly channels: WorkerChannel[],
  ) {}

  /**
   * Wait (at most waitMs) until `count` registered workers are claimed for this run; each gets its
   * mailboxes and its assignment. Workers claimed by another run are passed over.
   */
  static async gather(o: GatherOptions): Promise<RemoteWorkerGroup> {
    const layout = layoutOf(o.root);
    for (const p of [layout.workers, layout.assignments, layout.runs]) await ensurePath(o.admin, p);
    const paths = runPathsOf(`${layout.runs}/${o.runName}`);
    await ensurePath(o.admin, paths.run, { exclusive: true });
    await ensurePath(o.admin, paths.chunks);
    const echo = await ClockEchoServer.start();
    const assignment: Assignment = { runPath: paths.run, echo: { addresses: ClockEchoServer.addresses(), port: echo.port } };
    const claimed: Registration[] = [];
    const deadline = Date.now() + o.waitMs;
    const release = async (): Promise<void> => {
      echo.close();
      for (const c of claimed) await o.admin.delete(`${layout.assignments}/${c.name}`).catch(() => undefined);
      await deleteTree(o.admin, paths.run).catch(() => undefined);
    };
    try {
      let seen: string[] = [];
      while (claimed.length < o.count) {
        o.signal.throwIfAborted();
        let fired!: () => void;
        const event = new Promise<void>((r) => (fired = r));
        seen = (await o.admin.getChildren(layout.workers, () => fired())).sort();
        for (const name of seen) {
          if (claimed.length >= o.count || claimed.some((c) => c.name === name)) continue;
          const registration = await readRegistration(o.admin, `${layout.workers}/${name}`);
          if (!registration) continue;
          await ensurePath(o.admin, paths.to(name));
          await ensurePath(o.admin, paths.from(name));
          try {
            await o.admin.create(`${layout.assignments}/${name}`, JSON.stringify(assignment), ZOO_EPHEMERAL);
          } catch (err) {
            if (isZkError(err, ZNODEEXISTS)) continue; // another run has it
            throw err;
          }
          claimed.push(registration);
          o.log(`remote worker ${name} (${registration.host}) joined (${claimed.length} of ${o.count})`);
        }
        if (claimed.length >= o.count) break;
        const left = deadline - Date.now();
        if (left <= 0) {
          const names = seen.length > 0 ? seen.join(', ') : 'none';
          throw new RemoteWorkersMissingError(
            `only ${claimed.length} of ${o.count} remote workers joined within ${Math.round(o.waitMs / 1000)} s ` +
              `(registered under ${layout.workers}: ${names}; a worker already claimed by another run is not counted). ` +
              `Start more with \`zkbench worker --connect ${o.connect} --name <unique name>\` on the load hosts, or lower --remote-workers.`,
          );
        }
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([event, new Promise<void>((r) => (timer = setTimeout(r, Math.min(left, 1000))))]);
        clearTimeout(timer);
      }
    } catch (err) {
      await release();
      throw err;
    }
    const channels = claimed.map((r) => new ZkWorkerChannel(o.admin, layout, paths, r));
    return new RemoteWorkerGroup(o.admin, layout, paths, claimed, echo, channels);
  }

  /** Tell every worker the run is over, release them, remove the run's nodes. */
  async close(): Promise<void> {
    await Promise.all(this.channels.map((c) => c.close()));
    for (const c of this.claimed) await this.admin.delete(`${this.layout.assignments}/${c.name}`).catch(() => undefined);
    await deleteTree(this.admin, this.paths.run, 5000).catch(() => undefined);
    this.echo.close();
  }
}

async function readRegistration(session: ZkSession, path: string): Promise<Registration | undefined> {
  try {
    return JSON.parse((await session.get(path)).data.toString('utf8')) as Registration;
  } catch (err) {
    if (isZkError(err, ZNONODE)) return undefined; // gone since the listing
    throw err;
  }
}

/**
 * A plan travels through znodes: the SASL password never does, wherever in the message it sits (the session
 * settings, a scenario's plan that carries them). A remote worker authenticates with its own credentials.
 */
function withoutSasl(msg: Extract<ToWorker, { type: 'prepare' }>): ToWorker {
  return JSON.parse(JSON.stringify(msg, (key: string, value: unknown) => (key === 'sasl' ? undefined : value))) as ToWorker;
}
