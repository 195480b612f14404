// timeline.csv: every interval of each recipe's span (empty ones as zeros), event rows at their own
// moment, the leader forward-filled, the phase, and a file the report reads back as written.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IntervalRecorder, recipeTimeline, TIMELINE_INTERVAL_NS, type RecipeTimeline } from '../../src/measure/timeline.ts';
import { parseCsv } from '../../src/results/read-csv.ts';
import type { RunRecord } from '../../src/results/run-record.ts';
import { TIMELINE_COLUMNS, timelineCsv } from '../../src/results/timeline-csv.ts';
import type { RecipeResult } from '../../src/results/recipe-result.ts';
import { timelineChart, timelineInterval } from '../../src/report/charts.ts';
import { timelineRowsFrom, type ReportRun } from '../../src/report/read-run.ts';
import { renderSvg } from '../../src/report/render-svg.ts';
import { validateWorkload } from '../../src/scenarios/catalog.ts';

const MS = 1e6;

function recipe(name: string, timeline: RecipeTimeline | undefined): RecipeResult {
  const t0 = new Date('2026-11-22T06:00:00Z');
  return {
    recipe: name,
    clients: 2,
    metrics: [],
    violations: [],
    driverSaturated: false,
    windowS: 0.3,
    health: [],
    connectMs: [],
    firstAcquisitionAt: undefined,
    startedAt: t0,
    endedAt: t0,
    interrupted: false,
    ...(timeline ? { timeline } : {}),
  };
}

function run(recipes: RecipeResult[], events: RunRecord['events'] = undefined): RunRecord {
  const t0 = new Date('2026-11-22T06:00:00Z');
  return {
    runId: 'r',
    workload: validateWorkload('unit.yaml', { name: 'unit', scenario: 'lock-contention', recipes: ['predecessor'], clients: 2, duration_s: 0.3 }),
    workloadFile: 'unit.yaml',
    argv: [],
    versions: { suite: '0', node: process.version, zookeeperClient: 'x', zookeeperServer: undefined },
    host: { hostname: 'h', platform: 'p', cpus: 2, cpuModel: 'c', memoryGb: 1 },
    ensemble: { kind: 'embedded', connectString: '', servers: 1, leaderId: 1, serverVersion: undefined, settings: undefined, startMs: 1, serverCpuPct: {}, notes: [] },
    startedAt: t0,
    endedAt: t0,
    outcome: 'completed',
    error: undefined,
    timeToFirstAcquisitionMs: undefined,
    recipes,
    thresholds: [],
    ...(events ? { events } : {}),
  };
}

/** predecessor: clients start at 1000.5 ms, warm-up 200 ms, 300 ms measured; a stall in its second measured interval. */
function predecessorTimeline(): RecipeTimeline {
  const measureFrom = 1200.5 * MS;
  const rec = new IntervalRecorder(measureFrom);
  rec.completed(1050 * MS, 2 * MS); // warm-up
  rec.completed(1250 * MS, 4 * MS);
  rec.completed(1260 * MS, 6 * MS);
  rec.failed(1310 * MS); // the stall: an error, nothing completes
  rec.event(1305 * MS, 'session', 'session disconnected');
  rec.event(1306 * MS, 'session', 'session disconnected');
  rec.completed(1450 * MS, 1 * MS);
  const t = recipeTimeline('predecessor', { gridFrom: measureFrom, intervalNs: TIMELINE_INTERVAL_NS }, { startAt: 1000.5 * MS, measureFrom, stopAt: 1500.5 * MS }, [rec.report()]);
  return { ...t, leaders: [{ atNs: 1100 * MS, leader: 3 }, { atNs: 1350 * MS, leader: undefined }, { atNs: 1420 * MS, leader: 1 }] };
}

describe('timeline.csv', () => {
  it('has the SPEC columns first, then phase', () => {
    const header = timelineCsv(run([])).trim().split('\n')[0];
    assert.equal(header, 't_ms,recipe,ops,errors,p50_ms,p99_ms,max_ms,leader,event,phase');
    assert.deepEqual(TIMELINE_COLUMNS.slice(0, 9), ['t_ms', 'recipe', 'ops', 'errors', 'p50_ms', 'p99_ms', 'max_ms', 'leader', 'event']);
  });

  it('writes every interval of the span, event rows at their moment, the leader as last polled', () => {
    const rows = parseCsv(timelineCsv(run([recipe('predecessor', predecessorTimeline())])));
    const line = (r: Record<string, string>): string => TIMELINE_COLUMNS.map((c) => r[c]).join(',');
    assert.deepEqual(rows.map(line), [
      '1000,predecessor,1,0,2,2,2,3,,warmup',
      '1100,predecessor,0,0,,,,3,,warmup',
      '1200,predecessor,2,0,4.001,6.003,6.003,3,,measured', // HdrHistogram's highest equivalent values (3 digits)
      '1300,predecessor,0,1,,,,,,measured',
      '1305,predecessor,,,,,,,session disconnected (×2),measured',
      '1400,predecessor,1,0,1,1,1,1,,measured',
    ]);
  });

  it('adds up to every recorded operation, and the report reads it back as written', () => {
    const text = timelineCsv(run([recipe('predecessor', predecessorTimeline()), recipe('untimed', undefined)]));
    const read = timelineRowsFrom(text);
    assert.equal(read.reduce((s, r) => s + (r.ops ?? 0), 0), 4);
    assert.equal(read.reduce((s, r) => s + (r.errors ?? 0), 0), 1);
    const event = read.find((r) => r.event !== '')!;
    assert.deepEqual([event.tMs, event.recipe, event.ops, event.p99Ms, event.leader], [1305, 'predecessor', undefined, undefined, '']);
    assert.equal(read.find((r) => r.tMs === 1300)!.p99Ms, undefined, 'an interval without ops has no latency');
    assert.ok(read.every((r) => r.recipe === 'predecessor'), 'a recipe without a timeline has no rows');
  });

  it('places run-level events in time, with the phase of the recipe they fell in', () => {
    const text = timelineCsv(run([recipe('predecessor', predecessorTimeline())], [
      { atNs: 1333 * MS, source: 'fault', text: 'kill leader (server 3)' },
      { atNs: 5000 * MS, source: 'server-log', text: 'server 1: WARN fsync took 1500 ms' },
    ]));
    const rows = parseCsv(text).filter((r) => r.event !== '');
    assert.deepEqual(rows.map((r) => [r.t_ms, r.recipe, r.event, r.phase]), [
      ['1305', 'predecessor', 'session disconnected (×2)', 'measured'],
      ['1333', '', 'kill leader (server 3)', 'measured'],
      ['5000', '', 'server 1: WARN fsync took 1500 ms', ''],
    ]);
  });
});

describe('timeline.csv in the report', () => {
  it('draws interval rows as lines, event rows as marks, and the warm-up as a band', async () => {
    const timeline = timelineRowsFrom(timelineCsv(run([recipe('predecessor', predecessorTimeline())])));
    const reportRun = { name: 'r', dir: '', suite: undefined, summary: [], percentiles: [], timeline } as unknown as ReportRun;
    assert.equal(timelineInterval(timeline), 100, 'event rows do not count as intervals');
    const c = timelineChart(reportRun, { recipes: ['predecessor'] })!;
    assert.deepEqual(c.events.map((e) => [e.t_ms, e.event]), [[1305, 'session disconnected (×2)']]);
    assert.deepEqual(c.warmups, [{ recipe: 'predecessor', from_s: 1, to_s: 1.2 }]);
    const panels = JSON.parse(JSON.stringify(c.spec)).vconcat as { title?: unknown; layer: { mark: { type: string }; data: { values: { t_ms: number }[] } }[] }[];
    assert.ok(panels[0]!.layer.some((l) => l.mark.type === 'text'), 'the top lane labels the burst');
    const panel = panels.find((p) => p.layer.some((l) => l.mark.type === 'line'))!;
    const [band, line, rule] = panel.layer as [(typeof panel.layer)[number], (typeof panel.layer)[number], (typeof panel.layer)[number]];
    assert.equal(band.mark.type, 'rect');
    assert.equal(line.mark.type, 'line');
    assert.deepEqual(line.data.values.map((v: { t_ms: number }) => v.t_ms), [1000, 1100, 1200, 1300, 1400], 'one point per interval');
    assert.equal(rule.mark.type, 'rule');
    const { svg, warnings } = await renderSvg(c.spec);
    assert.deepEqual(warnings, []);
    assert.ok(svg.includes('>2× session disconnected</text>'), 'one marker per burst, with its count');
  });
});
