import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { offsetFromSamples, pairBoundNs, worstPairBoundNs } from '../../src/measure/clock-offset.ts';

describe('offsetFromSamples', () => {
  it('takes the sample with the smallest round trip: offset from its midpoint, bound half its round trip', () => {
    // The coordinator's clock runs 1,000 ns ahead of the worker's.
    const samples = [
      { sentNs: 0n, remoteNs: 1_000n + 300n, receivedNs: 900n }, // rtt 900, asymmetric
      { sentNs: 2_000n, remoteNs: 3_000n + 50n, receivedNs: 2_100n }, // rtt 100
      { sentNs: 5_000n, remoteNs: 6_000n + 20n, receivedNs: 5_500n }, // rtt 500
    ];
    const o = offsetFromSamples(samples);
    assert.equal(o.rttNs, 100);
    assert.equal(o.boundNs, 50);
    assert.equal(o.offsetNs, 3_050 - 2_050);
    assert.equal(o.samples, 3);
  });

  it('holds the true offset within the bound however the path is asymmetric', () => {
    const trueOffset = -7_777n;
    for (const outbound of [0n, 10n, 250n, 499n, 500n]) {
      const sent = 1_000_000n;
      const rtt = 500n;
      const s = { sentNs: sent, remoteNs: sent + outbound + trueOffset, receivedNs: sent + rtt };
      const o = offsetFromSamples([s]);
      assert.ok(Math.abs(o.offsetNs - Number(trueOffset)) <= o.boundNs, `outbound ${outbound}: ${o.offsetNs} ± ${o.boundNs}`);
    }
  });

  it('refuses no samples and a sample received before it was sent', () => {
    assert.throws(() => offsetFromSamples([]), /no clock samples/);
    assert.throws(() => offsetFromSamples([{ sentNs: 10n, remoteNs: 0n, receivedNs: 5n }]), /before it was sent/);
  });
});

describe('pair bounds', () => {
  it('adds two processes\' bounds, is 0 within one process, and the worst pair is the two largest', () => {
    assert.equal(pairBoundNs(30, 40, false), 70);
    assert.equal(pairBoundNs(30, 40, true), 0);
    assert.equal(worstPairBoundNs([10, 50, 20, 40]), 90);
    assert.equal(worstPairBoundNs([10]), 0);
    assert.equal(worstPairBoundNs([0, 0, 0]), 0);
  });
});
