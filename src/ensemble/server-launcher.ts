// The launcher zkbench starts its servers through (server-launcher/*.java): the server's own main class
// plus the CommitWakeupGuard against ZOOKEEPER-4537. Compiled once per source and ZooKeeper classpath
// into node_modules/.cache, with the javac of the JDK that runs the servers (or the one on PATH).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isExecutableFile, SetupError, type ZooKeeperInstallation } from './installation.ts';

export const LAUNCHER_MAIN = 'ZkbenchServer';
const SOURCE_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'server-launcher');
const CACHE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../node_modules/.cache/zkbench');

export const FIX_JAVAC =
  'install a JDK (Debian: apt-get install -y default-jdk-headless; `npm run setup` does it), ' +
  'or run the servers as installed with `commit_wakeup_guard_ms: 0` (then expect ZOOKEEPER-4537 stalls on ZooKeeper 3.6.0-3.8.0)';

/** javac beside the java that runs the servers (same JDK, same class-file version), else from PATH. */
export function findJavac(java: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const candidates: string[] = [];
  try {
    candidates.push(path.join(path.dirname(fs.realpathSync(java)), 'javac'));
  } catch {
    // java vanished: PATH below
  }
  for (const dir of (env.PATH ?? '').split(path.delimiter)) if (dir) candidates.push(path.join(dir, 'javac'));
  return candidates.find(isExecutableFile);
}

/**
 * The directory holding the compiled launcher for this installation, compiling it first if needed.
 * Throws SetupError (naming the fix) when no javac is found or the sources do not compile.
 */
export function launcherClassDir(installation: ZooKeeperInstallation): string {
  const sources = fs.readdirSync(SOURCE_DIR).filter((f) => f.endsWith('.java')).sort().map((f) => path.join(SOURCE_DIR, f));
  const hash = createHash('sha256');
  for (const s of sources) hash.update(fs.readFileSync(s));
  hash.update(installation.classpath.join(path.delimiter)).update(installation.java);
  const dir = path.join(CACHE_DIR, `server-launcher-${hash.digest('hex').slice(0, 16)}`);
  if (fs.existsSync(path.join(dir, `${LAUNCHER_MAIN}.class`))) return dir;

  const javac = findJavac(installation.java);
  if (!javac) throw new SetupError(`javac not found (zkbench compiles its server launcher, src/ensemble/server-launcher): ${FIX_JAVAC}`);
  fs.mkdirSync(CACHE_DIR, { recursive: true });
  // Compiled aside and renamed into place, so a concurrent start never sees half a directory.
  const staging = fs.mkdtempSync(path.join(CACHE_DIR, '.launcher-'));
  try {
    // --release 11: the classes run on any JRE 11+ whatever JDK compiled them.
    const r = spawnSync(javac, ['--release', '11', '-proc:none', '-implicit:none', '-nowarn', '-cp', installation.classpath.join(path.delimiter), '-d', staging, ...sources], {
      encoding: 'utf8',
    });
    if (r.error || r.status !== 0) {
      throw new SetupError(`compiling the server launcher with ${javac} failed: ${(r.error?.message ?? r.stderr).trim()}; ${FIX_JAVAC}`);
    }
    try {
      fs.renameSync(staging, dir);
    } catch (err) {
      if (!fs.existsSync(path.join(dir, `${LAUNCHER_MAIN}.class`))) throw err; // else another process won the race
    }
    return dir;
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}
