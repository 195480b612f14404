// The coordinator's side of election-failover: it follows who leads from the candidates' messages, and
// fails the application leader on a schedule: a close by a word to its process, a crash by SIGKILLing
// its process, a pause by SIGSTOPping it for pause_ms and then SIGCONTing it. Before a crash an observer
// session watches every node of the election, so that the moment ZooKeeper deletes the dead leader's
// node (its session expired) is known. A closed candidate is told to rejoin on a fresh session once
// another leads (a paused one rejoins by itself once it learns it lost), so the run keeps its candidates.
import type { RelNs } from '../../measure/clock.ts';
import type { WorkerPool } from '../../workers/pool.ts';
import type { WatchEvent, ZkSession } from '../../zk/session.ts';
import type { FailureKind, FailureRecord, Term } from './figures.ts';
import type { FromCandidate, ToCandidate } from './plan.ts';

const POLL_MS = 5;

export interface StageOptions {
  pool: Pick<WorkerPool, 'post' | 'kill' | 'pause' | 'resume'>;
  clock: { now(): RelNs };
  /** A session of the coordinator's own, used for nothing but watching the election node's children. */
  observer: ZkSession;
  electionPath: string;
  /** The failures, in order; candidate i lives in load process i. */
  order: readonly FailureKind[];
  /** Between consecutive failures. */
  intervalNs: number;
  pauseMs: number;
}

export interface StageEvent {
  atNs: RelNs;
  text: string;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, Math.max(0, ms)));

export class FailoverStage {
  readonly notes: string[] = [];
  readonly events: StageEvent[] = [];
  readonly failures: FailureRecord[] = [];
  private readonly terms: Term[] = [];
  private readonly open = new Map<number, Term>();
  private readonly paused = new Set<number>();
  /** Closed candidates to tell to rejoin once another leads. */
  private readonly rejoining = new Map<number, FailureRecord>();
  private pendingClose: ((atNs: RelNs, led: boolean) => void) | undefined;
  private aborted = false;
  private windowEnd: RelNs | undefined;
  /** Resolves when no more failures may be staged (abort, window closed): nothing waits on a process past it. */
  private readonly over: Promise<undefined>;
  private endStaging!: () => void;

  constructor(private readonly o: StageOptions) {
    this.over = new Promise((resolve) => (this.endStaging = () => resolve(undefined)));
  }

  onMessage(m: FromCandidate): void {
    switch (m.type) {
      case 'leading': {
        const term: Term = { candidate: m.candidate, campaignNs: m.campaignNs, leadNs: m.leadNs };
        this.terms.push(term);
        this.open.set(m.candidate, term);
        this.events.push({ atNs: m.leadNs, text: `candidate ${m.candidate} leads` });
        break;
      }
      case 'ended':
        this.endTerm(m.candidate, m.atNs);
        this.events.push({ atNs: m.atNs, text: `candidate ${m.candidate} learns it no longer leads (${m.why})` });
        break;
      case 'closed':
        this.pendingClose?.(m.atNs, m.led);
        break;
      case 'failed':
        this.notes.push(`candidate ${m.candidate} left the run: ${m.message}`);
        break;
    }
    this.sendRejoins();
  }

  /** Ends the failures at once (Ctrl-C, a failed run); a paused process is continued. */
  abort(): void {
    this.aborted = true;
    this.endStaging();
    this.resumeAll();
  }

  /** The measured window closed: no more failures; a process still paused is continued. */
  closeWindow(endNs: RelNs): void {
    this.windowEnd = endNs;
    this.endStaging();
    this.resumeAll();
  }

  /** Applies the failures from `fromNs` on, one every interval, each to the leader of the moment. */
  async drive(fromNs: RelNs): Promise<void> {
    const { order, intervalNs, clock } = this.o;
    for (const [k, kind] of order.entries()) {
      await sleep((fromNs + (k + 0.25) * intervalNs - clock.now()) / 1e6);
      // The previous failure must be over (one leader, nobody paused) so that this one fails one leader alone.
      const leader = await this.waitForSoleLeader();
      if (leader === undefined) {
        if (!this.aborted) this.notes.push(`${order.length - k} failure(s) not staged: no sole, running leader before the measured window closed (raise duration_s)`);
        return;
      }
      await this.fail(kind, leader);
    }
  }

  /** Every term, a killed leader's ended at its SIGKILL, open ones left open. */
  allTerms(): Term[] {
    return this.terms;
  }

  private async fail(kind: FailureKind, leader: number): Promise<void> {
    const { pool, clock } = this.o;
    if (kind === 'close') {
      const closed = new Promise<{ atNs: RelNs; led: boolean }>((resolve) => (this.pendingClose = (atNs, led) => resolve({ atNs, led })));
      pool.post(leader, { type: 'close' } satisfies ToCandidate);
      const reply = await Promise.race([closed, this.over]);
      this.pendingClose = undefined;
      if (!reply) return;
      const { atNs, led } = reply;
      if (!led) {
        this.notes.push(`candidate ${leader} no longer led when told to close: that close was not counted`);
        return;
      }
      // Its term ends at the close() call, the moment it gave up leading: the client's close blocks its
      // thread until the server answers, so its own "no longer lead" comes after the successor's "I lead".
      const term = [...this.terms].reverse().find((t) => t.candidate === leader);
      if (term && (term.endNs === undefined || term.endNs > atNs)) term.endNs = atNs;
      this.open.delete(leader);
      this.record({ kind, candidate: leader, atNs }, `close: leader (candidate ${leader}) closes its session`);
    } else if (kind === 'crash') {
      const failure: FailureRecord = { kind, candidate: leader, atNs: 0 };
      await this.watchForDeletion(failure);
      failure.atNs = clock.now();
      pool.kill(leader);
      this.endTerm(leader, failure.atNs); // a dead process believes nothing
      this.record(failure, `crash: leader (candidate ${leader})'s load process killed (SIGKILL)`);
    } else {
      const failure: FailureRecord = { kind, candidate: leader, atNs: clock.now() };
      pool.pause(leader);
      this.paused.add(leader);
      this.record(failure, `pause: leader (candidate ${leader})'s load process stopped (SIGSTOP) for ${this.o.pauseMs} ms`);
      await sleep(this.o.pauseMs);
      this.resume(leader);
    }
    this.sendRejoins();
  }

  private record(failure: FailureRecord, text: string): void {
    this.failures.push(failure);
    this.events.push({ atNs: failure.atNs, text });
    if (failure.kind === 'close') this.rejoining.set(failure.candidate, failure);
  }

  /**
   * Sets an exists watch on every child of the election node before the crash: nothing else leaves the
   * election while a crash is pending, so the first one deleted is the dead leader's node, deleted when
   * ZooKeeper expired its session. (A watch per node, not a child listing: exclusive-node's successor
   * re-creates a node of the same name at once.) The event is timestamped first thing on arrival.
   */
  private async watchForDeletion(failure: FailureRecord): Promise<void> {
    const { observer, electionPath, clock } = this.o;
    const watcher = (e: WatchEvent): void => {
      const atNs = clock.now();
      if (e.type !== 'deleted' || failure.deletionSeenNs !== undefined) return;
      failure.deletionSeenNs = atNs;
      this.events.push({ atNs, text: `candidate ${failure.candidate}'s node deleted (its session expired)` });
    };
    const children = await observer.getChildren(electionPath);
    await Promise.all(children.map((c) => observer.exists(`${electionPath}/${c}`, watcher)));
  }

  /** Tells a closed candidate to rejoin once another leads. */
  private sendRejoins(): void {
    for (const [candidate, failure] of this.rejoining) {
      if (this.open.has(candidate) || this.paused.has(candidate)) continue;
      const successor = this.terms.some((t) => t.candidate !== candidate && t.leadNs >= failure.atNs);
      if (!successor) continue;
      this.rejoining.delete(candidate);
      this.o.pool.post(candidate, { type: 'rejoin' } satisfies ToCandidate);
    }
  }

  private endTerm(candidate: number, atNs: RelNs): void {
    const term = this.open.get(candidate);
    if (!term) return;
    term.endNs = atNs;
    this.open.delete(candidate);
  }

  private resume(candidate: number): void {
    if (!this.paused.delete(candidate)) return;
    const atNs = this.o.clock.now();
    this.o.pool.resume(candidate);
    const failure = this.failures.find((f) => f.kind === 'pause' && f.candidate === candidate && f.resumedNs === undefined);
    if (failure) failure.resumedNs = atNs;
    this.events.push({ atNs, text: `candidate ${candidate}'s load process continued (SIGCONT)` });
  }

  private resumeAll(): void {
    for (const c of [...this.paused]) this.resume(c);
  }

  private async waitForSoleLeader(): Promise<number | undefined> {
    for (;;) {
      if (this.aborted || this.windowEnd !== undefined) return undefined;
      if (this.open.size === 1 && this.paused.size === 0 && this.rejoining.size === 0) return [...this.open.keys()][0];
      await sleep(POLL_MS);
    }
  }
}
