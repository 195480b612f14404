// The documentation against the code: every workload field, scenario, workload file, npm script and exit
// code the docs name exists, every one that exists is documented in README.md or docs/*.md, and every
// relative link between the pages resolves (its #anchor too). Each check collects what is wrong and
// compares it with an empty list, so a failure prints every problem at once, with the page it is on.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { EXIT } from '../../src/process/exit-codes.ts';
import { SCENARIOS } from '../../src/scenarios/registry.ts';
import { FIELDS, loadWorkload } from '../../src/scenarios/catalog.ts';
import { flagOf } from '../../src/workload/schema.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

interface Page {
  /** Path from the repository's root, e.g. docs/faults.md. */
  file: string;
  text: string;
}

function readPages(): Page[] {
  const docs = fs
    .readdirSync(path.join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => `docs/${f}`);
  return ['README.md', ...docs].map((file) => ({ file, text: fs.readFileSync(path.join(ROOT, file), 'utf8') }));
}

// --- Reading markdown: only what the checks need (fenced blocks, tables, code spans, links, headings).

interface CodeBlock {
  lang: string;
  body: string;
}

const FENCE = /^```([^\n`]*)\n([\s\S]*?)^```[ \t]*$/gm;

function codeBlocks(md: string): CodeBlock[] {
  return [...md.matchAll(FENCE)].map((m) => ({ lang: m[1]!.trim(), body: m[2]! }));
}

/** The page without its fenced blocks: where tables, headings and links live. */
function prose(md: string): string {
  return md.replace(FENCE, '');
}

/** Every table as its header cells and rows of cells. */
function tables(md: string): { header: string[]; rows: string[][] }[] {
  const cells = (line: string) => line.trim().replace(/^\||\|$/g, '').split('|').map((c) => c.trim());
  const found: { header: string[]; rows: string[][] }[] = [];
  let block: string[] = [];
  for (const line of [...prose(md).split('\n'), '']) {
    if (line.trim().startsWith('|')) {
      block.push(line);
      continue;
    }
    if (block.length >= 2) found.push({ header: cells(block[0]!), rows: block.slice(2).map(cells) });
    block = [];
  }
  return found;
}

function codeSpans(text: string): string[] {
  return [...text.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
}

/** The backticked names in the first column of every table whose first header cell is `column`. */
function firstColumnNames(md: string, column: string): string[] {
  return tables(md)
    .filter((t) => t.header[0]?.toLowerCase() === column)
    .flatMap((t) => t.rows.flatMap((r) => codeSpans(r[0] ?? '')));
}

/** Command lines: lines of fenced shell blocks, and code spans of the prose (which may wrap); a `console` block is a transcript, deliberately wrong commands included. */
function commandLines(md: string): string[] {
  const fromBlocks = codeBlocks(md)
    .filter((b) => b.lang === 'sh' || b.lang === '')
    .flatMap((b) => b.body.split('\n'));
  return [...fromBlocks, ...codeSpans(prose(md)).map((s) => s.replace(/\s+/g, ' '))].map((l) => l.replace(/#.*$/, ''));
}

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens. */
function slug(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');
}

function anchors(md: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const m of prose(md).matchAll(/^#{1,6} +(.+?) *#*$/gm)) {
    const base = slug(m[1]!);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}

function links(md: string): string[] {
  return [...prose(md).matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!);
}

// --- What exists, read from the code.

const FIELD_KEYS = new Set(FIELDS.map((f) => f.key));
const FIELD_FLAGS = new Set(FIELDS.map(flagOf));
const SCENARIO_IDS = SCENARIOS.map((s) => s.id);
const WORKLOADS = fs
  .readdirSync(path.join(ROOT, 'workloads'))
  .filter((f) => f.endsWith('.yaml') && !f.endsWith('.suite.yaml'))
  .map((f) => f.replace(/\.yaml$/, ''));
const SUITES = fs
  .readdirSync(path.join(ROOT, 'workloads'))
  .filter((f) => f.endsWith('.suite.yaml'))
  .map((f) => f.replace(/\.suite\.yaml$/, ''));
const SCRIPTS = Object.keys((JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts);
/** The commands' own options (yargs declarations in src/cli), which a bench command line may also use. */
const CLI_OPTIONS = new Set(
  fs
    .readdirSync(path.join(ROOT, 'src/cli'))
    .filter((f) => f.endsWith('.ts'))
    .flatMap((f) => [...fs.readFileSync(path.join(ROOT, 'src/cli', f), 'utf8').matchAll(/\.option\('([a-z][a-z0-9-]*)'/g)].map((m) => m[1]!)),
);

const pages = readPages();
const readme = pages.find((p) => p.file === 'README.md')!;
const all = (f: (p: Page) => string[]) => pages.flatMap((p) => f(p).map((x) => ({ file: p.file, x })));
/** What was found and is not ok, by page; a check that found nothing at all is itself a problem (a parser gone blind). */
const problems = (found: { file: string; x: string }[], ok: (x: string) => boolean, what: string) =>
  found.length === 0 ? [`nothing found to check: ${what}`] : found.filter(({ x }) => !ok(x)).map(({ file, x }) => `${file}: ${what} "${x}"`);
/** A name written in capitals (`--workload NAME`) stands for any name. */
const placeholder = (name: string) => /^[A-Z_]+$/.test(name);

describe('docs', () => {
  it('name only workload fields that exist (field tables, YAML examples, bench flags)', () => {
    const inTables = all((p) => firstColumnNames(p.text, 'field'));
    const inYaml = all((p) =>
      codeBlocks(p.text)
        .filter((b) => b.lang === 'yaml')
        .flatMap((b) => Object.keys((parseYaml(b.body) as Record<string, unknown> | null) ?? {})),
    );
    const inBenchFlags = all((p) =>
      commandLines(p.text)
        .filter((l) => /(npm run -?s? ?bench --|zkbench(\.js)? bench)/.test(l))
        .flatMap((l) => [...l.matchAll(/(?:^|\s)--([a-z][a-z0-9-]*)/g)].map((m) => m[1]!)),
    );
    assert.deepEqual(
      [
        ...problems(inTables, (k) => FIELD_KEYS.has(k), 'field table names an unknown field'),
        ...problems(inYaml, (k) => FIELD_KEYS.has(k), 'YAML example has an unknown field'),
        ...problems(inBenchFlags, (f) => FIELD_FLAGS.has(f) || CLI_OPTIONS.has(f), 'bench command has an unknown flag'),
      ],
      [],
    );
  });

  it('show only bench commands whose workload and overrides validate', () => {
    const numeric = new Set(FIELDS.filter((f) => f.type.kind === 'integer' || f.type.kind === 'number').map(flagOf));
    const byFlag = new Map(FIELDS.map((f) => [flagOf(f), f.key]));
    const commands = all((p) => commandLines(p.text).filter((l) => /npm run -?s? ?bench -- .*--workload [a-z]/.test(l)));
    const invalid = commands.flatMap(({ file, x: line }) => {
      // Shell words: quotes group and are dropped ('[]' → []).
      const words = [...line.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]!);
      const overrides: Record<string, unknown> = {};
      let workload = '';
      for (let i = words.indexOf('--') + 1; i > 0 && i < words.length; i++) {
        const flag = words[i]!.replace(/^--/, '');
        const value = words[++i] ?? '';
        if (flag === 'workload') workload = value;
        else if (byFlag.has(flag) && !placeholder(value)) overrides[byFlag.get(flag)!] = numeric.has(flag) ? Number(value) : value;
      }
      try {
        loadWorkload(workload, overrides);
        return [];
      } catch (err) {
        return [`${file}: ${line.trim()}: ${(err as Error).message}`];
      }
    });
    assert.ok(commands.length > 0, 'no bench command found in the docs');
    assert.deepEqual(invalid, []);
  });

  it('document every workload field in a field table', () => {
    const documented = new Set(pages.flatMap((p) => firstColumnNames(p.text, 'field')));
    assert.deepEqual(
      [...FIELD_KEYS].filter((k) => !documented.has(k)).map((k) => `field ${k} has no row in a "| field |" table of README.md or docs/*.md`),
      [],
    );
  });

  it('give every scenario its page, its README example and its line in the index, and name no other', () => {
    const readmeScenarios = prose(readme.text)
      .split(/^## /m)
      .filter((s) => s.startsWith('Scenarios'))
      .flatMap((s) => [...s.matchAll(/^### `([^`]+)`/gm)].map((m) => m[1]!));
    const index = pages.find((p) => p.file === 'docs/README.md')?.text ?? '';
    const indexed = tables(index)
      .filter((t) => t.header[0]?.toLowerCase() === 'page' && t.rows.some((r) => /\]\((lock-contention)\.md\)/.test(r[0] ?? '')))
      .flatMap((t) => t.rows.map((r) => /\]\(([^)]+)\.md\)/.exec(r[0] ?? '')?.[1] ?? r[0]!));
    const inYaml = all((p) =>
      codeBlocks(p.text)
        .filter((b) => b.lang === 'yaml')
        .map((b) => (parseYaml(b.body) as { scenario?: string } | null)?.scenario)
        .filter((s): s is string => s !== undefined),
    );
    const missing = SCENARIO_IDS.flatMap((id) => [
      ...(fs.existsSync(path.join(ROOT, 'docs', `${id}.md`)) ? [] : [`docs/${id}.md is missing`]),
      ...(readmeScenarios.includes(id) ? [] : [`README.md has no "### \`${id}\`" under ## Scenarios`]),
      ...(indexed.includes(id) ? [] : [`docs/README.md's scenario table has no line for ${id}.md`]),
    ]);
    const unknown = [
      ...readmeScenarios.filter((id) => !SCENARIO_IDS.includes(id)).map((id) => `README.md: scenario "${id}" does not exist`),
      ...indexed.filter((id) => !SCENARIO_IDS.includes(id)).map((id) => `docs/README.md: scenario "${id}" does not exist`),
      ...problems(inYaml, (id) => SCENARIO_IDS.includes(id), 'YAML example names an unknown scenario'),
    ];
    assert.deepEqual([...missing, ...unknown], []);
  });

  it('name only workload files that exist, and document every one', () => {
    const named = all((p) => [
      ...commandLines(p.text).flatMap((l) => [...l.matchAll(/--workload ([\w.-]+)(?=\s|$)/g)].map((m) => m[1]!).filter((w) => !placeholder(w))),
      ...firstColumnNames(p.text, 'workload'),
    ]);
    const namedSuites = all((p) => commandLines(p.text).flatMap((l) => [...l.matchAll(/--suite ([\w.-]+)(?=\s|$)/g)].map((m) => m[1]!).filter((w) => !placeholder(w))));
    const paths = all((p) => [...p.text.matchAll(/\bworkloads\/([\w.-]+\.yaml)\b/g)].map((m) => m[1]!));
    const shipped = new Set(pages.flatMap((p) => firstColumnNames(p.text, 'workload')));
    const suitesRun = new Set(namedSuites.map(({ x }) => x));
    assert.deepEqual(
      [
        ...problems(named, (w) => WORKLOADS.includes(w), 'no workloads/<name>.yaml for workload'),
        ...problems(namedSuites, (s) => SUITES.includes(s), 'no workloads/<name>.suite.yaml for suite'),
        ...problems(paths, (f) => fs.existsSync(path.join(ROOT, 'workloads', f)), 'no such file: workloads/'),
        ...WORKLOADS.filter((w) => !shipped.has(w)).map((w) => `workload ${w} has no row in a "| workload |" table`),
        ...SUITES.filter((s) => !suitesRun.has(s)).map((s) => `suite ${s} is never shown run (--suite ${s})`),
      ],
      [],
    );
  });

  it('name only npm scripts that exist, and document every one', () => {
    const run = all((p) => [...p.text.matchAll(/npm run (?:-s )?([\w:-]+)/g)].map((m) => m[1]!));
    const listed = all((p) => firstColumnNames(p.text, 'script'));
    const documented = new Set(listed.map(({ x }) => x));
    assert.deepEqual(
      [
        ...problems(run, (s) => SCRIPTS.includes(s), 'npm run names no script of package.json:'),
        ...problems(listed, (s) => SCRIPTS.includes(s), 'script table names no script of package.json:'),
        ...SCRIPTS.filter((s) => !documented.has(s)).map((s) => `script ${s} has no row in a "| script |" table`),
      ],
      [],
    );
  });

  it("list exactly the exit codes of src/process/exit-codes.ts in README.md's table", () => {
    const listed = firstColumnNames(readme.text, 'code').map(Number);
    const defined = Object.values(EXIT);
    assert.deepEqual(
      [
        ...defined.filter((c) => !listed.includes(c)).map((c) => `exit code ${c} is not in README.md`),
        ...listed.filter((c) => !(defined as number[]).includes(c)).map((c) => `README.md lists exit code ${c}, which is not defined`),
      ],
      [],
    );
  });

  it('link only to files and headings that exist', () => {
    const broken = pages.flatMap((p) =>
      links(p.text)
        .filter((l) => !/^[a-z]+:/i.test(l))
        .flatMap((l) => {
          const [target, anchor] = l.split('#') as [string, string | undefined];
          const file = target === '' ? p.file : path.posix.normalize(path.posix.join(path.posix.dirname(p.file), target));
          const abs = path.join(ROOT, file);
          if (!fs.existsSync(abs)) return [`${p.file}: link to ${l}: no such file ${file}`];
          if (anchor === undefined || !file.endsWith('.md')) return [];
          return anchors(fs.readFileSync(abs, 'utf8')).has(anchor) ? [] : [`${p.file}: link to ${l}: ${file} has no heading #${anchor}`];
        }),
    );
    assert.deepEqual(broken, []);
  });

  it('index every page of docs/ in docs/README.md', () => {
    const index = pages.find((p) => p.file === 'docs/README.md');
    const linked = new Set(links(index?.text ?? '').map((l) => l.split('#')[0]));
    const unindexed = pages
      .filter((p) => p.file.startsWith('docs/') && p.file !== 'docs/README.md')
      .map((p) => path.posix.basename(p.file))
      .filter((f) => !linked.has(f));
    assert.deepEqual(unindexed.map((f) => `docs/${f} is not linked from docs/README.md`), []);
  });

  it('keep README.md short enough to finish (at most ~250 lines)', () => {
    assert.ok(readme.text.split('\n').length <= 260, `README.md has ${readme.text.split('\n').length} lines`);
  });
});
