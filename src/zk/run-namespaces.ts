// The runs' namespaces on an ensemble, and which of them are left by runs that are gone. Every run puts
// its nodes under /zkbench/<run id>-<6 hex> and, before creating it, an ephemeral sibling
// /zkbench/<run id>-<6 hex>.live owned by the run's own session: while the run lives, so does the marker;
// a coordinator killed with SIGKILL leaves the namespace but its marker goes with its session.
// A namespace without a marker (an older zkbench) is taken as live while any node in it is ephemeral
// (some session that holds it is alive). Nothing else under /zkbench (remote workers' registrations,
// other tools' nodes) is ever listed.
import { ZNONODE } from './binding.ts';
import { isZkError } from './errors.ts';
import type { ZkSession } from './session.ts';

export const RUNS_ROOT = '/zkbench';
/** A run's namespace: <UTC stamp>-<workload name>-<6 hex> (run-plan.ts). */
const RUN_NAMESPACE = /^\d{8}T\d{6}Z-[A-Za-z0-9._-]+-[0-9a-f]{6}$/;

export const liveMarker = (namespace: string): string => `${namespace}.live`;

export function isRunNamespace(name: string): boolean {
  return RUN_NAMESPACE.test(name);
}

const isEphemeral = (owner: string): boolean => /[1-9a-f]/i.test(owner);

async function holdsEphemeral(session: ZkSession, path: string): Promise<boolean> {
  let children: string[];
  try {
    const stat = await session.exists(path);
    if (!stat) return false;
    if (isEphemeral(stat.ephemeralOwner)) return true;
    children = await session.getChildren(path);
  } catch (err) {
    if (isZkError(err, ZNONODE)) return false;
    throw err;
  }
  for (const c of children) if (await holdsEphemeral(session, `${path}/${c}`)) return true;
  return false;
}

export interface NamespaceState {
  path: string;
  live: boolean;
  why: string;
}

/** Every run namespace under `root`, live or not, and why. */
export async function runNamespaces(session: ZkSession, root = RUNS_ROOT): Promise<NamespaceState[]> {
  let children: string[];
  try {
    children = await session.getChildren(root);
  } catch (err) {
    if (isZkError(err, ZNONODE)) return [];
    throw err;
  }
  const names = new Set(children);
  const out: NamespaceState[] = [];
  for (const name of children.filter(isRunNamespace).sort()) {
    const path = `${root}/${name}`;
    if (names.has(`${name}.live`)) out.push({ path, live: true, why: 'its run holds its .live marker' });
    else if (await holdsEphemeral(session, path)) out.push({ path, live: true, why: 'a live session holds an ephemeral node in it' });
    else out.push({ path, live: false, why: 'its run and every session in it are gone' });
  }
  return out;
}
