// The report's charts as specs (what is drawn, on which scales) and drawn (SVG in Node), and the page
// they are put into: the fixtures under test/fixtures/report are a failover run with a timeline.csv and
// a suite of two runs.
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import {
  barChart,
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
import { keyFigures } from '../../src/report/html.ts';
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

describe('bar charts', () => {
  it('draws throughput per recipe from the scalar rows of summary.csv', async () => {
    const run = failover();
    const c = barChart([run], 'throughput', ctxOf([run]))!;
    assert.equal(c.unit, 'acquisitions/s');
    assert.deepEqual(
      c.values.map((v) => [v.recipe, v.value, v.label]),
      [
        ['predecessor', 600, '600'],
        ['children-watch', 100, '100'],
      ],
    );
    const spec = json(c.spec);
    assert.equal(spec.layer[0].mark.type, 'bar');
    assert.equal(spec.encoding.x.field, 'value');
    assert.equal(spec.encoding.y.field, 'recipe');
    assert.equal(spec.encoding.yOffset, undefined);
    const { svg, warnings } = await renderSvg(c.spec);
    assert.deepEqual(warnings, []);
    assert.equal(count(svg, /aria-roledescription="bar"/g), 2);
    assert.ok(svg.includes('>600</text>') && svg.includes('>100</text>'), 'bars are labelled with their figures');
  });

  it('groups notifications per acquire by run when several runs are given', async () => {
    const a = failover();
    const b: ReportRun = { ...failover(), name: 'second' };
    const c = barChart([a, b], 'notifications_per_acquire', ctxOf([a, b]))!;
    assert.equal(c.values.length, 4);
    const spec = json(c.spec);
    assert.equal(spec.encoding.yOffset.field, 'run');
    assert.equal(spec.layer[0].encoding.color.field, 'run');
    const { svg } = await renderSvg(c.spec);
    assert.equal(count(svg, /aria-roledescription="bar"/g), 4);
    assert.ok(svg.includes('>19.6</text>') && svg.includes('>1.01</text>'));
    assert.ok(svg.includes('>second</text>'), 'the legend names the run');
  });

  it('draws nothing for a metric with no scalar rows', () => {
    const run = failover();
    assert.equal(barChart([run], 'acquire', ctxOf([run])), undefined);
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

  it('draws ops, errors and p99 over time with a rule at every event time', async () => {
    const run = failover();
    const c = timelineChart(run, ctxOf([run]))!;
    assert.deepEqual(c.panels, ['ops', 'errors', 'p99_ms']);
    const spec = json(c.spec);
    assert.equal(spec.vconcat.length, 3);
    for (const [i, panel] of spec.vconcat.entries()) {
      const [line, rule] = panel.layer;
      assert.equal(line.mark.type, 'line');
      assert.equal(line.encoding.y.field, c.panels[i]);
      assert.equal(line.encoding.x.field, 't_s');
      assert.equal(rule.mark.type, 'rule');
      assert.deepEqual(rule.data.values.map((v: Json) => v.t_ms), [1000, 2200], 'rules at the event times');
    }
    const labels = spec.vconcat[0].layer[2];
    assert.equal(labels.mark.type, 'text');
    assert.deepEqual(labels.data.values.map((v: Json) => v.event), ['kill leader (server 3)', 'server 3 restarted, rejoins as follower']);

    const { svg, warnings } = await renderSvg(c.spec);
    assert.deepEqual(warnings, []);
    assert.equal(count(svg, /<line [^>]*stroke="#b03a2e"/g), 6, 'two event rules in each of three panels');
    assert.ok(svg.includes('>kill leader (server 3)</text>'));
    assert.ok(svg.includes('>server 3 restarted, rejoins as follower</text>'));
  });

  it('draws server warnings as unlabelled grey rules, apart from the labelled events', () => {
    const run = failover();
    const warning = { ...run.timeline!.find((r) => r.event !== '')!, tMs: 1500, event: 'server 2 WARN NIOServerCnxn: Close of session 0x1 (×12)' };
    const noisy: ReportRun = { ...run, timeline: [...run.timeline!, warning] };
    const c = timelineChart(noisy, ctxOf([noisy]))!;
    assert.deepEqual(c.events.map((e) => e.t_ms), [1000, 2200]);
    assert.deepEqual(c.serverWarnings.map((e) => e.event), [warning.event]);
    const layers = json(c.spec).vconcat[0].layer;
    const grey = layers.find((l: Json) => l.mark.type === 'rule' && l.mark.color === '#888');
    assert.deepEqual(grey.data.values.map((v: Json) => v.t_ms), [1500]);
    const labels = layers.find((l: Json) => l.mark.type === 'text');
    assert.ok(!labels.data.values.some((v: Json) => v.event === warning.event), 'warnings carry no label');
  });

  it('draws the workload\'s faults and their elections as solid labelled rules, apart from the other events', async () => {
    const run = failover();
    const row = run.timeline!.find((r) => r.event !== '')!;
    const faulted: ReportRun = {
      ...run,
      timeline: [...run.timeline!, { ...row, tMs: 1200, event: 'fault: kill server 3 (leader)' }, { ...row, tMs: 1450, event: 'election: server 1 leads' }],
    };
    const c = timelineChart(faulted, ctxOf([faulted]))!;
    assert.deepEqual(c.faults.map((e) => e.event), ['fault: kill server 3 (leader)', 'election: server 1 leads']);
    assert.deepEqual(c.events.map((e) => e.t_ms), [1000, 2200], 'the other events stay dashed');
    const layers = json(c.spec).vconcat[0].layer;
    const solid = layers.find((l: Json) => l.mark.type === 'rule' && l.mark.color === '#1a1a1a');
    assert.deepEqual(solid.data.values.map((v: Json) => v.t_ms), [1200, 1450]);
    assert.equal(solid.mark.strokeDash, undefined, 'solid');
    const { svg, warnings } = await renderSvg(c.spec);
    assert.deepEqual(warnings, []);
    assert.ok(svg.includes('>kill server 3 (leader)</text>') && svg.includes('>server 1 leads</text>'), 'labelled without the prefix');
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

  it('plans percentile charts per latency, two bar charts, and a timeline per run that has one', () => {
    const run = failover();
    const plan = planCharts([run], ctxOf([run]));
    assert.deepEqual(plan.map((p) => `${p.kind}: ${p.title}`), [
      'percentiles: acquire latency by percentile',
      'percentiles: handoff latency by percentile',
      'bars: throughput per recipe',
      'bars: notifications_per_acquire per recipe',
      'timeline: timeline of failover-run',
    ]);
    assert.match(plan[0]!.intro, /log scale of 1\/\(1−p\)/);
    assert.match(plan[4]!.intro, /kill leader \(server 3\) at 1 s; server 3 restarted, rejoins as follower at 2\.2 s/);
    assert.match(plan[4]!.intro, /Leader: server 3 from 0 s, server 1 from 1\.4 s/);
  });

  it('takes the key figures and the saturation flags per recipe', () => {
    const [contention, churn] = suite();
    assert.deepEqual(keyFigures(contention!)[0], {
      recipe: 'exclusive-node',
      acquireP50: 1547,
      acquireP99: 10199,
      handoffP50: 23.8,
      throughput: 30.6,
      notificationsPerAcquire: 74,
      violations: 0,
      saturated: true,
      saturationReasons: ['worker 0 event-loop delay p99 14.2 ms > 10 ms'],
    });
    assert.equal(keyFigures(churn!)[0]!.violations, 5816);
    assert.equal(keyFigures(churn!)[0]!.saturated, false);
  });

  it('is one self-contained page: headers, tables, one inline SVG per chart, no scripts or links', async () => {
    const runs = [failover(), ...suite()];
    const { html, charts, warnings } = await buildReport(runs, { generatedAt: new Date('2026-11-22T09:00:00Z') });
    assert.deepEqual(warnings, []);
    assert.equal(charts, 5 + 4 + 4);
    assert.equal(count(html, /<figure class="chart">\s*<figcaption>[\s\S]*?<\/figcaption>\s*<svg /g), 13);
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
