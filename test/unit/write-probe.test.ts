// A probe write that fails keeps its reason: counted by error, with the last one's message.
import assert from 'node:assert/strict';
import net from 'node:net';
import { describe, it } from 'node:test';
import { describeProbeFailures, noProbeFailures, tallyProbe } from '../../src/ensemble/probe-write.ts';
import { freeLoopbackPorts } from '../../src/ensemble/free-ports.ts';
import { RunClock } from '../../src/measure/clock.ts';
import { watchForWrite } from '../../src/runner/write-probe.ts';

describe('write probe failures', () => {
  it('counts attempts, failures by error (named by server) and keeps the last error', () => {
    const t = noProbeFailures();
    tallyProbe(t, 2, { ok: false, why: 'closed by the server' });
    tallyProbe(t, 3, { ok: false, why: 'ECONNREFUSED' });
    tallyProbe(t, 2, { ok: false, why: 'closed by the server' });
    tallyProbe(t, 3, { ok: true });
    assert.deepEqual(t, { attempts: 4, failed: 3, byError: { 'server 2: closed by the server': 2, 'server 3: ECONNREFUSED': 1 }, lastError: 'server 2: closed by the server' });
    assert.equal(describeProbeFailures(t), '3 of 4 attempt(s) failed (last: server 2: closed by the server)');
    assert.equal(describeProbeFailures(noProbeFailures()), '0 attempt(s), none failed');
  });

  it('a server nobody listens on: no write, and every failed attempt with its reason', async () => {
    const [port] = await freeLoopbackPorts(1);
    const stop = new AbortController();
    const seen = watchForWrite([{ id: 1, host: '127.0.0.1', clientPort: port! }, { id: 2, host: '127.0.0.1', clientPort: port! }], 1, '/x', new RunClock(0n), stop.signal, 10);
    setTimeout(() => stop.abort(), 200);
    const { at, failures } = await seen;
    assert.equal(at, undefined);
    assert.ok(failures.failed > 0, JSON.stringify(failures));
    assert.equal(failures.failed, failures.attempts);
    assert.deepEqual(Object.keys(failures.byError), ['server 2: ECONNREFUSED']);
    assert.equal(failures.lastError, 'server 2: ECONNREFUSED');
  });

  it('attempts cut short by the end of the watch are not failures', async () => {
    // A listener that never answers: every attempt is still waiting (its timeout is 2 s) when the watch stops.
    const sockets: net.Socket[] = [];
    const silent = net.createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const stop = new AbortController();
      const seen = watchForWrite([{ id: 2, host: '127.0.0.1', clientPort: (silent.address() as net.AddressInfo).port }], 1, '/x', new RunClock(0n), stop.signal, 10);
      setTimeout(() => stop.abort(), 200);
      assert.deepEqual(await seen, { at: undefined, failures: noProbeFailures() });
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
