// A recipe run whose coordinator stages events inside the measured window (membership's joins, leaves and
// crashes; election-failover's failures of the leader): the staging starts with the window, a failure
// while staging stops the load processes, and the coordinator's own loop delay, the servers' view of the
// window and the staged events on the timeline come back with the run.
import { DriverHealthMonitor, type DriverHealth } from '../measure/driver-health.ts';
import type { Metric } from '../measure/metrics.ts';
import type { RecipeTimeline } from '../measure/timeline.ts';
import type { RecipeRunContext } from './context.ts';
import type { RecipeServerView } from '../results/recipe-result.ts';
import type { ClientsPlan } from '../workers/protocol.ts';
import { runOnSchedule, scheduledTimeline, type ScheduledRun } from './schedule.ts';
import { ServerViewWindow } from './server-view-window.ts';

/** What the coordinator stages, on the run clock. */
export interface Stage {
  /** Stages from the window's start; a rejection stops the load processes and fails the run. */
  drive(measureFromNs: number): Promise<void>;
  /** The measured window closed at `endNs`. */
  closeWindow(endNs: number): void;
  /** Undoes what is in place (a paused process is continued); safe to call more than once. */
  abort(): void;
  readonly events: readonly { atNs: number; text: string }[];
}

export interface StagedRun {
  run: ScheduledRun;
  /** The coordinator's own driver health (it times what it stages). */
  coordinatorHealth: DriverHealth;
  server: { view: RecipeServerView | undefined; metrics: Metric[] };
  /** The load processes' intervals, with the staged events (labelled `source`). */
  timeline: RecipeTimeline;
}

export async function runStaged(
  ctx: RecipeRunContext,
  recipe: string,
  plans: readonly ClientsPlan[],
  stage: Stage,
  opts: { source: string; explainStagingFailure?: (message: string) => string },
): Promise<StagedRun> {
  const onAbort = (): void => stage.abort();
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  const coordinatorHealth = new DriverHealthMonitor();
  const view = new ServerViewWindow(ctx);
  let driving: Promise<void> | undefined;
  try {
    const run = await runOnSchedule(ctx, recipe, plans, {
      atMeasureStart: () => {
        view.atStart();
        coordinatorHealth.start();
        // Held until the run is over, then rethrown: a failure while staging must stop the processes, not
        // surface as an unhandled rejection while they still run.
        driving = stage.drive(ctx.clock.now()).catch((err: unknown) => {
          stage.abort();
          ctx.pool.stop();
          const message = err instanceof Error ? err.message : String(err);
          throw new Error(opts.explainStagingFailure?.(message) ?? `staging ${recipe}'s events failed: ${message}`);
        });
        driving.catch(() => undefined);
      },
      atMeasureEnd: () => {
        view.atEnd();
        stage.closeWindow(ctx.clock.now());
      },
    }).catch((err: unknown) => {
      stage.abort();
      throw err;
    });
    await driving;
    const health = coordinatorHealth.stop();
    const server = await view.finish();
    const timeline = scheduledTimeline(recipe, run);
    timeline.events.push(...stage.events.map((e) => ({ atNs: e.atNs, recipe, source: opts.source, text: e.text })));
    timeline.events.sort((a, b) => a.atNs - b.atNs);
    return { run, coordinatorHealth: health, server, timeline };
  } finally {
    ctx.signal.removeEventListener('abort', onAbort);
  }
}
