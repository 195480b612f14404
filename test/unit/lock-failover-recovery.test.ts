// lock-failover's recovery figure: from a fault or the holder's pause to the next acquisition.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findMetric, scalarValue } from '../../src/measure/metrics.ts';
import { lockRecoveries, recoveryMetrics } from '../../src/scenarios/lock-failover/recovery.ts';

const ms = 1e6;

describe('lockRecoveries', () => {
  it('takes the first hold that began after each disruption, whatever the order of the holds', () => {
    const heldAt = [900, 100, 2500, 300, 4200].map((t) => t * ms);
    const r = lockRecoveries(heldAt, [
      { kind: 'fault', atNs: 350 * ms },
      { kind: 'pause', atNs: 1000 * ms },
    ]);
    assert.deepEqual(
      r.map((x) => x.recoveryNs),
      [550 * ms, 1500 * ms],
    );
  });

  it('does not count a hold that began at the very moment of the disruption, and leaves one with no later hold unrecovered', () => {
    const r = lockRecoveries([100 * ms, 200 * ms], [{ kind: 'fault', atNs: 200 * ms }]);
    assert.equal(r[0]!.recoveryNs, undefined);
  });
});

describe('recoveryMetrics', () => {
  it('one distribution per kind that recovered, and the unrecovered count', () => {
    const metrics = recoveryMetrics([
      { kind: 'fault', atNs: 0, recoveryNs: 1200 * ms },
      { kind: 'fault', atNs: 5000 * ms, recoveryNs: 800 * ms },
      { kind: 'pause', atNs: 9000 * ms, recoveryNs: undefined },
    ]);
    const fault = findMetric(metrics, 'recovery.fault');
    assert.ok(fault?.kind === 'distribution');
    assert.equal(fault.histogram.totalCount, 2);
    assert.ok(Math.abs(fault.histogram.maxValue / 1000 - 1200) < 2, `max ${fault.histogram.maxValue} us`);
    assert.equal(findMetric(metrics, 'recovery.pause'), undefined);
    assert.equal(scalarValue(metrics, 'unrecovered'), 1);
  });
});
