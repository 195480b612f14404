import { test } from 'node:test';
import assert from 'node:assert/strict';
import { judgeSoak, type SoakSeries } from '../../src/measure/soak-verdict.ts';

// Samples every 10 s for 20 minutes; value = base + perHour * t/3600 + a small alternating wobble.
function line(label: string, kind: SoakSeries['kind'], metric: SoakSeries['metric'], base: number, perHour: number, fromS = 0, toS = 1200): SoakSeries {
  const samples = [];
  for (let t = fromS; t <= toS; t += 10) samples.push({ tS: t, value: base + (perHour * t) / 3600 + ((t / 10) % 2 === 0 ? 0.3 : -0.3) });
  return { label, kind, metric, samples };
}
const window = { warmupS: 300, endS: 1200 };

test('flat processes and no lost writes pass', () => {
  const v = judgeSoak([line('coordinator', 'coordinator', 'rssMiB', 120, 2), line('server 1', 'server', 'fds', 80, 0)], { lostWrites: 0 }, window);
  assert.equal(v.verdict, 'pass');
  assert.deepEqual(v.reasons, []);
});

test('a process growing beyond its bound fails, naming it', () => {
  const v = judgeSoak([line('load process (pid 9)', 'load', 'rssMiB', 100, 400), line('server 1', 'server', 'rssMiB', 300, 1)], { lostWrites: 0 }, window);
  assert.equal(v.verdict, 'fail');
  assert.equal(v.reasons.length, 1);
  assert.match(v.reasons[0]!, /load process \(pid 9\) rssMiB: grows 4\d\d\.\d ± /);
  assert.equal(v.series.find((s) => s.label === 'server 1')!.verdict, 'pass');
});

test('a steep slope whose rise is below the floor is not told from warm-up', () => {
  // 200 MiB/hour over 4 minutes after the warm-up: 13 MiB, below the 16 MiB floor; 600 MiB/hour: 40 MiB.
  const short = { warmupS: 30, endS: 270 };
  assert.equal(judgeSoak([line('s', 'server', 'rssMiB', 600, 200, 0, 270)], { lostWrites: 0 }, short).verdict, 'pass');
  assert.equal(judgeSoak([line('s', 'server', 'rssMiB', 600, 600, 0, 270)], { lostWrites: 0 }, short).verdict, 'fail');
});

test('a process started late (a restarted server) gets its own warm-up before it is fitted', () => {
  // Restarted at 400 s: grows 60 MiB in its first 300 s (start-up), flat after; fitted from 700 s only.
  const samples = [];
  for (let t = 400; t <= 1200; t += 10) samples.push({ tS: t, value: 500 + Math.min(t - 400, 300) / 5 + ((t / 10) % 2 === 0 ? 0.3 : -0.3) });
  const v = judgeSoak([{ label: 'server 3', kind: 'server', metric: 'rssMiB', samples }], { lostWrites: 0 }, window);
  assert.equal(v.series[0]!.growth!.samples, 51);
  assert.equal(v.verdict, 'pass');
});

test('descriptors have their own bound', () => {
  assert.equal(judgeSoak([line('c', 'coordinator', 'fds', 30, 100)], { lostWrites: 0 }, window).verdict, 'fail');
  assert.equal(judgeSoak([line('c', 'coordinator', 'fds', 30, 30)], { lostWrites: 0 }, window).verdict, 'pass');
});

test('a short-lived process is not judged, however steep its start; heap is shown, not judged', () => {
  const v = judgeSoak([line('run coordinator', 'coordinator', 'rssMiB', 50, 5000, 400, 440), line('soak', 'soak', 'heapMiB', 10, 900), line('s', 'server', 'rssMiB', 1, 0)], { lostWrites: 0 }, window);
  assert.equal(v.verdict, 'pass');
  assert.deepEqual(v.series.map((s) => s.verdict), ['not judged', 'not judged', 'pass']);
});

test('lost writes fail the soak; unmeasured lost writes do not count as 0 or as a failure', () => {
  const flat = [line('c', 'coordinator', 'rssMiB', 100, 0)];
  const lost = judgeSoak(flat, { lostWrites: 2 }, window);
  assert.equal(lost.verdict, 'fail');
  assert.match(lost.reasons[0]!, /2 lost write/);
  assert.equal(judgeSoak(flat, { lostWrites: undefined }, window).verdict, 'pass');
});

test('nothing judged is not measured, not a pass', () => {
  const v = judgeSoak([line('c', 'coordinator', 'rssMiB', 100, 0, 0, 200)], { lostWrites: 0 }, window);
  assert.equal(v.verdict, 'not measured');
  assert.equal(v.series[0]!.verdict, 'not judged');
});
