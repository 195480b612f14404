// The servers' view of one recipe's measured window: `mntr` asked at the same instants the window
// opens and closes (as the servers' CPU is sampled), then the server-side latency figures from it.
import { serverDeltas, serverLatencyMetrics } from '../ensemble/mntr-deltas.ts';
import type { Metric } from '../measure/metrics.ts';
import type { ServerViewSnapshot } from '../ensemble/server-view.ts';
import type { RecipeRunContext } from './context.ts';
import type { RecipeServerView } from '../results/recipe-result.ts';

export class ServerViewWindow {
  private start: Promise<ServerViewSnapshot> | undefined;
  private end: Promise<ServerViewSnapshot> | undefined;

  constructor(private readonly ctx: Pick<RecipeRunContext, 'serverView'>) {}

  /** The window opens: ask now (the question leaves at this instant; await only to start after the answer). */
  atStart(): Promise<unknown> {
    this.start = this.ctx.serverView('start');
    return this.start;
  }

  /** The window closes. */
  atEnd(): void {
    if (this.start !== undefined) this.end ??= this.ctx.serverView('end');
  }

  /**
   * The snapshots and `server_latency`/`server_latency_max`. A window that never opened (cut short)
   * has no view; one bound by acquisition counts closes here, when the clients are done.
   */
  async finish(): Promise<{ view: RecipeServerView | undefined; metrics: Metric[] }> {
    if (this.start === undefined) return { view: undefined, metrics: serverLatencyMetrics(undefined) };
    this.atEnd();
    const view = { start: await this.start, end: await this.end! };
    return { view, metrics: serverLatencyMetrics(serverDeltas(view.start, view.end)) };
  }
}
