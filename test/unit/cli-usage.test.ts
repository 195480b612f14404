// What a new user reads first: `--help` and `list`, from the real command line (no ensemble needed).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { LIST_WIDTH, wrap } from '../../src/cli/list.ts';
import { flagOf } from '../../src/workload/schema.ts';
import { ZKBENCH } from '../helpers/cli.ts';
import { FIELDS } from '../../src/scenarios/catalog.ts';

const zkbench = (...args: string[]): string => execFileSync(process.execPath, [ZKBENCH, ...args], { encoding: 'utf8', env: { ...process.env, COLUMNS: '80' } });

/** The help text of one option: its line and the wrapped lines under it, up to the next option. */
function optionHelp(help: string, flag: string): string {
  const lines = help.split('\n');
  const start = lines.findIndex((l) => l.startsWith(`  ${flag} `));
  assert.ok(start >= 0, `${flag} in --help`);
  const end = lines.findIndex((l, i) => i > start && !l.startsWith('    '));
  return lines.slice(start, end < 0 ? undefined : end).join('\n');
}

describe('--help', () => {
  for (const command of ['bench', 'nightly']) {
    it(`${command}: numeric workload fields are numbers, switches booleans, the others strings`, () => {
      const help = zkbench(command, '--help');
      for (const f of FIELDS) {
        const text = optionHelp(help, `--${flagOf(f)}`);
        const numeric = f.type.kind === 'integer' || f.type.kind === 'number';
        assert.match(text, numeric ? /\[number\]/ : f.type.kind === 'boolean' ? /\[boolean\]/ : /\[string\]/, text);
        if (numeric) assert.doesNotMatch(text, /\[string\]/, text);
      }
    });
  }
});

describe('list', () => {
  it('fits 100 columns and names every field', () => {
    const out = zkbench('list');
    for (const line of out.split('\n')) assert.ok(line.length <= LIST_WIDTH, `${line.length} columns: ${line}`);
    for (const f of FIELDS) assert.match(out, new RegExp(`^  --${flagOf(f)} `, 'm'));
    assert.match(out, /^  predecessor-unchecked /m);
  });

  it('wraps words into lines of the width, a longer word on its own', () => {
    assert.deepEqual(wrap('aa bb cc dd', 5), ['aa bb', 'cc dd']);
    assert.deepEqual(wrap('  a   verylongword b ', 4), ['a', 'verylongword', 'b']);
    assert.deepEqual(wrap('', 10), []);
  });
});
