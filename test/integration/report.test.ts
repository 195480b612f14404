// `zkbench report` end to end: a real run (a short bench on a 1-server embedded ensemble) and the
// synthetic fixtures (a failover run with timeline.csv, a suite) drawn into report.html, opened in
// headless Chromium with every non-file request refused: no console or page errors, one SVG per chart,
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
    const charts = page.locator('figure.chart svg');
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
      runHeaders: await page.locator('section.run').count(),
      figureRows: await page.locator('table.figures:not(.server-view) tbody tr').count(),
      screenshot,
      timelineShot,
    };
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

  it('draws a real run: report.html in the run directory, 6 charts, opens cleanly in Chromium', async (t) => {
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
    assert.match(r.stdout, /report of 1 run \(lock-contention\): 6 charts/);
    assert.equal(r.stderr, '', 'no warnings');

    const page = await inspect(t, out, 'zkbench-report-run');
    // acquire, handoff and first_acquisition percentile distributions, throughput and notifications per
    // acquire bars, the timeline.
    assert.equal(page.charts, 6);
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
    assert.equal(path.dirname(out), fs.realpathSync(cwd));
    assert.match(path.basename(out), /^zkbench-report-\d{8}T\d{6}Z\.html$/, 'default name for several runs');
    assert.match(r.stdout, /report of 3 runs \(failover, lock-contention, lock-churn\): 13 charts/);

    const page = await inspect(t, out, 'zkbench-report-fixtures');
    // failover: 2 percentile + 2 bar + 1 timeline; each suite run: 2 percentile + 2 bar.
    assert.equal(page.charts, 13);
    assert.equal(page.runHeaders, 3);
    assert.ok(page.timelineShot);
    const html = fs.readFileSync(out, 'utf8');
    assert.match(html, />kill leader \(server 3\)<\/text>/);
    assert.match(html, />server 3 restarted, rejoins as follower<\/text>/);
  });
});
