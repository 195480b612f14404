// The report's charts as specs (what is drawn, on which scales) and drawn (SVG in Node), and the page
// they are put into: the fixtures under test/fixtures/report are a failover run with a timeline.csv and
// a suite of two runs.
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import {
  bursts,
  labelWidth,
  placeLabels,
  distributionMetrics,
  leaderChanges,
  logTicks,
  percentileChart,
  PERCENTILE_TICKS,
  timelineChart,
  timelineEvents,
  timelineInterval,
  type ChartContext,
} from '../../src/report/charts.ts';
import { escapeHtml } from '../../src/report/escape-html.ts';
import { keyFigureTable } from '../../src/report/figure-tables.ts';
import { lockReport } from '../../src/scenarios/lock-contention/report.ts';
import { readRunArgument, type ReportRun } from '../../src/report/read-run.ts';
import { renderSvg, scopeSvgIds } from '../../src/report/render-svg.ts';
import { buildReport, groupByWorkload, planCharts, uniqueRunNames } from '../../src/report/report.ts';

const FIXTURES = fileURLToPath(new URL('../fixtures/report/', import.meta.url));
const failover = (): ReportRun => readRunArgument(path.join(FIXTURES, 'failover-run')).runs[0]!;
const suite = (): ReportRun[] => readRunArgument(path.join(FIXTURES, 'suite')).runs;
const ctxOf = (runs: readonly ReportRun[]): ChartContext => ({ recipes: [...new Set(runs.flatMap((r) => r.summary.map((s) => s.recipe)))] });

/** The spec as plain JSON, to look into without the Vega-Lite types in the way. */
type Json = Record<string, any>;
const json = (spec: unknown): Json => JSON.parse(JSON.stringify(spec)) as Json;

/** Count of SVG elements with this class (vega marks their groups role-*, e.g. role-axis, mark-rule). */
const count = (svg: string, re: RegExp): number => [...svg.matchAll(re)].length;

describe('percentile distribution chart', () => {
  it('draws value_ms over 1/(1-p) on a log x axis, one line per recipe, without the Infinity rows', () => {
    const run = failover();
    const c = percentileChart([run], 'acquire', ctxOf([run]))!;
    const spec = json(c.spec);
    assert.equal(spec.mark.type, 'line');
    assert.equal(spec.encoding.x.field, 'inverted');
    assert.equal(spec.encoding.x.scale.type, 'log');
    assert.equal(spec.encoding.y.field, 'value_ms');
    assert.equal(spec.encoding.color.field, 'recipe');
    assert.equal(spec.encoding.strokeDash, undefined, 'one run: no per-run dash');
    assert.deepEqual(c.series, [
      { run: 'failover-run', recipe: 'predecessor' },
      { run: 'failover-run', recipe: 'children-watch' },
    ]);
    assert.equal(spec.data.values.length, 20, '10 finite rows per recipe in the fixture');
    assert.ok(spec.data.values.every((v: Json) => Number.isFinite(v.inverted) && v.inverted >= 1));
    // Ticks where HdrHistogram plots put them, only as far as the data goes (max inverted 256).
    assert.deepEqual(spec.encoding.x.axis.values, [1, 2, 10, 100]);
    assert.match(spec.encoding.x.axis.labelExpr, /datum.value == 2 \? '50%'/);
    assert.match(spec.encoding.x.axis.labelExpr, /datum.value == 100 \? '99%'/);
  });

  it('labels the ticks 50%, 90%, 99%, 99.9%, 99.99% and draws them in SVG', async () => {
    assert.deepEqual(
      PERCENTILE_TICKS.slice(1, 6).map((t) => [t.inverted, t.label]),
      [
        [2, '50%'],
        [10, '90%'],
        [100, '99%'],
        [1000, '99.9%'],
        [10000, '99.99%'],
      ],
    );
    const run = failover();
    const long: ReportRun = { ...run, percentiles: run.percentiles.map((p) => ({ ...p, inverted: p.inverted ** 2 })) }; // up to 65536
    const c = percentileChart([long], 'acquire', ctxOf([long]))!;
    const { svg, warnings } = await renderSvg(c.spec);
    assert.deepEqual(warnings, []);
    for (const label of ['0%', '50%', '90%', '99%', '99.9%', '99.99%']) assert.ok(svg.includes(`>${label}</text>`), `tick ${label}`);
    assert.ok(!svg.includes('>99.999%<'), 'no tick beyond the data');
  });

  it('uses a log y axis when the recipes differ by more than 100x, a linear one from zero otherwise', () => {
    const run = failover();
    const acquire = percentileChart([run], 'acquire', ctxOf([run]))!; // 40 ms .. ~10 s
    assert.equal(acquire.logY, true);
    const y = json(acquire.spec).encoding.y;
    assert.equal(y.scale.type, 'log');
    assert.deepEqual(y.scale.domain, [10, 100000]);
    assert.deepEqual(y.axis.values, [10, 100, 1000, 10000, 100000]);
    const one: ReportRun = { ...run, percentiles: run.percentiles.filter((p) => p.recipe === 'predecessor') };
    const narrow = percentileChart([one], 'acquire', ctxOf([one]))!;
    assert.equal(narrow.logY, false);
    assert.equal(json(narrow.spec).encoding.y.scale.zero, true);
  });

  it('log ticks: decades, with 2x and 5x over short spans', () => {
    assert.deepEqual(logTicks(3, 40), { domain: [1, 100], values: [1, 2, 5, 10, 20, 50, 100] });
    assert.deepEqual(logTicks(0.5, 9000).values, [0.1, 1, 10, 100, 1000, 10000]);
    assert.deepEqual(logTicks(10, 10).domain, [10, 100]);
  });

  it('draws one line per run and recipe when several runs are given, naming the runs in the legend', async () => {
    const a = failover();
    const b: ReportRun = { ...failover(), name: '20261123T070000Z-failover', percentiles: failover().percentiles.map((p) => ({ ...p, valueMs: p.valueMs * 2 })) };
    const c = percentileChart([a, b], 'handoff', ctxOf([a, b]))!;
    assert.deepEqual(
      c.series.map((s) => `${s.run} ${s.recipe}`),
      ['failover-run predecessor', 'failover-run children-watch', '20261123T070000Z-failover predecessor', '20261123T070000Z-failover children-watch'],
    );
    const spec = json(c.spec);
    assert.equal(spec.encoding.strokeDash.field, 'run');
    const { svg } = await renderSvg(c.spec);
    assert.equal(count(svg, /<path[^>]*aria-roledescription="line mark"/g), 4, 'four lines');
    assert.ok(svg.includes('>20261123T070000Z-failover</text>'), 'the legend names the run');
    assert.ok(svg.includes('>failover-run</text>'));
  });

  it('lists the distribution metrics percentiles.csv holds, and draws nothing for an absent one', () => {
    const run = failover();
    assert.deepEqual(distributionMetrics([run]), ['acquire', 'handoff']);
    assert.equal(percentileChart([run], 'notify', ctxOf([run])), undefined);
  });

  it('keeps a recipe in one colour in every chart of a report', () => {
    const runs = suite();
    const ctx = ctxOf(runs);
    const colours = (r: ReportRun): Record<string, string> => {
      const s = json(percentileChart([r], 'acquire', ctx)!.spec).encoding.color.scale;
      return Object.fromEntries(s.domain.map((d: string, i: number) => [d, s.range[i]]));
    };
    const [contention, churn] = runs;
    assert.equal(colours(contention!)['predecessor'], colours(churn!)['predecessor']);
    assert.notEqual(colours(churn!)['predecessor-unchecked'], colours(churn!)['predecessor']);
  });
});

describe('timeline chart', () => {
  it('finds the events once per time, the leader changes and the interval', () => {
    const rows = failover().timeline!;
    assert.deepEqual(timelineEvents(rows), [
      { t_ms: 1000, t_s: 1, event: 'kill leader (server 3)' },
      { t_ms: 2200, t_s: 2.2, event: 'server 3 restarted, rejoins as follower' },
    ]);
    assert.deepEqual(leaderChanges(rows), [
      { tMs: 0, leader: '3' },
      { tMs: 1400, leader: '1' },
    ]);
    assert.equal(timelineInterval(rows), 100);
  });

  it('groups events into bursts, one label each with the count by kind', () => {
    const ev = (t_ms: number, event: string) => ({ t_ms, t_s: t_ms / 1000, event });
    const b = bursts([ev(1000, 'session disconnected (×6)'), ev(1020, 'session disconnected (×6)'), ev(1100, 'session expired'), ev(5000, 'join: server 4 registers')], 0.3, 'events');
    assert.deepEqual(b.map((x) => [x.t_s, x.count, x.label]), [
      [1, 13, '13 events: 12 session disconnected, 1 session expired'],
      [5, 1, 'join: server 4 registers'],
    ]);
    assert.equal(bursts([ev(0, 'join: server 1 registers'), ev(100, 'join: server 2 registers')], 0.3, 'events')[0]!.label, '2× join');
  });

  it('places labels in rows so that no two overlap, and keeps them inside the chart', () => {
    const labels = [0, 0.1, 0.2, 5, 9.9].map((t, i) => ({ t_s: t, text: `label number ${i} with some words` }));
    const { placed, rows } = placeLabels(labels, [0, 10], 640, 10);
    assert.equal(placed.length, 5);
    assert.ok(rows >= 3, 'three labels at nearly one time take three rows');
    const span = (p: (typeof placed)[number]): [number, number] => {
      const x = (p.at_s / 10) * 640;
      const w = labelWidth(p.text, 10);
      return p.alignRight ? [x - w, x] : [x, x + w];
    };
    for (const a of placed) {
      const [from, to] = span(a);
      assert.ok(from >= 0 && to <= 640, `${a.text} inside the chart`);
      for (const b of placed) if (a !== b && a.row === b.row) assert.ok(span(a)[1] <= span(b)[0] || span(b)[1] <= span(a)[0], `${a.text} and ${b.text} apart`);
    }
    assert.ok(placed.find((p) => p.t_s === 9.9)!.alignRight, 'the last one is drawn leftwards');
    assert.deepEqual(placeLabels(labels, [0, 10], 640, 10, 1).dropped.map((l) => l.t_s), [0.1, 0.2, 9.9], 'beyond the rows allowed, labels are dropped');
  });

  it('draws the lanes (events, leader band, server warnings) above ops, errors and p99', async () => {
    const run = failover();
    const warning = { ...run.timeline!.find((r) => r.event !== '')!, tMs: 1500, event: 'server 2 WARN NIOServerCnxn: Close of session 0x1 (×12)' };
    const row = run.timeline!.find((r) => r.event !== '')!;
    const noisy: ReportRun = { ...run, timeline: [...run.timeline!, warning, { ...row, tMs: 1200, event: 'fault: kill server 3 (leader)' }] };
    const c = timelineChart(noisy, ctxOf([noisy]))!;
    assert.deepEqual(c.panels, ['ops', 'errors', 'p99_ms']);
    assert.deepEqual(c.faults.map((e) => e.event), ['fault: kill server 3 (leader)']);
    assert.deepEqual(c.bursts.map((b) => b.label), ['kill leader (server 3)', 'server 3 restarted, rejoins as follower']);
    assert.deepEqual(c.warningBursts.map((b) => b.label), ['12 warnings']);
    const spec = json(c.spec);
    assert.deepEqual(spec.vconcat.map((v: Json) => v.title?.text ?? v.layer.find((l: Json) => l.mark.type === 'line').encoding.y.field), [
      'faults, elections and session events',
      'leader',
      'server warnings (WARN/ERROR lines of the servers)',
      'ops',
      'errors',
      'p99_ms',
    ]);
    const band = spec.vconcat[1].layer[0];
    assert.deepEqual(band.data.values.map((v: Json) => v.leader), ['server 3', 'server 1']);
    for (const panel of spec.vconcat.slice(3)) {
      const rules = panel.layer.filter((l: Json) => l.mark.type === 'rule');
      assert.deepEqual(rules.map((r: Json) => r.data.values.length), [2, 1], 'a dashed rule per burst, a solid one per fault');
    }
    const { svg, warnings } = await renderSvg(c.spec);
    assert.deepEqual(warnings, []);
    for (const text of ['kill server 3 (leader)', 'kill leader (server 3)', 'server 3 restarted, rejoins as follower', '12 warnings', 'leader: server 3']) assert.ok(svg.includes(`>${text}</text>`), text);
  });

  it('has no errors panel when no interval had errors, and no timeline without timeline.csv', () => {
    const run = failover();
    const calm: ReportRun = { ...run, timeline: run.timeline!.map((r) => ({ ...r, errors: 0 })) };
    assert.deepEqual(timelineChart(calm, ctxOf([calm]))!.panels, ['ops', 'p99_ms']);
    assert.equal(timelineChart(suite()[0]!, ctxOf(suite())), undefined);
  });
});

describe('the report page', () => {
  it('groups runs by workload and names same-named runs apart', () => {
    const runs = [...suite(), failover()];
    assert.deepEqual(groupByWorkload(runs).map((g) => [g.workload, g.runs.length]), [
      ['lock-contention', 1],
      ['lock-churn', 1],
      ['failover', 1],
    ]);
    const twice = uniqueRunNames([failover(), failover()]);
    assert.deepEqual(twice.map((r) => r.name), ['report/failover-run', 'report/failover-run (2)']);
  });

  it("plans the charts the run's scenario declares, says why the others are absent, and a timeline per run that has one", () => {
    const run = failover();
    const { charts: plan, absent } = planCharts([run], ctxOf([run]));
    assert.deepEqual(plan.map((p) => `${p.kind}: ${p.title}`), [
      'distribution: acquire latency by percentile',
      'distribution: hand-off latency by percentile',
      'scalar: cost and fairness per recipe',
      'timeline: timeline of failover-run',
    ]);
    assert.ok(plan.every((p) => p.points > 0));
    assert.deepEqual(absent.map((a) => a.title), ['open-loop latency by percentile', 'first acquisition per client by percentile']);
    assert.match(absent[0]!.reason, /no run here reported latency/);
    assert.match(plan[0]!.intro, /log scale of 1\/\(1−p\)/);
    assert.match(plan[3]!.intro, /kill leader \(server 3\) at 1 s; server 3 restarted, rejoins as follower at 2\.2 s/);
    assert.match(plan[3]!.intro, /the leader: server 3 from 0 s, server 1 from 1\.4 s/);
  });

  it('takes the declared key figures per recipe, leaving out a column no row fills', () => {
    const [contention, churn] = suite();
    const t = keyFigureTable(contention!, lockReport.keyFigures);
    assert.deepEqual(t.columns.map((k) => k.header), ['acquire p50', 'acquire p99', 'hand-off p50', 'throughput', 'notifications per acquire', 'violations']);
    assert.deepEqual(t.absent.map((k) => k.header), ['latency p99 (open loop)']);
    assert.deepEqual(t.rows[0], { recipe: 'exclusive-node', cells: [{ value: 1547 }, { value: 10199 }, { value: 23.8 }, { value: 30.6 }, { value: 74 }, { value: 0 }] });
    const bad = keyFigureTable(churn!, lockReport.keyFigures).rows[0]!.cells.at(-1);
    assert.deepEqual(bad, { value: 5816, bad: true });
  });

  it('is one self-contained page: headers, tables, one inline SVG per chart, no scripts or links', async () => {
    const runs = [failover(), ...suite()];
    const { html, charts, warnings } = await buildReport(runs, { generatedAt: new Date('2026-11-22T09:00:00Z') });
    assert.deepEqual(warnings, []);
    // failover: 2 distributions, the scalars, the timeline; each suite run: 2 distributions and the scalars.
    assert.equal(charts, 4 + 3 + 3);
    assert.equal(count(html, /<figure class="chart" [^>]*>\s*<figcaption>[\s\S]*?<\/figcaption>\s*<(svg|table) /g), 10);
    assert.equal(count(html, /<section class="run"/g), 3);
    for (const needle of ['failover-run', 'suite/lock-contention', 'suite/lock-churn', 'leader: server 3', 'zkbench 0.1.0', 'ZooKeeper server 3.8.0', 'yes *', '5816', 'npm run bench -- --workload failover']) {
      assert.ok(html.includes(escapeHtml(needle)), needle);
    }
    assert.equal(count(html, /<span class="outcome-completed">completed<\/span>/g), 3);
    assert.doesNotMatch(html, /<script|<link|<img|<iframe|@import|@font-face|url\((?!#)/i);
    // The only http(s) strings are XML namespace names, which no browser fetches.
    const urls = [...html.matchAll(/https?:\/\/[^"' )]+/g)].map((m) => m[0]);
    assert.ok(urls.every((u) => u.startsWith('http://www.w3.org/')), urls.join(' '));
    // Element ids are unique across the page (each chart's clip paths are its own).
    const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
    assert.equal(new Set(ids).size, ids.length);
  });

  it('scopes SVG ids and the references to them', () => {
    const svg = '<svg><clipPath id="clip1"><rect/></clipPath><g clip-path="url(#clip1)"></g><use href="#clip1"/><a href="#other"/></svg>';
    assert.equal(
      scopeSvgIds(svg, 'c7'),
      '<svg><clipPath id="c7-clip1"><rect/></clipPath><g clip-path="url(#c7-clip1)"></g><use href="#c7-clip1"/><a href="#other"/></svg>',
    );
  });

  it('escapes what runs bring into the page', async () => {
    const run = failover();
    const odd: ReportRun = { ...run, name: '<b>run</b>', info: { ...run.info, description: 'a & b <script>alert(1)</script>' } };
    const { html } = await buildReport([odd]);
    assert.ok(!html.includes('<script>'));
    assert.ok(html.includes('a &amp; b &lt;script&gt;'));
    assert.ok(html.includes('&lt;b&gt;run&lt;/b&gt;'));
  });
});
