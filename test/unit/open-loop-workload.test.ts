// The open-loop workload fields: throughput is closed loop unless `rate` is set, a rate is total or per
// client, bad values stop the run at load time naming the field, a lock workload refuses them, and config's
// writer is paced by the same fields.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { writerPacing } from '../../src/scenarios/config/coordinator.ts';
import type { ConfigWorkload } from '../../src/scenarios/config/workload.ts';
import { lockOpenLoopOf, type LockWorkload } from '../../src/scenarios/lock-contention/workload.ts';
import { openLoopOf } from '../../src/scenarios/throughput/workload.ts';
import { WorkloadError } from '../../src/workload/validate.ts';
import { loadWorkload, validateWorkload } from '../../src/scenarios/catalog.ts';

const base = { name: 't', scenario: 'throughput', recipes: ['set'], clients: 10, duration_s: 5 };
const refused = (pattern: RegExp) => (e: Error) => e instanceof WorkloadError && pattern.test(e.message);

describe('open-loop workload fields', () => {
  it('keeps the shipped throughput workload closed loop, and opens it with a rate', () => {
    assert.equal(openLoopOf(loadWorkload('throughput').workload), undefined);
    const { workload } = loadWorkload('throughput', { rate: '500', 'rate_per': 'client', 'max_in_flight': '3' });
    assert.deepEqual(openLoopOf(workload), { rate: 500, ratePer: 'client', maxInFlight: 3 });
    assert.deepEqual(openLoopOf(validateWorkload('t.yaml', { ...base, rate: 100 })), { rate: 100, ratePer: 'total', maxInFlight: 8 });
  });

  it('refuses a negative rate, an unknown rate_per and no in-flight slot, naming the field', () => {
    assert.throws(() => validateWorkload('t.yaml', { ...base, rate: -1 }), refused(/"rate"/));
    assert.throws(() => validateWorkload('t.yaml', { ...base, rate: 10, rate_per: 'host' }), refused(/"rate_per".*total, client/));
    assert.throws(() => validateWorkload('t.yaml', { ...base, rate: 10, max_in_flight: 0 }), refused(/"max_in_flight"/));
  });

  it('is refused in a scenario that has no open loop', () => {
    assert.throws(() => validateWorkload('p.yaml', { name: 'p', scenario: 'primitives', recipes: ['get'], clients: 1, duration_s: 5, rate: 100 }), refused(/"rate"/));
  });

  it('paces lock attempts one at a time per client, in time-bound runs that warm up on time', () => {
    const lock = { name: 'l', scenario: 'lock-contention', recipes: ['predecessor'], clients: 10 };
    const w = validateWorkload('l.yaml', { ...lock, duration_s: 5, rate: 100, rate_per: 'client' }) as LockWorkload;
    assert.deepEqual(lockOpenLoopOf(w), { rate: 100, ratePer: 'client', maxInFlight: 1 });
    assert.equal(lockOpenLoopOf(validateWorkload('l.yaml', { ...lock, duration_s: 5 }) as LockWorkload), undefined, 'rate 0: closed loop');
    assert.throws(() => validateWorkload('l.yaml', { ...lock, acquisitions: 10, rate: 100 }), refused(/"rate".*"duration_s"/));
    assert.throws(() => validateWorkload('l.yaml', { ...lock, duration_s: 5, rate: 100, warmup_until: 'queued' }), refused(/"rate".*warmup_until/));
  });

  it("paces config's writer as one client at update_rate with max_in_flight slots", () => {
    const { workload } = loadWorkload('config-propagation', { 'max_in_flight': '2' });
    const plan = writerPacing(workload as ConfigWorkload);
    assert.equal(plan.ratePerClient, (workload as ConfigWorkload).updateRate);
    assert.deepEqual(plan.phases, [0]);
    assert.equal(plan.maxInFlight, 2);
  });
});
