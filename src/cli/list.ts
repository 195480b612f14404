// `zkbench list`: the workloads on disk and the recipes they can name.
import path from 'node:path';
import { parse } from 'yaml';
import { readFileSync } from 'node:fs';
import { SCENARIOS } from '../scenarios/registry.ts';
import { listSuiteFiles, listWorkloadFiles } from '../workload/load.ts';
import { describeType, flagOf, type FieldSpec } from '../workload/schema.ts';
import { commandHint } from '../process/command-hint.ts';
import { FIELDS, FIELD_OWNERS } from '../scenarios/catalog.ts';

/** Every line of the listing fits a 100-column terminal. */
export const LIST_WIDTH = 100;

/** Word-wraps text into lines of at most `width` characters (a longer word stands on a line of its own). */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  return line === '' ? lines : [...lines, line];
}

/** One entry per row: its name, then each text wrapped in a column of its own beside it. */
function entries(rows: readonly (readonly [string, ...string[]])[]): string {
  const indent = Math.max(...rows.map(([name]) => name.length)) + 4;
  const out: string[] = [];
  for (const [name, ...texts] of rows) {
    const lines = texts.flatMap((t) => wrap(t, LIST_WIDTH - indent));
    lines.forEach((l, i) => out.push(`${(i === 0 ? `  ${name}` : '').padEnd(indent)}${l}`));
  }
  return out.join('\n');
}

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

function fieldEntries(fields: readonly FieldSpec[]): string {
  return entries(fields.map((f) => [`--${flagOf(f)}`, f.help, `allowed: ${describeType(f.type)}`] as const));
}

export function listCommand(): number {
  const workloads = listWorkloadFiles().map((file) => [path.basename(file, '.yaml'), describeFile(file, true)] as const);
  const suites = listSuiteFiles().map((file) => [path.basename(file, '.suite.yaml'), describeFile(file, false)] as const);
  const out = [
    `Workloads (workloads/*.yaml; run with: ${commandHint('bench --workload NAME')})`,
    entries(workloads),
    '',
    `Suites (workloads/*.suite.yaml; run with: ${commandHint('bench --suite NAME')})`,
    entries(suites),
    '',
    ...SCENARIOS.flatMap((s) => [
      ...wrap(`Scenario ${s.id}: ${s.summary}`, LIST_WIDTH),
      entries(Object.entries(s.recipes).map(([id, summary]) => [id, summary] as const)),
      '',
    ]),
    'Workload fields of every scenario (snake_case in workload files, these flags on the command line)',
    fieldEntries(FIELDS.filter((f) => !FIELD_OWNERS.has(f.key))),
    ...SCENARIOS.filter((s) => s.fields.length > 0).flatMap((s) => ['', `Workload fields of ${s.id}`, fieldEntries(s.fields)]),
  ];
  process.stdout.write(`${out.join('\n')}\n`);
  return 0;
}
