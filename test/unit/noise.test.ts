// The noise-aware judgment of relative rules (compare/noise.ts): pure statistics over the repeats.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { judgeRelative, median, spread, wilsonInterval } from '../../src/compare/noise.ts';

describe('noise statistics', () => {
  it('median: middle value, mean of the middle two, NaN ignored, NaN for nothing', () => {
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.equal(median([5, NaN, 1, 3]), 3);
    assert.ok(Number.isNaN(median([])));
  });

  it('spread: range, median and the range relative to the median', () => {
    assert.deepEqual(spread([110, 90, 100]), { runs: 3, min: 90, max: 110, median: 100, relativePct: 20 });
    assert.deepEqual(spread([7]), { runs: 1, min: 7, max: 7, median: 7, relativePct: 0 });
  });
});

describe('judgeRelative: the median outside the baseline range widened by the margin', () => {
  it('a change within the baseline spread is not a breach, even when the medians differ by more than the margin', () => {
    // baseline 300..400 (median 350), candidate median 390: +11.4% median to median, but below the baseline max
    const v = judgeRelative([300, 350, 400], [380, 390, 420], '>', 10);
    assert.equal(v.breach, false);
    assert.equal(v.noiseEstimated, true);
    assert.equal(v.edge, 'max');
    assert.equal(judgeRelative([1, 2], [1, 2], '<', -10).edge, 'min');
    assert.ok(Math.abs(v.changePct - 11.43) < 0.01);
    assert.ok(v.beyondRangePct < 0);
  });

  it('a breach needs the median beyond the baseline max by more than the margin (for >), beyond the min (for <)', () => {
    assert.equal(judgeRelative([300, 350, 400], [430, 439, 450], '>', 10).breach, false); // +9.75% from the max
    assert.equal(judgeRelative([300, 350, 400], [430, 441, 450], '>', 10).breach, true); // +10.25%
    // throughput falling: judged from the baseline's min
    assert.equal(judgeRelative([500, 600, 700], [460, 455, 470], '<', -10).breach, false); // -8% from 500
    assert.equal(judgeRelative([500, 600, 700], [440, 445, 430], '<', -10).breach, true); // -11%
  });

  it('with one baseline run there is no noise estimate: the rule is the plain change of the single values', () => {
    const v = judgeRelative([100], [111], '>', 10);
    assert.equal(v.noiseEstimated, false);
    assert.equal(v.breach, true);
    assert.equal(judgeRelative([100], [109], '>', 10).breach, false);
  });

  it('"==" and "!=" have no direction: judged on the medians', () => {
    assert.equal(judgeRelative([10, 20, 30], [20, 20, 20], '==', 0).breach, true);
    assert.equal(judgeRelative([10, 20, 30], [25, 25, 25], '!=', 0).breach, true);
  });

  it('needs a value on each side', () => {
    assert.throws(() => judgeRelative([], [1], '>', 10), /at least one value/);
  });
});

describe('wilsonInterval', () => {
  it('brackets the observed rate and stays within [0, 1]', () => {
    const { low, high } = wilsonInterval(3, 10);
    assert.ok(low < 0.3 && 0.3 < high);
    assert.deepEqual(wilsonInterval(0, 0), { low: 0, high: 1 });
    assert.equal(wilsonInterval(0, 20).low, 0);
    assert.ok(wilsonInterval(0, 20).high > 0.1 && wilsonInterval(0, 20).high < 0.2);
  });
});
