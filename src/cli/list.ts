// `zkbench list`: the workloads on disk and the recipes they can name.
import path from 'node:path';
import { parse } from 'yaml';
import { readFileSync } from 'node:fs';
import { LOCK_RECIPE_INFO } from '../recipes/lock/catalog.ts';
import { listWorkloadFiles } from '../workload/load.ts';
import { describeType, FIELDS, flagOf } from '../workload/schema.ts';
import { renderTable } from '../results/terminal-table.ts';

export function listCommand(): number {
  const workloads = listWorkloadFiles().map((file) => {
    let description = '';
    try {
      const raw = parse(readFileSync(file, 'utf8')) as { description?: string; scenario?: string };
      description = `${raw.scenario ?? ''}: ${raw.description ?? ''}`;
    } catch {
      description = '(unreadable)';
    }
    return [path.basename(file, '.yaml'), description.replace(/\s+/g, ' ').trim()];
  });
  const out = [
    'Workloads (workloads/*.yaml; run with: npm run bench -- --workload NAME)',
    renderTable(['workload', 'scenario: description'], workloads, 'left'),
    '',
    'Lock recipes (family lock)',
    renderTable(['recipe', 'algorithm'], Object.entries(LOCK_RECIPE_INFO).map(([id, info]) => [id, info.summary]), 'left'),
    '',
    'Workload fields (each can be overridden on the command line)',
    renderTable(['flag', 'allowed', 'meaning'], FIELDS.map((f) => [`--${flagOf(f)}`, describeType(f.type), f.help]), 'left'),
  ];
  process.stdout.write(`${out.join('\n')}\n`);
  return 0;
}
