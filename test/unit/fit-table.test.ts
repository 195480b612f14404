// The end-of-run table fits the terminal's 100 columns: columns not measured anywhere are left out, and a
// table still too wide is cut into several, each with the recipe first, never between `acquire p50` and
// the `p99` and `max` that continue it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fitTable, TABLE_WIDTH } from '../../src/results/table-format.ts';

describe('fitTable', () => {
  it('leaves out a column that is "-" in every row, keeps one "-" in some', () => {
    const out = fitTable(['recipe', 'a', 'b', 'c'], [['x', '1', '-', ''], ['y', '-', '-', '']]);
    assert.deepEqual(out.split('\n')[0]!.split(/\s+/), ['recipe', 'a', 'c'], 'b is not measured anywhere; c is blank, not unmeasured');
    assert.match(out, /^y\s+-$/m);
  });

  it('cuts a wide table into parts that fit, each starting with the recipe, groups kept whole', () => {
    const header = ['recipe', 'acquire p50', 'p99', 'max', ...Array.from({ length: 12 }, (_v, i) => `figure ${i}`)];
    const rows = [['predecessor-unchecked *', ...header.slice(1).map((_h, i) => String(1000 + i))], ['predecessor', ...header.slice(1).map(() => '12.3')]];
    const out = fitTable(header, rows);
    const parts = out.split('\n\n');
    assert.ok(parts.length >= 2, 'cut');
    for (const p of parts) {
      for (const line of p.split('\n')) assert.ok(line.length <= TABLE_WIDTH, `${line.length}: ${line}`);
      assert.match(p, /^recipe /);
      assert.match(p, /^predecessor-unchecked \*/m);
    }
    const first = parts[0]!.split('\n')[0]!;
    assert.match(first, /acquire p50\s+p99\s+max/, 'p99 and max stay with acquire p50');
    const all = parts.map((p) => p.split('\n')[0]!).join(' ');
    for (const h of header.slice(4)) assert.ok(all.includes(h), h);
  });
});
