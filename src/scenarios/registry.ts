// Every scenario the suite runs. Adding one: its folder under src/scenarios/<id>/ and one entry here.
import { config } from './config/index.ts';
import { electionFailover } from './election-failover/index.ts';
import { ensembleFailover } from './ensemble-failover/index.ts';
import { lockContention } from './lock-contention/index.ts';
import { lockFailover } from './lock-failover/index.ts';
import { membership } from './membership/index.ts';
import { primitives } from './primitives/index.ts';
import type { LoadSides } from '../workers/load-side.ts';
import type { Scenario } from './scenario.ts';
import { throughput } from './throughput/index.ts';
import { watchFanout } from './watch-fanout/index.ts';

export const SCENARIOS: readonly Scenario[] = [lockContention, throughput, primitives, membership, config, watchFanout, ensembleFailover, lockFailover, electionFailover];

export function scenarioById(id: string): Scenario {
  const s = SCENARIOS.find((x) => x.id === id);
  if (!s) throw new Error(`unknown scenario "${id}"; scenarios: ${SCENARIOS.map((x) => x.id).join(', ')}`);
  return s;
}

/** Every recipe id any scenario accepts (rule selectors may name them). */
export function allRecipeIds(): string[] {
  return [...new Set(SCENARIOS.flatMap((s) => Object.keys(s.recipes)))];
}

/** What a load process runs for a plan of scenario `id`: handed down to the workers layer by the process entry points. */
export const loadSides: LoadSides = async (id) => {
  const scenario = scenarioById(id);
  if (!scenario.loadSide) throw new Error(`the ${scenario.id} scenario drives nothing from load processes`);
  return scenario.loadSide();
};
