// docker-compose.yml for real: the shipped file brought up on this machine's container engine with only
// the overrides the machine needs, zkbench measured against it with --connect, faults through the engine
// with --compose-project, and a restarted server rejoining under its id with its data.
//
// The overrides (docs/compose.md): ZK_IMAGE, the server image built here from Debian packages (no
// registry is reachable); ZK1_PORT..ZK3_PORT, free ports on 127.0.0.1 (2181-2183 may be taken by other
// runs); and the project's network on a subnet this test chooses in 10.232.0.0/16 (the daemon started
// here has no default bridge and writes no firewall rules). Everything made (containers, network,
// volumes, images, the daemon itself when it started it) is removed after, also on failure, and the
// engine's lists and the host's links and nftables tables are checked to be as they were.
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { fourLetterWord, parseConf, parseSrvr } from '../../src/ensemble/four-letter-words.ts';
import { openComposeEnsemble } from '../../src/ensemble/compose/ensemble.ts';
import { inspectContainers } from '../../src/ensemble/compose/project.ts';
import { freeLoopbackPorts } from '../../src/ensemble/free-ports.ts';
import { summaryRowsFrom, type SummaryRow } from '../../src/report/read-run.ts';
import { parseCsv } from '../../src/results/read-csv.ts';
import { num } from '../../src/results/summary-csv.ts';
import type { RunRecord } from '../../src/results/run-record.ts';
import { distributionMs, mergeEncoded } from '../../src/measure/histogram.ts';
import type { LockWorkerReport } from '../../src/measure/lock-recorder.ts';
import type { WorkerResult } from '../../src/workers/protocol.ts';
import { ZkSession } from '../../src/zk/session.ts';
import { startCli } from '../helpers/cli.ts';
import { readYaml } from '../helpers/deploy-schemas.ts';
import { buildLocalImages, docker, engineState, hostNetwork, leftovers, missingTools, REPO, useDaemon, type Daemon, type EngineState, type HostNetwork, type LocalImages } from '../helpers/docker.ts';

const execFileAsync = promisify(execFile);
const SERVICES = ['zoo1', 'zoo2', 'zoo3'];
/** Workers of the distributed profile (ZKBENCH_WORKERS). */
const WORKERS = 2;
const QUORUM_DEADLINE_MS = 180_000;
const log = (line: string) => console.log(`# compose: ${line}`);

/** A /24 in 10.232.0.0/16 no interface of this host is on. */
function freeSubnet(): string {
  const used = execFileSync('ip', ['-o', '-4', 'addr', 'show'], { encoding: 'utf8' });
  for (let i = 0; i < 256; i++) {
    const third = (process.pid + i) % 256;
    if (!used.includes(`10.232.${third}.`)) return `10.232.${third}.0/24`;
  }
  throw new Error('no free /24 in 10.232.0.0/16');
}

/** Each server's Mode, or undefined for one that does not answer with one. */
async function modes(addresses: readonly { host: string; port: number }[]): Promise<(string | undefined)[]> {
  return Promise.all(addresses.map((a) => fourLetterWord(a.host, a.port, 'srvr', 1000).then((t) => parseSrvr(t).mode, () => undefined)));
}

interface CliRunResult {
  dir: string;
  record: RunRecord;
  /** summary.csv's rows, read by the report, and as written (the censored column). */
  summary: SummaryRow[];
  csv: Record<string, string>[];
  code: number;
  output: string;
}

/** A figure of summary.csv: the scalar's value, or the distribution's row. */
function row(run: CliRunResult, recipe: string, metric: string): SummaryRow | undefined {
  return run.summary.find((r) => r.recipe === recipe && r.metric === metric);
}
const value = (run: CliRunResult, recipe: string, metric: string) => row(run, recipe, metric)?.value;

/** Runs the zkbench command line to completion (with this process's environment: DOCKER_HOST) and returns what it wrote. */
async function zkbench(args: string[], stateDir: string, resultsDir: string): Promise<CliRunResult> {
  const run = startCli(['bench', ...args, '--results-dir', resultsDir], stateDir);
  const code = await run.exited;
  const output = `${run.stdout}\n${run.stderr}`;
  const dirs = fs.readdirSync(resultsDir).map((d) => path.join(resultsDir, d));
  const newest = dirs.sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs)[0];
  assert.ok(newest && fs.existsSync(path.join(newest, 'run.json')), `zkbench ${args.join(' ')} wrote no run (exit ${code}):\n${output}`);
  return {
    dir: newest,
    record: JSON.parse(fs.readFileSync(path.join(newest, 'run.json'), 'utf8')) as RunRecord,
    summary: summaryRowsFrom(fs.readFileSync(path.join(newest, 'summary.csv'), 'utf8')),
    csv: parseCsv(fs.readFileSync(path.join(newest, 'summary.csv'), 'utf8')),
    code,
    output,
  };
}

describe('docker-compose.yml on a real container engine', () => {
  let daemon: Daemon | undefined;
  let images: LocalImages | undefined;
  let engineBefore: EngineState | undefined;
  let hostBefore: HostNetwork | undefined;
  const project = `zkbtest${process.pid}`;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'zkbench-compose-'));
  const stateDir = path.join(work, 'state');
  const resultsDir = path.join(work, 'results');
  fs.mkdirSync(resultsDir, { recursive: true });
  const savedDir = path.join(work, 'saved');
  const distributedResults = path.join(work, 'distributed-results');
  let composeEnv: NodeJS.ProcessEnv = {};
  let addresses: { host: string; port: number }[] = [];
  let connect = '';
  const compose = (args: string[], timeoutMs = 300_000) =>
    execFileAsync('docker-compose', ['--project-name', project, '--file', path.join(REPO, 'docker-compose.yml'), '--file', path.join(work, 'override.yml'), ...args], {
      env: composeEnv,
      cwd: REPO,
      timeout: timeoutMs,
      maxBuffer: 16 << 20,
    });

  before(async () => {
    const missing = missingTools();
    if (missing) throw new Error(`the compose tests cannot run here: ${missing}`);
    hostBefore = hostNetwork();
    daemon = await useDaemon();
    log(daemon.started ? `started dockerd (${daemon.env.DOCKER_HOST})` : 'using the running docker daemon');
    engineBefore = await engineState(daemon.env);
    images = await buildLocalImages(daemon.env, log);
    log(
      `root file system ${images.rootFs.built ? `made in ${(images.rootFs.ms / 1000).toFixed(0)} s (cold cache)` : 'from the cache'} (${images.rootFs.tarball}); ` +
        `base imported and server image built in ${(images.buildMs / 1000).toFixed(1)} s`,
    );
    // The zkbench image for the distributed profile builds meanwhile (the distributed test awaits it).
    void images.buildZkbench();
    const ports = await freeLoopbackPorts(3, '127.0.0.1');
    addresses = ports.map((port) => ({ host: '127.0.0.1', port }));
    connect = addresses.map((a) => `${a.host}:${a.port}`).join(',');
    const subnet = freeSubnet();
    fs.mkdirSync(savedDir, { mode: 0o777 });
    fs.chmodSync(savedDir, 0o777); // the workers run as the image's user
    fs.mkdirSync(distributedResults);
    // Only what this machine needs: the project's network on a subnet of ours (compose merges this into
    // the default network); for the distributed profile, the shipped commands with a shorter window and
    // the workers keeping what they send (--save-results, to check the merge against).
    const shipped = (readYaml(path.join(REPO, 'docker-compose.yml')) as { services: Record<string, { command: string[] }> }).services;
    const override = {
      networks: { default: { ipam: { config: [{ subnet }] } } },
      services: {
        worker: { command: [...shipped['worker']!.command, '--save-results', '/saved'], volumes: [`${savedDir}:/saved`] },
        coordinator: { command: [...shipped['coordinator']!.command, '--recipes', 'predecessor', '--clients', '10', '--duration-s', '3', '--warmup-s', '1'] },
      },
    };
    fs.writeFileSync(path.join(work, 'override.yml'), JSON.stringify(override, null, 2)); // JSON is YAML
    composeEnv = {
      ...daemon.env,
      ZK_IMAGE: images.zookeeper,
      ZK1_PORT: String(ports[0]),
      ZK2_PORT: String(ports[1]),
      ZK3_PORT: String(ports[2]),
      ZKBENCH_IMAGE: images.zkbench,
      ZKBENCH_WORKERS: String(WORKERS),
      ZKBENCH_RESULTS: distributedResults,
      ZKBENCH_UID: String(process.getuid!()),
      ZKBENCH_GID: String(process.getgid!()),
    };
    // zkbench (a child process) and the fault controller find the daemon through DOCKER_HOST.
    if (daemon.env.DOCKER_HOST) process.env.DOCKER_HOST = daemon.env.DOCKER_HOST;

    const t0 = performance.now();
    await compose(['up', '--detach', ...SERVICES]);
    const upMs = performance.now() - t0;
    for (;;) {
      const m = await modes(addresses);
      if (m.every((x) => x === 'leader' || x === 'follower') && m.filter((x) => x === 'leader').length === 1) break;
      if (performance.now() - t0 > QUORUM_DEADLINE_MS) throw new Error(`no quorum within ${QUORUM_DEADLINE_MS} ms: modes ${m.join(', ')}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    log(`time to quorum: ${((performance.now() - t0) / 1000).toFixed(1)} s from \`docker-compose up -d\` (which returned after ${(upMs / 1000).toFixed(1)} s), subnet ${subnet}, ports ${ports.join(', ')}`);
  });

  after(async () => {
    const problems: string[] = [];
    const attempt = async (what: string, step: () => Promise<unknown>) => {
      try {
        await step();
      } catch (err) {
        problems.push(`${what}: ${(err as Error).message}`);
      }
    };
    if (daemon) {
      if (addresses.length > 0) await attempt('docker-compose down', () => compose(['--profile', 'distributed', 'down', '--volumes', '--remove-orphans', '--timeout', '5']));
      await attempt('removing the images', async () => images?.remove());
      if (engineBefore) problems.push(...leftovers(engineBefore, await engineState(daemon.env), 'docker'));
      await attempt('stopping dockerd', () => daemon!.stop());
    }
    if (hostBefore) problems.push(...leftovers(hostBefore, hostNetwork(), 'host'));
    fs.rmSync(work, { recursive: true, force: true });
    assert.deepEqual(problems, [], 'everything the test made is gone and the host is as it was');
  });

  it('forms a quorum, and docker-compose.yml\'s healthcheck says healthy', async () => {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const out = await docker(composeEnv, ['ps', '--filter', `label=com.docker.compose.project=${project}`, '--format', '{{.Names}} {{.Status}}']);
      const lines = out.split('\n').filter(Boolean);
      if (lines.length === 3 && lines.every((l) => l.includes('(healthy)'))) break;
      if (Date.now() > deadline) assert.fail(`not all healthy within 60 s:\n${out}`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  });

  it('lock-contention and watch-fanout against it with --connect: figures, and the checker finds no violation', async () => {
    // Two recipes (one each of the herd and the queue kind) keep it short; the distributed test below runs another.
    const locks = await zkbench(['--workload', 'lock-contention', '--connect', connect, '--recipes', 'exclusive-node,predecessor', '--clients', '20', '--duration-s', '2', '--warmup-s', '1'], stateDir, resultsDir);
    assert.equal(locks.code, 0, locks.output);
    assert.equal(locks.record.ensemble.kind, 'external');
    assert.equal(locks.record.recipes.length, 2, locks.output);
    for (const r of locks.record.recipes) {
      assert.ok((value(locks, r.recipe, 'acquisitions') ?? 0) > 0, `${r.recipe}: acquisitions`);
      assert.ok((row(locks, r.recipe, 'acquire')?.count ?? 0) > 0, `${r.recipe}: acquire latency`);
      assert.equal(value(locks, r.recipe, 'violations'), 0, `${r.recipe}: violations`);
      assert.deepEqual(r.violations, [], `${r.recipe}: the checker`);
    }
    log(`lock-contention:\n${locks.output}`);

    const watches = await zkbench(['--workload', 'watch-fanout', '--connect', connect, '--watchers', '100', '--clients', '100', '--duration-s', '1', '--warmup-s', '1'], stateDir, resultsDir);
    assert.equal(watches.code, 0, watches.output);
    const points = watches.summary.filter((r) => r.metric === 'notifications');
    assert.equal(points.length, 3, `three watch styles at 100 watchers:\n${watches.output}`);
    for (const p of points) {
      const at = (metric: string) => watches.summary.find((r) => r.recipe === p.recipe && r.watchers === p.watchers && r.metric === metric)?.value;
      assert.ok((p.value ?? 0) > 0, `${p.recipe}@${p.watchers}: notifications`);
      assert.equal(at('missed'), 0, `${p.recipe}@${p.watchers}: missed`);
      assert.equal(at('anomalies'), 0, `${p.recipe}@${p.watchers}: anomalies`);
    }
  });

  it('the distributed profile: workers and a coordinator as services join one run through ZooKeeper; the run lands on the host', async () => {
    const built = await images!.buildZkbench();
    log(`zkbench image built in ${(built.ms / 1000).toFixed(1)} s (beside the runs before this test)`);
    await compose(['--profile', 'distributed', 'up', '--detach', 'worker']);
    try {
      const { stdout, stderr } = await compose(['--profile', 'distributed', 'run', '--rm', '-T', 'coordinator']);
      const inContainer = stdout.trim().split('\n').at(-1)!;
      assert.match(inContainer, /^\/results\/[^/]+$/, `the coordinator's last line is its run directory:\n${stdout}\n${stderr}`);
      const runDir = path.join(distributedResults, path.basename(inContainer));
      const record = JSON.parse(fs.readFileSync(path.join(runDir, 'run.json'), 'utf8')) as RunRecord & { workers: { name: string; host: string; state: string; clock?: { boundMs: number } }[]; partial?: boolean };
      assert.equal(record.outcome, 'completed');
      assert.notEqual(record.partial, true);
      assert.equal(record.ensemble.connectString, 'zoo1:2181,zoo2:2181,zoo3:2181');
      // One record per worker container (its hostname is the container's id), each with its clock against the coordinator's.
      const containers = (await docker(composeEnv, ['ps', '--filter', `label=com.docker.compose.project=${project}`, '--filter', 'label=com.docker.compose.service=worker', '--format', '{{.ID}}'])).split('\n').filter(Boolean);
      assert.equal(containers.length, WORKERS);
      assert.deepEqual(record.workers.map((w) => w.host).sort(), containers.sort());
      for (const w of record.workers) assert.ok(w.state === 'ok' && w.clock !== undefined && w.clock.boundMs > 0, JSON.stringify(w));
      // The merged figures are the exact merge of what each worker sent (and kept in /saved on the host).
      const sent = fs.readdirSync(savedDir).map((f) => JSON.parse(fs.readFileSync(path.join(savedDir, f), 'utf8')) as WorkerResult);
      assert.equal(sent.length, WORKERS, 'one result per worker');
      const reports = sent.map((r) => r.report as LockWorkerReport);
      const perWorker = reports.map((r) => mergeEncoded([r.acquire]).totalCount);
      assert.ok(perWorker.every((n) => n > 0), `every worker measured acquisitions: ${perWorker.join(', ')}`);
      const rows = parseCsv(fs.readFileSync(path.join(runDir, 'summary.csv'), 'utf8'));
      const at = (metric: string) => rows.find((r) => r['recipe'] === 'predecessor' && r['metric'] === metric)!;
      assert.equal(Number(at('acquire')['count']), perWorker.reduce((a, b) => a + b, 0), 'the counts add up exactly');
      const merged = distributionMs(mergeEncoded(reports.map((r) => r.acquire)))!;
      for (const stat of ['p50', 'p99', 'max'] as const) assert.equal(at('acquire')[stat], num(merged[stat]), `acquire ${stat} is the merged histogram's`);
      assert.equal(at('violations')['value'], '0');
      log(`distributed: ${record.workers.map((w) => w.name).join(', ')}; acquisitions ${perWorker.join(' + ')}; ${runDir}`);
    } finally {
      await compose(['--profile', 'distributed', 'rm', '--stop', '--force', 'worker']);
    }
  });

  // On the project's bridge a killed container's address vanishes, so the survivors' connection attempts
  // to it hang (no refusal) and their election takes ~12 s here (docs/compose.md), longer than the
  // shipped kill-to-restart gap of 10 s: the kill's restart comes later, so the sessions have successes
  // to measure before it. The faults come sooner than shipped (the window is shorter); the pause still
  // outlasts syncLimit x tickTime (10 s), so the followers elect another leader.
  const schedules: Record<string, string[]> = {
    'failover-leader-kill': ['--faults', JSON.stringify([{ at: '4s', action: 'kill', target: 'leader' }, { at: '20s', action: 'restart', target: 'previous' }]), '--duration-s', '22'],
    'failover-leader-pause': ['--faults', JSON.stringify([{ at: '4s', action: 'pause', target: 'leader' }, { at: '16s', action: 'resume', target: 'previous' }]), '--duration-s', '18'],
  };
  for (const [workload, schedule] of Object.entries(schedules)) {
    it(`${workload} through docker (--compose-project): no lost write, election and unavailability figures`, async () => {
      const since = new Date();
      const run = await zkbench(['--workload', workload, '--compose-project', project, '--clients', '10', ...schedule], stateDir, resultsDir);
      try {
        checkFailover(run, workload);
      } catch (err) {
        // What the servers said (docker logs), for whoever reads a failure.
        for (const s of SERVICES) {
          const out = await docker(composeEnv, ['logs', '--since', since.toISOString(), `${project}_${s}_1`]).catch((e: Error) => e.message);
          log(`${s} logged during the run:\n${out.split('\n').filter((l) => !/ INFO /.test(l) || /Peer state|LEADER ELECTION|Disconnected/.test(l)).slice(-60).join('\n')}`);
        }
        throw err;
      }
    });
  }

  function checkFailover(run: CliRunResult, workload: string): void {
    assert.equal(run.code, 0, run.output);
    assert.equal(run.record.ensemble.kind, 'compose');
    const recipe = run.record.recipes[0]!.recipe;
    assert.equal(value(run, recipe, 'lost_writes'), 0, run.output);
    assert.ok((value(run, recipe, 'acknowledged_writes') ?? 0) > 0, 'the writers wrote');
    const fault = run.record.faults!.find((f) => f.entry === 1)!;
    assert.equal(fault.role, 'leader');
    assert.ok(fault.election?.toLeaderMs !== undefined && fault.election.changed, `a new leader was seen: ${JSON.stringify(fault)}`);
    assert.ok(fault.election.toWriteMs !== undefined, 'a write was accepted after it');
    // Every session's unavailability: measured, or censored (summary.csv's censored column, or the run's
    // note) when it had no success before the run stopped: after a 16 s pause sessions can expire, on the
    // embedded ensemble too.
    const unavailable = row(run, recipe, 'unavailable.1');
    const censored = Number(run.csv.find((r) => r['recipe'] === recipe && r['metric'] === 'unavailable.1')?.['censored'] || 0);
    const saidCensored = /fault 1 \(.*\): \d+ session\(s\) had no success after it before the run stopped/.test(run.output);
    assert.ok(unavailable !== undefined && ((unavailable.count ?? 0) + censored > 0 || saidCensored), `unavailability per session:\n${run.output}`);
    assert.match(fault.note ?? '', workload.endsWith('pause') ? /docker pause .* checked: it answered no srvr/ : /docker kill/);
    // run.json's summary of the servers' own logs: warnings from docker logs, GC pauses from the GC log
    // docker-compose.yml's JVMFLAGS write in each container (docker exec); nothing missing.
    const logs = (run.record as unknown as { serverLogs: { available: boolean; servers: { id: number; warnings: number | null; gcPauses: number | null; missing: string[] }[] } }).serverLogs;
    assert.equal(logs.available, true, 'the servers\' own logs, from docker logs');
    assert.equal(logs.servers.length, 3);
    for (const l of logs.servers) assert.ok(l.warnings !== null && l.gcPauses !== null && l.missing.length === 0, `server ${l.id}: warnings and GC log read: ${JSON.stringify(l)}`);
    assert.doesNotMatch(run.output, /server GC pauses: not measured/);
    // What it could not get is in run.json: the servers' maximum latency (zkbench never resets a compose server's statistics).
    const absent = (run.record as unknown as { notMeasured: { figure: string; reason: string }[] }).notMeasured;
    assert.ok(absent.some((a) => a.figure === 'server_latency_max'), `run.json notMeasured: ${JSON.stringify(absent)}`);
    log(
      `${workload}: new leader after ${fault.election.toLeaderMs!.toFixed(0)} ms, first write after ${fault.election.toWriteMs!.toFixed(0)} ms, ` +
        `unavailable p50 ${unavailable.p50} ms max ${unavailable.max} ms (${unavailable.count} sessions, ${censored} censored); ${fault.note}\n${run.output}`,
    );
  }

  /** timeline.csv's event rows (faults, pauses, sessions, server warnings from docker logs). */
  const events = (runDir: string): string[] =>
    parseCsv(fs.readFileSync(path.join(runDir, 'timeline.csv'), 'utf8'))
      .map((r) => r['event'] ?? '')
      .filter(Boolean);

  it('lock-failover through docker: a follower taken off the network and back, a paused holder; fencing holds', async () => {
    const faults = [{ at: '1s', action: 'isolate', target: 'follower', from: 'all' }, { at: '3s', action: 'heal', target: 'previous' }];
    // Shorter than shipped: sessions of 4 s (the least the servers' tickTime of 2 s allows), the holder
    // paused 5 s after the heal (a disruption's recovery is looked for until the next one).
    const shorter = ['--session-timeout-ms', '4000', '--pause-holder-at-s', '5', '--pause-ms', '5000', '--duration-s', '11'];
    const run = await zkbench(['--workload', 'lock-failover', '--compose-project', project, '--recipes', 'predecessor', ...shorter, '--faults', JSON.stringify(faults)], stateDir, resultsDir);
    assert.equal(run.code, 0, run.output);
    assert.equal(run.record.ensemble.kind, 'compose');
    const [cut, healed] = run.record.faults!;
    assert.deepEqual([cut?.action, cut?.role, healed?.action], ['isolate', 'follower', 'heal'], JSON.stringify(run.record.faults));
    assert.match(cut!.note ?? '', /docker network disconnect/);
    assert.match(healed!.note ?? '', /docker network connect/);
    // The same figures as on embedded servers: recovery from the fault and from the holder's pause
    // (measured, or censored with a lower bound), the guard refusing a stale holder's write.
    // (A censored case is in the count, at its lower bound.)
    for (const kind of ['recovery.fault', 'recovery.pause']) assert.equal(row(run, 'predecessor', kind)?.count, 1, `${kind}: one case\n${run.output}`);
    assert.equal(value(run, 'predecessor', 'holders_paused'), 1);
    assert.equal(value(run, 'predecessor', 'stale_writes'), 0, 'fencing: no stale holder\'s write got through');
    // The timeline carries the faults as on embedded servers.
    const timeline = events(run.dir);
    assert.ok(timeline.some((e) => /^fault: isolate server \d from all \(follower\)/.test(e)) && timeline.some((e) => /^fault: heal server/.test(e)), timeline.join('\n'));
    assert.ok(timeline.some((e) => /^pause: holder/.test(e)), timeline.join('\n'));
    // Back on the network, it serves again.
    const back = (await modes(addresses)).filter((m) => m === 'leader' || m === 'follower').length;
    assert.equal(back, 3, 'every server serves again after the heal');
  });

  it('election-failover through docker: a follower killed and restarted under the application leader\'s crash', async () => {
    const faults = [{ at: '2s', action: 'kill', target: 'follower' }, { at: '5s', action: 'restart', target: 'previous' }];
    // One crash (a load process SIGKILLed) over 12 s; sessions of 4 s, the least the compose servers'
    // tickTime of 2 s allows.
    const failures = ['--leader-closes', '0', '--leader-crashes', '1', '--leader-pauses', '0', '--session-timeout-ms', '4000', '--duration-s', '12'];
    const run = await zkbench(['--workload', 'election-failover', '--compose-project', project, '--recipes', 'predecessor-election', ...failures, '--faults', JSON.stringify(faults)], stateDir, resultsDir);
    assert.equal(run.code, 0, run.output);
    assert.equal(run.record.ensemble.kind, 'compose');
    const [killed, restarted] = run.record.faults!;
    assert.deepEqual([killed?.action, killed?.role, restarted?.action, restarted?.server], ['kill', 'follower', 'restart', killed?.server], JSON.stringify(run.record.faults));
    assert.match(killed!.note ?? '', /docker kill/);
    assert.match(restarted!.note ?? '', /docker start/);
    assert.equal(value(run, 'predecessor-election', 'failures'), 1);
    assert.equal(value(run, 'predecessor-election', 'unrecovered'), 0);
    assert.equal(row(run, 'predecessor-election', 'recovery.crash')?.count, 1, run.output);
    const timeline = events(run.dir);
    assert.ok(timeline.some((e) => /^fault: kill server \d \(follower\)/.test(e)) && timeline.some((e) => /^fault: restart server/.test(e)), timeline.join('\n'));
  });

  it('a restarted server container rejoins under its ZOO_MY_ID with its data', async () => {
    const ensemble = await openComposeEnsemble(project);
    const follower = (await Promise.all(ensemble.control.servers.map(async (s) => ({ s, mode: parseSrvr(await fourLetterWord(s.host, s.clientPort, 'srvr')).mode })))).find(
      (x) => x.mode === 'follower',
    )!.s;
    const only = `${follower.host}:${follower.clientPort}`;
    const session = await ZkSession.open({ connect: connect, sessionTimeoutMs: 10_000 });
    const node = `/compose-rejoin-${process.pid}`;
    try {
      await session.create(node, 'before the restart');
    } finally {
      session.close();
    }
    const myid = async () => (await docker(composeEnv, ['exec', follower.container, 'cat', '/data/myid'])).trim();
    const logFiles = async () => (await docker(composeEnv, ['exec', follower.container, 'ls', '/datalog/version-2'])).split('\n').filter((f) => f.startsWith('log.'));
    const before = { myid: await myid(), pid: follower.pid, logs: await logFiles() };
    assert.ok(before.logs.length > 0, 'it has a transaction log before the restart');
    await docker(composeEnv, ['restart', '--time', '5', follower.container]);
    const deadline = Date.now() + 60_000;
    let mode: string | undefined;
    while ((mode = (await modes([{ host: follower.host, port: follower.clientPort }]))[0]) === undefined) {
      assert.ok(Date.now() < deadline, 'the restarted server serves again within 60 s');
      await new Promise((r) => setTimeout(r, 200));
    }
    const [restarted] = await inspectContainers([follower.container]);
    assert.notEqual(restarted!.State.Pid, before.pid, 'a new process');
    assert.equal(await myid(), before.myid, 'the same myid file');
    assert.equal(before.myid, String(follower.id));
    assert.equal(parseConf(await fourLetterWord(follower.host, follower.clientPort, 'conf')).serverId, String(follower.id), 'it serves under the same id');
    // Read through the restarted server alone: the node written before is there (its data, or synced from the leader).
    const direct = await ZkSession.open({ connect: only, sessionTimeoutMs: 10_000 });
    try {
      await direct.sync(node);
      assert.equal((await direct.get(node)).data.toString(), 'before the restart');
      await direct.delete(node);
    } finally {
      direct.close();
    }
    // Its transaction logs from before the restart are still in its volume.
    const logsAfter = await logFiles();
    for (const f of before.logs) assert.ok(logsAfter.includes(f), `${f} survived the restart (now: ${logsAfter.join(', ')})`);
    log(`server ${follower.id} (${follower.container}) restarted and rejoined as ${mode}, myid ${before.myid}`);
  });

  // (nft lists iptables' tables too here: iptables is nft-backed.)
  it('the clean-up check sees a container, network, volume or firewall table left behind', async () => {
    const name = `zkbtest${process.pid}left`;
    const engine = await engineState(composeEnv);
    const host = hostNetwork();
    await docker(composeEnv, ['volume', 'create', name]);
    await docker(composeEnv, ['network', 'create', '--internal', name]);
    await docker(composeEnv, ['create', '--name', name, '--network', 'none', images!.zookeeper, 'true']);
    execFileSync('nft', ['add', 'table', 'inet', name]);
    try {
      const left = [...leftovers(engine, await engineState(composeEnv), 'docker'), ...leftovers(host, hostNetwork(), 'host')].join('\n');
      for (const kind of ['docker containers', 'docker networks', 'docker volumes', 'host nftTables']) assert.match(left, new RegExp(`${kind}: left over \\[.*${name}`), left);
    } finally {
      await docker(composeEnv, ['rm', '--force', '--volumes', name]).catch(() => undefined); // and the image's anonymous volumes
      await docker(composeEnv, ['network', 'rm', name]).catch(() => undefined);
      await docker(composeEnv, ['volume', 'rm', name]).catch(() => undefined);
      execFileSync('nft', ['delete', 'table', 'inet', name]);
    }
    assert.deepEqual([...leftovers(engine, await engineState(composeEnv), 'docker'), ...leftovers(host, hostNetwork(), 'host')], [], 'and nothing once they are gone');
  });
});
