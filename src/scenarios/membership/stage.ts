// The coordinator's side of the churn: it applies the planned changes one every interval (a join or a
// leave by a word to the process holding the server, a crash by SIGKILLing the victim's process), keeps
// the record of each change's instant, and watches every server's node from an observer session so that
// the moment ZooKeeper deletes a crashed server's node (its session expired) is known. When the churn has
// settled and the measured window has closed, it tells every surviving process to finish.
import type { RelNs } from '../../measure/clock.ts';
import type { TimeSource } from '../../recipes/membership/types.ts';
import type { WorkerPool } from '../../workers/pool.ts';
import type { ZkSession } from '../../zk/session.ts';
import type { ChurnPlan, PlannedChange } from './churn.ts';
import type { ChangeRecord } from './figures.ts';
import type { ProcessLayout } from './layout.ts';
import type { FromMembers, ToMembers } from './plan.ts';

/** How long the clients may take to list the initial servers before the run gives up. */
const INITIAL_WAIT_MS = 60_000;
/** How long every client may take, once told the churn is over, to list the live servers. */
const FINAL_WAIT_MS = 10_000;
const POLL_MS = 5;

export interface StageOptions {
  pool: Pick<WorkerPool, 'post' | 'kill'>;
  clock: TimeSource;
  /** A session of the coordinator's own, used for nothing but exists watches on the servers' nodes. */
  observer: ZkSession;
  churn: ChurnPlan;
  layout: ProcessLayout;
  groupPath: string;
  /** Between consecutive changes. */
  intervalNs: number;
  sessionTimeoutMs: number;
}

export interface StageEvent {
  atNs: RelNs;
  text: string;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, Math.max(0, ms)));

export class ChurnStage {
  readonly notes: string[] = [];
  readonly events: StageEvent[] = [];
  private readonly changes: ChangeRecord[] = [];
  private readonly watched = new Map<number, Promise<void>>();
  private readonly serverAt = new Map<string, number>();
  private readonly deletionSeen = new Map<number, RelNs>();
  private readonly holding = new Set<number>();
  private readonly killed = new Set<number>();
  private readonly failures: string[] = [];
  /** Servers with a join or a leave sent and not yet confirmed. */
  private readonly unconfirmed = new Set<number>();
  private readonly crashed: number[] = [];
  private readonly alive: Set<number>;
  private readonly initial: Set<number>;
  private aborted = false;
  private finished = false;
  private windowClosed = false;

  constructor(private readonly o: StageOptions) {
    this.alive = new Set(o.churn.initial);
    this.initial = new Set(o.churn.initial);
  }

  onMessage(processIndex: number, m: FromMembers): void {
    switch (m.type) {
      case 'registered':
        this.unconfirmed.delete(m.server);
        if (!this.initial.has(m.server)) {
          this.changes.push({ kind: 'join', server: m.server, atNs: m.sendNs });
          this.events.push({ atNs: m.sendNs, text: `join: server ${m.server} registers` });
        }
        this.serverAt.set(m.path, m.server);
        this.watch(m.server, m.path);
        break;
      case 'closed':
        this.unconfirmed.delete(m.server);
        this.changes.push({ kind: 'leave', server: m.server, atNs: m.atNs });
        this.events.push({ atNs: m.atNs, text: `leave: server ${m.server} closes its session` });
        break;
      case 'register-failed':
        this.unconfirmed.delete(m.server);
        this.failures.push(`server ${m.server} could not register: ${m.message}`);
        break;
      case 'holding-initial':
        this.holding.add(processIndex);
        break;
    }
  }

  /** Ends the churn at once (Ctrl-C, a failed run): every surviving process reports what it has. */
  abort(): void {
    this.aborted = true;
    this.finishAll(0);
  }

  /** The measured window has closed: the processes may finish once the churn has settled. */
  closeWindow(): void {
    this.windowClosed = true;
  }

  /** Applies the churn from now; resolves when every surviving process has been told to finish. */
  async drive(measureFromNs: RelNs): Promise<void> {
    const { churn, layout, clock, intervalNs } = this.o;
    try {
      const holders = layout.plans.filter((p) => p.clientIds.length > 0).length;
      const ready = await this.waitFor(() => this.holding.size === holders && churn.initial.every((s) => this.watched.has(s)), INITIAL_WAIT_MS);
      if (this.aborted) return;
      if (!ready) {
        throw new Error(`the clients did not all list the ${churn.initial.length} initial servers within ${INITIAL_WAIT_MS / 1000} s (${this.holding.size} of ${holders} processes did)`);
      }
      const startNs = clock.now();
      const lateMs = (startNs - measureFromNs) / 1e6;
      if (lateMs > 50) this.notes.push(`the churn started ${lateMs.toFixed(0)} ms after the measured window opened: the clients took that long to list the initial servers (raise warmup_s)`);
      for (const [k, change] of churn.changes.entries()) {
        await sleep((startNs + k * intervalNs - clock.now()) / 1e6);
        if (this.aborted) return;
        await this.apply(change);
      }
      // Settled: every join and leave confirmed, every crashed server's node seen deleted (its session expired).
      const settleMs = 2 * this.o.sessionTimeoutMs + 10_000;
      if (!(await this.waitFor(() => this.settled(), settleMs)) && !this.aborted) {
        const undetected = this.crashed.filter((s) => !this.deletionSeen.has(s));
        this.notes.push(
          `the churn had not settled ${settleMs / 1000} s after its last change: ${this.unconfirmed.size} join(s)/leave(s) unconfirmed, ` +
            `crashed server(s) ${undetected.join(', ') || 'none'} still registered`,
        );
      }
      await this.waitFor(() => this.windowClosed, Number.POSITIVE_INFINITY);
      if (!this.aborted) await this.checkRegistry();
    } finally {
      this.finishAll(this.aborted ? 0 : FINAL_WAIT_MS);
    }
  }

  /** The changes made, in order, with the observer's deletion times; throws when a registration failed. */
  records(): ChangeRecord[] {
    if (this.failures.length > 0) throw new Error(this.failures.join('; '));
    return this.changes
      .map((c) => (c.kind === 'join' ? c : { ...c, ...(this.deletionSeen.has(c.server) ? { deletionSeenNs: this.deletionSeen.get(c.server)! } : {}) }))
      .sort((a, b) => a.atNs - b.atNs);
  }

  /** The servers alive now: what every client's final list must be. */
  live(): number[] {
    return [...this.alive].sort((a, b) => a - b);
  }

  private async apply(change: PlannedChange): Promise<void> {
    const { pool, layout, clock } = this.o;
    const p = layout.processOf.get(change.server)!;
    if (change.kind === 'crash') {
      await this.watched.get(change.server); // the observer's watch is in place before the crash
      const atNs = clock.now();
      pool.kill(p);
      this.killed.add(p);
      this.alive.delete(change.server);
      this.crashed.push(change.server);
      this.changes.push({ kind: 'crash', server: change.server, atNs });
      this.events.push({ atNs, text: `crash: load process ${p} holding server ${change.server} killed (SIGKILL)` });
      return;
    }
    if (change.kind === 'join') this.alive.add(change.server);
    else this.alive.delete(change.server);
    this.unconfirmed.add(change.server);
    pool.post(p, { type: change.kind, server: change.server } satisfies ToMembers);
  }

  /** The truth the final lists are checked against must be ZooKeeper's own list; a note says when it is not. */
  private async checkRegistry(): Promise<void> {
    const { observer, groupPath } = this.o;
    const children = await observer.getChildren(groupPath);
    const listed = children.map((c) => this.serverAt.get(`${groupPath}/${c}`) ?? -1).sort((a, b) => a - b);
    const live = this.live();
    if (listed.length !== live.length || listed.some((s, i) => s !== live[i])) {
      this.notes.push(`ZooKeeper lists server(s) ${listed.join(', ') || 'none'} at the end of the churn; the live server(s): ${live.join(', ') || 'none'} (server -1: a node no server registered)`);
    }
  }

  private settled(): boolean {
    return this.unconfirmed.size === 0 && this.crashed.every((s) => this.deletionSeen.has(s));
  }

  /** An exists watch on the server's node: its NodeDeleted event is timestamped first thing on arrival. */
  private watch(server: number, path: string): void {
    const { observer, clock } = this.o;
    const set = observer
      .exists(path, (e) => {
        const atNs = clock.now();
        if (e.type !== 'deleted') return;
        this.deletionSeen.set(server, atNs);
        this.events.push({ atNs, text: `server ${server}'s node deleted${this.crashed.includes(server) ? ' (its session expired)' : ''}` });
      })
      .then(
        () => undefined,
        (err: unknown) => void this.failures.push(`the observer could not watch server ${server}'s node: ${err instanceof Error ? err.message : String(err)}`),
      );
    this.watched.set(server, set);
  }

  private finishAll(waitMs: number): void {
    if (this.finished) return;
    this.finished = true;
    const live = this.live();
    for (let p = 0; p < this.o.layout.plans.length; p++) {
      if (!this.killed.has(p)) this.o.pool.post(p, { type: 'finish', live, waitMs } satisfies ToMembers);
    }
  }

  private async waitFor(cond: () => boolean, ms: number): Promise<boolean> {
    const giveUpAt = Date.now() + ms;
    while (!cond()) {
      if (this.aborted || Date.now() > giveUpAt) return false;
      await sleep(POLL_MS);
    }
    return true;
  }
}
