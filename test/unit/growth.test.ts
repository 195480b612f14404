// The soak's growth figure: a least-squares slope per hour after the warm-up, its standard error, a verdict.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { fitGrowth, judgeGrowth, type Sample } from '../../src/measure/growth.ts';

const every10s = (n: number, f: (tS: number, i: number) => number): Sample[] => Array.from({ length: n }, (_, i) => ({ tS: i * 10, value: f(i * 10, i) }));

it('a line is fitted exactly: slope per hour, zero error, the fitted ends', () => {
  const g = fitGrowth(every10s(37, (t) => 100 + t / 360), 0)!; // +10 per hour
  assert.ok(Math.abs(g.slopePerHour - 10) < 1e-9);
  assert.ok(g.stdErrPerHour !== undefined && g.stdErrPerHour < 1e-6);
  assert.equal(g.samples, 37);
  assert.ok(Math.abs(g.from - 100) < 1e-9 && Math.abs(g.to - 101) < 1e-9);
});

it('the warm-up is left out: a jump before it does not count', () => {
  const g = fitGrowth(every10s(40, (t) => (t < 60 ? t * 10 : 600)), 60)!;
  assert.equal(g.samples, 34);
  assert.equal(g.slopePerHour, 0);
  assert.equal(judgeGrowth(g, 1), 'pass');
});

it('noise around a flat line passes; a leak beyond the bound by more than its spread fails', () => {
  const alternating = every10s(60, (_t, i) => 200 + (i % 2 === 0 ? 3 : -3));
  const flat = fitGrowth(alternating, 0)!;
  assert.ok(Math.abs(flat.slopePerHour) < flat.stdErrPerHour! * 2 + 1e-9, JSON.stringify(flat));
  assert.equal(judgeGrowth(flat, 5), 'pass');
  const leak = fitGrowth(every10s(60, (t, i) => 200 + t / 60 + (i % 2 === 0 ? 3 : -3)), 0)!; // +60 per hour
  assert.ok(leak.slopePerHour > 55 && leak.slopePerHour < 65, JSON.stringify(leak));
  assert.equal(judgeGrowth(leak, 5), 'fail');
});

it('too few samples, or all at one time, is not measured (never a slope of 0)', () => {
  assert.equal(fitGrowth([{ tS: 5, value: 1 }], 0), undefined);
  assert.equal(fitGrowth([{ tS: 5, value: 1 }, { tS: 5, value: 9 }], 0), undefined);
  assert.equal(judgeGrowth(undefined, 5), 'not measured');
  assert.equal(fitGrowth(every10s(2, (t) => t), 0)!.stdErrPerHour, undefined);
});
