// Hints name the command that works after `npm run setup` (no `zkbench` on the PATH).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { commandHint } from '../../src/process/command-hint.ts';

describe('commandHint', () => {
  it('runs bench through its own npm script', () => {
    assert.equal(commandHint('bench --workload lock-churn'), 'npm run bench -- --workload lock-churn');
    assert.equal(commandHint('bench'), 'npm run bench');
  });

  it('runs every other command through npm run zkbench, with the arguments after --', () => {
    assert.equal(commandHint('ensemble up'), 'npm run zkbench -- ensemble up');
    assert.equal(commandHint('list'), 'npm run zkbench -- list');
    assert.equal(commandHint('--help'), 'npm run zkbench -- --help');
    assert.equal(commandHint('nightly --baseline results/x'), 'npm run zkbench -- nightly --baseline results/x');
    assert.equal(commandHint('benchmark'), 'npm run zkbench -- benchmark');
  });
});
