// The drivers' timestamps and zkbench's are one clock: Java's System.nanoTime, Python's time.monotonic_ns
// and Node's process.hrtime.bigint() all read CLOCK_MONOTONIC on Linux. Each runtime reads its clock
// twice, answering Node in between; every reading must fall between the Node readings around it (no
// offset, no other clock) and the gaps must agree.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { describe, it } from 'node:test';
import { findJava } from '../../src/ensemble/installation.ts';
import { KAZOO_PYTHON } from '../../src/drivers/runtime.ts';

const JAVA_SOURCE = `
public class Clock {
  public static void main(String[] a) throws Exception {
    java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(System.in));
    for (int i = 0; i < 2; i++) { in.readLine(); System.out.println(System.nanoTime()); System.out.flush(); }
  }
}`;
const PYTHON_SOURCE = 'import sys, time\nfor _ in range(2):\n    sys.stdin.readline(); print(time.monotonic_ns(), flush=True)\n';

/** Asks the program for a reading twice (100 ms apart), bracketing each with Node's clock. */
async function bracketed(command: string, args: string[]): Promise<{ before: bigint; reading: bigint; after: bigint }[]> {
  const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const out = [];
  try {
    for (let i = 0; i < 2; i++) {
      const before = process.hrtime.bigint();
      child.stdin!.write('\n');
      const next = await Promise.race([lines.next(), new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${command}: no reading within 60 s`)), 60_000))]);
      const after = process.hrtime.bigint();
      out.push({ before, reading: BigInt(String(next.value).trim()), after });
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    child.kill('SIGKILL');
  }
  return out;
}

function assertSameClock(name: string, samples: { before: bigint; reading: bigint; after: bigint }[]): void {
  for (const s of samples) {
    assert.ok(s.before <= s.reading && s.reading <= s.after, `${name} read ${s.reading}, outside Node's ${s.before}..${s.after}`);
  }
  // Same rate: the gap between the two readings lies within the bracket's gaps.
  const [a, b] = samples as [(typeof samples)[0], (typeof samples)[0]];
  const gap = b.reading - a.reading;
  assert.ok(gap >= b.before - a.after && gap <= b.after - a.before, `${name}: readings ${gap} ns apart, Node's ${b.before - a.after}..${b.after - a.before}`);
}

describe('one monotonic clock for zkbench and its drivers', () => {
  it("Java's System.nanoTime reads CLOCK_MONOTONIC, as process.hrtime does", { timeout: 120_000 }, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zkbench-clock-'));
    try {
      fs.writeFileSync(path.join(dir, 'Clock.java'), JAVA_SOURCE);
      assertSameClock('System.nanoTime', await bracketed(findJava(), [path.join(dir, 'Clock.java')]));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("Python's time.monotonic_ns (the kazoo driver's interpreter) reads CLOCK_MONOTONIC, as process.hrtime does", { timeout: 60_000 }, async () => {
    assertSameClock('time.monotonic_ns', await bracketed(KAZOO_PYTHON, ['-c', PYTHON_SOURCE]));
  });
});
