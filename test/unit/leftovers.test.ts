// The leftover check of npm test (test/leftovers/end.test.ts) sees what it must: a temp dir named like
// zkbench's and a process carrying the suite's id, both made after the snapshot; not what was there before.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { it } from 'node:test';
import { inventory, leftoversSince } from '../helpers/leftovers.ts';

it('lists a temp dir and a suite process created after the snapshot, and nothing that was there before', async (t) => {
  const id = `unit${process.pid}`;
  const old = fs.mkdtempSync(path.join(os.tmpdir(), 'zkbench-leftover-old-'));
  t.after(() => fs.rmSync(old, { recursive: true, force: true }));
  const saved = process.env['ZKBENCH_SUITE_ID'];
  process.env['ZKBENCH_SUITE_ID'] = id;
  t.after(() => (saved === undefined ? delete process.env['ZKBENCH_SUITE_ID'] : (process.env['ZKBENCH_SUITE_ID'] = saved)));
  const before = inventory();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zkbench-leftover-new-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const child = spawn('sleep', ['30'], { env: { ...process.env, ZKBENCH_SUITE_ID: id }, stdio: 'ignore' });
  t.after(() => child.kill('SIGKILL'));
  await new Promise((r) => child.once('spawn', r));
  const left = leftoversSince(before, inventory());
  assert.ok(left.includes(`tempEntries: ${path.basename(dir)}`), left.join('\n'));
  assert.ok(left.some((l) => l.startsWith(`processes: ${child.pid} sleep`)), left.join('\n'));
  assert.ok(!left.some((l) => l.includes(path.basename(old))), 'what was there before is not a leftover');
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  fs.rmSync(dir, { recursive: true, force: true });
  assert.ok(!leftoversSince(before, inventory()).some((l) => l.includes(path.basename(dir)) || l.startsWith(`processes: ${child.pid} `)), 'gone once removed');
});
