// `npm run bench:false-alarm`: how often a relative rule breaches on noise alone. Runs the same small
// workload over and over with identical settings, as repeat sets of `bench --repeat N` alternately called
// A and B, on one kept ensemble, then judges every A against the B after it by the rule:
//   - one run per side: the j-th run of A against the j-th run of B (what a plain `compare` of two runs does);
//   - repeats: the whole set A against the whole set B (compare/noise.ts: the median of B outside A's range
//     widened by the rule's margin).
// Every such breach is a false alarm. Last, unless --no-regression, one set with a real regression (the
// holder keeps the lock --regression-hold-ms longer) against the last A set, which must breach.
// A benchmark that prints, not a test: the rates depend on the machine and on what else runs on it.
//
//   npm run bench:false-alarm                                  # ~12 min: repeat sets of 3 until the budget is spent
//   npm run bench:false-alarm -- --budget-min 5 --repeat 5 --rule 'acquire.p99>+20%'
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { EXIT } from '../src/process/exit-codes.ts';
import { compareSides } from '../src/cli/compare.ts';
import { wilsonInterval } from '../src/compare/noise.ts';
import { readSide, type Side } from '../src/compare/read-summary.ts';

const projectDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    'budget-min': { type: 'string', default: '12' },
    repeat: { type: 'string', default: '3' },
    rule: { type: 'string', default: 'acquire.p99>+10%' },
    recipe: { type: 'string', default: 'children-watch' },
    clients: { type: 'string', default: '20' },
    'duration-s': { type: 'string', default: '3' },
    'regression-hold-ms': { type: 'string', default: '50' },
    'no-regression': { type: 'boolean', default: false },
    'keep-results': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  process.stdout.write(
    'usage: npm run bench:false-alarm -- [--budget-min 12] [--repeat 3] [--rule "acquire.p99>+10%"] [--recipe children-watch] [--clients 20] [--duration-s 3] [--regression-hold-ms 50] [--no-regression] [--keep-results]\n',
  );
  process.exit(0);
}
const budgetMs = Number(values['budget-min']) * 60_000;
const repeat = Number(values.repeat);
if (!(budgetMs > 0) || !Number.isInteger(repeat) || repeat < 2) {
  process.stderr.write('bench:false-alarm: --budget-min must be positive and --repeat a whole number of at least 2\n');
  process.exit(EXIT.usage);
}

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'zkbench-false-alarm-'));
const env = { ...process.env, ZKBENCH_STATE_DIR: path.join(scratch, 'state'), TMPDIR: path.join(scratch, 'tmp') };
fs.mkdirSync(env.TMPDIR, { recursive: true });
const resultsDir = path.join(scratch, 'results');
const WORKLOAD = ['--workload', 'lock-contention', '--recipes', values.recipe, '--clients', values.clients, '--duration-s', values['duration-s'], '--warmup-s', '1', '--servers', '1', '--thresholds', '{}'];

/** zkbench with args; resolves with the exit code and the last line of stdout (the run directory). */
function zkbench(args: string[]): Promise<{ code: number; last: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(projectDir, 'bin/zkbench.js'), ...args], { cwd: projectDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code: code ?? 128 + (signal === 'SIGTERM' ? 15 : 2), last: out.trim().split('\n').at(-1) ?? '', stderr: err }));
  });
}

async function repeatSet(extra: string[] = []): Promise<string> {
  const r = await zkbench(['bench', ...WORKLOAD, ...extra, '--repeat', String(repeat), '--results-dir', resultsDir]);
  if (r.code !== EXIT.ok) throw new Error(`bench exited ${r.code}: ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  return r.last;
}

const breaches = (baseline: Side, candidate: Side): boolean => {
  const out = compareSides([baseline, candidate], { recipes: undefined, format: 'csv', failOn: [values.rule], stats: ['p99'], allowIncomparable: false });
  if (out.code !== EXIT.ok && out.code !== EXIT.breach) throw new Error(`compare exited ${out.code}: ${out.stderr}`);
  return out.code === EXIT.breach;
};
const single = (side: Side, j: number): Side => ({ label: `${side.label}#${j + 1}`, runs: [side.runs[j]!] });
const pct = (k: number, n: number): string => {
  const { low, high } = wilsonInterval(k, n);
  return `${k} of ${n} = ${n === 0 ? '-' : ((100 * k) / n).toFixed(0)}% (95% CI ${(100 * low).toFixed(0)}–${(100 * high).toFixed(0)}%)`;
};

const load = (): string => os.loadavg().map((l) => l.toFixed(1)).join(' ');
const started = Date.now();
const loadAtStart = load();
let interrupted = false;
process.on('SIGINT', () => (interrupted = true));
const up = await zkbench(['ensemble', 'up', '--servers', '1']);
if (up.code !== EXIT.ok) {
  process.stderr.write(`bench:false-alarm: could not start the kept ensemble (exit ${up.code}): ${up.stderr}\n`);
  fs.rmSync(scratch, { recursive: true, force: true });
  process.exit(EXIT.environment);
}
const sets: Side[] = [];
let regression: boolean | undefined;
try {
  // Stop in time for the regression set and the last set of an A/B pair: about one set's time each.
  let setMs = 0;
  while (!interrupted && (sets.length % 2 === 1 || Date.now() - started + setMs * (values['no-regression'] ? 2 : 3) < budgetMs)) {
    const t0 = Date.now();
    sets.push(readSide(await repeatSet()));
    setMs = Math.max(setMs, Date.now() - t0);
    process.stdout.write(`set ${sets.length} (${sets.length % 2 === 1 ? 'A' : 'B'}): ${Math.round((Date.now() - t0) / 1000)} s, load ${load()}\n`);
  }
  if (!interrupted && !values['no-regression'] && sets.length >= 2) {
    const slower = readSide(await repeatSet(['--hold-ms', values['regression-hold-ms']]));
    regression = breaches(sets.at(-2)!, slower);
  }
} finally {
  await zkbench(['ensemble', 'down']);
  if (!values['keep-results']) fs.rmSync(scratch, { recursive: true, force: true });
}

let singleTrials = 0;
let singleAlarms = 0;
let setTrials = 0;
let setAlarms = 0;
for (let i = 0; i + 1 < sets.length; i += 2) {
  const [a, b] = [sets[i]!, sets[i + 1]!];
  setTrials++;
  if (breaches(a, b)) setAlarms++;
  for (let j = 0; j < Math.min(a.runs.length, b.runs.length); j++) {
    singleTrials++;
    if (breaches(single(a, j), single(b, j))) singleAlarms++;
  }
}
process.stdout.write(
  [
    '',
    `false alarms of "${values.rule}", lock-contention ${values.recipe}, ${values.clients} clients, ${values['duration-s']} s (+1 s warm-up), 1-server kept ensemble, identical settings`,
    `  one run per side:        ${pct(singleAlarms, singleTrials)}`,
    `  ${repeat} repeats per side:      ${pct(setAlarms, setTrials)}  (median outside the baseline's range widened by the margin)`,
    regression === undefined ? '  regression set: not run' : `  regression (hold_ms ${values['regression-hold-ms']} against 0, ${repeat} repeats a side): ${regression ? 'breached, as it must' : 'NOT breached'}`,
    `machine: ${os.hostname()}, ${os.cpus().length} cores; load average ${loadAtStart} at the start, ${load()} at the end; ${Math.round((Date.now() - started) / 60_000)} min; ${new Date().toISOString()}`,
    values['keep-results'] ? `results: ${resultsDir}` : '',
  ].join('\n') + '\n',
);
process.exit(interrupted ? EXIT.interrupted : regression === false ? EXIT.failed : EXIT.ok);
