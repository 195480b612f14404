// The load-process side of watch-fanout at one sweep point: this process's watchers (each on its own
// session) arm and re-arm; the process that hosts the writer runs the update loop. Processes report how
// far all their watchers have read (one number, not one per watcher) so that `paced` works across
// processes; after the stop every process waits until its watchers have read the writer's last version,
// so the last updates of the window are not cut short.
import type { RunClock } from '../../measure/clock.ts';
import { inWindow } from '../../measure/measured-window.ts';
import { IntervalRecorder } from '../../measure/timeline.ts';
import type { UpdateRecord, WatcherTrace } from '../../measure/watch-records.ts';
import { watchRecipe, type NodeWatcher } from '../../recipes/watch/index.ts';
import { closeSessions, openSessions } from '../../zk/open-sessions.ts';
import type { SessionSet } from '../../zk/session-set.ts';
import type { ZkSession } from '../../zk/session.ts';
import type { ScenarioLink, ScenarioRun } from '../../workers/load-side.ts';
import type { RunWindow } from '../../measure/measured-window.ts';
import { ArmedTally } from './armed-tally.ts';
import type { FanoutMessage, FanoutProcessPlan } from './plan.ts';
import { RearmQueue } from './rearm-queue.ts';
import { DelayingProxy } from './slow-link.ts';
import { encodeTraces } from './trace-codec.ts';
import { ArmedGate, runWriter, type WriterOutcome } from './writer-loop.ts';

/** What one process measured, read back by the coordinator. */
export interface FanoutProcessReport {
  /** Watchers this process hosted, normal and slow. */
  hosted: number;
  /** The writer's acknowledged updates (the writer's process only). */
  updates: UpdateRecord[];
  /** Every watcher whose first read completed (trace-codec.ts). */
  traces: Float64Array;
  slowIds: number[];
  /** Watchers whose first read failed: they watched nothing. */
  armFailures: number;
  /** Watchers that stopped during the run (a failed re-arm), and the first few reasons (first reads' failures too). */
  watcherErrors: number;
  errorSamples: string[];
  writer: Omit<WriterOutcome, 'updates' | 'finalVersion'> | undefined;
  /** The drain after the stop ended before every watcher had read the writer's last version. */
  drainCutShort: boolean;
}

const ERROR_SAMPLES = 5;

export function start(plan: unknown, sessions: SessionSet, clock: RunClock, window: RunWindow, stop: AbortSignal, link: ScenarioLink): ScenarioRun {
  const p = plan as FanoutProcessPlan;
  const run = new FanoutProcess(p, sessions, clock, window, stop, link);
  return {
    counts: () => run.counts,
    timeline: run.timeline,
    done: run.run(),
    onMessage: (data) => run.onMessage(data as FanoutMessage),
  };
}

class FanoutProcess {
  /** Session events only: the coordinator adds the notifications, once it knows each update's send. */
  readonly timeline: IntervalRecorder;
  readonly counts = { completed: 0, measured: 0 };
  private readonly recipe;
  private readonly self: number;
  private readonly tally: ArmedTally;
  private readonly gate: ArmedGate;
  private readonly rearms: RearmQueue | undefined;
  private finalVersion: number | undefined;
  private watcherErrors = 0;
  private readonly errorSamples: string[] = [];

  constructor(
    private readonly plan: FanoutProcessPlan,
    private readonly sessions: SessionSet,
    private readonly clock: RunClock,
    private readonly window: RunWindow,
    private readonly stop: AbortSignal,
    private readonly link: ScenarioLink,
  ) {
    this.timeline = new IntervalRecorder(window.measureFrom);
    this.recipe = watchRecipe(plan.recipe);
    this.self = plan.processIndex;
    this.gate = new ArmedGate(plan.watchersPerProcess);
    this.rearms = plan.rearmsPerTurn > 0 ? new RearmQueue(plan.rearmsPerTurn) : undefined;
    const local = plan.watcherIds.length + plan.slowIds.length;
    this.tally = new ArmedTally(local, (version) => {
      // The writer's process reads its own tally directly; the others report through the coordinator.
      if (plan.writer) this.gate.report(this.self, version);
      else this.link.post({ kind: 'armed', path: plan.path, from: this.self, version } satisfies FanoutMessage);
    });
  }

  onMessage(m: FanoutMessage): void {
    if (m.path !== this.plan.path) return; // another point's, late
    if (m.kind === 'armed') this.gate.report(m.from, m.version);
    else if (m.kind === 'final') this.finalVersion = m.version;
  }

  async run(): Promise<FanoutProcessReport> {
    const { plan } = this;
    let proxy: DelayingProxy | undefined;
    let slowSessions: ZkSession[] = [];
    try {
      let next = plan.writer ? 1 : 0;
      const own = plan.watcherIds.map((id) => ({ id, session: this.sessions.at(next++), rearmDelayMs: 0 }));
      let slow: typeof own;
      if (plan.slowIds.length > 0 && plan.slow.kind === 'link') {
        proxy = await DelayingProxy.start(plan.session.connect, plan.slow.delayMs);
        slowSessions = await openSessions({ ...plan.session, connect: proxy.connectString, count: plan.slowIds.length, parallelism: 16, signal: this.stop });
        slow = plan.slowIds.map((id, k) => ({ id, session: slowSessions[k]!, rearmDelayMs: 0 }));
      } else {
        slow = plan.slowIds.map((id) => ({ id, session: this.sessions.at(next++), rearmDelayMs: plan.slow.delayMs }));
      }
      const watchers = [...own, ...slow].map((w) => this.watcher(w.id, w.session, w.rearmDelayMs));
      const writing = plan.writer ? this.write() : undefined;
      // Awaited once the watchers have armed; a failure before then must not count as unhandled.
      writing?.catch(() => undefined);
      const armed = await Promise.allSettled(
        watchers.map((w) =>
          w.arm().then(
            (seen) => this.tally.armed(seen.version),
            (err: unknown) => {
              this.sample(err);
              this.tally.lost();
              throw err;
            },
          ),
        ),
      );
      const outcome = await writing;
      if (!this.stop.aborted) await new Promise((resolve) => this.stop.addEventListener('abort', resolve, { once: true }));
      if (outcome) this.link.post({ kind: 'final', path: plan.path, version: outcome.finalVersion } satisfies FanoutMessage);
      const drained = await this.drain(outcome?.finalVersion);
      for (const w of watchers) w.stop();
      const traces: WatcherTrace[] = watchers.filter((_w, i) => armed[i]!.status === 'fulfilled').map((w) => w.trace);
      return {
        hosted: watchers.length,
        updates: outcome?.updates ?? [],
        traces: encodeTraces(traces),
        slowIds: plan.slowIds,
        armFailures: armed.filter((a) => a.status === 'rejected').length,
        watcherErrors: this.watcherErrors,
        errorSamples: this.errorSamples,
        writer: outcome && { pacedTimeouts: outcome.pacedTimeouts, firstUpdateAt: outcome.firstUpdateAt, outstandingMax: outcome.outstandingMax, error: outcome.error },
        drainCutShort: !drained,
      };
    } finally {
      closeSessions(slowSessions);
      proxy?.close();
    }
  }

  private watcher(id: number, session: ZkSession, rearmDelayMs: number): NodeWatcher {
    return this.recipe.watcher(session, this.plan.path, {
      id,
      clock: this.clock,
      rearmDelayMs,
      ...(this.rearms ? { rearmScheduler: this.rearms.schedule } : {}),
      onEvent: (record) => {
        this.tally.fired(record.armedVersion);
        if (record.rearm) this.tally.armed(record.rearm.version);
      },
      onError: (err) => {
        this.watcherErrors++;
        this.sample(err);
        this.tally.lost();
      },
    });
  }

  private async write(): Promise<WriterOutcome> {
    const { plan } = this;
    const writer = this.recipe.writer(this.sessions.at(0), plan.path, { clock: this.clock, payload: Buffer.alloc(plan.payloadBytes, 0x7a) });
    const seen = await writer.prepare();
    return runWriter({
      writer,
      startVersion: seen.version,
      pacing: plan.pacing,
      gate: this.gate,
      clock: this.clock,
      stop: this.stop,
      pacedWaitMs: plan.pacedWaitMs,
      onAck: (u) => {
        this.counts.completed++;
        if (inWindow(u.sendNs, this.window)) this.counts.measured++;
      },
    });
  }

  /**
   * After the stop: wait until every watcher here has read the writer's last version (from the writer, or
   * the coordinator's relay), at most drainMs. False when cut short.
   */
  private async drain(ownFinal: number | undefined): Promise<boolean> {
    // A process with no watchers (an external recipe's writer) has nobody to wait for.
    if (this.plan.watcherIds.length + this.plan.slowIds.length === 0) return true;
    const giveUpAt = Date.now() + this.plan.drainMs;
    if (ownFinal !== undefined) this.finalVersion = ownFinal;
    // Polled: after the stop nothing is measured but the arrivals, which the callbacks timestamp anyway.
    while (this.finalVersion === undefined || this.tally.through < this.finalVersion) {
      if (Date.now() >= giveUpAt) return false;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    return true;
  }

  private sample(err: unknown): void {
    if (this.errorSamples.length < ERROR_SAMPLES) this.errorSamples.push(err instanceof Error ? err.message : String(err));
  }
}
