// How many load processes a run uses when the workload leaves it open (workers: 0). One Node process
// handles 25-50 sessions well before its single loop queues events; servers on this host share the
// cores, so an embedded (or kept) ensemble leaves the driver half of them.
import os from 'node:os';

export const SESSIONS_PER_PROCESS = 50;

export function chooseWorkers(requested: number, clients: number, serversOnThisHost: boolean, cores = os.availableParallelism()): number {
  if (requested > 0) return Math.min(requested, clients);
  const budget = serversOnThisHost ? Math.max(1, Math.floor(cores / 2)) : cores;
  return Math.max(1, Math.min(budget, Math.ceil(clients / SESSIONS_PER_PROCESS)));
}
