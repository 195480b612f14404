// The coordinator side of lock-failover, for one recipe: lock-contention's run (its clients, its figures)
// with a guard znode every holder writes its fencing token into, and the holder's process paused at the
// set time; the workload's faults run on the same schedule (RecipeRunContext.faults).
import type { RelNs } from '../../measure/clock.ts';
import type { TimelineEvent } from '../../measure/timeline.ts';
import { scalar } from '../../measure/metrics.ts';
import type { LockRecipeId } from '../../recipes/lock/types.ts';
import { ZSESSIONEXPIRED } from '../../zk/binding.ts';
import { isZkError } from '../../zk/errors.ts';
import { ZkSession } from '../../zk/session.ts';
import { ensurePath } from '../../zk/tree.ts';
import type { RecipeRunContext } from '../context.ts';
import type { RecipeResult } from '../../results/recipe-result.ts';
import { runLockRecipe, type LockVariant } from '../lock-contention/coordinator.ts';
import { HolderPause, type PauseRecord } from './holder-pause.ts';
import { guardSessionTimeoutMs, type LockFailoverWorkload } from './workload.ts';
import { DISRUPTING_ACTIONS, lockRecoveries, recoveryMetrics, type Disruption } from './recovery.ts';

const ADMIN_OPEN_ATTEMPTS = 5;

/**
 * The run's admin session, or a fresh one when an earlier recipe's faults cost it its life (the npm client
 * closes a session it finds stuck after a server died; the runner reopens its own only for the clean-up).
 */
async function liveAdmin(ctx: RecipeRunContext): Promise<{ admin: ZkSession; own: boolean }> {
  if (ctx.admin.state !== 'closed' && ctx.admin.state !== 'expired') return { admin: ctx.admin, own: false };
  // A server just restarted may refuse a handshake as expired while it catches up: try again, a few times.
  for (let attempt = 1; ; attempt++) {
    try {
      return { admin: await ZkSession.open({ ...ctx.sessions, signal: ctx.signal }), own: true };
    } catch (err) {
      if (attempt >= ADMIN_OPEN_ATTEMPTS || !isZkError(err, ZSESSIONEXPIRED)) throw err;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

export async function runRecipe(ctx: RecipeRunContext, recipe: string): Promise<RecipeResult[]> {
  const { admin, own } = await liveAdmin(ctx);
  try {
    return await runFailoverRecipe({ ...ctx, admin }, recipe);
  } finally {
    if (own) admin.close();
  }
}

async function runFailoverRecipe(ctx: RecipeRunContext, recipe: string): Promise<RecipeResult[]> {
  const w = ctx.workload as LockFailoverWorkload;
  const pauser = new HolderPause(ctx.pool, ctx.clock, w.pauseHolderAtS, w.pauseMs);
  /** Where the clients run: the load processes, or an external recipe's driver processes (set in prepare). */
  let clientPool = ctx.pool;
  const fencing = w.fencing !== 'none';
  const variant: LockVariant = {
    scenario: 'lock-failover',
    oneClientPerProcess: true,
    async prepare(lockPath, pool) {
      pool.onScenarioMessage((processIndex, data) => pauser.notice(processIndex, data));
      if (pool !== ctx.pool) {
        pauser.runOn(pool);
        clientPool = pool;
      }
      const guardPath = `${lockPath}-guard`;
      await ensurePath(ctx.admin, guardPath);
      return {
        guard: { path: guardPath, fencing, connect: ctx.sessions.connect, sessionTimeoutMs: guardSessionTimeoutMs(w) },
        announceHolds: w.pauseHolderAtS !== undefined,
      };
    },
    finish(reports, window) {
      const sum = (k: 'writes' | 'staleWrites' | 'fencedRejections'): number => reports.reduce((s, r) => s + (r.guard?.[k] ?? 0), 0);
      const s = (ns: RelNs | undefined): string => (ns === undefined ? '?' : `${(ns / 1e9).toFixed(3)} s`);
      const faults = (ctx.faults?.records ?? []).filter((r) => r.entry !== undefined && r.atNs !== undefined && DISRUPTING_ACTIONS.includes(r.action));
      const disruptions: Disruption[] = [
        ...faults.map((r): Disruption => ({ kind: 'fault', atNs: r.atNs! })),
        ...pauser.records.map((p): Disruption => ({ kind: 'pause', atNs: p.pausedAt })),
      ];
      // Every fault of the schedule (a restart too) and every holder pause closes the window of the disruption before it.
      const boundaries = [...(ctx.faults?.records ?? []).flatMap((r) => (r.entry !== undefined && r.atNs !== undefined ? [r.atNs] : [])), ...pauser.records.map((p) => p.pausedAt)];
      const untilNs = window.stopAt ?? ctx.clock.now();
      const recoveries = lockRecoveries(reports.flatMap((r) => r.holds.map((h) => h.tHeld)), disruptions, boundaries, untilNs);
      const what = (i: number): string =>
        i < faults.length ? `fault ${faults[i]!.entry} (${faults[i]!.action} server ${faults[i]!.server}, ${faults[i]!.role})` : `the holder's pause`;
      return {
        metrics: [
          scalar('guard_writes', 'count', sum('writes')),
          scalar('stale_writes', 'count', sum('staleWrites')),
          scalar('fenced_rejections', 'count', sum('fencedRejections')),
          scalar('holders_paused', 'count', pauser.records.length),
          ...recoveryMetrics(recoveries),
        ],
        notes: [
          `fencing ${fencing ? 'on: the guard refuses a token (lock node czxid) older than its own' : 'off: the guard takes every write'}; recovery ${w.recovery}`,
          ...pauser.records.map((p) => `holder client ${p.client} (${clientPool === ctx.pool ? 'load' : 'driver'} process ${p.processIndex}, pid ${p.pid}) paused at ${s(p.pausedAt)}, resumed at ${s(p.resumedAt)}`),
          ...recoveries.map((r, i) =>
            r.recoveryNs === undefined
              ? `${what(i)} at ${s(r.atNs)}: no acquisition within its window of ${(r.windowNs / 1e9).toFixed(1)} s (unrecovered; recovery.${r.kind} censored)`
              : `${what(i)} at ${s(r.atNs)}: next acquisition ${(r.recoveryNs / 1e6).toFixed(1)} ms after it (recovery.${r.kind})`,
          ),
          ...(w.pauseHolderAtS !== undefined && pauser.records.length === 0 ? ['no holder was paused: nobody announced a hold after the pause time'] : []),
        ],
      };
    },
  };
  // The pause counts from the clients' start, as the faults do: runOnSchedule tells both.
  const scheduled: RecipeRunContext = {
    ...ctx,
    faults: {
      startAt(t: RelNs, measuredUntil?: RelNs) {
        ctx.faults?.startAt(t, measuredUntil);
        pauser.startAt(t);
      },
    },
  };
  try {
    const result = await runLockRecipe(scheduled, recipe as LockRecipeId, variant);
    if (result.timeline) {
      result.timeline.events.push(...pauser.records.flatMap((p) => pauseEvents(p, recipe)));
      result.timeline.events.sort((a, b) => a.atNs - b.atNs);
    }
    return [result];
  } finally {
    pauser.stop();
    clientPool.onScenarioMessage(undefined);
  }
}

/** The staged pause as timeline.csv event rows, as the faults are (source `failover`, like election-failover's). */
export function pauseEvents(p: PauseRecord, recipe: string): TimelineEvent[] {
  const who = `holder client ${p.client}'s load process (pid ${p.pid ?? '?'})`;
  return [
    { atNs: p.pausedAt, recipe, source: 'failover', text: `pause: ${who} stopped (SIGSTOP)` },
    ...(p.resumedAt !== undefined ? [{ atNs: p.resumedAt, recipe, source: 'failover', text: `resume: ${who} continued (SIGCONT)` }] : []),
  ];
}
