import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ToWorker } from '../../src/workers/protocol.ts';
import { onOwnConnect } from '../../src/workers/remote/own-connect.ts';

const prepare = (connect: string, pinned?: string[]): Extract<ToWorker, { type: 'prepare' }> => ({
  type: 'prepare',
  origin: '0',
  sessions: { connect, sessionTimeoutMs: 10_000, connectTimeoutMs: 30_000, serversResolutionDelayMs: -1 },
  plan: { scenario: 'config', sessions: pinned?.length ?? 2, plan: {}, ...(pinned ? { connect: pinned } : {}) },
});

describe("a remote worker's connect strings", () => {
  it("opens its sessions through its own --connect, and maps sessions pinned to one server by the servers' order", () => {
    const out = onOwnConnect(prepare('127.0.0.2:1,127.0.0.3:2,127.0.0.4:3', ['127.0.0.3:2', '127.0.0.2:1']), '10.0.0.1:1,10.0.0.1:2,10.0.0.1:3');
    assert.equal(out.sessions.connect, '10.0.0.1:1,10.0.0.1:2,10.0.0.1:3');
    assert.deepEqual(out.plan.connect, ['10.0.0.1:2', '10.0.0.1:1']);
  });

  it('leaves an unpinned plan as it is', () => {
    const msg = prepare('a:1,b:2');
    assert.equal(onOwnConnect(msg, 'x:1,y:2').plan, msg.plan);
  });

  it('refuses pinned sessions when the two lists differ in length or a pinned server is unknown', () => {
    assert.throws(() => onOwnConnect(prepare('a:1,b:2', ['a:1']), 'x:1'), /lists 1 servers and the coordinator's 2/);
    assert.throws(() => onOwnConnect(prepare('a:1,b:2', ['c:3']), 'x:1,y:2'), /pinned to c:3/);
  });
});
