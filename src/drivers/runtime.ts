// What each driver needs on this machine, found (or refused) before a run starts: the command that starts
// one driver process. A missing runtime is a SetupError (exit 3) naming the Debian packages and the
// command that installs them; `npm run setup` installs them when missing (scripts/setup.mjs).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEBIAN_JAVA_DIR, findJava, isExecutableFile, SetupError } from '../ensemble/installation.ts';
import { findJavac } from '../ensemble/server-launcher.ts';
import { DRIVERS, type DriverId } from './catalog.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const CACHE_DIR = path.resolve(HERE, '../../node_modules/.cache/zkbench');

/** How to start one process of a driver: the executable, its arguments, and per-process extras (the JVM's GC log). */
export interface DriverCommand {
  driver: DriverId;
  command: string;
  args: string[];
  /** Arguments that put a JVM's GC log at `file` (none for other runtimes). */
  gcLogArgs?: (file: string) => string[];
}

/** The Debian packages each driver needs, and the one line that installs them. */
export const DRIVER_PACKAGES: Readonly<Record<DriverId, readonly string[]>> = {
  curator: ['libcurator-recipes-java', 'libcurator-framework-java', 'libcurator-client-java', 'libcurator-discovery-java', 'libjackson2-databind-java', 'libslf4j-java', 'default-jdk-headless'],
  kazoo: ['python3-kazoo'],
};

export function installHint(driver: DriverId): string {
  return `apt-get install -y ${DRIVER_PACKAGES[driver].join(' ')} (or \`npm run setup\`, which installs every driver's runtime)`;
}

/** Curator's classpath from Debian's jars, in /usr/share/java (ZooKeeper's client comes from the zookeeper package). */
export const CURATOR_JARS = [
  'curator-recipes.jar',
  'curator-framework.jar',
  'curator-client.jar',
  // ServiceDiscovery and ServiceCache (curator-discovery)
  'curator-x-discovery.jar',
  'zookeeper.jar',
  'zookeeper-jute.jar',
  'guava.jar',
  'jackson-databind.jar',
  'jackson-core.jar',
  'jackson-annotations.jar',
  'slf4j-api.jar',
  // ZooKeeper's and Curator's own logging is silenced: stdout carries the driver protocol.
  'slf4j-nop.jar',
] as const;

export const CURATOR_MAIN = 'CuratorDriver';
const CURATOR_SOURCES = path.join(HERE, 'curator');

/** /usr/bin/python3, not the first python3 on PATH: Debian's kazoo is importable by Debian's interpreter only. */
export const KAZOO_PYTHON = '/usr/bin/python3';
const KAZOO_SCRIPT = path.join(HERE, 'kazoo', 'kazoo_driver.py');

function refuse(driver: DriverId, recipes: readonly string[], what: string): never {
  throw new SetupError(`${recipes.join(', ')} run${recipes.length === 1 ? 's' : ''} in the ${driver} driver (${DRIVERS[driver].library}), and ${what}: ${installHint(driver)}`);
}

/**
 * The Curator driver's classes, compiled once per source and classpath into node_modules/.cache (as the
 * servers' launcher is, src/ensemble/server-launcher.ts) with `--release 17`.
 */
export function curatorClassDir(java: string, classpath: readonly string[], recipes: readonly string[] = ['curator-mutex']): string {
  const sources = fs.readdirSync(CURATOR_SOURCES).filter((f) => f.endsWith('.java')).sort().map((f) => path.join(CURATOR_SOURCES, f));
  const hash = createHash('sha256');
  for (const s of sources) hash.update(fs.readFileSync(s));
  hash.update(classpath.join(path.delimiter)).update(java);
  const dir = path.join(CACHE_DIR, `curator-driver-${hash.digest('hex').slice(0, 16)}`);
  if (fs.existsSync(path.join(dir, `${CURATOR_MAIN}.class`))) return dir;
  const javac = findJavac(java);
  if (!javac) refuse('curator', recipes, 'javac (a JDK 17) is missing to compile it');
  fs.mkdirSync(CACHE_DIR, { recursive: true });
  // Compiled aside and renamed into place, so a concurrent run never sees half a directory.
  const staging = fs.mkdtempSync(path.join(CACHE_DIR, '.curator-driver-'));
  try {
    const r = spawnSync(javac!, ['--release', '17', '-proc:none', '-implicit:none', '-nowarn', '-cp', classpath.join(path.delimiter), '-d', staging, ...sources], { encoding: 'utf8' });
    if (r.error || r.status !== 0) refuse('curator', recipes, `compiling it with ${javac} failed (${(r.error?.message ?? r.stderr).trim()})`);
    try {
      fs.renameSync(staging, dir);
    } catch (err) {
      if (!fs.existsSync(path.join(dir, `${CURATOR_MAIN}.class`))) throw err; // else another process won the race
    }
    return dir;
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

function curatorCommand(recipes: readonly string[], javaDir: string): DriverCommand {
  let java: string;
  try {
    java = findJava();
  } catch (err) {
    refuse('curator', recipes, `no Java was found (${(err as Error).message})`);
  }
  const missing = CURATOR_JARS.filter((j) => !fs.existsSync(path.join(javaDir, j)));
  if (missing.length > 0) refuse('curator', recipes, `${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing from ${javaDir}`);
  const classpath = CURATOR_JARS.map((j) => path.join(javaDir, j));
  const classes = curatorClassDir(java!, classpath, recipes);
  return {
    driver: 'curator',
    command: java!,
    args: ['-cp', [classes, ...classpath].join(path.delimiter), CURATOR_MAIN],
    gcLogArgs: (file) => [`-Xlog:gc:file=${file}:time,uptime`],
  };
}

function kazooCommand(recipes: readonly string[], python: string): DriverCommand {
  if (!isExecutableFile(python)) refuse('kazoo', recipes, `${python} is missing`);
  const probe = spawnSync(python, ['-c', 'import kazoo.client, kazoo.recipe.lock'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    refuse('kazoo', recipes, `${python} cannot import kazoo (${(probe.error?.message ?? probe.stderr).trim().split('\n').pop()})`);
  }
  return { driver: 'kazoo', command: python, args: ['-u', KAZOO_SCRIPT] };
}

/** Where each runtime is looked for; tests point them elsewhere to see the refusal. */
export interface RuntimeLocations {
  javaDir: string;
  python: string;
}

export const DEFAULT_LOCATIONS: RuntimeLocations = { javaDir: DEBIAN_JAVA_DIR, python: KAZOO_PYTHON };

/** The command for a driver, or SetupError naming what is missing and how to install it; `recipes` name who needs it. */
export function driverCommand(driver: DriverId, recipes: readonly string[], at: RuntimeLocations = DEFAULT_LOCATIONS): DriverCommand {
  return driver === 'curator' ? curatorCommand(recipes, at.javaDir) : kazooCommand(recipes, at.python);
}
