// `zkbench report` end to end: a real run (a short bench on a 1-server embedded ensemble), the
// synthetic fixtures (a failover run with timeline.csv, a suite), a recorded small run of every scenario
// (test/fixtures/report/scenarios) and a scenario the suite does not have (demo-scenario) drawn into
// report.html, opened in headless Chromium with every non-file request refused: no console or page errors,
// every chart with data, no two labels overlapping, no key-figure column empty in every row,
// and a screenshot of each page for a person to look at: in the test's scratch directory (removed with it),
// or kept in $ZKBENCH_SCREENSHOTS_DIR when that is set.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it, type TestContext } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { exitOf, startCli, tempDir } from '../helpers/cli.ts';
import { within } from '../helpers/wait.ts';
import { SCENARIOS } from '../../src/scenarios/registry.ts';

const CHROMIUM = '/usr/bin/chromium';
const LAUNCH_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];
const FIXTURES = fileURLToPath(new URL('../fixtures/report/', import.meta.url));
const SCENARIO_FIXTURES = fileURLToPath(new URL('../fixtures/report/scenarios/', import.meta.url));
const REPORT_MODULE = fileURLToPath(new URL('../../src/cli/report.ts', import.meta.url));

const scratch = tempDir('zkbench-report-');
after(() => fs.rmSync(scratch, { recursive: true, force: true }));
const shotsDir = process.env['ZKBENCH_SCREENSHOTS_DIR'] ?? scratch;

interface Finished {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * The report command in its own process, as the CLI runs it: reportCommand(runs, { out }), exit code
 * from its result. (src/cli/main.ts wires the same function to `zkbench report`.)
 */
function runReport(runs: string[], out: string | undefined, cwd: string): Promise<Finished> {
  const script = `const { reportCommand } = await import(${JSON.stringify(`file://${REPORT_MODULE}`)});
const [out, ...runs] = process.argv.slice(1);
process.exitCode = await reportCommand(runs, out ? { out } : {});`;
  // tsx resolved here, not from cwd (the command runs in a scratch directory).
  const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), '--input-type=module', '-e', script, out ?? '', ...runs], {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const finished = new Promise<Finished>((resolve) => child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr })));
  return within(`zkbench report ${runs.join(' ')} to exit`, finished).catch((err: Error) => {
    child.kill('SIGKILL');
    throw new Error(`${err.message}; its stderr:\n${stderr}`);
  });
}

const lastLine = (s: string): string => s.trim().split('\n').at(-1) ?? '';

let browser: Browser | undefined;

async function openBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) {
    assert.fail(`Chromium not found at ${CHROMIUM}: the report test opens report.html in it. Run \`npm run setup\` (as root or with sudo it installs Debian's chromium package) or \`apt-get install -y chromium\`.`);
  }
  browser ??= await chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS });
  return browser;
}
after(async () => browser?.close());

interface PageCheck {
  charts: number;
  tables: number;
  runHeaders: number;
  figureRows: number;
  screenshot: string;
  timelineShot: string | undefined;
}

/** Open a report file with the network cut off; fail on any console error, page error or remote request. */
async function inspect(t: TestContext, file: string, shotName: string): Promise<PageCheck> {
  const b = await openBrowser();
  const context = await b.newContext({ viewport: { width: 1100, height: 900 }, offline: true });
  const remote: string[] = [];
  await context.route('**/*', async (route) => {
    const url = route.request().url();
    if (url.startsWith('file:')) return route.continue();
    remote.push(url);
    return route.abort();
  });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
  try {
    await page.goto(`file://${file}`, { waitUntil: 'load' });
    const charts = page.locator('figure.chart > svg');
    const n = await charts.count();
    const sizes = await charts.evaluateAll((els) => els.map((e) => e.getBoundingClientRect()).map((r) => [r.width, r.height]));
    for (const [w, h] of sizes) assert.ok(w! > 300 && h! > 60, `every chart is drawn at a readable size (got ${w}x${h})`);
    const screenshot = path.join(shotsDir, `${shotName}-${Date.now()}.png`);
    await page.screenshot({ path: screenshot, fullPage: true });
    t.diagnostic(`screenshot: ${screenshot}`);
    const timeline = page.locator('figure.chart', { hasText: 'timeline of' });
    let timelineShot: string | undefined;
    if ((await timeline.count()) > 0) {
      timelineShot = path.join(shotsDir, `${shotName}-timeline-${Date.now()}.png`);
      await timeline.first().screenshot({ path: timelineShot });
      t.diagnostic(`timeline screenshot: ${timelineShot}`);
    }
    assert.deepEqual(problems, [], 'no console errors, page errors or failed requests');
    assert.deepEqual(remote, [], 'the page asked for nothing outside the file');
    return {
      charts: n,
      tables: await page.locator('figure.chart > table').count(),
      runHeaders: await page.locator('section.run').count(),
      figureRows: await page.locator('section.run > table.figures:not(.server-view) tbody tr').count(),
      screenshot,
      timelineShot,
    };
  } finally {
    await context.close();
  }
}

/**
 * What a reader needs of every page, measured in the browser: each chart has data (an SVG with data marks,
 * or a table with figures in its rows, and its data-points count above 0); no two text labels of a chart
 * overlap (their bounding boxes, as Chromium laid them out); no key-figure column is empty in every row.
 * Returns the problems found, named.
 */
async function readable(file: string): Promise<string[]> {
  const b = await openBrowser();
  const context = await b.newContext({ viewport: { width: 1100, height: 900 }, offline: true });
  // tsx names the functions it compiles with a helper the page does not have.
  await context.addInitScript({ content: 'window.__name = (f) => f;' });
  try {
    const page = await context.newPage();
    await page.goto(`file://${file}`, { waitUntil: 'load' });
    return await page.evaluate(() => {
      const problems: string[] = [];
      const dash = (s: string | null | undefined) => ['', '–', '-'].includes((s ?? '').trim());
      for (const fig of document.querySelectorAll('figure.chart')) {
        const title = fig.querySelector('h4')?.textContent ?? '?';
        if (!(Number(fig.getAttribute('data-points')) > 0)) problems.push(`${title}: no data points`);
        const svg = fig.querySelector(':scope > svg');
        const table = fig.querySelector(':scope > table');
        if (svg && svg.querySelectorAll('.role-mark > path, .role-mark > line, .role-mark > g').length === 0) problems.push(`${title}: an SVG without data marks`);
        if (table && ![...table.querySelectorAll('tbody td')].some((td) => /\d/.test(td.textContent ?? ''))) problems.push(`${title}: a table without figures`);
        if (!svg && !table) problems.push(`${title}: neither chart nor table`);
        const boxes = [...fig.querySelectorAll('svg text')]
          .map((t) => ({ text: t.textContent ?? '', r: t.getBoundingClientRect() }))
          .filter((x) => x.text.trim() !== '' && x.r.width > 0 && x.r.height > 0);
        for (let i = 0; i < boxes.length; i++) {
          for (let j = i + 1; j < boxes.length; j++) {
            const [a, c] = [boxes[i]!.r, boxes[j]!.r];
            if (a.left < c.right - 0.5 && c.left < a.right - 0.5 && a.top < c.bottom - 0.5 && c.top < a.bottom - 0.5) problems.push(`${title}: "${boxes[i]!.text}" overlaps "${boxes[j]!.text}"`);
          }
        }
      }
      for (const run of document.querySelectorAll('section.run')) {
        const table = run.querySelector(':scope > table.figures');
        if (!table) continue;
        const heads = [...table.querySelectorAll('thead th')].map((h) => h.textContent ?? '');
        const rows = [...table.querySelectorAll('tbody tr')];
        heads.forEach((h, i) => {
          if (rows.length > 0 && rows.every((r) => dash(r.children[i]?.textContent))) problems.push(`${run.id}: key-figure column "${h}" is empty in every row`);
        });
      }
      return problems;
    });
  } finally {
    await context.close();
  }
}

describe('zkbench report', { concurrency: 1 }, () => {
  before(async () => {
    await openBrowser();
  });

  it('refuses a RUN that is not a run directory, naming it, with exit 2', async () => {
    const notRun = path.join(scratch, 'not-a-run');
    fs.mkdirSync(notRun);
    const r = await runReport([path.join(FIXTURES, 'failover-run'), notRun], undefined, scratch);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, new RegExp(`error: ${notRun}: not a zkbench run directory`));
    assert.equal(r.stdout, '');
    assert.deepEqual(fs.readdirSync(scratch).filter((f) => f.endsWith('.html')), [], 'no report written');
  });

  it('draws a real run: report.html in the run directory, its declared charts, opens cleanly in Chromium', async (t) => {
    const results = path.join(scratch, 'results');
    const state = path.join(scratch, 'state');
    fs.mkdirSync(state, { recursive: true });
    const bench = startCli(
      ['bench', '--workload', 'lock-contention', '--recipes', 'predecessor,children-watch', '--clients', '10', '--duration-s', '1', '--warmup-s', '0.5', '--servers', '1', '--results-dir', results],
      state,
    );
    assert.equal(await exitOf(bench), 0, bench.stderr);
    const runDir = lastLine(bench.stdout);
    assert.ok(fs.existsSync(path.join(runDir, 'run.json')), `run directory from bench's last line: ${runDir}`);

    const r = await runReport([runDir], undefined, scratch);
    assert.equal(r.code, 0, r.stderr);
    const out = lastLine(r.stdout);
    assert.equal(out, path.join(runDir, 'report.html'), 'default: report.html inside the one run given, printed last');
    assert.match(r.stdout, /report of 1 run \(lock-contention\): 5 charts/);
    assert.equal(r.stderr, '', 'no warnings');

    const page = await inspect(t, out, 'zkbench-report-run');
    // lock-contention's declaration: acquire, handoff and first_acquisition percentile distributions (the
    // open-loop latency is named as not drawn), the table of cost and fairness, the timeline.
    assert.equal(page.charts, 4);
    assert.equal(page.tables, 1);
    assert.ok(page.timelineShot, 'the run wrote timeline.csv: its timeline is drawn');
    assert.equal(page.runHeaders, 1);
    assert.equal(page.figureRows, 2, 'one key-figure row per recipe');
    assert.ok(fs.statSync(page.screenshot).size > 10_000);
  });

  it('draws the failover fixture (timeline with its events) and a suite in one report', async (t) => {
    const cwd = path.join(scratch, 'multi');
    fs.mkdirSync(cwd);
    const r = await runReport([path.join(FIXTURES, 'failover-run'), path.join(FIXTURES, 'suite')], undefined, cwd);
    assert.equal(r.code, 0, r.stderr);
    const out = lastLine(r.stdout);
    assert.equal(path.dirname(out), path.join(fs.realpathSync(cwd), 'results'), 'several runs: into the results directory');
    assert.match(r.stderr, /written into the results directory/);
    assert.match(path.basename(out), /^zkbench-report-\d{8}T\d{6}Z\.html$/, 'default name for several runs');
    assert.match(r.stdout, /report of 3 runs \(failover, lock-contention, lock-churn\): 10 charts/);

    const page = await inspect(t, out, 'zkbench-report-fixtures');
    // failover: 2 percentile charts, the scalar table, the timeline; each suite run: 2 percentile charts and the table.
    assert.equal(page.charts, 7);
    assert.equal(page.tables, 3);
    assert.equal(page.runHeaders, 3);
    assert.ok(page.timelineShot);
    const html = fs.readFileSync(out, 'utf8');
    assert.match(html, />kill leader \(server 3\)<\/text>/);
    assert.deepEqual(await readable(out), [], 'every chart has data, no labels overlap, no empty key-figure column');
    assert.match(html, />server 3 restarted, rejoins as follower<\/text>/);
  });

  it("reads well for a recorded run of every scenario: charts with data, no overlapping labels, no empty key-figure column", async (t) => {
    const dirs = fs.readdirSync(SCENARIO_FIXTURES).sort().map((d) => path.join(SCENARIO_FIXTURES, d));
    const scenarios = dirs.map((d) => (JSON.parse(fs.readFileSync(path.join(d, 'run.json'), 'utf8')) as { workload: { scenario: string } }).workload.scenario);
    assert.deepEqual([...new Set(scenarios)].sort(), SCENARIOS.map((s) => s.id).sort(), 'a recorded run of every scenario');
    const out = path.join(scratch, 'scenarios.html');
    const r = await runReport(dirs, out, scratch);
    assert.equal(r.code, 0, r.stderr);
    const page = await inspect(t, out, 'zkbench-report-scenarios');
    assert.equal(page.runHeaders, dirs.length);
    assert.deepEqual(await readable(out), []);
    const html = fs.readFileSync(out, 'utf8');
    // The failover page: the timeline first, the leader band, the fault with its election beside it, then each fault's row and the sessions' strip.
    const failover = html.slice(html.indexOf('id="workload-ensemble-failover"'), html.indexOf('</section>\n</section>', html.indexOf('id="workload-ensemble-failover"')));
    const kinds = [...failover.matchAll(/data-kind="([^"]+)"/g)].map((m) => m[1]);
    assert.deepEqual(kinds.slice(0, 3), ['timeline', 'per-fault', 'per-session']);
    assert.match(failover, />kill server \d \(leader\): leader in \d+ ms, writes in \d+ ms<\/text>/);
    assert.match(failover, />leader: server \d<\/text>/);
    assert.match(failover, />\d+× session disconnected<\/text>/);
  });

  it('draws a scenario it does not know, from its declaration, a chart or table of each kind', async () => {
    const { buildReport } = await import('../../src/report/report.ts');
    const { readRunArgument } = await import('../../src/report/read-run.ts');
    const { demoReport } = await import('../fixtures/report/demo-scenario.ts');
    const built = await buildReport(readRunArgument(path.join(FIXTURES, 'demo-scenario')).runs, { declarations: (id) => (id === 'demo-scenario' ? demoReport : undefined) });
    const out = path.join(scratch, 'demo.html');
    fs.writeFileSync(out, built.html);
    assert.deepEqual(await readable(out), []);
    assert.deepEqual([...new Set([...built.html.matchAll(/data-kind="([^"]+)"/g)].map((m) => m[1]))].sort(), ['distribution', 'per-fault', 'per-session', 'scalar', 'sweep']);
  });
});
