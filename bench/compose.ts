// `npm run bench:compose`: docker-compose.yml against the embedded ensemble, in one sitting (issue 20's
// figures). Time to a quorum from `docker-compose up -d`; lock-contention (`predecessor`, 20 clients, 10 s)
// alternating compose (--connect to the published ports) and embedded (3 servers per run); the shipped
// leader kill and leader pause through the engine (--compose-project) and on embedded servers. Prints what
// each run measured; every run directory is kept under --results-dir.
//   npm run bench:compose [-- --pairs 2 --results-dir DIR]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { parseCsv } from '../src/results/read-csv.ts';
import { renderTable } from '../src/results/table-format.ts';
import { startComposeProject } from './compose-project.ts';

const ZKBENCH = fileURLToPath(new URL('../bin/zkbench.js', import.meta.url));
const { values } = parseArgs({ options: { pairs: { type: 'string', default: '2' }, 'results-dir': { type: 'string' } } });
const resultsDir = values['results-dir'] ?? fs.mkdtempSync(path.join(os.tmpdir(), 'zkbench-compose-runs-'));

interface Run {
  dir: string;
  rows: Record<string, string>[];
  run: { faults?: { action: string; election?: { toLeaderMs?: number; toWriteMs?: number }; note?: string }[] };
}

function bench(args: string[], env: NodeJS.ProcessEnv): Run {
  const before = new Set(fs.existsSync(resultsDir) ? fs.readdirSync(resultsDir) : []);
  const r = spawnSync(process.execPath, [ZKBENCH, 'bench', ...args, '--results-dir', resultsDir], { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 600_000 });
  const dir = fs.readdirSync(resultsDir).find((d) => !before.has(d) && !d.startsWith('.'));
  if (!dir) throw new Error(`zkbench bench ${args.join(' ')} wrote no run (exit ${r.status}):\n${r.stderr}`);
  const full = path.join(resultsDir, dir);
  return { dir: full, rows: parseCsv(fs.readFileSync(path.join(full, 'summary.csv'), 'utf8')), run: JSON.parse(fs.readFileSync(path.join(full, 'run.json'), 'utf8')) as Run['run'] };
}

const row = (r: Run, metric: string): Record<string, string> | undefined => r.rows.find((x) => x['metric'] === metric);
const n = (v: string | undefined): string => (v === undefined || v === '' ? '-' : String(Number(Number(v).toPrecision(4))));
const load = (): string => fs.readFileSync('/proc/loadavg', 'utf8').split(' ')[0]!;

const project = await startComposeProject('zkbcmp');
const out: string[] = [];
try {
  out.push(`time to quorum ${(project.quorumMs / 1000).toFixed(1)} s from \`docker-compose up -d\` (which returned after ${(project.upMs / 1000).toFixed(1)} s)`);
  const lockRows: string[][] = [];
  for (let i = 0; i < Number(values.pairs); i++) {
    for (const side of i % 2 === 0 ? ['compose', 'embedded'] : ['embedded', 'compose']) {
      const where = side === 'compose' ? ['--connect', project.connect] : ['--servers', '3'];
      const l = load();
      const r = bench(['--workload', 'lock-contention', '--recipes', 'predecessor', '--clients', '20', '--duration-s', '10', ...where], {});
      const a = row(r, 'acquire');
      lockRows.push([side, l, `${n(a?.['p50'])} / ${n(a?.['p99'])} / ${n(a?.['max'])}`, n(row(r, 'throughput')?.['value']), n(row(r, 'violations')?.['value']), n(row(r, 'server_latency')?.['value']), path.basename(r.dir)]);
    }
  }
  out.push('', 'lock-contention, predecessor, 20 clients, 10 s', renderTable(['ensemble', 'load', 'acquire p50 / p99 / max (ms)', 'acq/s', 'violations', 'server mean (ms)', 'run'], lockRows));
  const failRows: string[][] = [];
  for (const workload of ['failover-leader-kill', 'failover-leader-pause']) {
    for (const side of ['compose', 'embedded']) {
      const where = side === 'compose' ? ['--compose-project', project.composeProject, '--connect', project.connect] : [];
      const l = load();
      const r = bench(['--workload', workload, ...where], side === 'compose' ? project.env : {});
      const f = r.run.faults?.find((x) => x.action === 'kill' || x.action === 'pause');
      const u = row(r, 'unavailable.1');
      failRows.push([
        `${workload.replace('failover-leader-', '')}, ${side}`,
        l,
        n(f?.election?.toLeaderMs?.toString()),
        n(f?.election?.toWriteMs?.toString()),
        `${n(u?.['p50'])} / ${n(u?.['p99'])}`,
        u?.['censored'] || '0',
        n(row(r, 'sessions_expired')?.['value']),
        n(row(r, 'lost_writes')?.['value']),
        (f?.note ?? '-').replace(/ \(the clock starts then\).*$/, ''),
      ]);
      await project.harmed(); // a server left paused or stopped by a failed run would skew the next one
    }
  }
  out.push('', 'the shipped leader kill and leader pause (20 sessions)', renderTable(['fault, ensemble', 'load', 'new leader (ms)', 'first write (ms)', 'unavailable p50 / p99 (ms)', 'censored', 'expired', 'lost writes', 'engine'], failRows, 'left'));
  out.push('', `runs in ${resultsDir}`);
} finally {
  const left = await project.close();
  if (left.length > 0) out.push(`left by the compose project: ${left.join('; ')}`);
  process.stdout.write(`${out.join('\n')}\n`);
}
