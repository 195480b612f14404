// A container engine for the compose tests, and the images they run, made on this machine:
//   - the daemon: the one already running, else a `dockerd` started here with its own socket and data
//     root in a temp dir, no default bridge and no firewall rules (`--bridge=none --iptables=false`: a
//     default daemon leaves docker0 on 172.17/16 and the nat and filter tables behind), stopped after;
//   - the images: no registry is reachable, so the server image is built on a base imported from a
//     Debian root file system made by mmdebstrap. That tarball (about 80 s to make on an idle machine,
//     minutes on a busy one) is cached under ~/.cache/zkbench, keyed on the command that makes it and
//     the Debian versions of the packages it installs, so a new JRE or ZooKeeper in the archive makes a
//     new one;
//   - what the engine holds (containers, images, networks, volumes) and the host's links and firewall
//     tables, listed before and after, so a test can show it left nothing behind.
import { execFile, execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { findZooKeeperInstallation } from '../../src/ensemble/installation.ts';
import { launcherClassDir } from '../../src/ensemble/server-launcher.ts';

const execFileAsync = promisify(execFile);
export const REPO = fileURLToPath(new URL('../../', import.meta.url));

/** The environment docker and docker-compose need to reach the daemon (DOCKER_HOST for one started here). */
export type DockerEnv = NodeJS.ProcessEnv;

/** Runs `docker args...`; rejects with its stderr. */
export async function docker(env: DockerEnv, args: string[], opts: { timeoutMs?: number; input?: string } = {}): Promise<string> {
  try {
    const { stdout } = await execFileAsync('docker', args, { env, timeout: opts.timeoutMs ?? 120_000, maxBuffer: 64 << 20 });
    return stdout;
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`docker ${args.join(' ')} failed: ${(e.stderr ?? '').trim() || e.message}`);
  }
}

/** What a fresh machine needs for these tests; a sentence naming the fix when something is missing. */
export function missingTools(): string | undefined {
  const missing = ['docker', 'dockerd', 'docker-compose', 'mmdebstrap'].filter((tool) => {
    try {
      execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
      return false;
    } catch {
      return true;
    }
  });
  if (process.getuid?.() !== 0) missing.push('root (dockerd and mmdebstrap need it)');
  return missing.length === 0 ? undefined : `missing: ${missing.join(', ')}; \`npm run setup\` installs docker.io, docker-compose and mmdebstrap`;
}

function daemonAnswers(env: DockerEnv): boolean {
  try {
    execFileSync('docker', ['info', '--format', '{{.ServerVersion}}'], { env, stdio: 'ignore', timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}

export interface Daemon {
  env: DockerEnv;
  /** True when this process started it (and stop() stops it). */
  started: boolean;
  stop(): Promise<void>;
}

/**
 * The daemon to use: the running one (DOCKER_HOST or the default socket), else one started now. One
 * started here lives in a temp dir (socket, data, exec root) that stop() removes after stopping it.
 */
export async function useDaemon(opts: { timeoutMs?: number } = {}): Promise<Daemon> {
  if (daemonAnswers(process.env)) return { env: process.env, started: false, stop: async () => {} };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zkbench-dockerd-'));
  const socket = `unix://${dir}/docker.sock`;
  const log = fs.openSync(path.join(dir, 'dockerd.log'), 'a');
  const child = spawn(
    'dockerd',
    [
      '--bridge=none',
      '--iptables=false',
      '--ip6tables=false',
      `--data-root=${dir}/data`,
      `--exec-root=${dir}/exec`,
      `--pidfile=${dir}/dockerd.pid`,
      `--host=${socket}`,
    ],
    { stdio: ['ignore', log, log] },
  );
  fs.closeSync(log);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // A test process that dies without stop() still takes its daemon along (the temp dir stays: its layers are mounted until then).
  const onExit = () => child.kill('SIGTERM');
  process.once('exit', onExit);
  const env = { ...process.env, DOCKER_HOST: socket };
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM'); // it stops its containers and its containerd, and unmounts its layers
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(timer);
    }
    process.removeListener('exit', onExit);
    fs.rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  while (!daemonAnswers(env)) {
    if (child.exitCode !== null || Date.now() > deadline) {
      const tail = fs.readFileSync(path.join(dir, 'dockerd.log'), 'utf8').split('\n').slice(-15).join('\n');
      await stop();
      throw new Error(`dockerd did not come up${child.exitCode !== null ? ` (exit ${child.exitCode})` : ''}; its log ends:\n${tail}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { env, started: true, stop };
}

/** What the engine holds, to compare before and after a test. */
export interface EngineState {
  containers: string[];
  images: string[];
  networks: string[];
  volumes: string[];
}

export async function engineState(env: DockerEnv): Promise<EngineState> {
  const list = async (args: string[]) => (await docker(env, args)).split('\n').filter(Boolean).sort();
  return {
    containers: await list(['ps', '-a', '--no-trunc', '--format', '{{.ID}} {{.Names}}']),
    images: await list(['images', '-a', '--no-trunc', '--format', '{{.ID}} {{.Repository}}:{{.Tag}}']),
    networks: await list(['network', 'ls', '--no-trunc', '--format', '{{.ID}} {{.Name}}']),
    volumes: await list(['volume', 'ls', '--format', '{{.Name}}']),
  };
}

export interface HostNetwork {
  nftTables: string[];
  iptablesLegacy: string[];
  links: string[];
}

/**
 * What differs between two listings (engine or host): one line per kind that changed, naming what is
 * left over and what went missing; empty when they are the same.
 */
export function leftovers<T extends object>(before: T, now: T, prefix: string): string[] {
  const problems: string[] = [];
  for (const key of Object.keys(before) as (keyof T & string)[]) {
    const was = new Set(before[key] as string[]);
    const is = new Set(now[key] as string[]);
    const added = [...is].filter((x) => !was.has(x));
    const gone = [...was].filter((x) => !is.has(x));
    if (added.length > 0 || gone.length > 0) problems.push(`${prefix} ${key}: left over ${JSON.stringify(added)}, gone ${JSON.stringify(gone)}`);
  }
  return problems;
}

/**
 * The host's firewall tables, and the links a container engine makes (docker0, br-<id> bridges, veth
 * pairs). Other runs' own tables and links (zkbench's per-run nftables tables, the multi-host tests'
 * veths) come and go meanwhile and are left out.
 */
export function hostNetwork(): HostNetwork {
  const lines = (cmd: string, args: string[]) =>
    execFileSync(cmd, args, { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .sort();
  // iptables here is nft-backed (its tables are nft tables); the legacy backend's are listed apart, where it exists.
  let legacy: string[] = [];
  try {
    legacy = lines('iptables-legacy-save', []).filter((l) => l.startsWith('*'));
  } catch {
    // no legacy iptables on this host
  }
  return {
    nftTables: lines('nft', ['list', 'tables']).filter((t) => !/zkbench/.test(t)),
    iptablesLegacy: legacy,
    links: lines('ip', ['-o', 'link', 'show'])
      .map((l) => l.split(':')[1]!.trim().split('@')[0]!)
      .filter((n) => /^(docker|br-|veth)/.test(n)),
  };
}

// ---------------------------------------------------------------------------------------------------
// Images

const SUITE = 'bookworm';
/** The server's packages; netcat-openbsd for docker-compose.yml's healthcheck (`nc`), as in the official image; Cyrus SASL for the zkbench image built on this base (the addon links it). */
const PACKAGES = ['default-jre-headless', 'zookeeper', 'netcat-openbsd', 'libsasl2-2', 'libsasl2-modules'];
export const CACHE_DIR = process.env.ZKBENCH_CACHE_DIR ?? path.join(os.homedir(), '.cache', 'zkbench');

function mmdebstrapArgs(out: string): string[] {
  return ['--variant=minbase', `--include=${PACKAGES.join(',')}`, SUITE, out];
}

/** The candidate version of each package on this host's apt sources (the archive mmdebstrap reads). */
function candidateVersions(): string {
  const out = execFileSync('apt-cache', ['policy', ...PACKAGES], { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } });
  return [...out.matchAll(/^(\S+):\n\s+Installed: .*\n\s+Candidate: (.*)$/gm)].map((m) => `${m[1]}=${m[2]}`).join(' ');
}

export interface RootFs {
  tarball: string;
  key: string;
  /** True when it was made now (a cold cache); the time it took. */
  built: boolean;
  ms: number;
}

/** The root file system tarball for the server base image, from the cache or made now. */
export async function serverRootFs(log: (line: string) => void = () => {}): Promise<RootFs> {
  const versions = candidateVersions();
  const key = createHash('sha256').update(JSON.stringify({ args: mmdebstrapArgs('OUT'), versions })).digest('hex').slice(0, 16);
  const tarball = path.join(CACHE_DIR, `rootfs-${SUITE}-zookeeper-${key}.tar`);
  const t0 = performance.now();
  if (fs.statSync(tarball, { throwIfNoEntry: false })?.isFile()) return { tarball, key, built: false, ms: performance.now() - t0 };
  fs.mkdirSync(CACHE_DIR, { recursive: true });
  // Ends in .tar: mmdebstrap picks its output format from the name (anything else makes a directory).
  const partial = `${tarball.slice(0, -'.tar'.length)}.${process.pid}.partial.tar`;
  log(`making the server root file system (mmdebstrap ${mmdebstrapArgs(tarball).join(' ')}; ${versions}): not cached yet`);
  try {
    await execFileAsync('mmdebstrap', mmdebstrapArgs(partial), { timeout: 20 * 60_000, maxBuffer: 64 << 20 });
    fs.renameSync(partial, tarball); // whole or not at all: a killed run leaves no half tarball under the key
  } catch (err) {
    fs.rmSync(partial, { force: true });
    const e = err as { stderr?: string; message: string };
    throw new Error(`mmdebstrap failed: ${(e.stderr ?? '').trim().split('\n').slice(-10).join('\n') || e.message}`);
  }
  return { tarball, key, built: true, ms: performance.now() - t0 };
}

export interface LocalImages {
  /** The server image, for ZK_IMAGE. */
  zookeeper: string;
  /** The zkbench image's name (docker/zkbench/Dockerfile), for ZKBENCH_IMAGE: the compose file's workers and coordinator. */
  zkbench: string;
  /**
   * Builds the zkbench image (once; later calls share the build) and resolves with its name and the time
   * the build took. Started early, it runs while the ensemble comes up and serves the first workloads.
   */
  buildZkbench(): Promise<{ image: string; ms: number }>;
  rootFs: RootFs;
  /** Time to import the base and build the server image on it (the zkbench image's build apart). */
  buildMs: number;
  /** Removes every image made here (with their layers). */
  remove(): Promise<void>;
}

/**
 * The base imported from the root file system, and docker/zookeeper/Dockerfile built on it. Tags carry
 * this process's pid: remove() deletes exactly these.
 */
export async function buildLocalImages(env: DockerEnv, log: (line: string) => void = () => {}): Promise<LocalImages> {
  const rootFs = await serverRootFs(log);
  const base = `zkbench-test/bookworm-zookeeper:${rootFs.key}-${process.pid}`;
  const zookeeper = `zkbench-test/zookeeper:${rootFs.key}-${process.pid}`;
  const zkbench = `zkbench-test/zkbench:${rootFs.key}-${process.pid}`;
  const made: string[] = [];
  let zkbenchBuild: Promise<{ image: string; ms: number }> | undefined;
  const buildZkbench = (): Promise<{ image: string; ms: number }> => {
    if (zkbenchBuild) return zkbenchBuild;
    const t = performance.now();
    made.push(zkbench);
    zkbenchBuild = buildZkbenchImage(env, base, zkbench).then(() => ({ image: zkbench, ms: performance.now() - t }));
    zkbenchBuild.catch(() => undefined); // its failure is the caller's to see when it awaits it
    return zkbenchBuild;
  };
  const remove = async (): Promise<void> => {
    await zkbenchBuild?.catch(() => undefined);
    for (const image of [...made].reverse()) await docker(env, ['rmi', '--force', image]).catch(() => undefined);
  };
  const t0 = performance.now();
  try {
    made.push(base);
    await docker(env, ['import', rootFs.tarball, base], { timeoutMs: 10 * 60_000 });
    made.push(zookeeper);
    // The build context: docker/zookeeper and the guard's classes as the embedded servers use them.
    const context = fs.mkdtempSync(path.join(os.tmpdir(), 'zkbench-image-'));
    fs.cpSync(path.join(REPO, 'docker/zookeeper'), context, { recursive: true });
    fs.cpSync(launcherClassDir(findZooKeeperInstallation()), path.join(context, 'launcher'), { recursive: true });
    // The classic builder (BuildKit needs the buildx plugin), no network for its RUN steps (there is no
    // bridge), and no intermediate container left behind when a step fails.
    await docker({ ...env, DOCKER_BUILDKIT: '0' }, ['build', '--quiet', '--network=none', '--force-rm', '--build-arg', `BASE_IMAGE=${base}`, '-t', zookeeper, context], {
      timeoutMs: 10 * 60_000,
    }).finally(() => fs.rmSync(context, { recursive: true, force: true }));
  } catch (err) {
    await remove();
    throw err;
  }
  return { zookeeper, zkbench, buildZkbench, rootFs, buildMs: performance.now() - t0, remove };
}

/** What of the repository the zkbench image holds (as ./Dockerfile copies it), node_modules besides. */
export const ZKBENCH_APP = ['package.json', 'package-lock.json', 'tsconfig.json', 'bin', 'src', 'workloads', 'baselines', 'patches', 'deploy/check-patched-addon.mjs'];

/**
 * docker/zkbench/Dockerfile on `base`: this host's Node binary and its node_modules (the patched addon
 * `npm run setup` built; this host is bookworm like the base, so its glibc and Node ABI match). The
 * build fails unless the image's Node loads the patched addon.
 */
export async function buildZkbenchImage(env: DockerEnv, base: string, tag: string): Promise<void> {
  const context = fs.mkdtempSync(path.join(os.tmpdir(), 'zkbench-image-'));
  try {
    fs.cpSync(path.join(REPO, 'docker/zkbench'), context, { recursive: true });
    fs.copyFileSync(process.execPath, path.join(context, 'node'));
    fs.chmodSync(path.join(context, 'node'), 0o755);
    const app = path.join(context, 'app');
    for (const entry of ZKBENCH_APP) fs.cpSync(path.join(REPO, entry), path.join(app, entry), { recursive: true });
    // What `npm ci --omit=dev` would install (package-lock.json's packages not marked dev, those present
    // here), from node_modules as it is (a worktree's may be a symlink): about half of it, the addon built.
    const modules = fs.realpathSync(path.join(REPO, 'node_modules'));
    for (const dir of productionPackages(REPO)) {
      const from = path.join(modules, dir.slice('node_modules/'.length));
      if (fs.existsSync(from)) fs.cpSync(from, path.join(app, dir), { recursive: true, dereference: true });
    }
    await docker({ ...env, DOCKER_BUILDKIT: '0' }, ['build', '--quiet', '--network=none', '--force-rm', '--build-arg', `BASE_IMAGE=${base}`, '-t', tag, context], { timeoutMs: 10 * 60_000 });
  } finally {
    fs.rmSync(context, { recursive: true, force: true });
  }
}

/** package-lock.json's non-dev packages (paths like node_modules/a), outermost only: copying one copies what it nests. */
export function productionPackages(repo: string): string[] {
  const lock = JSON.parse(fs.readFileSync(path.join(repo, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> };
  const kept: string[] = [];
  for (const p of Object.keys(lock.packages).sort()) {
    if (p === '' || lock.packages[p]!.dev === true) continue;
    if (!kept.some((k) => p.startsWith(`${k}/`))) kept.push(p);
  }
  return kept;
}
