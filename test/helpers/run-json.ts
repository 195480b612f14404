// A run.json as zkbench writes it, reduced to what comparing runs reads (compare/run-settings.ts).

/** The parts of a run.json (SPEC §3) that comparability reads. */
export function runJson(o: { clients?: number; durationS?: number; outcome?: string; partial?: boolean; hostname?: string; cpus?: number; client?: string; rate?: number } = {}): unknown {
  return {
    outcome: o.outcome ?? 'completed',
    ...(o.partial !== undefined ? { partial: o.partial } : {}),
    workload: { name: 'lock-contention', scenario: 'lock-contention', recipes: ['children-watch'], clients: o.clients ?? 20, durationS: o.durationS ?? 3, ...(o.rate ? { rate: o.rate, ratePer: 'client' } : {}) },
    versions: { zookeeperClient: o.client ?? 'npm zookeeper 7.3.0 + zkbench patch 2', zookeeperServer: '3.8.0' },
    host: { hostname: o.hostname ?? 'bench-1', cpus: o.cpus ?? 2 },
    ensemble: { kind: 'embedded', servers: 1, serverVersion: '3.8.0' },
  };
}
