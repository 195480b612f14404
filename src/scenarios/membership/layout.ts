// Where a membership run's sessions live: the watching clients, and the servers that join and leave, are
// spread over the first load processes; each crash victim gets a load process of its own after them, so
// that the SIGKILL which crashes it takes no client and no other server with it.
import type { MembershipRecipeId } from '../../recipes/membership/types.ts';
import { splitClients } from '../../workers/pool.ts';
import { serverAddress, type ChurnPlan } from './churn.ts';
import type { MembershipPlan, ServerSlot } from './plan.ts';

export interface ProcessLayout {
  /** Processes 0 .. clientProcesses-1 hold the clients; the rest hold one crash victim each. */
  clientProcesses: number;
  /** The process holding each server's session. */
  processOf: ReadonlyMap<number, number>;
  /** One plan per load process, by index. */
  plans: MembershipPlan[];
}

export function layOut(churn: ChurnPlan, clients: number, processes: number, recipe: MembershipRecipeId, groupPath: string): ProcessLayout {
  const clientProcesses = processes - churn.victims.length;
  if (clientProcesses < 1) {
    throw new Error(`${processes} load process(es) for ${churn.victims.length} crash victim(s): the clients need at least one more`);
  }
  const all = [...churn.initial, ...churn.joiners];
  const addresses = all.map(serverAddress);
  const servers: ServerSlot[][] = Array.from({ length: processes }, () => []);
  const processOf = new Map<number, number>();
  const victims = new Set(churn.victims);
  const initial = new Set(churn.initial);
  let next = 0;
  for (const id of all) {
    const p = victims.has(id) ? clientProcesses + churn.victims.indexOf(id) : next++ % clientProcesses;
    servers[p]!.push({ id, initial: initial.has(id) });
    processOf.set(id, p);
  }
  const shares = splitClients(clients, clientProcesses);
  const plans = servers.map((held, p) => ({ recipe, groupPath, clientIds: shares[p] ?? [], servers: held, addresses, initial: churn.initial }));
  return { clientProcesses, processOf, plans };
}
