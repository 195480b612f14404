// The config scenario's workload checks and run notes: bad parameters stop the run at load time with the
// fix in the message, doubtful ones are recorded as warnings, and a rate the writer did not keep is said
// next to the figures, never left as a silently different number.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { UpdateRecord } from '../../src/measure/watch-records.ts';
import { configNotes, readerServer } from '../../src/scenarios/config/coordinator.ts';
import { configFigures } from '../../src/scenarios/config/figures.ts';
import type { ConfigWorkload } from '../../src/scenarios/config/index.ts';
import { loadWorkload } from '../../src/workload/load.ts';
import { validateWorkload, WorkloadError, workloadWarnings } from '../../src/workload/validate.ts';

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
    assert.match(workloadWarnings(validateWorkload('c.yaml', { ...base, clients: 30 })).join('\n'), /opens readers \+ 1 = 11 sessions/);
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
    const w = validateWorkload('c.yaml', base) as ConfigWorkload;
    // Due every 20 ms, each acknowledged 50 ms after its send: from the second on, every update leaves after
    // the next one was due (the last has no next: 8 of 10).
    const updates: UpdateRecord[] = Array.from({ length: 10 }, (_, k) => ({ seq: k + 1, version: k + 1, intendedNs: k * 20e6, sendNs: k * 50e6, ackNs: k * 50e6 + 50e6 }));
    const f = configFigures({ updates, readers: [] });
    const notes = configNotes(f, { w, servers: 3, processes: 1, writerReaders: 10, roles: new Map([[1, 'leader']]), undrained: 0 });
    assert.match(notes.join('\n'), /the writer to server 1 \(leader\)/);
    assert.match(notes.join('\n'), /warning: the writer could not keep 50 updates\/s: 8 of 10 updates left a whole interval late/);

    const onTime = updates.map((u, k) => ({ ...u, intendedNs: k * 50e6 }));
    assert.doesNotMatch(configNotes(configFigures({ updates: onTime, readers: [] }), { w, servers: 3, processes: 1, writerReaders: 10, roles: new Map(), undrained: 0 }).join('\n'), /could not keep/);
  });
});
