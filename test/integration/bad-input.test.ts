// Bad input, counted: each row is one kind of mistake a user makes, run as they would (bin/zkbench.js),
// with the message fragment it must print and its exit code (src/process/exit-codes.ts). None may start
// anything: no run phase printed, no results directory, nothing in the run's temp dir, no process left.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { EXIT } from '../../src/process/exit-codes.ts';
import { ZKBENCH } from '../helpers/cli.ts';
import { suiteProcesses } from '../helpers/leftovers.ts';

const FIXTURE_RUN = fileURLToPath(new URL('../fixtures/report/failover-run/', import.meta.url));
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'zkbench-bad-input-'));
after(() => fs.rmSync(scratch, { recursive: true, force: true }));
const at = (...p: string[]): string => path.join(scratch, ...p);

// The runs' temp dir: empty but for tsx's compile cache (shared, so the rows do not compile from scratch).
const tmp = at('tmp');
fs.mkdirSync(tmp);
const tsxCache = `tsx-${os.userInfo().uid}`;
fs.symlinkSync(path.join(os.tmpdir(), tsxCache), path.join(tmp, tsxCache));

/** Run directories a user might hand to compare and report by mistake. */
function corruptRuns(): void {
  const copy = (name: string): string => {
    fs.cpSync(FIXTURE_RUN, at(name), { recursive: true });
    return at(name);
  };
  const summary = fs.readFileSync(path.join(FIXTURE_RUN, 'summary.csv'), 'utf8');
  fs.writeFileSync(path.join(copy('truncated'), 'summary.csv'), summary.slice(0, summary.indexOf('\n') + 60));
  fs.writeFileSync(path.join(copy('garbled'), 'summary.csv'), 'what,is,this\n1,2,3\n');
  fs.writeFileSync(path.join(copy('bad-run-json'), 'run.json'), '{"workload": {"name": "fail');
  fs.mkdirSync(at('foreign'));
  fs.writeFileSync(at('foreign', 'notes.txt'), 'holiday photos\n');
  fs.writeFileSync(at('a-file'), 'not a directory\n');
  fs.writeFileSync(at('list.yaml'), '- just\n- a list\n');
  fs.writeFileSync(at('empty.suite.yaml'), 'name: empty\nworkloads: []\n');
  fs.writeFileSync(at('unknown.suite.yaml'), 'name: unknown\nworkloads:\n  - no-such-workload\n');
}
corruptRuns();

const RESULTS = at('results');
const bench = (...args: string[]): string[] => ['bench', '--results-dir', RESULTS, ...args];
const lc = (...args: string[]): string[] => bench('--workload', 'lock-contention', ...args);

interface Row {
  kind: string;
  args: string[];
  message: RegExp;
  code: number;
}

const ROWS: Row[] = [
  // workload fields
  { kind: 'unknown workload', args: bench('--workload', 'no-such'), message: /workload "no-such" not found .*known workloads: /, code: EXIT.usage },
  { kind: 'field below its bound', args: lc('--clients', '-3'), message: /--clients: -3 is too small; allowed: an integer >= 1/, code: EXIT.usage },
  { kind: 'field not a number', args: lc('--clients', 'abc'), message: /--clients: not a number/, code: EXIT.usage },
  { kind: 'negative hold time', args: lc('--hold-ms', '-5'), message: /--hold-ms: -5 is too small/, code: EXIT.usage },
  { kind: 'unknown recipe', args: lc('--recipes', 'no-such'), message: /--recipes: unknown value "no-such"; allowed: /, code: EXIT.usage },
  { kind: 'zero duration', args: lc('--duration-s', '0'), message: /--duration-s: 0 is too small; allowed: a number > 0/, code: EXIT.usage },
  { kind: 'even ensemble size', args: lc('--servers', '2'), message: /--servers: 2 is not allowed; allowed: one of 1, 3, 5, 7/, code: EXIT.usage },
  { kind: 'session timeout too short', args: lc('--session-timeout-ms', '1'), message: /--session-timeout-ms: 1 is too small/, code: EXIT.usage },
  { kind: 'workload file not a mapping', args: bench('--workload', at('list.yaml')), message: /a workload file must hold a mapping of fields/, code: EXIT.usage },
  // flags and commands
  { kind: 'misspelt flag', args: lc('--clientz', '4'), message: /unknown flag --clientz \(did you mean --clients\?\)/, code: EXIT.usage },
  { kind: 'unknown command', args: ['frobnicate'], message: /unknown command "frobnicate"; commands: bench, compare/, code: EXIT.usage },
  { kind: 'workload and suite both', args: lc('--suite', 'nightly'), message: /workload and suite are mutually exclusive/, code: EXIT.usage },
  { kind: 'nothing to run', args: bench(), message: /name what to run: --workload NAME or --suite NAME/, code: EXIT.usage },
  { kind: 'zero repeats', args: lc('--repeat', '0'), message: /--repeat 0: expected a whole number of runs, at least 1/, code: EXIT.usage },
  { kind: 'remote workers without --connect', args: lc('--remote-workers', '2'), message: /--remote-workers needs --connect/, code: EXIT.usage },
  // fault schedules
  { kind: 'fault schedule neither YAML nor JSON', args: lc('--faults', 'kill leader at 3s'), message: /--faults: expected a list of faults, .* got "kill leader at 3s"; allowed: a list of/, code: EXIT.usage },
  { kind: 'unknown fault action', args: lc('--faults', '[{"at":"3s","action":"explode","target":"leader"}]'), message: /--faults, entry 1: unknown action "explode"/, code: EXIT.usage },
  { kind: 'fault after the run', args: lc('--faults', '[{"at":"99s","action":"kill","target":"leader"}]', '--duration-s', '2'), message: /99s is beyond the run: the clients stop at 4s/, code: EXIT.usage },
  { kind: 'faults on an external ensemble', args: bench('--workload', 'failover-leader-kill', '--connect', '127.0.0.1:2181'), message: /--connect: workload "failover-leader-kill" has faults/, code: EXIT.usage },
  // suites
  { kind: 'unknown suite', args: bench('--suite', 'no-such'), message: /suite "no-such" not found .*known suites: nightly/, code: EXIT.usage },
  { kind: 'suite with no workloads', args: bench('--suite', at('empty.suite.yaml')), message: /field "workloads" must list workloads/, code: EXIT.usage },
  { kind: 'suite naming an unknown workload', args: bench('--suite', at('unknown.suite.yaml')), message: /workload "no-such-workload" not found/, code: EXIT.usage },
  // thresholds and compare rules
  { kind: 'thresholds neither YAML nor JSON', args: lc('--thresholds', '{bad json'), message: /--thresholds: neither YAML nor JSON: \{bad json/, code: EXIT.usage },
  { kind: 'threshold on an unknown metric', args: lc('--replace-thresholds', '{"x.p99":"<3"}'), message: /unknown metric "x"/, code: EXIT.usage },
  { kind: 'compare rule without operator', args: ['compare', FIXTURE_RUN, FIXTURE_RUN, '--fail-on', 'nonsense'], message: /rule "nonsense": expected \[recipe\.\]metric\[\.stat\] OP amount/, code: EXIT.usage },
  { kind: 'compare rule with a bad amount', args: ['compare', FIXTURE_RUN, FIXTURE_RUN, '--fail-on', 'acquire.p99>+abc%'], message: /">\+abc%": expected a number/, code: EXIT.usage },
  // connect strings
  { kind: 'malformed connect string', args: lc('--connect', 'zk1:99999'), message: /--connect: malformed server "zk1:99999"/, code: EXIT.usage },
  { kind: 'empty connect string', args: lc('--connect', ''), message: /--connect: empty ZooKeeper connect string/, code: EXIT.usage },
  { kind: 'malformed connect string to clean', args: ['clean', '--connect', 'nohost::', '--dry-run'], message: /--connect: malformed server "nohost::"/, code: EXIT.usage },
  // where results go
  { kind: 'results dir that cannot be written', args: ['bench', '--workload', 'lock-contention', '--results-dir', at('a-file', 'results')], message: /cannot write results to .*ENOTDIR.*choose another with --results-dir/, code: EXIT.environment },
  // runs handed to compare and report
  { kind: 'compare: no such run', args: ['compare', at('no-such-run')], message: /no-such-run: no such file or directory/, code: EXIT.usage },
  { kind: 'compare: foreign directory', args: ['compare', FIXTURE_RUN, at('foreign')], message: /foreign: neither a run directory \(with summary\.csv\)/, code: EXIT.usage },
  { kind: 'compare: garbled summary.csv', args: ['compare', FIXTURE_RUN, at('garbled')], message: /not a zkbench summary\.csv \(missing column\(s\) workload/, code: EXIT.usage },
  { kind: 'compare: truncated summary.csv', args: ['compare', FIXTURE_RUN, at('truncated')], message: /not a zkbench summary\.csv \(row 2 has \d+ field\(s\), the header 17: the file is truncated/, code: EXIT.usage },
  { kind: 'compare: corrupt run.json', args: ['compare', FIXTURE_RUN, at('bad-run-json')], message: /run\.json: not a zkbench result file/, code: EXIT.usage },
  { kind: 'report: foreign directory', args: ['report', at('foreign'), '--out', at('r.html')], message: /foreign: not a zkbench run directory/, code: EXIT.usage },
  { kind: 'report: truncated summary.csv', args: ['report', at('truncated'), '--out', at('r.html')], message: /summary\.csv is not a zkbench result file: row 2 has \d+ field\(s\)/, code: EXIT.usage },
  { kind: 'report: corrupt run.json', args: ['report', at('bad-run-json'), '--out', at('r.html')], message: /run\.json is not a zkbench result file/, code: EXIT.usage },
];

interface Done {
  code: number;
  out: string;
}

function run(args: string[], tag: string): Promise<Done> {
  const child = spawn(process.execPath, [ZKBENCH, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, TMPDIR: tmp, ZKBENCH_STATE_DIR: at('state'), ZKBENCH_SUITE_ID: tag, CI: '1' },
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const guard = setTimeout(() => child.kill('SIGKILL'), 60_000); // a hang guard, not a timing check
  return new Promise((resolve) =>
    child.on('close', (code, signal) => {
      clearTimeout(guard);
      resolve({ code: code ?? 128 + (signal ? os.constants.signals[signal] : 0), out });
    }),
  );
}

describe('bad input', () => {
  it(`${ROWS.length} kinds of bad input: each its message and exit code, nothing started`, async () => {
    assert.ok(new Set(ROWS.map((r) => r.kind)).size === ROWS.length && ROWS.length >= 25);
    const tag = `bad-input-${process.pid}`;
    const results: Done[] = new Array(ROWS.length);
    let next = 0;
    // A few at a time: each is a Node start (tsx), most of the cost.
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let i = next++; i < ROWS.length; i = next++) results[i] = await run(ROWS[i]!.args, tag);
      }),
    );
    const wrong = ROWS.flatMap((r, i) => {
      const got = results[i]!;
      const problems = [
        got.code !== r.code ? `exit ${got.code}, expected ${r.code}` : '',
        !r.message.test(got.out) ? `no ${r.message}` : '',
        /^\[\d+\/\d+\]/m.test(got.out) ? 'a run phase was printed: something started' : '',
      ].filter(Boolean);
      return problems.length > 0 ? [`${r.kind} (zkbench ${r.args.join(' ')}): ${problems.join('; ')}\n  it printed: ${got.out.trim().slice(0, 400)}`] : [];
    });
    assert.deepEqual(wrong, [], wrong.join('\n'));
    assert.deepEqual(fs.readdirSync(tmp), [tsxCache], 'no temp dir was made');
    assert.equal(fs.existsSync(RESULTS), false, 'no results dir was made');
    assert.deepEqual(suiteProcesses(tag), [], 'no process was left');
  });
});
