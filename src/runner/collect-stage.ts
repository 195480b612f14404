// Stage 5 of a bench run: collect. Everything the run knows becomes its record (run.json and every result
// file are written from it): the plan, the servers' account, what the windows measured, the load
// processes' (or remote workers') fate, how the run ended, and the servers' own logs of the run, placed
// on the run clock (their files, or a compose project's docker logs).
import { accessRecord } from './namespace-access.ts';
import { redactArgv } from '../zk/credentials.ts';
import os from 'node:os';
import { createRequire } from 'node:module';
import { ComposeEnsemble } from '../ensemble/compose/ensemble.ts';
import type { Ensemble } from '../ensemble/index.ts';
import { readServerFiles, type ServerFileMarks } from '../ensemble/server-files.ts';
import { serverLogRecords, warningEvents } from '../ensemble/server-logs.ts';
import type { RunClock } from '../measure/clock.ts';
import type { EnsembleRecord, RunOutcome, RunRecord } from '../results/run-record.ts';
import { seriesName } from '../results/series.ts';
import type { WorkerPool } from '../workers/pool.ts';
import type { Workload } from '../workload/schema.ts';
import { BINDING_PATCH, bindingVersion } from '../zk/binding.ts';
import type { RunPlan } from './run-plan.ts';
import { workerRecords } from './remote-run.ts';
import type { Measured } from './windows-stage.ts';

const require = createRequire(import.meta.url);
const SUITE_VERSION = (require('../../package.json') as { version: string }).version;

export interface CollectInput {
  plan: RunPlan;
  /** The workload as run (load processes resolved). */
  workload: Workload;
  ensemble: Ensemble | undefined;
  ensembleRecord: EnsembleRecord;
  fileMarks: ServerFileMarks | undefined;
  pool: WorkerPool | undefined;
  measured: Measured;
  outcome: RunOutcome;
  failure: unknown;
}

export interface CollectOptions {
  workloadFile: string;
  argv: string[];
  clock: RunClock;
}

export async function collectRecord(i: CollectInput, o: CollectOptions): Promise<RunRecord> {
  const { plan, measured, pool } = i;
  const recipes = measured.recipes;
  const firstAt = recipes[0]?.firstAcquisitionAt;
  Object.assign(i.ensembleRecord.serverCpuPct, measured.serverCpuPct);
  const record: RunRecord = {
    runId: plan.runId,
    workload: i.workload,
    workloadFile: o.workloadFile,
    argv: redactArgv(o.argv),
    versions: {
      suite: SUITE_VERSION,
      node: process.version,
      zookeeperClient: `npm zookeeper ${bindingVersion()}${BINDING_PATCH === undefined ? ' (as shipped)' : ` + zkbench patch ${BINDING_PATCH}`}`,
      zookeeperServer: i.ensembleRecord.serverVersion,
    },
    host: hostInfo(),
    ensemble: i.ensembleRecord,
    startedAt: plan.startedAt,
    endedAt: new Date(),
    outcome: i.outcome,
    error: i.failure === undefined ? undefined : String((i.failure as Error).message ?? i.failure),
    timeToFirstAcquisitionMs: firstAt === undefined ? undefined : firstAt / 1e6,
    recipes,
    access: accessRecord(plan.access),
    ...(plan.warnings.length > 0 ? { warnings: plan.warnings } : {}),
    ...(measured.faults.length > 0 ? { faults: measured.faults } : {}),
    ...(pool?.remote ? { workers: workerRecords(pool), partial: pool.lost().length > 0 } : {}),
    ...(recipes.some((r) => (r.lostProcesses ?? []).length > 0) ? { partial: true } : {}),
    thresholds: [],
  };
  // The servers' own logs: files on this host for servers zkbench started, docker logs for a compose project's.
  const serverTexts =
    i.ensemble && i.fileMarks
      ? readServerFiles(i.ensemble.servers, i.fileMarks)
      : i.ensemble instanceof ComposeEnsemble
        ? await i.ensemble.serverLogs(plan.startedAt)
        : undefined;
  if (serverTexts) {
    record.serverLogs = serverLogRecords(serverTexts);
    // Log lines carry wall-clock times: placed on the run clock by one pairing of the two clocks, now.
    const [wallMs, runNs] = [Date.now(), o.clock.now()];
    const spans = recipes.map((r) => ({ recipe: seriesName(r), from: r.startedAt, to: r.endedAt }));
    record.events = [...(record.events ?? []), ...warningEvents(record.serverLogs, spans, (at) => runNs + (at.getTime() - wallMs) * 1e6)];
  }
  return record;
}

function hostInfo(): RunRecord['host'] {
  const cpus = os.cpus();
  return {
    hostname: os.hostname(),
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    ...(process.env['ZKBENCH_MACHINE'] ? { machine: process.env['ZKBENCH_MACHINE'] } : {}),
  };
}
