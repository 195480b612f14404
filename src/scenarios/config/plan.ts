// What the coordinator tells one load process to do in the config scenario, what it reports back, and the
// messages between them while the run goes (ScenarioLink): the writer starts once every reader is armed,
// and after the stop the readers keep reading until they hold the writer's last update.
import type { OpenLoopPlan } from '../../measure/open-loop.ts';
import type { PacerCounts } from '../../measure/pacer.ts';
import type { UpdateRecord } from '../../measure/watch-records.ts';
import type { ConfigRecipeId } from '../../recipes/config/types.ts';
import type { ReaderRecord } from './figures.ts';

export interface ConfigPlan {
  recipe: ConfigRecipeId;
  /** The configuration znode (created by the coordinator). */
  path: string;
  /** This process's readers: session i of the process is reader i's, pinned to `server` (an index + 1 into the connect string). */
  readers: { id: number; server: number | undefined }[];
  /** This process runs the writer, on its last session. */
  writer: boolean;
  /** The writer's pacing: update_rate updates per second on fixed intended starts, up to max_in_flight unacknowledged. */
  open: OpenLoopPlan;
  payloadBytes: number;
  /** After the stop, how long readers may take to hold the writer's last update before they stop anyway. */
  drainMs: number;
}

export interface ConfigReport {
  /** The writer's acknowledged updates (the writer's process only). */
  updates: UpdateRecord[];
  readers: ReaderRecord[];
  /** Failed requests by ZooKeeper error name (a failed reader stops; a failed writer stops writing). */
  errors: Record<string, number>;
  /** Readers still not holding the writer's last update when the drain ended. */
  undrained: number;
  /** The writer's pacer counts over the measured window (the writer's process only). */
  pacing?: PacerCounts;
}

/** Load process → coordinator. */
export type ToCoordinator =
  /** Every reader of the process has read the znode and holds a watch. */
  | { kind: 'armed' }
  /** The writer stopped; `version` is its last acknowledged update (the readers' goal). */
  | { kind: 'last'; version: number };

/** Coordinator → load process. */
export type ToLoadProcess = { kind: 'start-writing' } | { kind: 'last'; version: number };
