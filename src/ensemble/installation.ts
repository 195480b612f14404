// Where the Java runtime and the ZooKeeper server jars are. Every failure is a SetupError whose
// message says what is missing and how to fix it, because this is the first thing a new user hits.
import fs from 'node:fs';
import path from 'node:path';

export class SetupError extends Error {
  override name = 'SetupError';
}

export interface ZooKeeperInstallation {
  /** Path of the java executable. */
  java: string;
  /** Jars for `java -cp`. */
  classpath: string[];
  /** ZooKeeper version read from the jar name, e.g. "3.8.0". */
  version?: string;
  /** Where the jars came from, for run.json and error messages. */
  source: string;
}

export const DEBIAN_JAVA_DIR = '/usr/share/java';
export const QUORUM_PEER_MAIN = 'org.apache.zookeeper.server.quorum.QuorumPeerMain';

const FIX_ZOOKEEPER =
  'run `npm run setup` (installs Debian\'s zookeeper package), or set ZOOKEEPER_HOME to an Apache ZooKeeper 3.8 ' +
  'distribution, or point zkbench at a running ensemble with --connect host:port,... ' +
  '(docker compose up -d gives one on 127.0.0.1:2181-2183)';
const FIX_JAVA =
  'install a JRE 11+, e.g. apt-get install -y default-jre-headless (or `npm run setup`), or set JAVA_HOME; ' +
  'or point zkbench at a running ensemble with --connect host:port,...';

export function isExecutableFile(p: string): boolean {
  try {
    fs.accessSync(p, fs.constants.X_OK);
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

export function findJava(env: NodeJS.ProcessEnv = process.env): string {
  const javaHome = env.JAVA_HOME?.trim();
  if (javaHome) {
    const java = path.join(javaHome, 'bin', 'java');
    if (isExecutableFile(java)) return java;
    // A wrong JAVA_HOME is a user mistake worth naming rather than silently falling back to PATH.
    throw new SetupError(`Java not found: JAVA_HOME=${javaHome} has no executable bin/java. Fix JAVA_HOME, or unset it to use java from PATH; or ${FIX_JAVA}`);
  }
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const java = path.join(dir, 'java');
    if (isExecutableFile(java)) return java;
  }
  throw new SetupError(`Java not found (no JAVA_HOME, no java on PATH): ${FIX_JAVA}`);
}

// The server jar is "zookeeper-3.8.x.jar"; jute, recipes, contrib and test jars carry a second word.
const SERVER_JAR = /^zookeeper-(\d+\.\d+\.\d+[\w.-]*?)\.jar$/;

function versionOfServerJar(file: string): string | undefined {
  return SERVER_JAR.exec(path.basename(file))?.[1];
}

function jarsIn(dir: string): string[] {
  if (!isDirectory(dir)) return [];
  return fs.readdirSync(dir).filter((f) => f.endsWith('.jar')).sort().map((f) => path.join(dir, f));
}

function fromZooKeeperHome(home: string): { classpath: string[]; version?: string; source: string } {
  // Apache binary distributions keep everything in lib/; older ones put the server jar at the top.
  const classpath = [...jarsIn(home), ...jarsIn(path.join(home, 'lib'))];
  const serverJar = classpath.find((j) => versionOfServerJar(j) !== undefined);
  if (!serverJar) {
    throw new SetupError(
      `ZooKeeper server not found: ZOOKEEPER_HOME=${home} holds no zookeeper-<version>.jar in lib/ or at its top ` +
        `(expected an Apache ZooKeeper binary distribution, apache-zookeeper-3.8.x-bin). Fix ZOOKEEPER_HOME, or unset it and ${FIX_ZOOKEEPER}`,
    );
  }
  return { classpath, version: versionOfServerJar(serverJar), source: `ZOOKEEPER_HOME=${home}` };
}

function fromDebian(): { classpath: string[]; version?: string; source: string } {
  const jar = (name: string) => path.join(DEBIAN_JAVA_DIR, name);
  const required = ['zookeeper.jar', 'zookeeper-jute.jar', 'slf4j-api.jar'];
  const missing = required.filter((name) => !fs.existsSync(jar(name)));
  if (missing.length > 0) {
    throw new SetupError(`ZooKeeper server not found (no ZOOKEEPER_HOME, and ${missing.map(jar).join(', ')} missing): ${FIX_ZOOKEEPER}`);
  }
  const classpath = required.map(jar);
  // Without a binding slf4j logs nothing at all; simple is enough and honours the level property.
  if (fs.existsSync(jar('slf4j-simple.jar'))) classpath.push(jar('slf4j-simple.jar'));
  // The version is only in a file name: zookeeper-3.8.0.jar is a symlink to (or the target of) zookeeper.jar.
  let version: string | undefined;
  try {
    const target = fs.realpathSync(jar('zookeeper.jar'));
    version = versionOfServerJar(target);
    for (const name of fs.readdirSync(DEBIAN_JAVA_DIR)) {
      if (version !== undefined) break;
      if (versionOfServerJar(name) !== undefined && fs.realpathSync(jar(name)) === target) version = versionOfServerJar(name);
    }
  } catch {
    // version stays unknown; srvr reports it once a server runs
  }
  return { classpath, version, source: `Debian package (${DEBIAN_JAVA_DIR})` };
}

/** Find Java and the ZooKeeper server: ZOOKEEPER_HOME first, else Debian's jars. Throws SetupError. */
export function findZooKeeperInstallation(env: NodeJS.ProcessEnv = process.env): ZooKeeperInstallation {
  const home = env.ZOOKEEPER_HOME?.trim();
  const zk = home ? fromZooKeeperHome(home) : fromDebian();
  const java = findJava(env);
  const found: ZooKeeperInstallation = { java, classpath: zk.classpath, source: zk.source };
  if (zk.version !== undefined) found.version = zk.version;
  return found;
}
