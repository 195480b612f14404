// Where the remote workers and the runs that use them meet, under one root (`--namespace`, /zkbench by
// default):
//   <root>/workers/<name>         EPHEMERAL, a worker's registration (host, pid): gone = worker gone
//   <root>/assignments/<name>     EPHEMERAL of the coordinator's session: the worker is claimed by a run
//                                 (data: the run's path and the coordinator's clock echo); gone = released
//   <root>/runs/<run>/to/<name>   coordinator -> worker messages, PERSISTENT_SEQUENTIAL m-NNNNNNNNNN
//   <root>/runs/<run>/from/<name> worker -> coordinator messages
//   <root>/runs/<run>/chunks      pieces of messages over the chunk size
//   <root>/runs/<run>/barrier-<k> the double barrier of the run's k-th schedule (one per recipe)

export interface Layout {
  workers: string;
  assignments: string;
  runs: string;
}

export function layoutOf(root: string): Layout {
  const r = root.replace(/\/+$/, '') || '/';
  const under = (p: string): string => (r === '/' ? `/${p}` : `${r}/${p}`);
  return { workers: under('workers'), assignments: under('assignments'), runs: under('runs') };
}

export interface RunPaths {
  run: string;
  to(name: string): string;
  from(name: string): string;
  chunks: string;
  barrier(round: number): string;
}

export function runPathsOf(runPath: string): RunPaths {
  return {
    run: runPath,
    to: (name) => `${runPath}/to/${name}`,
    from: (name) => `${runPath}/from/${name}`,
    chunks: `${runPath}/chunks`,
    barrier: (round) => `${runPath}/barrier-${round}`,
  };
}

/** What a claim tells the worker: where the run's nodes are, and where to measure its clock against the coordinator's. */
export interface Assignment {
  runPath: string;
  echo: { addresses: string[]; port: number };
}

/** What a worker registers. */
export interface Registration {
  name: string;
  host: string;
  pid: number;
}

/** Worker names become node names: letters, digits, dot, dash, underscore. */
export const WORKER_NAME = /^[A-Za-z0-9._-]{1,64}$/;
