// Running the real command line as a user would, and checking what it leaves behind.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { within } from './wait.ts';

export const ZKBENCH = fileURLToPath(new URL('../../bin/zkbench.js', import.meta.url));

/**
 * ZooKeeper servers started by zkbench runs with this state dir: their command lines name it (startCli puts
 * the run's temporary files, embedded ensembles' included, under it). Other runs' servers on the host
 * (another test file, another engineer) are not this test's business.
 */
export function serverPids(stateDir: string): Set<number> {
  const out = execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' });
  return new Set(
    out
      .split('\n')
      .filter((l) => l.includes('QuorumPeerMain') && l.includes(stateDir))
      .map((l) => Number(l.trim().split(/\s+/)[0])),
  );
}

export interface CliRun {
  /** The command line's arguments after `zkbench`, for messages. */
  args: string[];
  child: ChildProcess;
  stdout: string;
  stderr: string;
  /** Resolves with the exit code (128+n for a signal). */
  exited: Promise<number>;
}

/** Starts zkbench in its own process group (like a terminal job) with a private state dir, which also holds its temporary files. */
export function startCli(args: string[], stateDir: string): CliRun {
  const tmp = path.join(stateDir, 'tmp');
  fs.mkdirSync(tmp, { recursive: true });
  const child = spawn(process.execPath, [ZKBENCH, ...args], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ZKBENCH_STATE_DIR: stateDir, TMPDIR: tmp, CI: '1' },
  });
  const run: CliRun = { args, child, stdout: '', stderr: '', exited: Promise.resolve(0) };
  child.stdout!.on('data', (d: Buffer) => (run.stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (run.stderr += d.toString()));
  run.exited = new Promise((resolve) =>
    child.on('close', (code, signal) => resolve(code ?? 128 + (signal ? os.constants.signals[signal] : 0))),
  );
  return run;
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export async function waitForOutput(run: CliRun, pattern: RegExp, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!pattern.test(run.stderr + run.stdout)) {
    if (Date.now() > end) throw new Error(`no ${pattern} within ${ms} ms; stderr:\n${run.stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * The run's exit code; when it has not exited within `ms`, its process group is killed and the wait fails
 * naming the command and what it printed (a hang guard: the deadline is generous, never a timing check).
 */
export async function exitOf(run: CliRun, ms = 300_000): Promise<number> {
  try {
    return await within(`zkbench ${run.args.join(' ')} to exit`, run.exited, ms);
  } catch (err) {
    if (run.child.exitCode === null && run.child.pid !== undefined) process.kill(-run.child.pid, 'SIGKILL');
    throw new Error(`${(err as Error).message}; its stderr:\n${run.stderr}`);
  }
}
