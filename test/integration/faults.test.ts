// Faults done to real ensembles: the workload's schedule run by the runner (kill the leader, restart it:
// a new leader, the election figures, events in timeline.csv and run.json; pause and resume), an
// isolation by nftables (a follower leaves the quorum, srvr says so, and rejoins after heal), a kept
// ensemble's killed server restarted under the same id, --connect refused before anything runs, and
// Ctrl-C in the middle of a fault leaving no JVM, no stopped process and no nftables table behind.
// Asserts what must follow from the faults, never how fast.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { zkbenchTables } from '../../src/ensemble/faults/nftables.ts';
import { FaultInjector } from '../../src/ensemble/faults/injector.ts';
import { downKeptEnsemble, fourLetterWord, keptEnsembleStatus, parseSrvr, startEmbeddedEnsemble, upKeptEnsemble, DEFAULT_ENSEMBLE_SETTINGS, type EmbeddedEnsemble } from '../../src/ensemble/index.ts';
import { isRunning, processState } from '../../src/ensemble/proc-stat.ts';
import { RunClock } from '../../src/measure/clock.ts';
import { leaderPollCounts } from '../../src/measure/leader-polls.ts';
import { findMetric } from '../../src/measure/metrics.ts';
import { timelineRowsFrom } from '../../src/report/read-run.ts';
import type { BenchOutcome } from '../../src/runner/bench-run.ts';
import { bench } from '../helpers/bench.ts';
import { exitOf, startCli, waitForOutput } from '../helpers/cli.ts';
import { pollUntil } from '../helpers/wait.ts';

// A private state dir: a kept ensemble somebody else keeps on this machine must not be faulted here.
const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zkbench-faults-state-'));
process.env.ZKBENCH_STATE_DIR = stateDir;
const resultsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zkbench-faults-results-'));
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

// Lower bounds of an election, from ZooKeeper's protocol and the ensemble's settings (never upper bounds:
// a busy host only makes an election slower):
//  - a server decides who leads only after no other vote came for finalizeWait (FastLeaderElection, 200
//    ms), and a leader answers srvr and takes writes only after that decision;
//  - a follower gives up on a silent leader after syncLimit ticks without a packet (its socket timeout);
//    the leader pings every half tick, so at least syncLimit - 1/2 ticks after the leader fell silent.
const FINALIZE_WAIT_MS = 200;
const SYNC_LIMIT_TICKS = 5; // the embedded servers' syncLimit (src/ensemble/embedded.ts)

/**
 * The run's election figures checked against run.json's faults: one sample per fault that changed the
 * leader, whose values are the faults' toLeaderMs and toWriteMs (to the histogram's precision).
 */
function assertElectionFigures(outcome: BenchOutcome): void {
  const changed = outcome.record.faults!.filter((f) => f.election?.changed === true).map((f) => f.election!);
  assert.ok(changed.length > 0, 'a fault changed the leader');
  for (const [name, of] of [['election_to_leader', 'toLeaderMs'], ['election_to_write', 'toWriteMs']] as const) {
    const m = findMetric(outcome.record.recipes[0]!.metrics, name);
    assert.ok(m?.kind === 'distribution', `${name} is a distribution`);
    assert.equal(m.histogram.totalCount, changed.length, `${name}: one sample per election in run.json`);
    const max = Math.max(...changed.map((e) => e[of]!));
    const recordedMs = m.histogram.maxValue / 1000;
    assert.ok(Math.abs(recordedMs - max) <= max * 0.002 + 0.01, `${name} max ${recordedMs} ms, run.json ${of} ${max} ms`);
  }
}

function run(overrides: Record<string, unknown>, log: (line: string) => void = () => undefined): Promise<BenchOutcome> {
  return bench('throughput', undefined, { recipes: 'set', clients: 4, warmup_s: 0.5, replace_thresholds: '{}', ...overrides }, { resultsDir, log });
}

const faults = (...entries: object[]): string => JSON.stringify(entries);

async function srvrMode(host: string, port: number): Promise<string> {
  try {
    return parseSrvr(await fourLetterWord(host, port, 'srvr', 1000)).mode ?? 'not serving';
  } catch {
    return 'no answer';
  }
}

/** This process's descendants (pid, state, command), from ps. */
function descendants(root: number): { pid: number; stat: string; args: string }[] {
  const rows = execFileSync('ps', ['-eo', 'pid=,ppid=,stat=,args='], { encoding: 'utf8' })
    .split('\n')
    .map((l) => /^\s*(\d+)\s+(\d+)\s+(\S+)\s+(.*)$/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ pid: Number(m[1]), ppid: Number(m[2]), stat: m[3]!, args: m[4]! }));
  const out: { pid: number; stat: string; args: string }[] = [];
  const walk = (p: number): void => {
    for (const r of rows.filter((x) => x.ppid === p)) {
      out.push(r);
      walk(r.pid);
    }
  };
  walk(root);
  return out;
}

describe('faults on real ensembles', { concurrency: 1 }, () => {
  after(async () => {
    await downKeptEnsemble().catch(() => undefined);
    fs.rmSync(stateDir, { recursive: true, force: true });
    fs.rmSync(resultsDir, { recursive: true, force: true });
  });

  it('kill the leader, restart it: a new leader, the election figures, the faults in timeline.csv and run.json', async () => {
    const logged: string[] = [];
    const outcome = await run(
      { duration_s: 6, faults: faults({ at: '2s', action: 'kill', target: 'leader' }, { at: '4s', action: 'restart', target: 'previous' }) },
      (l) => void logged.push(l),
    );
    const [kill, restart, ...restored] = outcome.record.faults!;
    assert.deepEqual(restored, [], 'nothing left to restore: the schedule restarted what it killed');
    assert.equal(kill!.action, 'kill');
    assert.equal(kill!.role, 'leader');
    assert.equal(kill!.entry, 1);
    assert.equal(isRunning(kill!.pid!), false, 'the killed JVM is gone');
    assert.equal(restart!.action, 'restart');
    assert.equal(restart!.server, kill!.server, 'previous: the same server');
    assert.equal(restart!.role, 'killed');
    assert.notEqual(restart!.pid, kill!.pid, 'a new process');
    assert.ok(restart!.atNs! > kill!.atNs!);
    const election = kill!.election!;
    assert.equal(election.changed, true);
    assert.ok(election.leader !== undefined && election.leader !== kill!.server, `another server leads: ${JSON.stringify(election)}`);
    // Measured from just before the SIGKILL: the survivors' election alone takes finalizeWait.
    assert.ok(election.toLeaderMs! >= FINALIZE_WAIT_MS, `a leader ${election.toLeaderMs} ms after the kill: ${JSON.stringify(election)}`);
    assert.ok(election.toWriteMs! >= FINALIZE_WAIT_MS, `a write ${election.toWriteMs} ms after the kill: ${JSON.stringify(election)}`);
    assert.ok(logged.some((l) => l.includes(`kill server ${kill!.server} (leader, pid ${kill!.pid})`)), logged.join('\n'));

    assertElectionFigures(outcome);
    const summary = fs.readFileSync(path.join(outcome.runDir!, 'summary.csv'), 'utf8');
    assert.match(summary, /^throughput,set,election_to_leader,ms,,1,/m);

    const rows = timelineRowsFrom(fs.readFileSync(path.join(outcome.runDir!, 'timeline.csv'), 'utf8'));
    const at = (text: string) => rows.find((r) => r.event === text);
    const killRow = at(`fault: kill server ${kill!.server} (leader)`);
    const electionRow = at(`election: server ${election.leader} leads`);
    const restartRow = at(`fault: restart server ${kill!.server} (killed)`);
    assert.ok(killRow && electionRow && restartRow, rows.filter((r) => r.event !== '').map((r) => `${r.tMs} ${r.event}`).join('\n'));
    assert.equal(killRow.tMs, Math.floor(kill!.atNs! / 1e6));
    // The kill comes before the election it caused and the restart scheduled after it; whether the election
    // was seen before the restart 2 s later is the host's speed, not an order that must hold.
    assert.ok(killRow.tMs <= electionRow.tMs && killRow.tMs <= restartRow.tMs, `kill ${killRow.tMs}, election ${electionRow.tMs}, restart ${restartRow.tMs} ms`);
    assert.equal(killRow.phase, 'measured');
    const intervals = rows.filter((r) => r.ops !== undefined);
    assert.equal(intervals.filter((r) => r.tMs < killRow.tMs - 100).at(-1)?.leader, String(kill!.server), 'the old leader before the kill');
    assert.equal(intervals.filter((r) => r.tMs > electionRow.tMs).at(0)?.leader, String(election.leader), 'the new leader from the election on');

    const json = JSON.parse(fs.readFileSync(path.join(outcome.runDir!, 'run.json'), 'utf8'));
    assert.deepEqual(
      json.faults.map((f: { action: string; target: string; server: number }) => [f.action, f.target, f.server]),
      [['kill', 'leader', kill!.server], ['restart', 'previous', kill!.server]],
    );
    assert.equal(json.faults[0].atMs, kill!.atNs! / 1e6);
    assert.equal(json.faults[0].scheduledMs, 2000);
    assert.ok(json.faults[0].tookMs >= 0 && json.faults[1].tookMs >= 0);
    // The write probe's attempts up to the first write: each one before it failed, and says why.
    const probe = json.faults[0].election.writeProbe;
    assert.ok(probe.attempts >= 1 && probe.failed === probe.attempts - 1, JSON.stringify(probe));
    assert.equal(Object.values(probe.byError as Record<string, number>).reduce((a, b) => a + b, 0), probe.failed, JSON.stringify(probe));
    if (probe.failed > 0) assert.match(probe.lastError, /^server \d: /);
    // Every leader poll is a leader, an answer with none, or a failed poll: nothing is folded into another.
    const polls = json.recipes[0].leaderPolls;
    assert.ok(polls.polls > 0 && polls.polls === polls.withLeader + polls.noLeader + polls.errors, JSON.stringify(polls));
    assert.deepEqual(zkbenchTables(), [], 'no nftables table (none was needed)');
  });

  it('pause the leader longer than the followers wait, resume it: they elect another; it comes back as a follower', async () => {
    // tickTime 200 ms: the followers give up on a silent leader after syncLimit (5) ticks, 1 s.
    const tickMs = 200;
    const outcome = await run({
      duration_s: 6,
      tick_time_ms: tickMs,
      session_timeout_ms: 4000,
      faults: faults({ at: '1.5s', action: 'pause', target: 'leader' }, { at: '4s', action: 'resume', target: 'previous' }),
    });
    const [pause, resume] = outcome.record.faults!;
    assert.equal(pause!.role, 'leader');
    assert.equal(resume!.server, pause!.server);
    assert.equal(resume!.role, 'paused');
    assert.equal(pause!.election?.changed, true, JSON.stringify(pause!.election));
    assert.notEqual(pause!.election?.leader, pause!.server);
    assert.equal(resume!.pid, pause!.pid, 'the same process, stopped and continued');
    assert.equal(outcome.record.faults!.length, 2, 'nothing left paused for the restore');
    // Measured from just before the SIGSTOP: nobody else leads before the followers have given up on it.
    const patienceMs = (SYNC_LIMIT_TICKS - 0.5) * tickMs;
    assert.ok(pause!.election!.toLeaderMs! >= patienceMs, `a leader ${pause!.election!.toLeaderMs} ms after the pause, before the followers' patience (${patienceMs} ms)`);
    assert.ok(pause!.election!.toWriteMs! >= patienceMs, `a write ${pause!.election!.toWriteMs} ms after the pause, before the followers' patience (${patienceMs} ms)`);
    assertElectionFigures(outcome);
    // A paused leader answers no poll: a poll answered while nobody led (from the pause to the new leader)
    // failed (leader unknown), it is not "no leader". Whether a poll lands in that second depends on the
    // host's pace (one a second), so the relation is checked on the polls that did.
    const samples = outcome.record.recipes[0]!.timeline!.leaders;
    const leaderless = samples.filter((p) => !p.observed && p.atNs > pause!.atNs! && p.atNs < pause!.atNs! + pause!.election!.toLeaderMs! * 1e6 && p.leader !== pause!.server);
    for (const p of leaderless) {
      assert.equal(p.leader, undefined, JSON.stringify(p));
      assert.ok(p.error?.includes(`server ${pause!.server}: `), `a poll while nobody led failed naming the paused server: ${JSON.stringify(p)}`);
    }
    const polls = leaderPollCounts(samples);
    assert.equal(polls.noLeader, 0, JSON.stringify(polls));
    const rows = timelineRowsFrom(fs.readFileSync(path.join(outcome.runDir!, 'timeline.csv'), 'utf8'));
    assert.equal(rows.filter((r) => r.event.startsWith('leader poll failed: ')).length > 0, polls.errors > 0, 'the failed polls are marked on the timeline');
  });

  it('isolate a follower from the other servers: it leaves the quorum (srvr says so) and rejoins after heal', async () => {
    const ensemble: EmbeddedEnsemble = await startEmbeddedEnsemble({ ...DEFAULT_ENSEMBLE_SETTINGS, tickTimeMs: 200, heapMb: 128 });
    let injector: FaultInjector | undefined;
    try {
      injector = await FaultInjector.open(ensemble, new RunClock(process.hrtime.bigint()), true);
      const leader = (await ensemble.leader())!.id;
      const follower = ensemble.servers.find((s) => s.id !== leader)!;
      const others = ensemble.servers.filter((s) => s.id !== follower.id);
      await injector.apply('isolate', follower.id, { from: 'servers' });
      assert.equal(zkbenchTables().length, 1, 'the run\'s table');
      await pollUntil(`server ${follower.id} leaving the quorum`, () => srvrMode(follower.host, follower.clientPort), (m) => m === 'not serving');
      // It still answers (its clients are not cut off), and the others keep their quorum.
      assert.deepEqual((await Promise.all(others.map((s) => srvrMode(s.host, s.clientPort)))).sort(), ['follower', 'leader']);
      await injector.apply('heal', follower.id);
      await pollUntil(`server ${follower.id} rejoining`, () => srvrMode(follower.host, follower.clientPort), (m) => m === 'follower');

      // from: all cuts its clients off too: srvr from here gets no answer.
      await injector.apply('isolate', follower.id, { from: 'all' });
      assert.equal(await srvrMode(follower.host, follower.clientPort), 'no answer');
    } finally {
      await injector?.close();
      await ensemble.close();
    }
    assert.deepEqual(zkbenchTables(), [], 'close() removed the table');
  });

  it('a kept ensemble: the killed server is restarted under the same id, and the state file knows its new pid', async () => {
    await upKeptEnsemble({ ...DEFAULT_ENSEMBLE_SETTINGS, tickTimeMs: 200, heapMb: 128, maxSessionTimeoutMs: 20_000 });
    const outcome = await run({ duration_s: 3, tick_time_ms: 200, session_timeout_ms: 4000, faults: faults({ at: '1s', action: 'kill', target: 'follower' }) });
    assert.equal(outcome.record.ensemble.kind, 'kept');
    const [kill, restore] = outcome.record.faults!;
    assert.equal(kill!.role, 'follower');
    assert.equal(kill!.election, undefined, 'a follower kill elects nobody');
    assert.deepEqual([restore!.action, restore!.target, restore!.server], ['restart', 'restore', kill!.server], 'a kept ensemble is left whole');
    const status = await keptEnsembleStatus();
    const restarted = status.servers.find((s) => s.id === kill!.server)!;
    assert.equal(restarted.pid, restore!.pid);
    assert.notEqual(restarted.pid, kill!.pid);
    assert.ok(status.servers.every((s) => s.alive && s.mode !== undefined), JSON.stringify(status.servers));
    const down = await downKeptEnsemble();
    assert.ok(down);
    assert.deepEqual(down.servers.map((s) => s.pid).filter(isRunning), [], 'down stops the restarted server too');
  });

  it('refuses faults against --connect before anything runs (exit 2, saying why)', async () => {
    const results = path.join(resultsDir, 'connect');
    const cli = startCli(['bench', '--workload', 'throughput', '--connect', '127.0.0.1:1', '--faults', faults({ at: '1s', action: 'kill', target: 'leader' }), '--results-dir', results], stateDir);
    assert.equal(await exitOf(cli), 2, cli.stderr);
    assert.match(cli.stderr, /--connect: workload "throughput" has faults \(field "faults"\), and zkbench kills, pauses and cuts off only servers it runs on this host/);
    assert.equal(fs.existsSync(results), false, 'nothing was written');
  });

  it('Ctrl-C mid-fault (a server paused, another cut off): no JVM, no stopped process, no nftables table left; the run says "fault active"', async () => {
    const cli = startCli(
      [
        'bench', '--workload', 'throughput', '--recipes', 'set', '--clients', '4', '--duration-s', '60', '--warmup-s', '0', '--replace-thresholds', '{}',
        '--faults', faults({ at: '1s', action: 'pause', target: 'server:2' }, { at: '1.5s', action: 'isolate', target: 'server:3', from: 'all' }, { at: '50s', action: 'resume', target: 'server:2' }),
        '--results-dir', path.join(resultsDir, 'ctrl-c'),
      ],
      stateDir,
    );
    let servers: { pid: number; stat: string }[] = [];
    let code: number;
    try {
      await waitForOutput(cli, /isolate server 3 from all/, 90_000);
      servers = descendants(cli.child.pid!).filter((p) => p.args.includes('QuorumPeerMain') && !p.args.startsWith('sh '));
      assert.equal(servers.length, 3, JSON.stringify(servers));
      assert.equal(processState(servers.find((s) => s.stat.startsWith('T'))?.pid ?? -1), 'T', 'server 2 is stopped');
      assert.ok(zkbenchTables().some((t) => t.startsWith(`zkbench_${cli.child.pid}_`)), 'the isolation is in place');
      process.kill(-cli.child.pid!, 'SIGINT'); // the whole group, as a terminal's Ctrl-C does
      code = await Promise.race([cli.exited, sleep(60_000).then(() => -1)]);
    } finally {
      if (cli.child.exitCode === null) process.kill(-cli.child.pid!, 'SIGKILL');
    }
    assert.equal(code, 130, cli.stderr);
    assert.match(cli.stderr, /restoring the ensemble: resume server 2, took/, 'the paused server resumed before the servers stop');
    assert.match(cli.stderr, /restoring the ensemble: heal server 3, took/, 'the isolation healed before the servers stop');
    const left = servers.filter((s) => isRunning(s.pid));
    for (const s of left) process.kill(s.pid, 'SIGKILL');
    assert.deepEqual(left, [], 'every server of the run stopped');
    assert.deepEqual(zkbenchTables().filter((t) => t.startsWith(`zkbench_${cli.child.pid}_`)), [], 'the nftables table removed');
    // The run directory says the run was interrupted while a fault was in effect.
    const written = fs.readdirSync(path.join(resultsDir, 'ctrl-c'));
    assert.equal(written.length, 1, written.join(', '));
    const record = JSON.parse(fs.readFileSync(path.join(resultsDir, 'ctrl-c', written[0]!, 'run.json'), 'utf8')) as { outcome: string; interruptedAt?: string };
    assert.deepEqual([record.outcome, record.interruptedAt], ['interrupted', 'fault active']);
  });
});
