// Pausing the lock holder's load process (SIGSTOP) for longer than its session timeout, then resuming it
// (SIGCONT): the holder wakes mid-hold, still believing it holds the lock, while its session has expired
// and someone else has taken it. At the set time every load process is armed (HoldOrder); the first to
// start a hold announces it and holds on until told to continue, and its process is paused right then,
// so the pause lands inside the hold whatever the message latency. The others are disarmed.
import type { RelNs, RunClock } from '../../measure/clock.ts';
import type { WorkerPool } from '../../workers/pool.ts';
import type { HoldNotice, HoldOrder } from '../lock-contention/plan.ts';

export interface PauseRecord {
  client: number;
  processIndex: number;
  pid: number | undefined;
  /** Run clock, ns. */
  pausedAt: RelNs;
  resumedAt: RelNs | undefined;
}

export class HolderPause {
  private armed = false;
  private timer: NodeJS.Timeout | undefined;
  private paused: PauseRecord | undefined;
  readonly records: PauseRecord[] = [];

  constructor(
    /** The processes running the recipe's clients: load processes, or an external recipe's driver processes (runOn). */
    private pool: WorkerPool,
    private readonly clock: RunClock,
    /** From the clients' start, s; undefined: never. */
    private readonly atS: number | undefined,
    private readonly pauseMs: number,
  ) {}

  /** The recipe's clients run in these processes instead (an external recipe's drivers, started with the recipe). */
  runOn(pool: WorkerPool): void {
    this.pool = pool;
  }

  /** The clients' start (runOnSchedule): the pause time counts from it. */
  startAt(clientsStartAt: RelNs): void {
    if (this.atS === undefined) return;
    const due = clientsStartAt + this.atS * 1e9;
    this.timer = setTimeout(() => {
      this.armed = true;
      this.tellAll({ kind: 'arm' });
    }, Math.max(0, (due - this.clock.now()) / 1e6));
  }

  notice(processIndex: number, data: unknown): void {
    const n = data as HoldNotice;
    if (n.kind !== 'held' || !n.waiting) return;
    if (!this.armed) {
      this.pool.post(processIndex, { kind: 'continue' } satisfies HoldOrder); // a second armed holder: not ours to pause
      return;
    }
    this.armed = false;
    this.pool.pause(processIndex);
    this.tellAll({ kind: 'disarm' });
    const record: PauseRecord = { client: n.client, processIndex, pid: this.pool.pids()[processIndex], pausedAt: this.clock.now(), resumedAt: undefined };
    this.paused = record;
    this.records.push(record);
    this.timer = setTimeout(() => this.resume(), this.pauseMs);
  }

  private tellAll(order: HoldOrder): void {
    for (let i = 0; i < this.pool.size; i++) this.pool.post(i, order);
  }

  private resume(): void {
    const p = this.paused;
    if (!p) return;
    this.paused = undefined;
    this.pool.resume(p.processIndex);
    p.resumedAt = this.clock.now();
    this.tellAll({ kind: 'continue' });
  }

  /** The run is over (or failed): nothing stays paused, nothing is still due. */
  stop(): void {
    clearTimeout(this.timer);
    this.armed = false;
    this.resume();
  }
}
