// The recipes that run in a client library's own process (docs/drivers.md), without loading anything:
// for `zkbench list`, workload validation, and the coordinator's choice of driver. A scenario accepts
// the external recipes of its family beside its own.

/** The drivers zkbench ships: one per client library, each a program in the library's own runtime. */
export type DriverId = 'curator' | 'kazoo';

/** The recipe families a driver may implement; a scenario runs the recipes of its family. */
export type RecipeFamily = 'lock' | 'election' | 'watch' | 'membership';

export interface ExternalRecipeInfo {
  driver: DriverId;
  family: RecipeFamily;
  /** One line for `zkbench list`. */
  summary: string;
  /** False for a variant shipped only so a test can show the checker finds its flaw. */
  safe: boolean;
  /** Locks: the library lets a holder learn its lock node (its czxid is the fencing token), so it runs in lock-failover. */
  fencing?: boolean;
}

export interface DriverInfo {
  id: DriverId;
  /** The library and its runtime, for messages and run.json. */
  library: string;
  /**
   * Clients one driver process runs before another is started. A Python interpreter runs one thread at
   * a time: 50 clients per process keeps the interpreter lock from being what is measured. A JVM runs
   * its clients' threads in parallel.
   */
  clientsPerProcess: number;
}

export const DRIVERS: Readonly<Record<DriverId, DriverInfo>> = {
  curator: { id: 'curator', library: 'Apache Curator 5 (Java 17, Debian jars)', clientsPerProcess: 500 },
  kazoo: { id: 'kazoo', library: 'kazoo 2 (/usr/bin/python3, Debian python3-kazoo)', clientsPerProcess: 50 },
};

export const EXTERNAL_RECIPES: Readonly<Record<string, ExternalRecipeInfo>> = {
  'curator-mutex': { driver: 'curator', family: 'lock', safe: true, fencing: true, summary: 'Apache Curator InterProcessMutex (sequential children, watch the predecessor, re-check); external driver' },
  'curator-semaphore-mutex': { driver: 'curator', family: 'lock', safe: true, summary: 'Apache Curator InterProcessSemaphoreMutex (a one-lease semaphore guarded by a mutex); external driver' },
  'curator-mutex-unchecked': {
    driver: 'curator',
    family: 'lock',
    safe: false,
    fencing: true,
    summary: 'UNSAFE test variant: InterProcessMutex with the re-check removed (takes the lock once its predecessor is gone); external driver',
  },
  'curator-leader-latch': { driver: 'curator', family: 'election', safe: true, summary: 'Apache Curator LeaderLatch (gives leadership up when the connection is suspended); external driver' },
  'curator-leader-selector': { driver: 'curator', family: 'election', safe: true, summary: 'Apache Curator LeaderSelector with autoRequeue (leads inside takeLeadership, interrupted on suspension); external driver' },
  'kazoo-election': { driver: 'kazoo', family: 'election', safe: true, summary: 'kazoo Election (a Lock; the leader learns of a lost session from a connection listener); external driver' },
  'curator-cache': {
    driver: 'curator',
    family: 'watch',
    safe: true,
    summary: "Apache Curator CuratorCache on the one znode (SINGLE_NODE_CACHE): the library re-reads on every watch event, then tells the application; external driver",
  },
  'kazoo-datawatch': {
    driver: 'kazoo',
    family: 'watch',
    safe: true,
    summary: "kazoo DataWatch: the library re-reads on every watch event, then calls the application's function; external driver, 50 watchers per Python process",
  },
  'curator-discovery': {
    driver: 'curator',
    family: 'membership',
    safe: true,
    summary: 'Apache Curator ServiceDiscovery (servers register as ServiceInstances) and ServiceCache (clients keep the list); external driver',
  },
  'kazoo-party': {
    driver: 'kazoo',
    family: 'membership',
    safe: true,
    summary: "kazoo Party (servers join with their address); clients keep a ChildrenWatch on the party and list it with Party's iteration; external driver",
  },
  'kazoo-lock': { driver: 'kazoo', family: 'lock', safe: true, fencing: true, summary: 'kazoo Lock (sequential children, watch the predecessor); external driver, 50 clients per Python process' },
};

export function externalRecipe(id: string): ExternalRecipeInfo | undefined {
  return Object.hasOwn(EXTERNAL_RECIPES, id) ? EXTERNAL_RECIPES[id] : undefined;
}

/** The external recipes of one family, id → summary (a scenario's `recipes`). */
export function externalRecipesOf(family: RecipeFamily): Record<string, string> {
  return Object.fromEntries(Object.entries(EXTERNAL_RECIPES).filter(([, r]) => r.family === family).map(([id, r]) => [id, r.summary]));
}

/** The external lock recipes whose holders can learn their lock node's czxid (lock-failover's fencing token). */
export function fencingLockRecipes(): Record<string, string> {
  return Object.fromEntries(Object.entries(EXTERNAL_RECIPES).filter(([, r]) => r.family === 'lock' && r.fencing === true).map(([id, r]) => [id, r.summary]));
}

/** Driver processes for `clients` clients: enough that none runs more than its driver's share, never more than the clients. */
export function driverProcessCount(driver: DriverId, clients: number): number {
  return Math.max(1, Math.min(clients, Math.ceil(clients / DRIVERS[driver].clientsPerProcess)));
}
