// Last file of `npm test`: anything the suite created and did not remove (temp dirs named zkb*,
// screenshots, processes carrying the suite's ZKBENCH_SUITE_ID, zkbench nftables tables, zkb* network
// namespaces, zkbench test containers/networks/images) fails it, named. Run without begin.test.ts first
// (a file run alone), it has no snapshot to compare with and says so instead of guessing.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { it } from 'node:test';
import { inventory, leftoversSince, loadSnapshot, snapshotFile, usedByOthers } from '../helpers/leftovers.ts';

it('the suite left nothing behind', { skip: loadSnapshot() ? false : `no snapshot at ${snapshotFile()}: run test/leftovers/begin.test.ts first (npm test does)` }, async (t) => {
  const before = loadSnapshot()!;
  // A process the last file SIGKILLed on its way out, or a dir its exit hook removes, may take a moment.
  const ours = (): string[] => {
    const left = leftoversSince(before, inventory());
    const others = left.filter((l) => l.startsWith('tempEntries: ') && usedByOthers(l.slice('tempEntries: '.length)));
    if (others.length > 0) t.diagnostic(`new during the suite but someone else's (a live process outside the suite uses them): ${others.join(', ')}`);
    return left.filter((l) => !others.includes(l));
  };
  let left = ours();
  for (let i = 0; i < 20 && left.length > 0; i++) {
    await new Promise((r) => setTimeout(r, 500));
    left = ours();
  }
  fs.rmSync(snapshotFile(), { force: true });
  assert.deepEqual(left, [], `the suite left these behind (remove them in the test that made them, in t.after or finally):\n${left.join('\n')}`);
});
