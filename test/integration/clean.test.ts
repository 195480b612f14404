// `zkbench clean` beside a live run. Run A (its own embedded ensemble) is killed with SIGKILL mid-window:
// its servers and load processes stop by themselves, its temporary directory stays. Run B (--connect to
// this file's ensemble) is live throughout. On the ensemble lies the namespace of a run that is gone, and
// nodes that are not zkbench's runs; beside them, a driver's working directory and an unfinished run
// directory of A's. `clean --dry-run` lists A's leftovers and the dead namespace and removes nothing;
// `clean --connect` removes exactly those, naming them, and leaves B (its namespace, its .live marker, the
// run directory it is writing) and everything else alone; B then completes.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { ownerTag, processStartTicks, writeOwner } from '../../src/process/run-owner.ts';
import { ZkSession } from '../../src/zk/session.ts';
import { ensurePath } from '../../src/zk/tree.ts';
import { exitOf, serverPids, startCli, tempDir, waitForOutput, type CliRun } from '../helpers/cli.ts';
import { sharedEnsemble } from '../helpers/ensemble.ts';
import { suiteProcesses } from '../helpers/leftovers.ts';
import { pollUntil } from '../helpers/wait.ts';

const scratch = tempDir('zkbench-clean-');
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

const DEAD_NS = '/zkbench/20260101T000000Z-lock-contention-abcdef';

/** Starts zkbench with ZKBENCH_SUITE_ID set to `tag`, so its processes (load processes included) can be found by it. */
function startTagged(args: string[], state: string, tag: string): CliRun {
  const saved = process.env['ZKBENCH_SUITE_ID'];
  process.env['ZKBENCH_SUITE_ID'] = tag;
  try {
    return startCli(args, state);
  } finally {
    if (saved === undefined) delete process.env['ZKBENCH_SUITE_ID'];
    else process.env['ZKBENCH_SUITE_ID'] = saved;
  }
}

describe('zkbench clean', () => {
  const ensemble = sharedEnsemble({ servers: 1, maxSessionTimeoutMs: 8000 });

  it('removes what a SIGKILLed run and a dead namespace left, names it, and touches nothing live or foreign', async (t) => {
    const state = path.join(scratch, 'state');
    const tmp = path.join(state, 'tmp');
    const results = path.join(scratch, 'results');
    const connect = ensemble().connectString;
    const admin = await ZkSession.open({ connect, sessionTimeoutMs: 8000 });
    t.after(() => admin.close());
    await ensurePath(admin, `${DEAD_NS}/lock-0000000001`);
    await ensurePath(admin, '/zkbench/workers');
    await ensurePath(admin, '/not-zkbench/20260101T000000Z-x-abcdef');

    const tagA = `clean-a-${process.pid}`;
    const runs: CliRun[] = [];
    t.after(() => {
      for (const r of runs) if (r.child.exitCode === null && r.child.signalCode === null) process.kill(-r.child.pid!, 'SIGKILL');
    });
    const a = startTagged(['bench', '--workload', 'lock-contention', '--recipes', 'predecessor', '--servers', '1', '--clients', '4', '--warmup-s', '0', '--duration-s', '120', '--results-dir', results], state, tagA);
    runs.push(a);
    const b = startCli(
      ['bench', '--workload', 'lock-contention', '--recipes', 'predecessor', '--connect', connect, '--clients', '4', '--warmup-s', '0', '--duration-s', '12', '--results-dir', results],
      state,
    );
    runs.push(b);
    await waitForOutput(a, /clients running/, 120_000);
    const aDirs = fs.readdirSync(tmp).filter((n) => n.startsWith('zkbench-ensemble-'));
    assert.equal(aDirs.length, 1, `run A's ensemble dir in ${tmp}: ${aDirs.join(', ')}`);
    const aDir = path.join(tmp, aDirs[0]!);
    assert.ok(fs.existsSync(path.join(aDir, 'zkbench-owner.json')), 'the run dir records its owner');
    process.kill(a.child.pid!, 'SIGKILL'); // the coordinator alone
    await a.exited;
    // Its servers (watchdog) and load processes (IPC channel closed) stop by themselves.
    await pollUntil('run A\'s servers and load processes to stop after its coordinator was SIGKILLed', () => [...serverPids(aDir), ...suiteProcesses(tagA)], (p) => p.length === 0, { ms: 60_000 });
    assert.ok(fs.existsSync(aDir), 'a SIGKILLed coordinator leaves its ensemble dir (what clean is for)');

    // A live run's dir (this process owns it) and one whose PID was reused (same PID, another start time).
    const live = fs.mkdtempSync(path.join(tmp, 'zkbench-ensemble-'));
    writeOwner(live);
    const reused = fs.mkdtempSync(path.join(tmp, 'zkbench-ensemble-'));
    fs.writeFileSync(path.join(reused, 'zkbench-owner.json'), JSON.stringify({ pid: process.pid, startTicks: processStartTicks(process.pid)! - 1, createdAt: '' }));
    const foreign = fs.mkdtempSync(path.join(tmp, 'zkbench-other-'));
    // An external driver's working directory, owned by run A; run directories A never finished (killed
    // while writing) and one a live run is writing (this process's tag).
    const driverDir = fs.mkdtempSync(path.join(tmp, 'zkbench-curator-'));
    writeOwner(driverDir, a.child.pid!);
    const deadStaging = path.join(results, `.20260101T000000Z-lock-contention.partial-p${a.child.pid}s-0123456789ab`);
    const liveStaging = path.join(results, `.20260101T000000Z-lock-contention.partial-${ownerTag()}-0123456789ab`);
    for (const d of [deadStaging, liveStaging]) fs.mkdirSync(path.join(d, 'lock-contention'), { recursive: true });

    await waitForOutput(b, /clients running/, 120_000);
    const liveNs = (await admin.getChildren('/zkbench')).filter((n) => n.endsWith('.live'));
    assert.equal(liveNs.length, 1, `run B's .live marker: ${liveNs.join(', ')}`);
    const bNs = `/zkbench/${liveNs[0]!.replace(/\.live$/, '')}`;

    const dry = startCli(['clean', '--connect', connect, '--dry-run', '--results-dir', results], state);
    assert.equal(await exitOf(dry), 0, dry.stderr);
    assert.match(dry.stdout, new RegExp(`would remove temporary directory ${aDir} \\(its run \\(pid ${a.child.pid}\\) is gone\\)`));
    assert.match(dry.stdout, new RegExp(`would remove temporary directory ${reused} `));
    assert.match(dry.stdout, new RegExp(`would remove ${DEAD_NS} on `));
    assert.match(dry.stdout, new RegExp(`would remove temporary directory ${driverDir} `));
    assert.match(dry.stdout, new RegExp(`would remove unfinished run directory ${deadStaging.replaceAll('.', '\\.')} \\(a run directory never completed: its run \\(pid ${a.child.pid}\\) is gone\\)`));
    assert.match(dry.stdout, new RegExp(`left alone: ${bNs} \\(its run holds its \\.live marker\\)`));
    assert.ok(fs.existsSync(aDir) && fs.existsSync(reused) && (await admin.exists(DEAD_NS)), '--dry-run removes nothing');

    const clean = startCli(['clean', '--connect', connect, '--results-dir', results], state);
    assert.equal(await exitOf(clean), 0, clean.stderr);
    const removed = clean.stdout.split('\n').filter((l) => l.startsWith('removed '));
    assert.equal(removed.length, 5, clean.stdout);
    assert.ok(!fs.existsSync(aDir) && !fs.existsSync(reused) && !fs.existsSync(driverDir) && !fs.existsSync(deadStaging) && (await admin.exists(DEAD_NS)) === null, 'the stale ones are gone');
    assert.ok(fs.existsSync(live) && fs.existsSync(foreign) && fs.existsSync(liveStaging), 'a live run\'s dirs and a dir not of zkbench runs stay');
    fs.rmSync(liveStaging, { recursive: true, force: true });
    assert.ok((await admin.exists(bNs)) && (await admin.exists(`${bNs}.live`)) && (await admin.exists('/zkbench/workers')) && (await admin.exists('/not-zkbench/20260101T000000Z-x-abcdef')), 'the live run\'s namespace and foreign nodes stay');

    assert.equal(await exitOf(b), 0, `run B completes beside the clean-up: ${b.stderr}`);
    assert.equal(await admin.exists(`${bNs}.live`), null, 'a finished run removes its marker');
  });
});
