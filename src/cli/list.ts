// `zkbench list`: the workloads on disk and the recipes they can name.
import path from 'node:path';
import { parse } from 'yaml';
import { readFileSync } from 'node:fs';
import { LOCK_RECIPE_INFO } from '../recipes/lock/catalog.ts';
import { listSuiteFiles, listWorkloadFiles } from '../workload/load.ts';
import { describeType, FIELDS, flagOf } from '../workload/schema.ts';
import { renderTable } from '../results/terminal-table.ts';

/** "scenario: description" (or just the description) of a workload or suite file, on one line. */
function describeFile(file: string, withScenario: boolean): string {
  try {
    const raw = parse(readFileSync(file, 'utf8')) as { description?: string; scenario?: string };
    const text = withScenario ? `${raw.scenario ?? ''}: ${raw.description ?? ''}` : (raw.description ?? '');
    return text.replace(/\s+/g, ' ').trim();
  } catch {
    return '(unreadable)';
  }
}

export function listCommand(): number {
  const workloads = listWorkloadFiles().map((file) => [path.basename(file, '.yaml'), describeFile(file, true)]);
  const suites = listSuiteFiles().map((file) => [path.basename(file, '.suite.yaml'), describeFile(file, false)]);
  const out = [
    'Workloads (workloads/*.yaml; run with: npm run bench -- --workload NAME)',
    renderTable(['workload', 'scenario: description'], workloads, 'left'),
    '',
    'Suites (workloads/*.suite.yaml; run with: npm run bench -- --suite NAME)',
    renderTable(['suite', 'description'], suites, 'left'),
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
