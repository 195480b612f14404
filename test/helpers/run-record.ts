// Run records for unit tests of what is written from them: the fields a test cares about, the rest
// filled with plain values (a 3.8.0 embedded ensemble, a 2-CPU host).
import { runId } from '../../src/results/run-directory.ts';
import type { RunRecord } from '../../src/results/run-record.ts';
import type { RecipeResult } from '../../src/results/recipe-result.ts';
import { validateWorkload } from '../../src/scenarios/catalog.ts';


type Required<K extends keyof RecipeResult> = Pick<RecipeResult, K> & Partial<RecipeResult>;

export function recipeResultOf(r: Required<'recipe' | 'clients' | 'metrics' | 'windowS' | 'startedAt' | 'endedAt'>): RecipeResult {
  return { violations: [], driverSaturated: false, health: [], connectMs: [], firstAcquisitionAt: undefined, interrupted: false, ...r };
}

export interface RunRecordSpec extends Partial<RunRecord> {
  /** Workload file fields besides name: 'unit' (validated like a file). */
  workloadFields: Record<string, unknown>;
  recipes: RecipeResult[];
  startedAt: Date;
  endedAt: Date;
  servers?: number;
}

export function runRecordOf({ workloadFields, servers = 3, ...rest }: RunRecordSpec): RunRecord {
  return {
    runId: runId('unit', rest.startedAt),
    workload: validateWorkload('unit.yaml', { name: 'unit', ...workloadFields }),
    workloadFile: 'unit.yaml',
    argv: [],
    versions: { suite: '0', node: process.version, zookeeperClient: 'x', zookeeperServer: '3.8.0' },
    host: { hostname: 'h', platform: 'p', cpus: 2, cpuModel: 'c', memoryGb: 1 },
    ensemble: { kind: 'embedded', connectString: '', servers, leaderId: 1, serverVersion: '3.8.0', settings: undefined, startMs: 1, serverCpuPct: {}, notes: [] },
    outcome: 'completed',
    error: undefined,
    timeToFirstAcquisitionMs: undefined,
    thresholds: [],
    ...rest,
  };
}
