// The report draws what a scenario declares (scenarios/report-view.ts), and only that: a scenario the
// suite does not have (the demo-scenario fixture and its declaration) gets a chart or table of each kind
// with no change to src/report; a declared figure without data is named, with why, and not drawn; a
// key-figure column no row fills is left out. And every scenario's declaration names figures it reports.
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { perFaultTable } from '../../src/report/figure-tables.ts';
import { readRunArgument } from '../../src/report/read-run.ts';
import { buildReport } from '../../src/report/report.ts';
import { casesOf } from '../../src/report/strip-chart.ts';
import { FIGURES } from '../../src/scenarios/catalog.ts';
import { SCENARIOS } from '../../src/scenarios/registry.ts';
import { demoReport } from '../fixtures/report/demo-scenario.ts';

const FIXTURES = fileURLToPath(new URL('../fixtures/report/', import.meta.url));
const demo = () => readRunArgument(path.join(FIXTURES, 'demo-scenario')).runs[0]!;
const lookup = (id: string) => (id === 'demo-scenario' ? demoReport : undefined);

describe("a scenario's report declaration", () => {
  it('draws a figure of each kind for a scenario src/report does not know', async () => {
    const { html } = await buildReport([demo()], { declarations: lookup, generatedAt: new Date(0) });
    const figures = [...html.matchAll(/<figure class="chart" data-kind="([^"]+)" data-points="(\d+)">\s*<figcaption><h4>([^<]+)<\/h4>/g)].map((m) => [m[1], Number(m[2]), m[3]]);
    assert.deepEqual(figures.map((f) => f[0]).sort(), ['distribution', 'per-fault', 'per-session', 'scalar', 'sweep']);
    assert.ok(figures.every((f) => (f[1] as number) > 0), 'every chart has data');
    assert.match(html, /<h4>Not drawn<\/h4><ul><li><b>a figure without data<\/b>: no run here reported never_reported/);
    assert.match(html, /<th>wait p50<br><span class="unit">\(ms\)<\/span><\/th><th>speed<br><span class="unit">\(ops\/s\)<\/span><\/th><th>driver<br>saturated<\/th>/);
    assert.match(html, /Not in this run \(no recipe reported them\): never reported\./);
    // The glossary: every figure named, with its unit and meaning.
    assert.match(html, /<h4>What the figures mean<\/h4><dl class="facts"><dt><code>wait<\/code> <span class="unit">\(ms\)<\/span><\/dt><dd>wait: from asking to being served\.<\/dd>/);
    assert.match(html, /<dt><code>outage\.&lt;fault&gt;<\/code>/);
  });

  it('names each fault in its row and takes the election from run.json', () => {
    const chart = demoReport.charts.find((c) => c.kind === 'per-fault');
    assert.ok(chart?.kind === 'per-fault');
    const t = perFaultTable([demo()], chart.columns);
    assert.deepEqual(t.rows.map((r) => [r.fault, r.cells.map((c) => c.value)]), [['1. kill server 1 (was leader) at 3 s', [400, 850]]]);
  });

  it("gives back each session's value from the percentile rows", () => {
    assert.deepEqual(casesOf(demo(), 'alpha', 'outage.1'), [100, 150, 200, 300, 400]);
  });

  it("draws a run of an unknown scenario from its files, and says so", async () => {
    const { html } = await buildReport([demo()], { generatedAt: new Date(0) });
    assert.match(html, /The demo-scenario scenario declares no report/);
    assert.match(html, /data-kind="distribution"/);
  });

  it('every scenario declares key figures and charts of figures it reports', () => {
    for (const s of SCENARIOS) {
      const named = [
        ...s.report.keyFigures.map((k) => k.metric),
        ...s.report.charts.flatMap((c) =>
          c.kind === 'scalar' ? c.figures.map((f) => f.metric) : c.kind === 'per-fault' ? c.columns.flatMap((col) => ('family' in col ? [`${col.family}.1`] : [])) : c.kind === 'per-session' ? [`${c.family}.1`] : [c.metric],
        ),
      ];
      for (const m of named) assert.ok(FIGURES.info(m) !== undefined, `${s.id}: ${m} is a figure the suite reports`);
      assert.ok(s.report.keyFigures.length > 0 && s.report.charts.length > 0, s.id);
    }
  });
});
