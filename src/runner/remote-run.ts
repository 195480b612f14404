// What a run on remote workers adds to its results: the clock bound beside the figures whose two ends may
// be on different hosts, a note naming a worker lost during a recipe, and run.json's `workers`.
import { worstPairBoundNs } from '../measure/clock-offset.ts';
import { scalar } from '../measure/metrics.ts';
import type { WorkerRecord } from '../results/run-record.ts';
import type { RecipeResult } from '../results/recipe-result.ts';
import type { WorkerPool } from '../workers/pool.ts';

/**
 * `clock_bound`: the largest error a difference of two timestamps from two different workers can carry
 * (the two largest bounds added), in ms; and notes on the offsets and on workers lost during the recipe
 * (those lost after `lostBefore` of pool.lost()).
 */
export function remoteClockFigures(r: RecipeResult, pool: WorkerPool, lostBefore: number): RecipeResult {
  const clocks = pool.clocks();
  const ids = pool.identities();
  const fmt = (ns: number): string => (ns / 1e6).toFixed(3);
  const notes = [
    `remote workers' clocks against the coordinator's (offset ± bound): ${clocks.map((c, i) => `${ids[i]!.name} ${fmt(c.offsetNs)} ± ${fmt(c.boundNs)} ms`).join(', ')}; ` +
      `times are converted by them, so a figure whose two ends are on two workers (hand-off, notify from send, overlaps) is exact within clock_bound`,
  ];
  const lost = pool.lost().slice(lostBefore);
  if (lost.length > 0) {
    notes.push(`partial: ${lost.map((l) => `worker ${l.name} (${l.host}) lost at ${(l.atNs / 1e9).toFixed(2)} s`).join(', ')}; its clients' figures are missing from this result`);
  }
  return {
    ...r,
    metrics: [...r.metrics, scalar('clock_bound', 'ms', worstPairBoundNs(clocks.map((c) => c.boundNs)) / 1e6)],
    notes: [...(r.notes ?? []), ...notes],
  };
}

export function workerRecords(pool: WorkerPool): WorkerRecord[] {
  const clocks = pool.clocks();
  return pool.identities().map((id, i) => {
    const lost = pool.lost().find((l) => l.index === i);
    const c = clocks[i]!;
    return {
      name: id.name,
      host: id.host,
      pid: id.pid,
      state: lost ? 'lost' : 'ok',
      ...(lost ? { at: lost.at, atMs: lost.atNs / 1e6, reason: lost.reason } : {}),
      clock: { offsetMs: c.offsetNs / 1e6, boundMs: c.boundNs / 1e6, rttMs: c.rttNs === undefined ? undefined : c.rttNs / 1e6, samples: c.samples },
    };
  });
}
