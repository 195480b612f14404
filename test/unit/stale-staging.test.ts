// An unfinished run directory (the hidden staging directory a run writes into) names its owner, so that
// `zkbench clean` and the next run remove it once that run is gone, and never while it lives.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ownerOfTag, ownerTag, processStartTicks } from '../../src/process/run-owner.ts';
import { stageDirectory, staleStagingDirs, sweepStaleStagingDirs } from '../../src/results/run-directory.ts';

/** A PID no process has: above the kernel's pid_max. */
const DEAD_PID = Number(fs.readFileSync('/proc/sys/kernel/pid_max', 'utf8')) + 1;

describe('unfinished run directories', () => {
  it("a tag carries the PID and start time, and reads back; a name without one has no owner", () => {
    assert.equal(ownerTag(), `p${process.pid}s${processStartTicks(process.pid)}`);
    assert.deepEqual(ownerOfTag(`-${ownerTag()}-0a1b2c3d4e5f`), { pid: process.pid, startTicks: processStartTicks(process.pid), createdAt: '' });
    assert.deepEqual(ownerOfTag('-p42s-0a1b2c3d4e5f'), { pid: 42, startTicks: undefined, createdAt: '' });
    assert.equal(ownerOfTag('-0a1b2c3d4e5f'), undefined, 'an older zkbench named none');
  });

  it("lists and removes only those of runs that are gone, never a live run's or one without an owner", (t) => {
    const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'zkbench-test-staging-'));
    t.after(() => fs.rmSync(parent, { recursive: true, force: true }));
    const live = stageDirectory(parent, '20260101T000000Z-lock-contention');
    const dead = path.join(parent, `.20260101T000000Z-lock-contention.partial-p${DEAD_PID}s-0a1b2c3d4e5f`);
    const reused = path.join(parent, `.20260101T000000Z-x.partial-p${process.pid}s${processStartTicks(process.pid)! - 1}-0a1b2c3d4e5f`);
    const untagged = path.join(parent, '.20260101T000000Z-y.partial-0a1b2c3d4e5f');
    const finished = path.join(parent, '20260101T000000Z-z');
    for (const d of [dead, reused, untagged, finished]) fs.mkdirSync(d);
    assert.deepEqual(staleStagingDirs(parent).map((s) => s.dir).sort(), [dead, reused].sort());
    const lines: string[] = [];
    sweepStaleStagingDirs(parent, (l) => lines.push(l));
    assert.equal(lines.length, 2, lines.join('\n'));
    assert.match(lines.join('\n'), new RegExp(`removed unfinished run directory .*partial-p${DEAD_PID}s-.* \\(a run directory never completed: its run \\(pid ${DEAD_PID}\\) is gone\\)`));
    assert.deepEqual(fs.readdirSync(parent).sort(), [path.basename(live.path), path.basename(untagged), path.basename(finished)].sort());
    assert.ok(live.commit().endsWith('20260101T000000Z-lock-contention'));
  });
});
