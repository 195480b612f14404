// Real ZooKeeper JVMs: embedded 3- and 1-server ensembles, the watchdog after SIGKILL of the
// owning process, kept ensembles and unreachable ones. Sequential on purpose (2 cores, real ports).
// Every PID seen is recorded and SIGKILLed in `after`, so a failing test leaves no JVM behind.
import { describeFailure } from '../../src/cli/failures.ts';
import { EXIT } from '../../src/process/exit-codes.ts';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  connectExistingEnsemble,
  downKeptEnsemble,
  fourLetterWord,
  keptEnsembleStatus,
  keptStateFile,
  openKeptEnsemble,
  parseConf,
  parseSrvr,
  startEmbeddedEnsemble,
  UnreachableEnsembleError,
  upKeptEnsemble,
  findZooKeeperInstallation,
  isRunning,
  type EmbeddedEnsemble,
  type EnsembleSettings,
} from '../../src/ensemble/index.ts';
import { trackChild, trackedChildren, untrackChild } from '../../src/process/child-guard.ts';
import { within } from '../helpers/wait.ts';

const SETTINGS: EnsembleSettings = { servers: 3, tickTimeMs: 2000, maxClientCnxns: 0, heapMb: 128, commitWakeupGuardMs: 1 };
const projectDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const seenPids = new Set<number>();
const dirsToRemove = new Set<string>();
const ensembles: EmbeddedEnsemble[] = [];
const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zkbench-state-test-'));
process.env.ZKBENCH_STATE_DIR = stateDir;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function waitUntilGone(pids: readonly number[], timeoutMs: number): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const alive = pids.filter(isRunning);
    if (alive.length === 0 || Date.now() >= deadline) return alive;
    await sleep(100);
  }
}

async function start(settings: EnsembleSettings): Promise<EmbeddedEnsemble> {
  const ensemble = await startEmbeddedEnsemble(settings);
  ensembles.push(ensemble);
  for (const s of ensemble.servers) if (s.pid !== undefined) seenPids.add(s.pid);
  dirsToRemove.add(ensemble.baseDir);
  return ensemble;
}

async function modes(servers: readonly { host: string; clientPort: number }[]): Promise<(string | undefined)[]> {
  return Promise.all(
    servers.map(async (s) => {
      try {
        return parseSrvr(await fourLetterWord(s.host, s.clientPort, 'srvr')).mode;
      } catch {
        return undefined;
      }
    }),
  );
}

async function waitForLeader(ensemble: EmbeddedEnsemble, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const leader = await ensemble.leader();
    if (leader || Date.now() >= deadline) return leader;
    await sleep(50);
  }
}

describe('ensemble (real ZooKeeper servers)', { concurrency: 1 }, () => {
  after(async () => {
    for (const e of ensembles) await e.close().catch(() => {});
    await downKeptEnsemble().catch(() => {});
    for (const pid of seenPids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone, as it should be
      }
    }
    for (const dir of dirsToRemove) fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(stateDir, { recursive: true, force: true });
  });

  test('3 servers: one leader, version 3.8.x, settings applied, failover, close removes everything', async () => {
    const ensemble = await start(SETTINGS);
    assert.equal(ensemble.kind, 'embedded');
    assert.equal(ensemble.servers.length, 3);
    // Each server on its own loopback address (faults cut one off by address pair), 127.0.0.1 left to clients.
    assert.deepEqual(ensemble.servers.map((s) => s.host), ['127.0.0.2', '127.0.0.3', '127.0.0.4']);
    assert.equal(ensemble.connectString, ensemble.servers.map((s) => `${s.host}:${s.clientPort}`).join(','));
    assert.ok(ensemble.servers.every((s) => s.sourceBound), 'servers connect to each other from their own address');

    const found = await modes(ensemble.servers);
    assert.equal(found.filter((m) => m === 'leader').length, 1, `modes: ${found.join(',')}`);
    assert.equal(found.filter((m) => m === 'follower').length, 2, `modes: ${found.join(',')}`);
    const leader = await ensemble.leader();
    assert.ok(leader);
    assert.equal(found[ensemble.servers.findIndex((s) => s.id === leader.id)], 'leader');

    assert.match((await ensemble.serverVersion()) ?? '', /^3\.8\.\d+/);
    const conf = parseConf(await fourLetterWord(ensemble.servers[0]!.host, ensemble.servers[0]!.clientPort, 'conf'));
    assert.equal(conf.maxClientCnxns, '0');
    assert.equal(conf['server.2'], `127.0.0.3:${ensemble.servers[1]!.quorumPort}:${ensemble.servers[1]!.electionPort}:participant`);
    assert.equal(conf.tickTime, '2000');

    const cpu = await ensemble.serverCpuSeconds();
    assert.deepEqual([...cpu.keys()].sort(), [1, 2, 3]);
    assert.ok([...cpu.values()].every((s) => s > 0));
    for (const s of ensemble.servers) assert.ok(trackedChildren().has(s.pid!), 'JVM pid tracked by child-guard');

    // The same ensemble seen from outside, with one dead address in the list.
    const observed = await connectExistingEnsemble(`${ensemble.connectString},127.0.0.1:1`);
    assert.equal(observed.kind, 'external');
    assert.deepEqual(observed.unreachable.map((s) => s.clientPort), [1]);
    assert.equal((await observed.leader())?.clientPort, leader.clientPort);
    assert.equal((await observed.serverCpuSeconds()).size, 0);

    // Failover: crash the leader, another takes over; the old one rejoins as a follower.
    const oldLeaderPid = ensemble.server(leader.id).pid!;
    await ensemble.stopServer(leader.id, { kill: true });
    assert.equal(isRunning(oldLeaderPid), false);
    const next = await waitForLeader(ensemble, 30_000);
    assert.ok(next && next.id !== leader.id, 'a new leader is elected');
    await ensemble.restartServer(leader.id);
    seenPids.add(ensemble.server(leader.id).pid!);
    assert.equal((await modes([ensemble.server(leader.id)]))[0], 'follower');

    const pids = ensemble.servers.map((s) => s.pid!);
    await ensemble.close();
    assert.deepEqual(pids.filter(isRunning), [], 'every JVM is gone after close()');
    assert.equal(fs.existsSync(ensemble.baseDir), false, 'base dir removed');
    for (const pid of pids) assert.equal(trackedChildren().has(pid), false, 'untracked after close');
    await ensemble.close(); // idempotent
  });

  test('1 server runs standalone', async () => {
    const ensemble = await start({ ...SETTINGS, servers: 1, minSessionTimeoutMs: 1000, maxSessionTimeoutMs: 8000 });
    const [mode] = await modes(ensemble.servers);
    assert.equal(mode, 'standalone');
    assert.equal((await ensemble.leader())?.id, 1);
    const conf = parseConf(await fourLetterWord(ensemble.servers[0]!.host, ensemble.servers[0]!.clientPort, 'conf'));
    assert.equal(conf.minSessionTimeout, '1000');
    assert.equal(conf.maxSessionTimeout, '8000');
    const pid = ensemble.servers[0]!.pid!;
    await ensemble.close();
    assert.equal(isRunning(pid), false);
  });

  test('5 servers: one leader, four followers', async () => {
    const ensemble = await start({ ...SETTINGS, servers: 5, heapMb: 96 });
    const found = await modes(ensemble.servers);
    assert.equal(found.filter((m) => m === 'leader').length, 1, `modes: ${found.join(',')}`);
    assert.equal(found.filter((m) => m === 'follower').length, 4, `modes: ${found.join(',')}`);
    const pids = ensemble.servers.map((s) => s.pid!);
    await ensemble.close();
    assert.deepEqual(pids.filter(isRunning), []);
  });

  test('a server that cannot start fails the start with its log, and nothing is left running', async () => {
    const installation = findZooKeeperInstallation();
    const broken = { ...installation, classpath: ['/nonexistent.jar'] };
    let logFile = '';
    // With the guard on, the launcher cannot even compile against that classpath: refused before anything starts.
    await assert.rejects(startEmbeddedEnsemble({ ...SETTINGS, servers: 1 }, { installation: broken }), /compiling the server launcher .* failed/);
    await assert.rejects(startEmbeddedEnsemble({ ...SETTINGS, servers: 1, commitWakeupGuardMs: 0 }, { installation: broken }), (err: Error) => {
      assert.match(err.message, /exited during start-up/);
      assert.match(err.message, /QuorumPeerMain/); // "Could not find or load main class ..." from the log
      logFile = /last lines of (\S+server1\.log)/.exec(err.message)?.[1] ?? '';
      return true;
    });
    assert.ok(logFile, 'the error names the log file');
    assert.equal(fs.existsSync(path.dirname(logFile)), false, 'a failed start removes its directory');
  });

  test('watchdog: JVMs die when the process that started them is SIGKILLed', async () => {
    const fixture = path.join(projectDir, 'test/fixtures/ensemble-child.ts');
    const child = spawn(process.execPath, ['--import', 'tsx', fixture, '3'], { cwd: projectDir, stdio: ['ignore', 'pipe', 'inherit'] });
    assert.ok(child.pid);
    trackChild(child.pid, 'ensemble fixture');
    let report: { pids: number[]; baseDir: string };
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let text = '';
        const timer = setTimeout(() => reject(new Error('fixture reported no PIDs within 90 s')), 90_000);
        child.stdout.on('data', (chunk: Buffer) => {
          text += chunk.toString();
          if (text.includes('\n')) {
            clearTimeout(timer);
            resolve(text.slice(0, text.indexOf('\n')));
          }
        });
        child.once('exit', (code) => {
          clearTimeout(timer);
          reject(new Error(`fixture exited (${code}) before reporting PIDs`));
        });
      });
      report = JSON.parse(line) as { pids: number[]; baseDir: string };
    } finally {
      // whatever happened, the fixture goes now
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await within('the SIGKILLed fixture exiting', exited);
      untrackChild(child.pid);
    }
    for (const pid of report.pids) seenPids.add(pid);
    dirsToRemove.add(report.baseDir);
    assert.equal(report.pids.length, 3);
    const alive = await waitUntilGone(report.pids, 10_000);
    assert.deepEqual(alive, [], 'JVMs still running 10 s after their owner was SIGKILLed');
  });

  test('kept ensemble: up, status, open, down', async () => {
    assert.equal(keptStateFile(), path.join(stateDir, 'ensemble.json'));
    assert.equal(await openKeptEnsemble(), undefined);
    assert.equal((await keptEnsembleStatus()).up, false);

    const state = await upKeptEnsemble(SETTINGS);
    for (const s of state.servers) seenPids.add(s.pid);
    dirsToRemove.add(state.baseDir);
    assert.ok(fs.existsSync(keptStateFile()));
    assert.equal(state.servers.length, 3);
    assert.match(state.zookeeperVersion ?? '', /^3\.8\./);
    for (const s of state.servers) assert.equal(trackedChildren().has(s.pid), false, 'kept JVMs are not tied to this process');

    const status = await keptEnsembleStatus();
    assert.equal(status.up, true);
    assert.ok(status.servers.every((s) => s.alive));
    assert.equal(status.servers.filter((s) => s.mode === 'leader').length, 1);
    assert.ok(status.leader !== undefined);

    await assert.rejects(upKeptEnsemble(SETTINGS), (err: Error) => {
      assert.match(err.message, /already up \(.*state in .*ensemble\.json\)/);
      assert.equal(describeFailure(err).code, EXIT.environment, "README's exit code for it");
      return true;
    });

    const kept = await openKeptEnsemble();
    assert.ok(kept);
    assert.equal(kept.kind, 'kept');
    assert.equal(kept.connectString, state.connectString);
    assert.deepEqual(kept.settings, SETTINGS);
    assert.equal((await kept.leader())?.id, status.leader);
    assert.equal((await kept.serverCpuSeconds()).size, 3);
    await kept.close(); // no-op for kept
    assert.ok(state.servers.every((s) => isRunning(s.pid)));

    const downed = await downKeptEnsemble();
    assert.equal(downed?.connectString, state.connectString);
    assert.deepEqual(state.servers.map((s) => s.pid).filter(isRunning), []);
    assert.equal(fs.existsSync(keptStateFile()), false);
    assert.equal(fs.existsSync(state.baseDir), false);
    assert.equal(await downKeptEnsemble(), undefined);
    assert.equal(await openKeptEnsemble(), undefined);
  });

  test('kept ensemble: a stale state file (dead pids) is removed', async () => {
    const stale = { version: 1, baseDir: path.join(stateDir, 'zkbench-ensemble-gone'), startedAt: '2020-01-01T00:00:00.000Z',
      connectString: '127.0.0.1:1', settings: SETTINGS, servers: [{ id: 1, host: '127.0.0.1', clientPort: 1, pid: 2 ** 22 + 12345, logFile: '/x' }] };
    fs.writeFileSync(keptStateFile(), JSON.stringify(stale));
    assert.equal((await keptEnsembleStatus()).up, false);
    assert.equal(await openKeptEnsemble(), undefined);
    assert.equal(fs.existsSync(keptStateFile()), false);
  });

  test('connectExistingEnsemble rejects an address nobody listens on', async () => {
    await assert.rejects(connectExistingEnsemble('127.0.0.1:1'), (err: Error) => {
      assert.ok(err instanceof UnreachableEnsembleError);
      assert.equal(err.name, 'UnreachableEnsembleError');
      assert.match(err.message, /127\.0\.0\.1:1\b/);
      assert.match(err.message, /docker compose up -d/);
      assert.match(err.message, /`npm run zkbench -- ensemble up`/);
      return true;
    });
    await assert.rejects(connectExistingEnsemble('127.0.0.1:2181:x'), /malformed server/);
  });
});
