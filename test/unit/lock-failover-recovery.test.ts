// lock-failover's recovery figure: from a fault or the holder's pause to the next acquisition.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findMetric, scalarValue } from '../../src/measure/metrics.ts';
import { lockRecoveries, recoveryMetrics } from '../../src/scenarios/lock-failover/recovery.ts';

const ms = 1e6;

describe('lockRecoveries', () => {
  it('takes the first hold that began after each disruption, whatever the order of the holds', () => {
    const heldAt = [900, 100, 2500, 300, 4200].map((t) => t * ms);
    const r = lockRecoveries(
      heldAt,
      [
        { kind: 'fault', atNs: 350 * ms },
        { kind: 'pause', atNs: 1000 * ms },
      ],
      [350 * ms, 1000 * ms],
      10_000 * ms,
    );
    assert.deepEqual(
      r.map((x) => x.recoveryNs),
      [550 * ms, 1500 * ms],
    );
  });

  it('does not count a hold that began at the very moment of the disruption, and leaves one with no later hold unrecovered', () => {
    const r = lockRecoveries([100 * ms, 200 * ms], [{ kind: 'fault', atNs: 200 * ms }], [200 * ms], 3000 * ms);
    assert.equal(r[0]!.recoveryNs, undefined);
    assert.equal(r[0]!.windowNs, 2800 * ms);
  });

  it('closes each window at the next fault (a restart too) or the measured window\'s end: a later hold does not recover it', () => {
    const r = lockRecoveries([4000 * ms], [{ kind: 'fault', atNs: 1000 * ms }], [1000 * ms, 3000 * ms], 5000 * ms);
    assert.deepEqual([r[0]!.recoveryNs, r[0]!.windowNs], [undefined, 2000 * ms]);
    const late = lockRecoveries([6000 * ms], [{ kind: 'fault', atNs: 1000 * ms }], [1000 * ms], 5000 * ms);
    assert.deepEqual([late[0]!.recoveryNs, late[0]!.windowNs], [undefined, 4000 * ms]);
  });
});

describe('recoveryMetrics', () => {
  it('one distribution per kind, unrecovered disruptions censored at their window, and the unrecovered count', () => {
    const metrics = recoveryMetrics([
      { kind: 'fault', atNs: 0, recoveryNs: 1200 * ms, windowNs: 5000 * ms },
      { kind: 'fault', atNs: 5000 * ms, recoveryNs: 800 * ms, windowNs: 4000 * ms },
      { kind: 'pause', atNs: 9000 * ms, recoveryNs: undefined, windowNs: 3000 * ms },
    ]);
    const fault = findMetric(metrics, 'recovery.fault');
    assert.ok(fault?.kind === 'distribution');
    assert.equal(fault.histogram.totalCount, 2);
    assert.ok(Math.abs(fault.histogram.maxValue / 1000 - 1200) < 2, `max ${fault.histogram.maxValue} us`);
    assert.equal(fault.censored?.count, 0);
    const pause = findMetric(metrics, 'recovery.pause');
    assert.ok(pause?.kind === 'distribution', 'an unrecovered pause is a case, not left out');
    assert.deepEqual([pause.histogram.totalCount, pause.censored], [1, { count: 1, windowMs: 3000 }]);
    assert.equal(scalarValue(metrics, 'unrecovered'), 1);
  });
});
