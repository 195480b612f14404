// Which stage a run is in, so an interrupted (or failed) run can say where it stopped: the stages a user
// can interrupt, from the progress the run reports anyway (phases and ticks) and the runner's own steps.
import type { ProgressTick, RecipeProgress } from '../scenarios/context.ts';

export const RUN_STAGES = ['ensemble start', 'session opening', 'warm-up', 'measured window', 'fault active', 'collection', 'writing results'] as const;
export type RunStage = (typeof RUN_STAGES)[number];

export class StageTracker {
  stage: RunStage = 'ensemble start';
  /** The stage when the signal fired (first Ctrl-C / SIGTERM), kept whatever the run does afterwards. */
  interruptedAt: RunStage | undefined;

  /** Whether a fault is in effect now (a server killed, paused or cut off, not yet restored); set once the run can do faults. */
  faultActive: (() => boolean) | undefined;

  constructor(signal: AbortSignal) {
    signal.addEventListener(
      'abort',
      () => {
        // A signal while clients run and a fault is in effect: the run is undoing it on its way out.
        const during = (this.stage === 'warm-up' || this.stage === 'measured window') && this.faultActive?.() === true;
        this.interruptedAt ??= during ? 'fault active' : this.stage;
      },
      { once: true },
    );
  }

  set(stage: RunStage): void {
    this.stage = stage;
  }

  /** The run's progress reporter, passed through, noting the stage from what it reports. */
  watch<P extends RecipeProgress>(progress: P): P {
    const tracker = this;
    return new Proxy(progress, {
      get(target, key, receiver) {
        const v = Reflect.get(target, key, receiver) as unknown;
        if (key === 'phase') {
          return (text: string) => {
            if (/opening \d+ sessions/.test(text)) tracker.set('session opening');
            else if (/clients running/.test(text)) tracker.set('warm-up');
            return (v as (t: string) => void).call(target, text);
          };
        }
        if (key === 'tick') {
          return (t: ProgressTick) => {
            if (t.measuring) tracker.set('measured window');
            return (v as (t: ProgressTick) => void).call(target, t);
          };
        }
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    });
  }
}
