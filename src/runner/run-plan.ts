// Stage 1 of a bench run: the plan. What the run will do, decided and checked before anything starts: the
// scenario, the workload's warnings, the run's id and its namespace on the ensemble. Every refusal that
// needs no server (faults on an ensemble zkbench may not harm, an external recipe's missing runtime,
// remote workers a scenario cannot use) happens here.
import { randomBytes } from 'node:crypto';
import { refuseMissingDrivers } from '../drivers/refuse.ts';
import { externalRecipe } from '../drivers/catalog.ts';
import { runId as makeRunId } from '../results/run-directory.ts';
import { workloadWarnings } from '../scenarios/catalog.ts';
import { scenarioById } from '../scenarios/registry.ts';
import type { Scenario } from '../scenarios/scenario.ts';
import type { Workload } from '../workload/schema.ts';
import { WorkloadError } from '../workload/validate.ts';
import { refuseFaultsOnConnect } from './acquire-ensemble.ts';
import { resolveAccess, type RunAccess } from './namespace-access.ts';

export interface RunPlan {
  /** As loaded; `workers` is resolved once it is known where the servers run (ServersStage, LoadStage). */
  workload: Workload;
  scenario: Scenario;
  warnings: string[];
  startedAt: Date;
  runId: string;
  /** Parent node of everything the run creates on the ensemble (under --connect's chroot, if any). */
  namespace: string;
  /** The run's credential, the ACL of its nodes, the chroot. */
  access: RunAccess;
}

export interface PlanOptions {
  workload: Workload;
  connect: string | undefined;
  composeProject?: string | undefined;
  remote?: { count: number } | undefined;
  /** --auth: a credential given on the command line. */
  auth?: string | undefined;
  log: (line: string) => void;
}

export function resolvePlan(o: PlanOptions): RunPlan {
  const w = o.workload;
  refuseFaultsOnConnect(w, o.connect, o.composeProject);
  refuseMissingDrivers(w.recipes); // an external recipe's runtime, found (and its driver compiled) before anything starts
  const scenario = scenarioById(w.scenario);
  const externalRecipes = w.recipes.filter((r) => externalRecipe(r) !== undefined);
  refuseTlsForDrivers(w, externalRecipes);
  const access = resolveAccess({ authFile: w.authFile, acl: w.acl, auth: o.auth, connect: o.connect, externalRecipes });
  if (o.remote) refuseRemote(scenario.id, scenario.loadProcesses !== undefined, o.connect, o.remote.count);
  const warnings = workloadWarnings(w);
  for (const warning of warnings) o.log(`warning: ${warning}`);
  const startedAt = new Date();
  const runId = makeRunId(w.name, startedAt);
  // A random suffix: two runs started in the same second against one ensemble must not share nodes.
  const namespace = `/zkbench/${runId}-${randomBytes(3).toString('hex')}`;
  return { workload: w, scenario, warnings, startedAt, runId, namespace, access };
}

/** The Curator and kazoo drivers do not speak TLS or SASL (yet): such a run would only time out connecting. */
function refuseTlsForDrivers(w: Workload, externalRecipes: readonly string[]): void {
  if (externalRecipes.length === 0) return;
  const tls = w.tlsCa !== undefined || w.tlsCert !== undefined || w.tlsKey !== undefined || w.tlsInsecure;
  if (!tls && w.ensembleSecurity === 'none') return;
  throw new WorkloadError(
    `${externalRecipes.join(', ')}: the Curator and kazoo drivers connect in plaintext with digest credentials at most; ` +
      `they cannot run ${tls ? 'over TLS (tls_*)' : `against an ensemble_security: ${w.ensembleSecurity} ensemble`}: run zkbench's own recipes there`,
  );
}

export function refuseRemote(scenario: string, ownProcesses: boolean, connect: string | undefined, count: number): void {
  if (!Number.isInteger(count) || count < 1) throw new WorkloadError(`--remote-workers must be a whole number of at least 1, got ${count}`);
  if (!connect) {
    throw new WorkloadError('--remote-workers needs --connect host:port,...: the workers must reach the ensemble before the run starts, so it cannot be one this run starts');
  }
  if (ownProcesses) {
    throw new WorkloadError(`the ${scenario} scenario decides its own load processes (it kills or pauses them, or uses none): run it with local --workers`);
  }
}
