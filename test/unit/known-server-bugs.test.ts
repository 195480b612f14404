import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hasLostCommitWakeup, parseServerVersion, serverBugNotes } from '../../src/ensemble/known-server-bugs.ts';

describe('known server bugs', () => {
  it('reads the version from srvr or a jar name', () => {
    assert.deepEqual(parseServerVersion('3.8.0-${mvngit.commit.id}, built on 2024-12-29 17:54 UTC'), [3, 8, 0]);
    assert.deepEqual(parseServerVersion('3.9.2'), [3, 9, 2]);
    assert.equal(parseServerVersion('unknown'), undefined);
    assert.equal(parseServerVersion(undefined), undefined);
  });

  it('knows which versions lose commit wake-ups (ZOOKEEPER-4537)', () => {
    for (const v of ['3.6.0', '3.6.3', '3.7.0', '3.7.1', '3.8.0']) assert.ok(hasLostCommitWakeup(v), v);
    for (const v of ['3.5.9', '3.6.4', '3.7.2', '3.8.1', '3.8.4', '3.9.0', undefined]) assert.ok(!hasLostCommitWakeup(v), String(v));
  });

  it('warns when nothing guards an affected server, notes the guard otherwise, and is silent for fixed ones', () => {
    assert.match(serverBugNotes('3.8.0', 0)[0]!, /^warning: .*ZOOKEEPER-4537.*the server's/);
    assert.match(serverBugNotes('3.8.0', undefined)[0]!, /^warning:/);
    assert.match(serverBugNotes('3.8.0', 1)[0]!, /^note: .*guard wakes it within ~2 ms/);
    assert.deepEqual(serverBugNotes('3.8.1', 0), []);
  });
});
