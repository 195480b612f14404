// docker-compose.yml's servers for the benchmarks (bench:interrupts' compose setting, bench:compose): a
// daemon of its own (dockerd --bridge=none --iptables=false, or the running one), the local images built from
// the cached root file system, the project's network on a subnet of its own, a quorum awaited; close() takes
// it all down and says what the engine still holds.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fourLetterWord, parseSrvr } from '../src/ensemble/four-letter-words.ts';
import { freeLoopbackPorts } from '../src/ensemble/free-ports.ts';
import { buildLocalImages, docker, engineState, leftovers, REPO, useDaemon, type Daemon, type EngineState, type LocalImages } from '../test/helpers/docker.ts';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export interface ComposeProject {
  /** The published client ports on 127.0.0.1. */
  connect: string;
  /** The compose project's name, for --compose-project. */
  composeProject: string;
  /** What zkbench needs to reach the daemon (DOCKER_HOST of a daemon of our own). */
  env: NodeJS.ProcessEnv;
  /** How long from `docker-compose up -d` until every server answered a Mode with one leader, and `up -d` itself, ms. */
  quorumMs: number;
  upMs: number;
  /** A paused or stopped server of the project, said and undone (after a run that harmed it and could not undo it). */
  harmed(): Promise<string>;
  /** Down, images and daemon removed; what the engine still holds that it did not before. */
  close(): Promise<string[]>;
}

/** docker-compose.yml's three servers on a daemon of this process's own (as the compose test runs them), a quorum formed. */
export async function startComposeProject(prefix: string): Promise<ComposeProject> {
  const daemon: Daemon = await useDaemon();
  const before: EngineState = await engineState(daemon.env);
  let images: LocalImages | undefined;
  let upMs = 0;
  let quorumMs = 0;
  const project = `${prefix}${process.pid}`;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'zkbench-compose-bench-'));
  const ports = await freeLoopbackPorts(3, '127.0.0.1');
  const env = { ...daemon.env, ZK1_PORT: String(ports[0]), ZK2_PORT: String(ports[1]), ZK3_PORT: String(ports[2]) };
  // The project's network on a subnet of its own, in 10.232.0.0/16 like the compose test's.
  const used = spawnSync('ip', ['-o', '-4', 'addr', 'show'], { encoding: 'utf8' }).stdout;
  const third = Array.from({ length: 256 }, (_, i) => (process.pid + 128 + i) % 256).find((t) => !used.includes(`10.232.${t}.`));
  fs.writeFileSync(path.join(work, 'override.yml'), JSON.stringify({ networks: { default: { ipam: { config: [{ subnet: `10.232.${third}.0/24` }] } } } }));
  const compose = (args: string[]) => {
    const r = spawnSync('docker-compose', ['--project-name', project, '--file', path.join(REPO, 'docker-compose.yml'), '--file', path.join(work, 'override.yml'), ...args], { env: { ...env, ZK_IMAGE: images?.zookeeper ?? '' }, cwd: REPO, encoding: 'utf8', timeout: 300_000 });
    if (r.status !== 0) throw new Error(`docker-compose ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  const close = async (): Promise<string[]> => {
    const problems: string[] = [];
    try {
      if (images) compose(['down', '--volumes', '--remove-orphans', '--timeout', '5']);
    } catch (err) {
      problems.push((err as Error).message);
    }
    await images?.remove();
    problems.push(...leftovers(before, await engineState(daemon.env), 'docker'));
    await daemon.stop();
    fs.rmSync(work, { recursive: true, force: true });
    return problems;
  };
  try {
    images = await buildLocalImages(daemon.env, (l) => process.stderr.write(`compose: ${l}\n`));
    const t0 = performance.now();
    compose(['up', '--detach', 'zoo1', 'zoo2', 'zoo3']);
    upMs = performance.now() - t0;
    const deadline = Date.now() + 180_000;
    for (;;) {
      const modes = await Promise.all(ports.map((p) => fourLetterWord('127.0.0.1', p, 'srvr', 1000).then((t) => parseSrvr(t).mode, () => undefined)));
      if (modes.filter((m) => m === 'leader').length === 1 && modes.every((m) => m === 'leader' || m === 'follower')) {
        quorumMs = performance.now() - t0;
        break;
      }
      if (Date.now() > deadline) throw new Error(`compose: no quorum within 180 s (${modes.join(', ')})`);
      await sleep(200);
    }
  } catch (err) {
    await close();
    throw err;
  }
  const names = async (filter: string) =>
    (await docker(daemon.env, ['ps', '-a', '--filter', `label=com.docker.compose.project=${project}`, '--filter', filter, '--format', '{{.Names}}'])).split('\n').filter(Boolean);
  const harmed = async (): Promise<string> => {
    const paused = await names('status=paused');
    const stopped = [...(await names('status=exited')), ...(await names('status=created'))];
    for (const n of paused) await docker(daemon.env, ['unpause', n]);
    for (const n of stopped) await docker(daemon.env, ['start', n]);
    if (paused.length + stopped.length > 0) await sleep(5_000); // back in the quorum before the next cell
    return [paused.length > 0 ? `paused: ${paused.join(' ')}` : '', stopped.length > 0 ? `stopped: ${stopped.join(' ')}` : ''].filter(Boolean).join('; ');
  };
  // zkbench finds the daemon through DOCKER_HOST (a daemon of our own) in the cells' environment.
  return { connect: ports.map((p) => `127.0.0.1:${p}`).join(','), composeProject: project, env: daemon.env.DOCKER_HOST ? { DOCKER_HOST: daemon.env.DOCKER_HOST } : {}, quorumMs, upMs, harmed, close };
}

