// What a scenario's coordinator gets to work with, and what it hands back for one recipe (or operation).
import type { ServerViewSnapshot, WindowEdge } from '../ensemble/server-view.ts';
import type { RelNs, RunClock } from '../measure/clock.ts';
import type { FaultRecord } from '../measure/election-metrics.ts';
import type { Workload } from '../workload/schema.ts';
import type { WorkerPool } from '../workers/pool.ts';
import type { SessionSettings } from '../workers/protocol.ts';
import type { ZkSession } from '../zk/session.ts';

/** What a scenario counts: the word progress prints, and the name of the scenario's count metric. */
export type CountedUnit = string;

/** A live progress sample; `count` is the warm-up's while warming up, the measured window's after. */
export interface ProgressTick {
  /** Seconds since the clients started (warm-up included). */
  elapsedS: number;
  /** The warm-up plus the duration, when time-bound. */
  plannedS: number | undefined;
  measuring: boolean;
  count: number;
  /** Measuring only: the rate of the measured window so far, as the final throughput figure defines it. */
  ratePerS: number | undefined;
}

export interface RecipeProgress {
  recipeStart(recipe: string, unit: CountedUnit): void;
  phase(text: string): void;
  /** Called about twice a second while clients run. */
  tick(t: ProgressTick): void;
}

export interface RecipeRunContext {
  workload: Workload;
  pool: WorkerPool;
  admin: ZkSession;
  /** Parent node of everything this run creates. */
  namespace: string;
  clock: RunClock;
  sessions: SessionSettings;
  progress: RecipeProgress;
  /** CPU seconds of each server so far (empty when their processes are unknown). */
  serverCpuSeconds: () => Promise<Map<number, number>>;
  /** `mntr` of every server, at the measured window's start or end (server-view.ts); never rejects. */
  serverView: (edge: WindowEdge) => Promise<ServerViewSnapshot>;
  /** Aborts on Ctrl-C: the processes stop and the recipe ends early. */
  signal: AbortSignal;
  /**
   * The workload's fault schedule for this recipe (src/runner/fault-run.ts), when it has one: runOnSchedule
   * starts it at the clients' start, which its times count from, and says where the measured window ends
   * (the last fault's observation window closes there), when it is known.
   */
  faults?: {
    startAt(clientsStartAt: RelNs, measuredUntil?: RelNs): void;
    /** The faults done so far, each with the run-clock time it took effect (atNs) once it has (RecipeFaults has them). */
    readonly records?: readonly FaultRecord[];
  };
}

/** One recipe's (or one operation's) results, as every result file reads them. */
