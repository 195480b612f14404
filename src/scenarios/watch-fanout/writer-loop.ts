// The writer of a watch-fanout point, in the load process that hosts it: the update loop under each pacing.
//  - paced: update v + 1 goes once v is acknowledged and every process has reported that all its
//    watchers read v (ArmedTally, relayed by the coordinator); a wait longer than pacedWaitMs (a watcher
//    whose session hangs) lets the writer go on, counted in `paced_timeouts`.
//  - rate: update k is intended at start + (k − 1)/R and sent then, whether earlier ones are acknowledged
//    or not (open loop), up to MAX_OUTSTANDING unacknowledged; send_lag and late_sends show a writer
//    that could not keep the rate.
// Both start once every watcher has armed (the first reads) and stop at the stop signal.
import type { RelNs } from '../../measure/clock.ts';
import { intendedStartNs, type WatchPacing } from '../../measure/watch-pacing.ts';
import type { UpdateRecord } from '../../measure/watch-records.ts';
import type { NodeWriter, TimeSource } from '../../recipes/watch/types.ts';

/** Unacknowledged updates beyond which a rate writer waits (and its sends turn late). */
export const MAX_OUTSTANDING = 1000;

/** The longest timer Node keeps (about 24.8 days): "until the stop". */
const UNTIL_STOP_MS = 2 ** 31 - 1;

/** The newest version every watcher of each process has read, as reported; the writer waits on it. */
export class ArmedGate {
  private readonly through: number[];
  private readonly waiters = new Set<() => void>();

  /** @param watchersPerProcess processes with no watchers are never waited for */
  constructor(watchersPerProcess: readonly number[]) {
    this.through = watchersPerProcess.map((n) => (n > 0 ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY));
  }

  report(process: number, version: number): void {
    if (process < 0 || process >= this.through.length) throw new Error(`armed report from unknown process ${process}`);
    if (version <= this.through[process]!) return;
    this.through[process] = version;
    for (const w of [...this.waiters]) w();
  }

  /** Every process's watchers have read `version` or later. */
  reached(version: number): boolean {
    return this.through.every((t) => t >= version);
  }

  /** Resolves true once reached(version), false after `timeoutMs` or when `signal` aborts first. */
  wait(version: number, timeoutMs: number, signal: AbortSignal): Promise<boolean> {
    if (this.reached(version)) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (ok: boolean): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        this.waiters.delete(check);
        resolve(ok);
      };
      const check = (): void => {
        if (this.reached(version)) done(true);
      };
      const onAbort = (): void => done(false);
      const timer = setTimeout(() => done(false), timeoutMs);
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiters.add(check);
    });
  }
}

export interface WriterOutcome {
  updates: UpdateRecord[];
  /** The version of the last acknowledged update (the start version when none was). */
  finalVersion: number;
  pacedTimeouts: number;
  /** When every watcher had armed and the first update could go (run clock); undefined if it never did. */
  firstUpdateAt: number | undefined;
  /** Most unacknowledged updates at once (rate). */
  outstandingMax: number;
  error: string | undefined;
}

export interface WriterLoopOptions {
  writer: NodeWriter;
  /** The version the writer's prepare() saw. */
  startVersion: number;
  pacing: WatchPacing;
  gate: ArmedGate;
  clock: TimeSource;
  stop: AbortSignal;
  pacedWaitMs: number;
  /** Called with every acknowledged update (progress). */
  onAck: (u: UpdateRecord) => void;
}

const sleepUntil = (clock: TimeSource, at: RelNs, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const timer = setTimeout(finish, Math.max(0, (at - clock.now()) / 1e6));
    signal.addEventListener('abort', finish, { once: true });
    function finish(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', finish);
      resolve();
    }
  });

export async function runWriter(o: WriterLoopOptions): Promise<WriterOutcome> {
  const out: WriterOutcome = { updates: [], finalVersion: o.startVersion, pacedTimeouts: 0, firstUpdateAt: undefined, outstandingMax: 0, error: undefined };
  const acked = (u: UpdateRecord): void => {
    out.updates.push(u);
    out.finalVersion = Math.max(out.finalVersion, u.version);
    o.onAck(u);
  };
  const failed = (err: unknown): void => {
    out.error ??= err instanceof Error ? err.message : String(err);
  };
  // Every watcher armed at the start version first; no bound but the stop (5,000 first reads take seconds).
  if (await o.gate.wait(o.startVersion, UNTIL_STOP_MS, o.stop)) out.firstUpdateAt = o.clock.now();
  if (o.pacing.kind === 'paced') {
    while (!o.stop.aborted && out.error === undefined) {
      const reached = await o.gate.wait(o.writer.state.version, o.pacedWaitMs, o.stop);
      if (o.stop.aborted) break;
      if (!reached) out.pacedTimeouts++;
      try {
        acked(await o.writer.update());
      } catch (err) {
        failed(err);
      }
    }
    return out;
  }
  const schedule = { startNs: o.clock.now(), ratePerS: o.pacing.ratePerS };
  const inFlight = new Set<Promise<void>>();
  for (let seq = 1; !o.stop.aborted && out.error === undefined; seq++) {
    const intended = intendedStartNs(schedule, seq);
    await sleepUntil(o.clock, intended, o.stop);
    while (inFlight.size >= MAX_OUTSTANDING && !o.stop.aborted) await Promise.race(inFlight);
    if (o.stop.aborted) break;
    const p: Promise<void> = o.writer.update(intended).then(acked, failed).finally(() => inFlight.delete(p));
    inFlight.add(p);
    out.outstandingMax = Math.max(out.outstandingMax, inFlight.size);
  }
  await Promise.allSettled(inFlight);
  return out;
}
