// What a scenario's load-process side is to the load process that runs it (load-process.ts): the one
// interface a scenario implements to drive clients (OpenMessaging Benchmark's driver SPI is the model).
import type { RelNs, RunClock } from '../measure/clock.ts';
import type { RunWindow } from '../measure/measured-window.ts';
import type { IntervalRecorder } from '../measure/timeline.ts';
import type { SessionSet } from '../zk/session-set.ts';

/** A live run in a load process. */
export interface ScenarioRun {
  /** Completed operations so far, warm-up included and measured only, for progress. */
  counts(): { completed: number; measured: number };
  /** The scenario's per-interval record, which other sources (session events) add to. */
  timeline: IntervalRecorder;
  /** The scenario's report (JSON), read back by its coordinator. */
  done: Promise<unknown>;
  /** A message from the coordinator while the run goes (see ScenarioLink). */
  onMessage?(data: unknown): void;
  /**
   * The measured window, decided after the start when the run began with a pending one (warmup-gate.ts):
   * the window passed to start() said `pending`, and nothing counted as measured until now.
   */
  onWindow?(window: RunWindow): void;
}

/** A live channel between a load process's run and the coordinator (e.g. watchers re-armed: the writer may go on). */
export interface ScenarioLink {
  post(data: unknown): void;
  /** Every client of this process got ready to be measured at run-clock time `at` (a pending window's warm-up waits for it). */
  warm(at: RelNs): void;
}

export interface ScenarioLoadSide {
  start(plan: unknown, sessions: SessionSet, clock: RunClock, window: RunWindow, stop: AbortSignal, link: ScenarioLink): ScenarioRun;
}

/**
 * A scenario's load-process side by scenario id. The process entry points (cli/load-process-main.ts,
 * cli/worker.ts) hand it down from the scenario registry; this layer knows no scenario.
 */
export type LoadSides = (scenario: string) => Promise<ScenarioLoadSide>;
