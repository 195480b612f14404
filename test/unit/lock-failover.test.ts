// Pure parts of lock recovery and lock-failover: queue order with protected node names, the guard's stored
// token, and the workload's load-time checks.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { storedToken } from '../../src/recipes/lock/fencing.ts';
import { queueOrder } from '../../src/recipes/lock/queue-node.ts';
import { WorkloadError } from '../../src/workload/validate.ts';
import { validateWorkload } from '../../src/scenarios/catalog.ts';

const failover = {
  name: 'w',
  scenario: 'lock-failover',
  recipes: ['predecessor'],
  clients: 3,
  duration_s: 6,
  warmup_s: 0,
  hold_ms: 50,
  tick_time_ms: 500,
  session_timeout_ms: 2000,
};

describe('lock recovery and lock-failover', () => {
  it('orders a queue by sequence number whether or not a node carries a protection prefix', () => {
    const children = ['_c_9f-lock-0000000003', 'lock-0000000001', '_c_0a-lock-0000000002', 'owner', 'lock-0000000010', '_c_zz-lock-0000000000'];
    assert.deepEqual(queueOrder(children), ['_c_zz-lock-0000000000', 'lock-0000000001', '_c_0a-lock-0000000002', '_c_9f-lock-0000000003', 'lock-0000000010']);
  });

  it('reads a guard nobody wrote as token -1, else the decimal token', () => {
    assert.equal(storedToken(Buffer.alloc(0)), -1);
    assert.equal(storedToken(Buffer.from('4294967301')), 4294967301);
  });

  it('takes recovery and fencing with their defaults, and refuses a pause the session outlives or the guard does not', () => {
    const w = validateWorkload('w.yaml', failover);
    assert.equal(w['recovery'], 'restart-session');
    assert.equal(w['fencing'], 'czxid');
    assert.equal(validateWorkload('w.yaml', { ...failover, recovery: 'resume', pause_holder_at_s: 1, pause_ms: 4000 })['recovery'], 'resume');
    assert.throws(() => validateWorkload('w.yaml', { ...failover, recovery: 'retry' }), WorkloadError);
    assert.throws(() => validateWorkload('w.yaml', { ...failover, pause_holder_at_s: 1, pause_ms: 2000 }), /"pause_ms" \(2000\) must exceed "session_timeout_ms"/);
    assert.throws(() => validateWorkload('w.yaml', { ...failover, pause_holder_at_s: 1, pause_ms: 8000 }), /below 2\/3 of the guard's session timeout/);
    assert.throws(() => validateWorkload('w.yaml', { ...failover, pause_holder_at_s: 7, pause_ms: 4000 }), /falls after the clients stop/);
    assert.throws(() => validateWorkload('w.yaml', { ...failover, clients: 1 }), /"clients" of 2 or more/);
  });

  it('lets lock-contention take recovery but not the failover fields', () => {
    const lock = { ...failover, scenario: 'lock-contention' };
    assert.equal(validateWorkload('w.yaml', { ...lock, recovery: 'resume' })['recovery'], 'resume');
    assert.throws(() => validateWorkload('w.yaml', { ...lock, fencing: 'none' }), /a field of the lock-failover/);
  });
});
