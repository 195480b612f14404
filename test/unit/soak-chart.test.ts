import { test } from 'node:test';
import assert from 'node:assert/strict';
import { soakChart } from '../../bench/soak-chart.ts';

test('one line per process with samples, an empty panel says not measured, labels escaped', () => {
  const svg = soakChart(
    'soak <x>',
    [
      {
        title: 'resident memory',
        unit: 'MiB',
        series: [
          { label: 'server 1 (pid 1)', kind: 'server', points: [{ tS: 0, value: 100 }, { tS: 10, value: 110 }, { tS: 20, value: 120 }] },
          { label: 'load <pid 2>', kind: 'load', points: [{ tS: 10, value: 50 }, { tS: 20, value: 55 }] },
          { label: 'gone', kind: 'coordinator', points: [] },
        ],
      },
      { title: 'heap', unit: 'MiB', series: [{ label: 'server 1', kind: 'server', points: [] }] },
    ],
    20,
    5,
  );
  assert.equal((svg.match(/<polyline /g) ?? []).length, 2);
  assert.equal((svg.match(/<polyline [^>]*points="([^"]+)"/)![1]!.split(' ')).length, 3);
  assert.match(svg, /heap \(MiB\) — not measured/);
  assert.doesNotMatch(svg, /resident memory \(MiB\) — not measured/);
  assert.match(svg, /load &lt;pid 2&gt;/);
  assert.match(svg, /<title>soak &lt;x&gt;<\/title>/);
});
