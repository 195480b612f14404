// The config scenario's workload checks and run notes: bad parameters stop the run at load time with the
// fix in the message, doubtful ones are recorded as warnings, and a rate the writer did not keep is said
// next to the figures, never left as a silently different number.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { UpdateRecord } from '../../src/measure/watch-records.ts';
import { configNotes, readerServer } from '../../src/scenarios/config/coordinator.ts';
import { configFigures } from '../../src/scenarios/config/figures.ts';
import type { ConfigWorkload } from '../../src/scenarios/config/workload.ts';
import { WorkloadError } from '../../src/workload/validate.ts';
import { loadWorkload, validateWorkload, workloadWarnings } from '../../src/scenarios/catalog.ts';

const base = { name: 'c', scenario: 'config', recipes: ['watch-reread', 'sync-then-read'], readers: 10, clients: 11, duration_s: 5, update_rate: 50 };

describe('config workload', () => {
  it('ships config-propagation valid, with clients = readers + the writer and no warnings', () => {
    const { workload } = loadWorkload('config-propagation');
    const w = workload as ConfigWorkload;
    assert.equal(w.scenario, 'config');
    assert.equal(w.clients, w.readers + 1);
    assert.deepEqual(workloadWarnings(w), []);
  });

  it('refuses 0 readers at load time', () => {
    assert.throws(() => validateWorkload('c.yaml', { ...base, readers: 0 }), (e: Error) => e instanceof WorkloadError && /"readers".*0 is too small/.test(e.message));
  });

  it('refuses a rate of 0 and a non-number rate', () => {
    assert.throws(() => validateWorkload('c.yaml', { ...base, update_rate: 0 }), (e: Error) => e instanceof WorkloadError && /"update_rate".*too small/.test(e.message));
    assert.throws(() => validateWorkload('c.yaml', base, { update_rate: 'fast' }), (e: Error) => e instanceof WorkloadError && /--update-rate/.test(e.message));
  });

  it('refuses more readers than the sessions clients allows, naming the fix', () => {
    assert.throws(
      () => validateWorkload('c.yaml', { ...base, readers: 20 }),
      (e: Error) => e instanceof WorkloadError && /20 readers need clients >= 21, not 11; set "clients" to 21/.test(e.message),
    );
  });

  it('warns of unused sessions and of too few updates for percentiles', () => {
    assert.match(workloadWarnings(validateWorkload('c.yaml', { ...base, clients: 30 })).join('\n'), /opens 11 sessions \(the readers and the writer\)/);
    assert.match(workloadWarnings(validateWorkload('c.yaml', { ...base, update_rate: 2 })).join('\n'), /10 measured updates/);
  });

  it('is time-bound, and its fields are refused in another scenario', () => {
    assert.throws(() => validateWorkload('c.yaml', { ...base, duration_s: undefined, acquisitions: 5 }), /time-bound/);
    assert.throws(
      () => validateWorkload('l.yaml', { name: 'l', scenario: 'lock-contention', recipes: ['predecessor'], clients: 5, duration_s: 1, readers: 4 }),
      /a field of the config scenario/,
    );
  });

  it('pins readers round robin, server 1 (the writer\'s) first', () => {
    assert.deepEqual([0, 1, 2, 3, 4, 5, 6].map((i) => readerServer(i, 3)), [1, 2, 3, 1, 2, 3, 1]);
    assert.deepEqual([0, 1].map((i) => readerServer(i, 1)), [1, 1]);
  });

  it('says when the writer did not keep the rate, and what each server\'s readers saw', () => {
    // 10 updates in a 0.2 s window: 50 updates/s achieved.
    const w = validateWorkload('c.yaml', { ...base, duration_s: 0.2 }) as ConfigWorkload;
    const notesOf = (updates: UpdateRecord[], workload = w): string =>
      configNotes(configFigures({ updates, readers: [] }), { w: workload, servers: 3, processes: 1, writerReaders: 10, roles: new Map([[1, 'leader']]), undrained: 0 }).join('\n');
    const onTime: UpdateRecord[] = Array.from({ length: 10 }, (_, k) => ({ seq: k + 1, version: k + 1, intendedNs: k * 20e6, sendNs: k * 20e6, ackNs: k * 20e6 + 5e6 }));
    assert.match(notesOf(onTime), /the writer to server 1 \(leader\)/);
    assert.doesNotMatch(notesOf(onTime), /could not keep/);

    // Each acknowledged 50 ms after its send: from the second on, every update leaves after the next one
    // was due (the last has no next: 8 of 10).
    const late = onTime.map((u, k) => ({ ...u, sendNs: k * 50e6, ackNs: k * 50e6 + 50e6 }));
    assert.match(notesOf(late), /warning: the writer could not keep 50 updates\/s: 8 of 10 updates left a whole interval late/);

    // On time, but 10 updates in 1 s where 50 were asked for (the writer started late, or stopped early).
    assert.match(notesOf(onTime, { ...w, durationS: 1 }), /0 of 10 updates left a whole interval late .* 10 updates\/s achieved/);
  });
});
