// The coordinator's own C client log lines (issue 21: "213 ZOO_ERROR@check_events lines among the progress
// lines") go to the run's client.log, counted by kind, not to the terminal: the patched binding (level 7)
// writes them into a pipe the process reads. Shown on a process whose session is refused by a closed port
// (the unreachable-ensemble case), against the same process with the log left on stderr.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ClientLog } from '../../src/process/client-log.ts';

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'client-log-child.ts');

/** A loopback port that refuses connections: bound, then closed. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function runChild(mode: 'route' | 'plain', connect: string): { log: ClientLog; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', CHILD, mode, connect], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, `child exited ${r.status} ${r.signal ?? ''}: ${r.stderr}`);
  return { log: JSON.parse(r.stdout) as ClientLog, stderr: r.stderr };
}

const zooLines = (text: string): string[] => text.split('\n').filter((l) => /ZOO_(ERROR|WARN)@/.test(l));

describe("the coordinator's own C client log", () => {
  it('as the binding ships it, the C client writes its errors to the terminal (stderr)', async () => {
    const { log, stderr } = runChild('plain', `127.0.0.1:${await closedPort()}`);
    assert.ok(zooLines(stderr).length > 0, `expected ZOO_ERROR lines on stderr, got: ${stderr.slice(0, 500)}`);
    assert.equal(log.total, 0);
  });

  it('routed, the lines reach the client log, counted by kind and labelled, and none reaches stderr', async () => {
    const { log, stderr } = runChild('route', `127.0.0.1:${await closedPort()}`);
    assert.deepEqual(zooLines(stderr), [], 'no C client line on stderr');
    assert.ok(log.total > 0, 'the refused attempts were logged');
    assert.equal(log.lines.length, log.total);
    assert.ok(log.lines.every((l) => l.startsWith('coordinator: ')), log.lines[0]);
    assert.ok(Object.keys(log.counts).some((k) => k.startsWith('ZOO_ERROR@')), JSON.stringify(log.counts));
    assert.equal(Object.values(log.counts).reduce((a, b) => a + b, 0), log.total);
  });
});
