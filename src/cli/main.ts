// The command line: parsing only; each command's work lives in its own module.
import path from 'node:path';
import yargs, { type Argv } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { FORMATS } from '../compare/format.ts';
import { didYouMean } from '../workload/nearest-name.ts';
import { flagOf } from '../workload/schema.ts';
import { REPLACE_THRESHOLDS } from '../workload/validate.ts';
import { commandHint, PROGRAM } from '../process/command-hint.ts';
import { EXIT } from '../process/exit-codes.ts';
import { describeFailure } from './failures.ts';
import { redactArgv } from '../zk/credentials.ts';
import { FIELDS } from '../scenarios/catalog.ts';

function workloadFieldOptions<T>(y: Argv<T>): Argv<T> {
  for (const f of FIELDS) {
    // The workload validator checks the values (bounds, lists) and names the flag on error.
    const numeric = f.type.kind === 'integer' || f.type.kind === 'number';
    if (f.type.kind === 'boolean') y.option(flagOf(f), { type: 'boolean', describe: f.help, group: 'Workload overrides:' });
    else y.option(flagOf(f), { type: numeric ? 'number' : 'string', requiresArg: true, describe: f.help, group: 'Workload overrides:' });
  }
  return y;
}

/** What every command that runs workloads takes: an existing ensemble, where results go, field overrides. */
function runOptions<T>(y: Argv<T>) {
  return workloadFieldOptions(
    y
      .option('connect', { type: 'string', describe: 'use an existing ensemble (host:port,...[/chroot]; IPv6 as [::1]:2181) instead of starting one' })
      .option('admin-port', {
        type: 'number',
        requiresArg: true,
        describe: "with --connect: the servers' AdminServer port (admin.serverPort), asked for what the four-letter words they do not allow would give (docs/auth-acl-chroot.md)",
      })
      .option('auth', {
        type: 'string',
        requiresArg: true,
        describe: 'the credential itself (digest:USER:PASSWORD or sasl:DIGEST-MD5:USER:PASSWORD): other users of this host can read it, so prefer --auth-file FILE or $ZKBENCH_AUTH (docs/auth-acl-chroot.md)',
      })
      .option('results-dir', { type: 'string', default: 'results', describe: 'parent directory of run directories' })
      .option('replace-thresholds', {
        type: 'string',
        requiresArg: true,
        describe: "thresholds instead of the workload's, as JSON or YAML flow style (e.g. '{}' for none); --thresholds adds to them (docs/gates.md)",
        group: 'Workload overrides:',
      })
      .option('repeat', { type: 'number', default: 1, describe: 'run it N times, one after another, into one repeat set directory: relative rules then judge changes against the spread of the repeats (docs/comparing-runs.md)' }),
  );
}

/** The commands, for the message that names a misspelt one. */
const COMMANDS = ['bench', 'compare', 'report', 'nightly', 'list', 'ensemble', 'worker', 'clean'];

/** yargs' "Unknown argument(s): a, b", each --flag with the workload field flag it was likely meant to be. */
function unknownArguments(msg: string): string {
  const m = /^Unknown arguments?: (.+)$/.exec(msg);
  if (!m) return msg;
  const given = hideBin(process.argv);
  const flags = FIELDS.map(flagOf);
  const names = m[1]!.split(', ');
  // The first word, where a command goes, is no command: that is the mistake (the flags after it belong to no command).
  const first = given.find((a) => !a.startsWith('-'));
  if (first !== undefined && names.includes(first) && !COMMANDS.includes(first)) return `unknown command "${first}"${didYouMean(first, COMMANDS)}; commands: ${COMMANDS.join(', ')}`;
  const camel = (s: string): string => s.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
  return names
    .filter((name) => !names.some((other) => other !== name && camel(other) === name)) // yargs' camelCase copy of a --kebab-flag
    .map((name) => {
      const asFlag = given.some((a) => a === `--${name}` || a.startsWith(`--${name}=`));
      return asFlag ? `unknown flag --${name}${didYouMean(name, flags, (k) => `--${k}`)}` : `unknown argument "${name}"`;
    })
    .join('\n');
}

function overridesFrom(argv: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of FIELDS) {
    const v = argv[flagOf(f)];
    if (v !== undefined) out[f.key] = v;
  }
  if (argv['replace-thresholds'] !== undefined) out[REPLACE_THRESHOLDS] = argv['replace-thresholds'];
  return out;
}

async function main(): Promise<number> {
  let code: number = EXIT.ok;
  await yargs(hideBin(process.argv))
    .scriptName(PROGRAM)
    .command(
      'bench',
      'run a workload (or a suite of them) against a ZooKeeper ensemble and write its results',
      (y) =>
        runOptions(
          y
            .option('workload', { type: 'string', describe: `workload name (see \`${commandHint('list')}\`) or path to a YAML file` })
            .option('suite', { type: 'string', describe: 'suite name (workloads/NAME.suite.yaml) or path: several workloads into one run directory' })
            .option('remote-workers', { type: 'number', describe: 'run the clients on N `zkbench worker` processes (other hosts) instead of local child processes; needs --connect' })
            .option('remote-wait-s', { type: 'number', default: 60, describe: 'how long to wait for the remote workers to register' })
            .option('namespace', { type: 'string', default: '/zkbench', describe: 'where remote workers register (their --namespace)' })
            .option('compose-project', {
              type: 'string',
              describe: 'the servers are this docker compose project\'s containers (found with docker; --connect optional): failover workloads may kill, pause, cut off and restart them',
            })
            .conflicts('workload', 'suite'),
        ),
      async (argv) => {
        const { benchCommand } = await import('./bench.ts');
        code = await benchCommand({
          workload: argv.workload,
          suite: argv.suite,
          connect: argv.connect,
          ...(argv['compose-project'] !== undefined ? { composeProject: argv['compose-project'] } : {}),
          resultsDir: argv['results-dir'],
          overrides: overridesFrom(argv),
          argv: redactArgv(process.argv.slice(2)),
          repeat: argv.repeat,
          auth: argv.auth,
          adminPort: argv['admin-port'],
          ...(argv['remote-workers'] !== undefined ? { remote: { count: argv['remote-workers'], waitS: argv['remote-wait-s'], root: argv.namespace } } : {}),
        });
      },
    )
    .command(
      'compare <runs..>',
      "compare runs (or, with --recipes, the recipes of one run): each scenario's headline figures and ratios to the first",
      (y) =>
        y
          .positional('runs', { type: 'string', array: true, demandOption: true, describe: 'run directories, suite directories or summary.csv files; the first is the baseline' })
          .option('recipes', { type: 'string', describe: 'compare these recipes of one run (comma-separated; the first is the baseline)' })
          .option('format', { choices: FORMATS, default: 'table' as const })
          .option('fail-on', { type: 'string', array: true, default: [] as string[], describe: 'exit 4 when a rule holds, 5 when its figure is not measured, 6 when censored, e.g. "acquire.p99>+10%" or "violations>0"; flags after the amount: optional, allow-censored (docs/gates.md)' })
          .option('all-figures', { type: 'boolean', default: false, describe: "table and markdown: every figure of summary.csv, not each scenario's headline figures (csv and json always have every figure; --fail-on judges every figure either way)" })
          .option('stats', { type: 'string', default: 'p50,p99,max', describe: 'statistics shown for latency distributions with --all-figures, csv and json' })
          .option('allow-incomparable', { type: 'boolean', default: false, describe: 'compare runs that differ in settings, machine or outcome (else exit 7), with a warning naming each difference' }),
      async (argv) => {
        const { compareCommand } = await import('./compare.ts');
        code = compareCommand({
          runs: argv.runs,
          recipes: argv.recipes?.split(',').map((r) => r.trim()),
          format: argv.format,
          failOn: argv['fail-on'],
          stats: argv.stats.split(',').map((s) => s.trim()),
          allowIncomparable: argv['allow-incomparable'],
          allFigures: argv['all-figures'],
        });
      },
    )
    .command(
      'nightly',
      'run the nightly suite, write its report, compare with a baseline; exit 4 on a breach, 5 when a figure or the suite could not be read, 7 when not comparable (docs/gates.md)',
      (y) =>
        runOptions(
          y
            .option('suite', { type: 'string', default: 'nightly', describe: 'suite to run' })
            .option('baseline', { type: 'string', describe: 'run/suite directory or folder of them to compare with (default: $ZKBENCH_BASELINE, else baselines/<suite>)' })
            .option('fail-on', { type: 'string', array: true, default: [] as string[], describe: "rules replacing the suite's fail_on" })
            .option('allow-incomparable', { type: 'boolean', default: false, describe: 'compare with a baseline of other settings, machine or outcome (else exit 7), with a warning naming each difference' }),
        ),
      async (argv) => {
        const { nightlyCommand } = await import('./nightly.ts');
        code = await nightlyCommand({
          suite: argv.suite,
          baseline: argv.baseline,
          failOn: argv['fail-on'],
          allowIncomparable: argv['allow-incomparable'],
          repeat: argv.repeat,
          connect: argv.connect,
          resultsDir: argv['results-dir'],
          overrides: overridesFrom(argv),
          argv: redactArgv(process.argv.slice(2)),
          auth: argv.auth,
        });
      },
    )
    .command(
      'report <runs..>',
      'draw runs (or suites) as one self-contained HTML file',
      (y) =>
        y
          .positional('runs', { type: 'string', array: true, demandOption: true, describe: 'run or suite directories' })
          .option('out', { type: 'string', describe: 'output file (default: report.html in the run directory, for one run; for several, zkbench-report-<time>.html in --results-dir)' })
          .option('results-dir', { type: 'string', default: 'results', describe: 'where a report of several runs is written (without --out)' }),
      async (argv) => {
        const { reportCommand } = await import('./report.ts');
        code = await reportCommand(argv.runs, { resultsDir: argv['results-dir'], ...(argv.out === undefined ? {} : { out: argv.out }) });
      },
    )
    .command(
      'worker',
      'serve as a load process for distributed runs: register under the namespace, run what a coordinator (bench --remote-workers) hands out',
      (y) =>
        y
          .option('connect', { type: 'string', demandOption: true, describe: 'the ensemble (host:port,...[/chroot]): the same servers, in the same order, and the same chroot, as the coordinator\'s --connect' })
          .option('auth-file', { type: 'string', requiresArg: true, describe: "file holding the credential (the coordinator's identity: digest:USER:PASSWORD); else $ZKBENCH_AUTH" })
          .option('auth', { type: 'string', requiresArg: true, describe: 'the credential itself (visible to other users of this host: prefer --auth-file or $ZKBENCH_AUTH)' })
          .option('acl', { type: 'string', choices: ['open', 'creator'], describe: 'ACL of the nodes the worker creates (default: creator with a credential, open without)' })
          .option('name', { type: 'string', describe: 'unique worker name (default: <hostname>-<pid>)' })
          .option('namespace', { type: 'string', default: '/zkbench', describe: 'where to register (the coordinator\'s --namespace)' })
          .option('session-timeout-ms', { type: 'number', default: 10_000, describe: "the worker's own session: how soon a dead worker's registration goes" })
          .option('save-results', { type: 'string', describe: 'also write every result sent to the coordinator into this directory (JSON)' })
          .option('tls-ca', { type: 'string', requiresArg: true, describe: "TLS: PEM file of the CA that signed the servers' certificates, on this host (docs/tls-sasl.md)" })
          .option('tls-cert', { type: 'string', requiresArg: true, describe: 'TLS: PEM file of a client certificate, on this host' })
          .option('tls-key', { type: 'string', requiresArg: true, describe: "TLS: PEM file of the client certificate's key, on this host" })
          .option('tls-insecure', { type: 'boolean', describe: "TLS without checking the servers' certificates (tests only)" }),
      async (argv) => {
        const { workerCommand } = await import('./worker.ts');
        code = await workerCommand({
          connect: argv.connect,
          name: argv.name,
          namespace: argv.namespace,
          sessionTimeoutMs: argv['session-timeout-ms'],
          saveResults: argv['save-results'],
          authFile: argv['auth-file'],
          auth: argv.auth,
          acl: argv.acl,
          tls: { ca: argv['tls-ca'], cert: argv['tls-cert'], key: argv['tls-key'], insecure: argv['tls-insecure'] },
        });
      },
    )
    .command('list', 'show the workloads and recipes', {}, async () => {
      const { listCommand } = await import('./list.ts');
      code = listCommand();
    })
    .command('ensemble <action>', 'keep an embedded ensemble running between runs (up | status | down)', (y) =>
      y
        .positional('action', { choices: ['up', 'status', 'down'] as const, demandOption: true })
        .option('servers', { type: 'number', default: 3, describe: 'ensemble size (up)' })
        .option('tick-time-ms', { type: 'number', default: 2000, describe: 'tickTime (up)' }),
      async (argv) => {
        const cmd = await import('./ensemble.ts');
        if (argv.action === 'up') code = await cmd.ensembleUp(argv.servers, argv['tick-time-ms']);
        else if (argv.action === 'status') code = await cmd.ensembleStatus();
        else code = await cmd.ensembleDown();
      },
    )
    .command(
      'clean',
      'remove what runs that are gone left: their temporary directories, unfinished run directories and, with --connect, their namespaces under /zkbench (docs/troubleshooting.md#leftovers-zkbench-clean)',
      (y) =>
        y
          .option('connect', { type: 'string', describe: 'also remove namespaces of runs that are gone from this ensemble (host:port,...)' })
          .option('dry-run', { type: 'boolean', default: false, describe: 'list what would be removed, remove nothing' })
          .option('results-dir', { type: 'string', default: 'results', describe: 'where runs write their run directories: unfinished ones of runs that are gone are removed' }),
      async (argv) => {
        const { cleanCommand } = await import('./clean.ts');
        code = await cleanCommand({ connect: argv.connect, dryRun: argv['dry-run'], resultsDir: path.resolve(argv['results-dir']) });
      },
    )
    .demandCommand(1, `name a command: ${COMMANDS.join(', ')}`)
    // Options that take several values stop at the next word, so `compare --fail-on R A B` keeps A and B as runs.
    .parserConfiguration({ 'greedy-arrays': false })
    .strict()
    .fail((msg, err) => {
      // YError: yargs' own word for a command line it refuses (e.g. a flag without its value).
      if (err && err.name !== 'YError') throw err;
      process.stderr.write(`${unknownArguments(msg ?? err?.message)}\nrun \`${commandHint('--help')}\` for usage\n`);
      process.exit(EXIT.usage);
    })
    .help()
    .parseAsync();
  return code;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    const { message, code } = describeFailure(err);
    process.stderr.write(`error: ${message}\n`);
    process.exit(code);
  },
);
