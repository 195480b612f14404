// `zkbench clean`: what runs that are gone left behind. Locally, their temporary directories (an embedded
// ensemble's configs, data and logs, an external driver's working directory: a coordinator killed with
// SIGKILL cannot remove them; its servers stop by themselves) and the run directories they never finished
// (hidden staging directories in the results directory); with --connect, their namespaces under /zkbench
// on that ensemble. It names each
// thing it removes, touches nothing of a live run and nothing outside zkbench's own names; --dry-run lists.
import { checkConnectString } from '../runner/acquire-ensemble.ts';
import { staleRunDirs, sweepStaleRunDirs } from '../process/run-owner.ts';
import { staleStagingDirs, sweepStaleStagingDirs } from '../results/run-directory.ts';
import { runNamespaces, RUNS_ROOT } from '../zk/run-namespaces.ts';
import { ZkSession } from '../zk/session.ts';
import { deleteTree } from '../zk/tree.ts';

export interface CleanOptions {
  connect: string | undefined;
  dryRun: boolean;
  /** Where runs write their run directories (bench --results-dir). */
  resultsDir: string;
  out?: (line: string) => void;
}

const CONNECT_TIMEOUT_MS = 15_000;

export async function cleanCommand(o: CleanOptions): Promise<number> {
  const out = o.out ?? ((l: string) => process.stdout.write(`${l}\n`));
  checkConnectString(o.connect);
  let found = 0;
  if (o.dryRun) {
    for (const s of staleRunDirs()) {
      found++;
      out(`would remove temporary directory ${s.dir} (${s.why})`);
    }
    for (const s of staleStagingDirs(o.resultsDir)) {
      found++;
      out(`would remove unfinished run directory ${s.dir} (${s.why})`);
    }
  } else {
    found += sweepStaleRunDirs(out).length;
    found += sweepStaleStagingDirs(o.resultsDir, out).length;
  }
  if (o.connect !== undefined) {
    const session = await ZkSession.open({ connect: o.connect, sessionTimeoutMs: 30_000, connectTimeoutMs: CONNECT_TIMEOUT_MS });
    try {
      for (const ns of await runNamespaces(session)) {
        if (ns.live) {
          out(`left alone: ${ns.path} (${ns.why})`);
          continue;
        }
        found++;
        if (o.dryRun) {
          out(`would remove ${ns.path} on ${o.connect} (${ns.why})`);
          continue;
        }
        await deleteTree(session, ns.path);
        out(`removed ${ns.path} on ${o.connect} (${ns.why})`);
      }
      if (!o.dryRun) await session.delete(RUNS_ROOT).catch(() => undefined); // only when nothing else is in it
    } finally {
      session.close();
    }
  }
  if (found === 0) out('nothing to clean: no leftovers of runs that are gone');
  return 0;
}
