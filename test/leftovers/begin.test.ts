// First file of `npm test`: what the machine holds before the suite (other people's runs included), so
// that end.test.ts, the last file, fails on exactly what the suite left behind.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { inventory, loadSnapshot, saveSnapshot, snapshotFile } from '../helpers/leftovers.ts';

it('snapshots the temp dir, processes, nftables tables, namespaces and containers before the suite', () => {
  saveSnapshot(inventory());
  assert.ok(loadSnapshot(), `snapshot written to ${snapshotFile()}`);
});
