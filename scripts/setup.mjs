#!/usr/bin/env node
// `npm run setup`: everything zkbench needs on a fresh machine, in order, and nothing twice.
//  1. Java and the ZooKeeper server (same discovery rules as src/ensemble/installation.ts):
//     if missing, Debian's `zookeeper` package (it pulls in a JRE) via apt-get, as root or with sudo.
//  2. npm dependencies; the `zookeeper` client is a C++ addon compiled on install (g++, make, python3), with
//     OpenSSL and Cyrus SASL (TLS and SASL, docs/tls-sasl.md): libssl-dev, libsasl2-dev, libsasl2-modules
//     (the DIGEST-MD5 plugin) via apt-get; libnetty-java for TLS-only embedded servers.
//  3. Chromium at /usr/bin/chromium, which the report's browser test (test/integration/report.test.ts)
//     opens report.html in: Debian's `chromium` package via apt-get, as root or with sudo; elsewhere it
//     says what to do (benchmarks run without it).
//  2b. javac (a JDK) and the embedded servers' launcher compiled with it (src/ensemble/server-launcher).
//  2c. Faults: nftables (the `nft` command cuts a server off, src/ensemble/faults/nftables.ts) via apt-get,
//     and the servers' source-address library compiled with cc (src/ensemble/source-address/).
//  2d. Distributed tests: iproute2 (the `ip` command puts remote workers in network namespaces,
//     test/helpers/netns.ts) via apt-get.
//  2e. External recipe drivers (src/drivers/, docs/drivers.md): Debian's Curator jars (the Curator driver is
//     compiled against them with javac) and python3-kazoo for /usr/bin/python3, via apt-get.
//  2f. Compose tests (test/integration/compose.test.ts, docs/compose.md): docker.io (dockerd and docker),
//     docker-compose and mmdebstrap (the server image's root file system) via apt-get.
//  4. A check that the addon loads, and a summary of versions.
// Plain Node ESM with no dependencies: it has to run before `npm install`.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const projectDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DEBIAN_JAVA_DIR = '/usr/share/java';
const SERVER_JAR = /^zookeeper-(\d+\.\d+\.\d+[\w.-]*?)\.jar$/;

const say = (msg) => console.log(`[setup] ${msg}`);
function fail(msg) {
  console.error(`[setup] ${msg}`);
  process.exit(1);
}

function which(cmd) {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const p = path.join(dir, cmd);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      if (fs.statSync(p).isFile()) return p;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Run a command with inherited stdio; exit on failure. */
function run(cmd, args, opts = {}) {
  say(`$ ${[cmd, ...args].join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: projectDir, ...opts });
  if (r.error) fail(`${cmd} could not be run: ${r.error.message}`);
  if (r.status !== 0) fail(`${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
}

// --- discovery (mirrors src/ensemble/installation.ts) ---

function findJava() {
  const home = process.env.JAVA_HOME?.trim();
  if (home) {
    const java = path.join(home, 'bin', 'java');
    return fs.existsSync(java) ? { java } : { error: `JAVA_HOME=${home} has no bin/java` };
  }
  const java = which('java');
  return java ? { java } : { error: 'no java on PATH' };
}

function jarsIn(dir) {
  try {
    return fs.readdirSync(dir).filter((f) => f.endsWith('.jar'));
  } catch {
    return [];
  }
}

function findZooKeeper() {
  const home = process.env.ZOOKEEPER_HOME?.trim();
  if (home) {
    const jar = [...jarsIn(home), ...jarsIn(path.join(home, 'lib'))].find((f) => SERVER_JAR.test(f));
    return jar
      ? { version: SERVER_JAR.exec(jar)[1], source: `ZOOKEEPER_HOME=${home}` }
      : { error: `ZOOKEEPER_HOME=${home} holds no zookeeper-<version>.jar in lib/ or at its top`, fromHome: true };
  }
  const required = ['zookeeper.jar', 'zookeeper-jute.jar', 'slf4j-api.jar'];
  const missing = required.filter((f) => !fs.existsSync(path.join(DEBIAN_JAVA_DIR, f)));
  if (missing.length > 0) return { error: `no ZOOKEEPER_HOME and ${missing.join(', ')} missing from ${DEBIAN_JAVA_DIR}` };
  // Debian: zookeeper-3.8.0.jar and zookeeper.jar are the same file, one a symlink to the other.
  let version;
  try {
    const target = fs.realpathSync(path.join(DEBIAN_JAVA_DIR, 'zookeeper.jar'));
    const name = jarsIn(DEBIAN_JAVA_DIR).find((f) => SERVER_JAR.test(f) && fs.realpathSync(path.join(DEBIAN_JAVA_DIR, f)) === target);
    version = name ? SERVER_JAR.exec(name)[1] : undefined;
  } catch {
    version = undefined;
  }
  return { version, source: `Debian package (${DEBIAN_JAVA_DIR})` };
}

// --- apt ---

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const canApt = fs.existsSync('/etc/debian_version') && which('apt-get') !== undefined && (isRoot || which('sudo') !== undefined);
let aptUpdated = false;

function aptInstall(packages) {
  const prefix = isRoot ? [] : ['sudo'];
  const [cmd, ...pre] = [...prefix, 'env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get'];
  if (!aptUpdated) {
    run(cmd, [...pre, 'update']);
    aptUpdated = true;
  }
  run(cmd, [...pre, 'install', '-y', '--no-install-recommends', ...packages]);
}

/** aptInstall for something setup can finish without: false (and apt's own output) instead of exiting. */
function aptInstallOptional(packages) {
  const prefix = isRoot ? [] : ['sudo'];
  const [cmd, ...pre] = [...prefix, 'env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get'];
  for (const args of [...(aptUpdated ? [] : [['update']]), ['install', '-y', '--no-install-recommends', ...packages]]) {
    say(`$ ${[cmd, ...pre, ...args].join(' ')}`);
    const r = spawnSync(cmd, [...pre, ...args], { stdio: 'inherit', cwd: projectDir });
    if (r.error || r.status !== 0) return false;
    if (args[0] === 'update') aptUpdated = true;
  }
  return true;
}

// --- 1. Java and the ZooKeeper server ---

let java = findJava();
let zk = findZooKeeper();
if (zk.fromHome) {
  // The user chose a distribution explicitly; installing another one would hide the mistake.
  fail(`ZooKeeper server not found: ${zk.error}. Fix ZOOKEEPER_HOME (an Apache ZooKeeper 3.8 binary distribution), or unset it to use Debian's package.`);
}
if (java.error || zk.error) {
  const packages = zk.error ? ['zookeeper'] : ['default-jre-headless'];
  if (!canApt) {
    fail(
      [
        `missing: ${[java.error && `Java (${java.error})`, zk.error && `ZooKeeper server (${zk.error})`].filter(Boolean).join('; ')}.`,
        'setup can install them only on Debian/Ubuntu with apt-get, as root or with sudo. Otherwise either:',
        '  - install a JRE 11+ and set JAVA_HOME (or put java on PATH), and set ZOOKEEPER_HOME to an unpacked',
        '    Apache ZooKeeper 3.8 binary distribution (apache-zookeeper-3.8.x-bin), then run `npm run setup` again; or',
        '  - run `docker compose up -d` in this directory and add `--connect 127.0.0.1:2181,127.0.0.1:2182,127.0.0.1:2183` to every `npm run bench -- ...`.',
      ].join('\n'),
    );
  }
  say(`installing ${packages.join(' ')} (${[java.error, zk.error].filter(Boolean).join('; ')})`);
  aptInstall(packages);
  java = findJava();
  zk = findZooKeeper();
  if (java.error) fail(`Java still not found after installing: ${java.error}. Install a JRE 11+ (apt-get install -y default-jre-headless) or set JAVA_HOME.`);
  if (zk.error) fail(`ZooKeeper server still not found after installing: ${zk.error}.`);
} else {
  say(`Java and ZooKeeper server present (${zk.source})`);
}

// The AdminServer of the embedded servers set up locked down (4lw off, metrics over HTTP: docs/auth-acl-chroot.md)
// starts only with Jetty 9, the servlet API 4 and Jackson on the class path; Debian's zookeeper package pulls in none.
const ADMIN_SERVER_JARS = ['jetty9-server', 'jetty9-servlet', 'jetty9-http', 'jetty9-io', 'jetty9-util', 'jetty9-security', 'servlet-api', 'jackson-core', 'jackson-databind', 'jackson-annotations'];
if (!zk.fromHome && ADMIN_SERVER_JARS.some((j) => !fs.existsSync(`/usr/share/java/${j}.jar`))) {
  const adminPackages = ['libjetty9-java', 'libservlet-api-java', 'libjackson2-core-java', 'libjackson2-databind-java', 'libjackson2-annotations-java'];
  if (canApt) {
    say(`installing ${adminPackages.join(' ')} (the embedded servers' AdminServer)`);
    aptInstall(adminPackages);
  } else say(`warning: the AdminServer jars are missing; the locked-down ensemble tests need ${adminPackages.join(' ')}`);
}

// --- 2. npm dependencies ---

// The patch level the patch builds (its ZKBENCH_PATCH marker): an addon of another level is rebuilt.
const EXPECTED_PATCH_LEVEL = /ZKBENCH_PATCH"\), Nan::New<Integer>\((\d+)\)/.exec(
  fs.readFileSync(path.join(projectDir, 'patches', 'zookeeper+7.3.0.patch'), 'utf8'),
)?.[1];

/** Loads the addon in a fresh process; `patched` is true when it is the build of patches/zookeeper+*.patch. */
function addonLoads() {
  const r = spawnSync(process.execPath, ['-e', "process.stdout.write(String(require('zookeeper').constants.ZKBENCH_PATCH))"], {
    cwd: projectDir,
    encoding: 'utf8',
  });
  return { ok: r.status === 0, patched: r.status === 0 && r.stdout.trim() === EXPECTED_PATCH_LEVEL, level: r.stdout.trim(), detail: (r.stderr || r.stdout || '').trim().split('\n').slice(0, 5).join('\n') };
}

/**
 * npm builds the zookeeper addon before our postinstall (patch-package) patches its sources, and its
 * build script skips the C client when a build exists (`npm rebuild` alone keeps the old binary), and
 * re-extracts the C sources from a tarball: so remove every build product and rebuild from source.
 */
function rebuildPatchedAddon(env) {
  const pkg = path.join(projectDir, 'node_modules', 'zookeeper');
  for (const dir of ['build', path.join('deps', 'zookeeper-client-c')]) fs.rmSync(path.join(pkg, dir), { recursive: true, force: true });
  run('npm', ['rebuild', 'zookeeper', '--foreground-scripts'], { env });
}

function mtime(p) {
  try {
    return fs.statSync(p).mtimeMs;
  } catch {
    return undefined;
  }
}

const lockFile = path.join(projectDir, 'package-lock.json');
const hasLock = fs.existsSync(lockFile);
// npm writes node_modules/.package-lock.json after every install: newer than the manifests means current.
const installedAt = mtime(path.join(projectDir, 'node_modules', '.package-lock.json'));
const depsCurrent =
  installedAt !== undefined &&
  installedAt >= (mtime(path.join(projectDir, 'package.json')) ?? Infinity) &&
  (!hasLock || installedAt >= (mtime(lockFile) ?? Infinity));

// node-gyp downloads Node's headers unless told where they are; a distribution's Node ships them.
const buildEnv = { ...process.env };
const nodePrefix = path.resolve(path.dirname(fs.realpathSync(process.execPath)), '..');
if (!buildEnv.npm_config_nodedir && fs.existsSync(path.join(nodePrefix, 'include', 'node', 'node.h'))) {
  buildEnv.npm_config_nodedir = nodePrefix;
}

// TLS and SASL in the C client (patch level 5): OpenSSL's and Cyrus SASL's headers to build it, the SASL
// DIGEST-MD5 plugin to run it; the Netty jars for embedded servers that serve TLS (src/ensemble/security.ts).
const SECURITY_FILES = {
  'libssl-dev': () => fs.existsSync('/usr/include/openssl/ssl.h'),
  'libsasl2-dev': () => fs.existsSync('/usr/include/sasl/sasl.h'),
  'libsasl2-modules': () => ['/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib'].some((d) => fs.existsSync(path.join(d, 'sasl2', 'libdigestmd5.so.2')) || fs.existsSync(path.join(d, 'sasl2', 'libdigestmd5.so'))),
  'libnetty-java': () => fs.existsSync(path.join(DEBIAN_JAVA_DIR, 'netty-handler.jar')) || Boolean(process.env.ZOOKEEPER_HOME),
};
const missingSecurity = () => Object.entries(SECURITY_FILES).filter(([, present]) => !present()).map(([pkg]) => pkg);
if (missingSecurity().length > 0) {
  if (!canApt) {
    fail(`the zookeeper addon is built with OpenSSL and Cyrus SASL (TLS and SASL): install ${missingSecurity().join(' ')} (or your system's equivalents: OpenSSL and Cyrus SASL development files, the SASL DIGEST-MD5 plugin), then run \`npm run setup\` again.`);
  }
  say(`installing ${missingSecurity().join(' ')} (TLS and SASL in the zookeeper addon, TLS-only embedded servers)`);
  aptInstall(missingSecurity());
}

if (depsCurrent && addonLoads().patched) {
  say('npm dependencies up to date and the patched zookeeper addon loads; skipping install');
} else {
  const missingTools = ['g++', 'make', 'python3'].filter((t) => which(t) === undefined);
  if (missingTools.length > 0) {
    if (!canApt) {
      fail(`the zookeeper npm package compiles a C++ addon and needs ${missingTools.join(', ')}: install them (Debian/Ubuntu: apt-get install -y g++ make python3), then run \`npm run setup\` again.`);
    }
    say(`installing build tools for the zookeeper addon: ${missingTools.join(', ')}`);
    aptInstall(['g++', 'make', 'python3']);
  }
  run('npm', hasLock ? ['ci'] : ['install'], { env: buildEnv });
  if (!addonLoads().patched) {
    say('rebuilding the zookeeper addon from source with the zkbench patch (patches/zookeeper+7.3.0.patch)');
    rebuildPatchedAddon(buildEnv);
  }
}

// --- 2b. javac for the embedded servers' launcher ---
// Embedded servers start through src/ensemble/server-launcher (the ZOOKEEPER-4537 guard), compiled with
// the javac of the JDK that runs them; Debian's zookeeper package brings only a JRE.

function findJavac() {
  const beside = path.join(path.dirname(fs.realpathSync(java.java)), 'javac');
  return fs.existsSync(beside) ? beside : which('javac');
}

if (!findJavac() && canApt) {
  say('installing default-jdk-headless (javac compiles the embedded servers\' launcher, src/ensemble/server-launcher)');
  aptInstall(['default-jdk-headless']);
}
let launcher = 'not compiled';
if (findJavac()) {
  const compile = spawnSync(
    process.execPath,
    ['--import', 'tsx', '-e', "const i = await import('./src/ensemble/installation.ts'); const l = await import('./src/ensemble/server-launcher.ts'); process.stdout.write(l.launcherClassDir(i.findZooKeeperInstallation()));"],
    { cwd: projectDir, encoding: 'utf8' },
  );
  if (compile.status !== 0) fail(`compiling the embedded servers' launcher failed:\n${(compile.stderr || compile.stdout).trim()}`);
  launcher = `compiled (${path.relative(projectDir, compile.stdout.trim())})`;
} else {
  say('warning: no javac: embedded ensembles need one for their launcher (install a JDK 11+, e.g. default-jdk-headless), or set commit_wakeup_guard_ms: 0');
}

// --- 2c. faults: nftables, and the library that makes servers connect from their own address ---
// Only `isolate` faults need them: setup goes on without, saying what is missing.

const NFT_PATHS = ['/usr/sbin/nft', '/sbin/nft', '/usr/bin/nft'];
const findNft = () => NFT_PATHS.find((p) => fs.existsSync(p)) ?? which('nft');

if (!findNft() && canApt) {
  say('installing nftables (isolate faults cut a server off with nft rules, src/ensemble/faults/nftables.ts)');
  aptInstallOptional(['nftables']);
}
const nft = findNft();
if (!nft) say('warning: no nft command: workloads with isolate faults will be refused (install nftables, as root)');
if (!which('cc') && !which('gcc') && canApt) {
  say('installing gcc (compiles the servers\' source-address library, src/ensemble/source-address/bind-source.c)');
  aptInstallOptional(['gcc', 'libc6-dev']);
}
// --- 2d. distributed tests: iproute2's `ip netns` gives each remote worker its own network namespace ---
const IP_PATHS = ['/usr/sbin/ip', '/sbin/ip', '/usr/bin/ip', '/bin/ip'];
const findIp = () => IP_PATHS.find((p) => fs.existsSync(p)) ?? which('ip');
if (!findIp() && canApt) {
  say('installing iproute2 (the distributed tests run workers in network namespaces, test/helpers/netns.ts)');
  aptInstallOptional(['iproute2']);
}
if (!findIp()) say('warning: no ip command: the distributed tests will fail (install iproute2, as root)');
// --- 2f. compose tests: a container engine, compose, and mmdebstrap for images made from Debian packages ---
const COMPOSE_TOOLS = { dockerd: 'docker.io', docker: 'docker.io', 'docker-compose': 'docker-compose', mmdebstrap: 'mmdebstrap' };
const missingCompose = () => [...new Set(Object.entries(COMPOSE_TOOLS).filter(([tool]) => !which(tool)).map(([, pkg]) => pkg))];
if (missingCompose().length > 0 && canApt) {
  say(`installing ${missingCompose().join(' ')} (the compose tests run docker-compose.yml on a local engine, docs/compose.md)`);
  aptInstallOptional(missingCompose());
}
if (missingCompose().length > 0) say(`warning: ${missingCompose().join(', ')} missing: the compose tests will fail (install them, as root)`);

// --- 2e. external recipe drivers: Curator (Java, Debian's jars) and kazoo (/usr/bin/python3) ---
// The packages are the ones src/drivers/runtime.ts names when it refuses a run (DRIVER_PACKAGES).
const CURATOR_PACKAGES = ['libcurator-recipes-java', 'libcurator-framework-java', 'libcurator-client-java', 'libcurator-discovery-java', 'libjackson2-databind-java', 'libslf4j-java'];
const curatorJarsPresent = () => ['curator-recipes.jar', 'curator-framework.jar', 'curator-client.jar', 'curator-x-discovery.jar', 'jackson-databind.jar', 'slf4j-nop.jar'].every((j) => fs.existsSync(path.join(DEBIAN_JAVA_DIR, j)));
const kazooImports = () => fs.existsSync('/usr/bin/python3') && spawnSync('/usr/bin/python3', ['-c', 'import kazoo.client'], { stdio: 'ignore' }).status === 0;
if (!curatorJarsPresent() && canApt) {
  say('installing Apache Curator (the curator-* recipes run in a Java driver against Debian\'s jars, src/drivers/curator)');
  aptInstallOptional(CURATOR_PACKAGES);
}
if (!kazooImports() && canApt) {
  say('installing python3-kazoo (the kazoo-* recipes run in a Python driver, src/drivers/kazoo)');
  aptInstallOptional(['python3-kazoo']);
}
let curatorDriver = 'missing';
if (curatorJarsPresent() && findJavac()) {
  const compile = spawnSync(
    process.execPath,
    ['--import', 'tsx', '-e', "const r = await import('./src/drivers/runtime.ts'); process.stdout.write(r.driverCommand('curator', ['curator-mutex']).args.join(' '));"],
    { cwd: projectDir, encoding: 'utf8' },
  );
  curatorDriver = compile.status === 0 ? 'compiled' : `not compiled: ${(compile.stderr || compile.stdout).trim().split('\n').pop()}`;
} else {
  curatorDriver = `missing (${curatorJarsPresent() ? 'no javac' : `Debian's Curator jars: apt-get install -y ${CURATOR_PACKAGES.join(' ')}`})`;
}
const kazooDriver = kazooImports() ? 'ready (/usr/bin/python3)' : 'missing (apt-get install -y python3-kazoo)';
if (!curatorDriver.startsWith('compiled')) say(`warning: the Curator driver is ${curatorDriver}; workloads naming curator-* recipes will be refused`);
if (!kazooDriver.startsWith('ready')) say(`warning: the kazoo driver is ${kazooDriver}; workloads naming kazoo-* recipes will be refused`);

const binding = spawnSync(
  process.execPath,
  ['--import', 'tsx', '-e', "const m = await import('./src/ensemble/source-address.ts'); process.stdout.write(JSON.stringify(m.sourceBindingLibrary()));"],
  { cwd: projectDir, encoding: 'utf8' },
);
let sourceLibrary = 'not built';
try {
  const built = JSON.parse(binding.stdout);
  sourceLibrary = built.library ? `built (${path.relative(projectDir, built.library)})` : `not built: ${built.why}`;
} catch {
  sourceLibrary = `not built: ${(binding.stderr || binding.stdout).trim()}`;
}
if (!sourceLibrary.startsWith('built')) say(`warning: the servers' source-address library is ${sourceLibrary}; workloads with isolate faults will be refused`);

// --- 3. Chromium for the report's browser test ---

const CHROMIUM = '/usr/bin/chromium';

function chromiumVersion() {
  const r = spawnSync(CHROMIUM, ['--version'], { encoding: 'utf8' });
  return (r.stdout || '').trim().split('\n')[0] || 'version unknown';
}

let chromium = fs.existsSync(CHROMIUM);
if (chromium) {
  say(`Chromium present (${CHROMIUM})`);
} else if (canApt) {
  say(`installing chromium (${CHROMIUM} missing; the report's browser test opens report.html in it)`);
  const installed = aptInstallOptional(['chromium']);
  chromium = fs.existsSync(CHROMIUM);
  if (!chromium) {
    say(
      `warning: ${installed ? `${CHROMIUM} still missing after installing the chromium package` : 'apt-get could not install chromium'}; ` +
        `the report's browser test (test/integration/report.test.ts) will fail until ${CHROMIUM} exists. Benchmarks and reports do not need it.`,
    );
  }
} else {
  say(
    [
      `warning: ${CHROMIUM} missing. Benchmarks and reports do not need it, but the report's browser test`,
      '(test/integration/report.test.ts) opens report.html in it and fails without it. Install Chromium so that',
      `${CHROMIUM} exists: on Debian \`apt-get install -y chromium\` as root (or run \`npm run setup\` as root or with sudo);`,
      'elsewhere install Chromium from your distribution and link its binary to that path.',
    ].join('\n'),
  );
}

// --- 4. verify and summarise ---

const addon = addonLoads();
if (!addon.ok) {
  fail(`the zookeeper addon does not load:\n${addon.detail}\nTry \`rm -rf node_modules && npm run setup\`; building it needs g++, make and python3.`);
}
if (!addon.patched) {
  fail('the zookeeper addon loads but is not the patched build (patches/zookeeper+7.3.0.patch): try `rm -rf node_modules && npm run setup`.');
}
const javaVersion = spawnSync(java.java, ['-version'], { encoding: 'utf8' });
const javaLine = (javaVersion.stderr || javaVersion.stdout || '').split('\n')[0]?.trim() || 'unknown';
say('ready:');
console.log(`  java       ${javaLine} (${java.java})`);
console.log(`  zookeeper  ${zk.version ?? 'version unknown'} from ${zk.source}`);
console.log(`  node       ${process.version}`);
console.log('  addon      zookeeper (node client), zkbench patch loaded');
console.log(`  launcher   ${launcher} (embedded servers: ZOOKEEPER-4537 guard)`);
console.log(`  faults     nft ${nft ?? 'missing'}; source-address library ${sourceLibrary}`);
console.log(`  drivers    curator ${curatorDriver}; kazoo ${kazooDriver}`);
console.log(`  chromium   ${chromium ? `${chromiumVersion()} (${CHROMIUM})` : 'missing (only the report browser test needs it)'}`);
