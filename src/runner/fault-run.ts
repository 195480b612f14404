// One recipe's fault schedule (the workload's `faults`), carried out on the run clock: each entry at its
// time from the clients' start (runOnSchedule says when that is), its target resolved from what the
// servers say of themselves just then, the action done, logged, and kept for run.json and timeline.csv.
// A fault that takes the leader away is followed by the election watch (leader-watch.ts) and the write
// probe (write-probe.ts). When the recipe's clients stop, what was left in place is undone, so the next
// recipe (and the clean-up) meets a whole ensemble.
import { fourLetterWord, parseSrvr } from '../ensemble/four-letter-words.ts';
import { describeProbeFailures } from '../ensemble/probe-write.ts';
import type { FaultInjector } from '../ensemble/faults/injector.ts';
import { resolveTarget } from '../ensemble/faults/targets.ts';
import type { ServerControl } from '../ensemble/types.ts';
import type { RelNs, RunClock } from '../measure/clock.ts';
import { electionMetrics, type ElectionRecord, type FaultRecord } from '../measure/election-metrics.ts';
import type { Metric } from '../measure/metrics.ts';
import type { TimelineEvent } from '../measure/timeline.ts';
import { seededRandom } from '../scenarios/seeded-random.ts';
import { describeFault, type FaultSpec } from '../ensemble/faults/fault-spec.ts';
import { watchForLeader } from './leader-watch.ts';
import { watchForWrite } from './write-probe.ts';

/** How long a leader may stay unknown before a fault aimed at it gives up; the recipe's stop ends it sooner. */
const ROLE_TIMEOUT_MS = 200;
const RETRY_RESOLVE_MS = 10;
/** Elections still open when the clients stop get this long to finish before the ensemble is restored. */
const ELECTION_GRACE_MS = 10_000;
/** The ensemble restored after a recipe must serve again within this long. */
const RESTORE_TIMEOUT_MS = 60_000;

export class FaultRunError extends Error {
  override readonly name = 'FaultRunError';
}

export interface RecipeFaultsDeps {
  recipe: string;
  faults: readonly FaultSpec[];
  seed: number;
  injector: FaultInjector;
  control: ServerControl;
  clock: RunClock;
  /** Ctrl-C. */
  signal: AbortSignal;
  /** An existing node the write half of the election figure sets. */
  probePath: string;
  log: (line: string) => void;
  /** A leader seen by the election watch, for the timeline's leader column. */
  leaderSeen: (atNs: RelNs, leader: number) => void;
}

export interface RecipeFaultsOutcome {
  events: TimelineEvent[];
  metrics: Metric[];
}

const ms = (ns: number): string => `${(ns / 1e6).toFixed(0)} ms`;
const sleep = (msec: number): Promise<void> => new Promise((r) => setTimeout(r, msec));

/** Resolves true at run-clock time `t`, false as soon as `stop` aborts. */
function until(clock: RunClock, t: RelNs, stop: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (stop.aborted) return resolve(false);
    const onStop = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      stop.removeEventListener('abort', onStop);
      resolve(true);
    }, Math.max(0, (t - clock.now()) / 1e6));
    stop.addEventListener('abort', onStop, { once: true });
  });
}

export class RecipeFaults {
  private readonly faultRecords: FaultRecord[] = [];
  private readonly events: TimelineEvent[] = [];
  private readonly elections: Promise<void>[] = [];
  /** The clients stopped (or Ctrl-C): faults not yet due are not done. */
  private readonly clientsStopped = new AbortController();
  private readonly electionsStopped = new AbortController();
  private loop: Promise<void> | undefined;
  private failure: string | undefined;
  /** The measured window's planned end, and when the clients stopped: the last fault's window closes at the earlier. */
  private measuredUntil: RelNs | undefined;
  private stoppedAt: RelNs | undefined;

  constructor(private readonly d: RecipeFaultsDeps) {
    d.signal.addEventListener('abort', () => this.clientsStopped.abort(), { once: true });
    this.clientsStopped.signal.addEventListener('abort', () => (this.stoppedAt = d.clock.now()), { once: true });
  }

  /**
   * Called by runOnSchedule with the clients' start (the schedule's times count from it) and the measured
   * window's end when it is known (a time-bound run).
   */
  startAt(clientsStartAt: RelNs, measuredUntil?: RelNs): void {
    this.measuredUntil = measuredUntil;
    if (this.loop) throw new FaultRunError(`${this.d.recipe}: the fault schedule was started twice in one recipe; this scenario cannot take faults`);
    this.loop = this.run(clientsStartAt).catch((err: unknown) => {
      this.failure ??= (err as Error).message;
    });
  }

  /** What was done so far (everything, once finish() has returned or thrown). */
  get records(): readonly FaultRecord[] {
    return this.faultRecords;
  }

  private async roles(): Promise<Map<number, string>> {
    const reachable = new Set(this.d.injector.reachable());
    const answers = await Promise.all(
      this.d.control.servers
        .filter((s) => reachable.has(s.id))
        .map(async (s): Promise<[number, string]> => {
          try {
            return [s.id, parseSrvr(await fourLetterWord(s.host, s.clientPort, 'srvr', ROLE_TIMEOUT_MS)).mode ?? 'not serving'];
          } catch {
            return [s.id, 'no answer'];
          }
        }),
    );
    return new Map(answers);
  }

  private async run(clientsStartAt: RelNs): Promise<void> {
    const random = seededRandom(this.d.seed);
    let previous: number | undefined;
    for (const [i, fault] of this.d.faults.entries()) {
      const scheduled = clientsStartAt + fault.atMs * 1e6;
      if (!(await until(this.d.clock, scheduled, this.clientsStopped.signal))) {
        if (!this.d.signal.aborted) throw new FaultRunError(`fault ${i + 1} (${describeFault(fault)}) was not done: the recipe's clients stopped first`);
        return;
      }
      const record: FaultRecord = {
        recipe: this.d.recipe,
        entry: i + 1,
        action: fault.action,
        target: fault.target,
        ...(fault.from !== undefined ? { from: fault.from } : {}),
        server: undefined,
        role: undefined,
        pid: undefined,
        scheduledMs: fault.atMs,
        atNs: undefined,
        tookMs: undefined,
      };
      this.faultRecords.push(record);
      const where = `fault ${i + 1} (${describeFault(fault)})`;
      // The target: now, or as soon as there is one (no leader during an election) before the clients stop.
      let resolved = resolveTarget(fault, this.d.injector.conditions(await this.roles()), previous, random);
      while (resolved.id === undefined && resolved.retry && !this.clientsStopped.signal.aborted) {
        await sleep(RETRY_RESOLVE_MS);
        resolved = resolveTarget(fault, this.d.injector.conditions(await this.roles()), previous, random);
      }
      if (resolved.id === undefined) {
        record.error = `${resolved.why}${resolved.retry ? ' before the clients stopped' : ''}`;
        throw new FaultRunError(`${where} could not be done: ${record.error}`);
      }
      Object.assign(record, { server: resolved.id, role: resolved.role });
      try {
        const outcome = await this.d.injector.apply(fault.action, resolved.id, { ...(fault.from !== undefined ? { from: fault.from } : {}), signal: this.d.signal });
        Object.assign(record, { atNs: outcome.effectiveAt, tookMs: outcome.tookMs, pid: outcome.pid });
        if (outcome.note !== undefined) record.note = outcome.note;
      } catch (err) {
        record.error = (err as Error).message;
        throw new FaultRunError(`${where} failed on server ${resolved.id}: ${record.error}`);
      }
      previous = resolved.id;
      this.note(record, where);
      // A 1-server ensemble has nobody to elect: its "leader" is standalone, and so never matches here.
      const takesLeader = resolved.role === 'leader' && (fault.action === 'kill' || fault.action === 'pause' || fault.action === 'isolate');
      if (takesLeader) this.elections.push(this.watchElection(record, where));
    }
  }

  private note(record: FaultRecord, where: string): void {
    const what = `${record.action} server ${record.server}${record.from === 'all' ? ' from all' : ''}`;
    this.events.push({ atNs: record.atNs!, recipe: this.d.recipe, source: 'fault', text: `fault: ${what} (${record.role})` });
    this.d.log(
      `${this.d.recipe}: ${where}: ${what} (${record.role}${record.pid !== undefined ? `, pid ${record.pid}` : ''}) at ${(record.atNs! / 1e9).toFixed(3)} s, took ${record.tookMs!.toFixed(1)} ms` +
        (record.note !== undefined ? `; ${record.note}` : ''),
    );
  }

  private async watchElection(record: FaultRecord, where: string): Promise<void> {
    const oldLeader = record.server!;
    const since = record.atNs!;
    const stop = this.electionsStopped.signal;
    const [seen, written] = await Promise.all([
      watchForLeader(this.d.control.servers, this.d.clock, oldLeader, { isUndone: () => !this.d.injector.isDown(oldLeader), stop }),
      watchForWrite(this.d.control.servers, oldLeader, this.d.probePath, this.d.clock, stop),
    ]);
    const election: ElectionRecord = {
      oldLeader,
      leader: seen?.leader,
      changed: seen?.changed,
      toLeaderMs: seen === undefined ? undefined : (seen.atNs - since) / 1e6,
      toWriteMs: written.at === undefined ? undefined : (written.at - since) / 1e6,
      writeProbe: written.failures,
    };
    record.election = election;
    if (seen) this.d.leaderSeen(seen.atNs, seen.leader);
    if (seen?.changed) this.events.push({ atNs: seen.atNs, recipe: this.d.recipe, source: 'fault', text: `election: server ${seen.leader} leads` });
    const leaderText =
      seen === undefined ? 'no leader seen' : seen.changed ? `server ${seen.leader} leads ${ms(seen.atNs - since)} after it` : `server ${seen.leader} stayed leader (no election)`;
    const writeText =
      written.at === undefined
        ? `no write accepted (${describeProbeFailures(written.failures)})`
        : `first write accepted ${ms(written.at - since)} after it${written.failures.failed > 0 ? ` (${describeProbeFailures(written.failures)})` : ''}`;
    this.d.log(`${this.d.recipe}: ${where}: ${leaderText}; ${writeText}`);
  }

  /**
   * The clients have stopped: faults not yet due are dropped (an error unless Ctrl-C), open elections get
   * a grace period, and the ensemble is restored (`restartKilled`: killed servers too, and every server
   * serving again). Throws FaultRunError after restoring when the schedule could not be carried out.
   */
  async finish(opts: { restartKilled: boolean }): Promise<RecipeFaultsOutcome> {
    this.clientsStopped.abort();
    await this.loop;
    // Ctrl-C waits for no election: what was measured so far is kept, the rest is not.
    const grace = setTimeout(() => this.electionsStopped.abort(), this.d.signal.aborted ? 0 : ELECTION_GRACE_MS);
    await Promise.all(this.elections);
    clearTimeout(grace);
    this.electionsStopped.abort();
    const restored = await this.d.injector.restore({ restartKilled: opts.restartKilled, signal: this.d.signal });
    for (const r of restored) {
      const record: FaultRecord = {
        recipe: this.d.recipe,
        entry: undefined,
        action: r.action,
        target: 'restore',
        server: r.id,
        role: undefined,
        pid: r.outcome?.pid,
        scheduledMs: undefined,
        atNs: r.outcome?.effectiveAt,
        tookMs: r.outcome?.tookMs,
        ...(r.outcome?.note !== undefined ? { note: r.outcome.note } : {}),
        ...(r.error !== undefined ? { error: r.error } : {}),
      };
      this.faultRecords.push(record);
      if (record.atNs !== undefined) this.events.push({ atNs: record.atNs, recipe: this.d.recipe, source: 'fault', text: `fault: ${r.action} server ${r.id} (restore)` });
      this.d.log(`${this.d.recipe}: restoring the ensemble: ${r.action} server ${r.id}${r.error ? ` failed: ${r.error}` : `, took ${r.outcome!.tookMs.toFixed(1)} ms`}`);
    }
    if (opts.restartKilled && !this.d.signal.aborted) await this.untilAllServe();
    if (!this.loop && !this.d.signal.aborted) this.failure ??= `${this.d.recipe}: the scenario never started the fault schedule (it does not run its clients through runOnSchedule), so it cannot take faults`;
    if (this.failure) throw new FaultRunError(this.failure);
    const windowEnd = Math.min(this.measuredUntil ?? Infinity, this.stoppedAt ?? this.d.clock.now());
    return { events: this.events, metrics: electionMetrics(this.faultRecords, windowEnd) };
  }

  /** Every server reports a Mode again (a healed one rejoins after an election round of its own). */
  private async untilAllServe(): Promise<void> {
    const deadline = Date.now() + RESTORE_TIMEOUT_MS;
    for (;;) {
      const roles = await this.roles();
      const silent = this.d.control.servers.filter((s) => !['leader', 'follower', 'standalone', 'observer'].includes(roles.get(s.id) ?? ''));
      if (silent.length === 0) return;
      if (Date.now() >= deadline || this.d.signal.aborted) {
        this.failure ??= `the ensemble was not whole again ${RESTORE_TIMEOUT_MS / 1000} s after restoring it: servers ${silent.map((s) => s.id).join(', ')} report no Mode`;
        return;
      }
      await sleep(50);
    }
  }
}
