// The membership scenario's workload checks: a churn that cannot happen, or a run that cannot end the way
// the figures assume, is refused at load time with the field to change; a churn whose figures would be
// harder to read is run with a warning recorded. The shipped workload loads clean.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { scenarioById } from '../../src/scenarios/registry.ts';
import { WorkloadError } from '../../src/workload/validate.ts';
import { loadWorkload, validateWorkload, workloadWarnings } from '../../src/scenarios/catalog.ts';

const base = {
  name: 'm',
  scenario: 'membership',
  recipes: ['reread-data', 'names-only'],
  clients: 10,
  members: 5,
  joins: 2,
  leaves: 2,
  crashes: 1,
  duration_s: 10,
  warmup_s: 1,
  session_timeout_ms: 2000,
  tick_time_ms: 250,
};

const refused = (overrides: Record<string, unknown>, message: RegExp): void =>
  assert.throws(() => validateWorkload('m.yaml', { ...base, ...overrides }), (e: Error) => e instanceof WorkloadError && message.test(e.message));

describe('membership workload', () => {
  it('loads the shipped workload without warnings, its fields typed', () => {
    const { workload } = loadWorkload('membership-churn', {});
    assert.equal(workload.scenario, 'membership');
    assert.deepEqual(workloadWarnings(workload), []);
    assert.equal(typeof workload['crashes'], 'number');
    assert.ok(workload.sessionTimeoutMs < (workload.durationS ?? 0) * 1000, 'a crash fits in the churn');
  });

  it('refuses a churn that cannot happen', () => {
    refused({ joins: 0, leaves: 0, crashes: 0 }, /the churn has no changes/);
    refused({ crashes: 6 }, /crashes \(6\) exceeds members \(5\)/);
    refused({ leaves: 7 }, /leaves \(7\) exceeds the servers that could leave \(members - crashes \+ joins = 6\)/);
    refused({ clients: 0 }, /clients/);
    refused({ recipes: ['predecessor'] }, /"predecessor" is not a membership recipe; allowed for membership: reread-data, names-only/);
  });

  it('is time-bound: the churn is spread over duration_s', () => {
    refused({ duration_s: undefined, acquisitions: 5 }, /the membership scenario is time-bound: set "duration_s"/);
  });

  it('warns when changes come too close or nothing warms up; refuses a window too short for its last crash to be seen', () => {
    const warnings = (o: Record<string, unknown>) => workloadWarnings(validateWorkload('m.yaml', { ...base, ...o }));
    assert.deepEqual(warnings({}), []);
    // 2.5 s less the 2.5 s kept for the last crash (2000 + 2 x 250 ms): nothing left for the churn
    refused({ duration_s: 2.5 }, /duration_s 2.5 s leaves no time for the churn: its last 2500 ms are kept for the last crash to be seen/);
    assert.match(warnings({ duration_s: 3 }).join('\n'), /5 changes in duration_s 3 s \(less the last 2500 ms, kept for the last crash to be seen\) come every 100 ms/);
    assert.deepEqual(warnings({ duration_s: 0.5, crashes: 0 }).filter((w) => /come every/.test(w)).length, 1, 'without a crash nothing is kept back');
    refused({ session_timeout_ms: 15_000 }, /leaves no time for the churn/);
    assert.deepEqual(warnings({ session_timeout_ms: 15_000, crashes: 0 }), [], 'no crash, nothing to wait for');
    assert.match(warnings({ warmup_s: 0 }).join('\n'), /warmup_s is 0/);
  });

  it('starts a load process per crash victim besides the clients', () => {
    const w = validateWorkload('m.yaml', { ...base, workers: 2, crashes: 3 });
    assert.equal(scenarioById('membership').loadProcesses?.(w), 5);
  });
});
