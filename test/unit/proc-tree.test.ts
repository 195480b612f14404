import { test } from 'node:test';
import assert from 'node:assert/strict';
import { descendants, parseStatPpid, parseStatusRssKiB, readProcSample } from '../../src/process/proc-tree.ts';

test('the parent PID is read after the last parenthesis, whatever the command name holds', () => {
  assert.equal(parseStatPpid('4242 (node) S 4100 4242 4100 0 -1 4194560 1 0'), 4100);
  assert.equal(parseStatPpid('77 (a b) (c)) R 12 77 12 0'), 12);
  assert.equal(parseStatPpid('garbage'), undefined);
});

test('VmRSS in KiB; absent (a zombie) is undefined, not 0', () => {
  assert.equal(parseStatusRssKiB('Name:\tnode\nVmPeak:\t 900 kB\nVmRSS:\t   123456 kB\nRssAnon:\t 1 kB\n'), 123456);
  assert.equal(parseStatusRssKiB('Name:\tzombie\nState:\tZ (zombie)\n'), undefined);
});

test('descendants follow parent links from the roots, and only from them', () => {
  const parents = new Map([
    [1, 0],
    [10, 1], // the soak
    [11, 10], // coordinator
    [12, 11], // load process
    [13, 11],
    [14, 12],
    [20, 1], // someone else's
    [21, 20],
  ]);
  assert.deepEqual(descendants([10], parents).sort((a, b) => a - b), [10, 11, 12, 13, 14]);
  assert.deepEqual(descendants([99], parents), []); // a root that is gone
});

test('this process can be sampled: RSS and descriptors are positive, a gone PID is undefined', () => {
  const s = readProcSample(process.pid);
  assert.ok(s && s.rssMiB !== undefined && s.rssMiB > 0 && s.fds !== undefined && s.fds > 0);
  assert.equal(readProcSample(2 ** 22 + 1), undefined);
});
