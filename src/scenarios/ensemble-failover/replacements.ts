// Sessions that ended (expired) and their replacements (clients.ts): a fresh session is opened in the
// ended one's place, tried again after a pause while it will not open, and every failure is counted with
// its reason, never dropped. An ended handle is never handed out again: with the npm binding a closed
// handle must not be used (and a ZkSession refuses every request on it, which would read as failed ops).
import { scalar, type Metric } from '../../measure/metrics.ts';
import type { FailoverWorkerReport } from './plan.ts';

/** One client's place in the session set: its session (undefined while empty) and the means to refill it. */
export interface SessionSlot<S extends { readonly state: string }> {
  held(): S | undefined;
  replace(): Promise<S>;
}

const ended = (state: string): boolean => state === 'expired' || state === 'closed';

export class SessionReplacer {
  /** Failed replacements by error message. */
  readonly failures: Record<string, number> = {};

  constructor(
    private readonly stop: AbortSignal,
    private readonly pause: () => Promise<void>,
  ) {}

  /**
   * The session to go on with: the slot's own while it lives (and `expired` is false); otherwise a fresh
   * one, tried until it opens. Undefined when the run stopped first.
   */
  async next<S extends { readonly state: string }>(slot: SessionSlot<S>, expired: boolean): Promise<S | undefined> {
    for (;;) {
      const held = slot.held();
      if (held && !expired && !ended(held.state)) return held;
      if (this.stop.aborted) return undefined;
      try {
        return await slot.replace();
      } catch (err) {
        const why = err instanceof Error ? err.message : String(err);
        this.failures[why] = (this.failures[why] ?? 0) + 1;
        await this.pause();
      }
    }
  }
}

export interface ReplacementFigures {
  metrics: Metric[];
  notes: string[];
}

/** `session_replacements_failed` over every load process, and a note with the reasons. */
export function replacementFigures(reports: readonly Pick<FailoverWorkerReport, 'replacementFailures'>[]): ReplacementFigures {
  const byReason = new Map<string, number>();
  for (const r of reports) for (const [why, n] of Object.entries(r.replacementFailures)) byReason.set(why, (byReason.get(why) ?? 0) + n);
  const failed = [...byReason.values()].reduce((a, b) => a + b, 0);
  const reasons = [...byReason].sort((a, b) => b[1] - a[1]).map(([why, n]) => `${n}× ${why}`);
  return {
    metrics: [scalar('session_replacements_failed', 'count', failed)],
    notes: failed === 0 ? [] : [`${failed} fresh session(s) in place of expired ones could not be opened (the client tried again): ${reasons.join('; ')}`],
  };
}
