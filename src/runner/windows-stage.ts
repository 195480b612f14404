// Stage 4 of a bench run: the measured windows. Each recipe in turn on the same servers and load
// processes: its coordinator side runs the warm-up and the window, while the leader is polled and the
// workload's faults are done on schedule; the servers' CPU over all recipes is read around them. What the
// recipes measured accumulates in `Measured`, so a failure mid-run keeps the recipes that finished.
import type { Ensemble } from '../ensemble/index.ts';
import { takeServerView, type WindowEdge } from '../ensemble/server-view.ts';
import type { RunClock } from '../measure/clock.ts';
import type { FaultRecord } from '../measure/election-metrics.ts';
import { leaderPollErrorEvents } from '../measure/leader-polls.ts';
import type { RecipeResult } from '../results/recipe-result.ts';
import { seriesName } from '../results/series.ts';
import type { RecipeProgress, RecipeRunContext } from '../scenarios/context.ts';
import type { ScenarioCoordinator } from '../scenarios/scenario.ts';
import type { WorkerPool } from '../workers/pool.ts';
import type { SessionSettings } from '../workers/protocol.ts';
import type { Workload } from '../workload/schema.ts';
import type { ZkSession } from '../zk/session.ts';
import { RecipeFaults } from './fault-run.ts';
import type { FaultInjector } from '../ensemble/faults/injector.ts';
import { LeaderPoller } from './leader-poller.ts';
import { remoteClockFigures } from './remote-run.ts';

/** What the windows produced so far: the complete recipes' results and the faults done. */
export interface Measured {
  recipes: RecipeResult[];
  faults: FaultRecord[];
  /** Each server's CPU over the recipes, % of one core; servers not on this host are absent. */
  serverCpuPct: Record<string, number>;
}

export const nothingMeasured = (): Measured => ({ recipes: [], faults: [], serverCpuPct: {} });

export interface WindowsInput {
  workload: Workload;
  namespace: string;
  ensemble: Ensemble;
  sessions: SessionSettings;
  admin: ZkSession;
  pool: WorkerPool;
  coordinator: ScenarioCoordinator;
  injector: FaultInjector | undefined;
  probePath: string;
}

export interface WindowsOptions {
  clock: RunClock;
  signal: AbortSignal;
  progress: RecipeProgress & { recipeDone(r: RecipeResult): void };
  log: (line: string) => void;
}

/** Runs every recipe of the workload into `into`; stops early on Ctrl-C or when a recipe was cut short. */
export async function measureWindows(input: WindowsInput, o: WindowsOptions, into: Measured): Promise<void> {
  const { workload: w, ensemble, pool } = input;
  const serverView = (edge: WindowEdge) => takeServerView(ensemble, edge);
  const cpuBefore = await ensemble.serverCpuSeconds();
  const cpuT0 = performance.now();
  for (const [index, recipe] of w.recipes.entries()) {
    if (o.signal.aborted) break;
    const ctx: RecipeRunContext = {
      workload: w,
      pool,
      admin: input.admin,
      namespace: input.namespace,
      clock: o.clock,
      sessions: input.sessions,
      progress: o.progress,
      signal: o.signal,
      serverCpuSeconds: () => ensemble.serverCpuSeconds(),
      serverView,
    };
    const injector = input.injector;
    const faultsFor = injector
      ? (poller: LeaderPoller) =>
          new RecipeFaults({
            recipe,
            faults: w.faults,
            seed: w.seed,
            injector,
            control: ensemble.control!,
            clock: o.clock,
            signal: o.signal,
            probePath: input.probePath,
            log: o.log,
            leaderSeen: (atNs, leader) => poller.observe(atNs, leader),
          })
      : undefined;
    // Killed servers come back for the next recipe; after the last one (or Ctrl-C) an embedded
    // ensemble is about to stop anyway, while a kept or compose one must be left whole.
    const restartKilled = (): boolean => ensemble.kind === 'kept' || ensemble.kind === 'compose' || (index < w.recipes.length - 1 && !o.signal.aborted);
    const lostBefore = pool.lost().length;
    const measured = await runRecipeWatched(ensemble, pool, o.clock, faultsFor, restartKilled, into.faults, (faults) =>
      input.coordinator.runRecipe(faults ? { ...ctx, faults } : ctx, recipe),
    );
    const results = pool.remote ? measured.map((r) => remoteClockFigures(r, pool, lostBefore)) : measured;
    const complete = results.filter((r) => !r.interrupted); // cut short: not comparable, not written
    for (const r of complete) {
      into.recipes.push(r);
      o.progress.recipeDone(r);
    }
    if (complete.length < results.length) break;
  }
  const cpuAfter = await ensemble.serverCpuSeconds();
  const wallS = (performance.now() - cpuT0) / 1000;
  for (const [id, s] of cpuAfter) {
    const before = cpuBefore.get(id);
    if (before !== undefined && wallS > 0) into.serverCpuPct[String(id)] = (100 * (s - before)) / wallS;
  }
}

/**
 * Runs one recipe while polling the leader (at once when sessions lose their server), and its fault
 * schedule when the workload has one; its timelines get the leaders and the faults' events, its figures
 * the election's. The schedule is finished (the ensemble restored) on every way out of the recipe.
 */
async function runRecipeWatched(
  ensemble: Ensemble,
  pool: WorkerPool,
  clock: RunClock,
  faultsFor: ((poller: LeaderPoller) => RecipeFaults) | undefined,
  restartKilled: () => boolean,
  faultRecords: FaultRecord[],
  run: (faults: RecipeFaults | undefined) => Promise<RecipeResult[]>,
): Promise<RecipeResult[]> {
  const poller = new LeaderPoller(async () => {
    const { leader, error } = await ensemble.pollLeader();
    return { leader: leader?.id, error };
  }, clock).start();
  pool.onSessionEvents(() => poller.pollNow());
  const faults = faultsFor?.(poller);
  try {
    let results: RecipeResult[] | undefined;
    let failure: unknown;
    try {
      results = await run(faults);
    } catch (err) {
      failure = err;
    }
    if (faults) {
      try {
        const done = await faults.finish({ restartKilled: restartKilled() });
        results = results?.map((r) => ({
          ...r,
          metrics: [...r.metrics, ...done.metrics],
          ...(r.timeline ? { timeline: { ...r.timeline, events: [...r.timeline.events, ...done.events].sort((a, b) => a.atNs - b.atNs) } } : {}),
        }));
      } catch (err) {
        failure ??= err;
      } finally {
        faultRecords.push(...faults.records);
      }
    }
    if (failure !== undefined) throw failure;
    const leaders = poller.stop();
    return results!.map((r) => {
      if (!r.timeline) return r;
      // Where failed polls begin, so the leader column's empty cells there read "unknown", not "no leader".
      const events = [...r.timeline.events, ...leaderPollErrorEvents(leaders, seriesName(r))].sort((a, b) => a.atNs - b.atNs);
      return { ...r, timeline: { ...r.timeline, leaders, events } };
    });
  } finally {
    pool.onSessionEvents(undefined);
    poller.stop();
  }
}

/** What --remote-workers needs, checked before anything starts. */
