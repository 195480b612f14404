// The workload's `faults` field: each entry's shape, and the schedule checked against the run before
// anything starts (times, targets, what can be undone), every error naming the field and the entry.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeFault, type FaultSpec } from '../../src/ensemble/faults/fault-spec.ts';
import { checkFaultSchedule, parseFaults, parseTimeMs } from '../../src/workload/faults.ts';
import { WorkloadError } from '../../src/workload/validate.ts';
import { FIELDS, validateWorkload, workloadWarnings } from '../../src/scenarios/catalog.ts';

const base = { name: 'w', scenario: 'throughput', recipes: ['set'], clients: 4, duration_s: 20, warmup_s: 2 };

/** The workload error for these faults, as a user would see it. */
function errorFor(faults: unknown, extra: Record<string, unknown> = {}): string {
  try {
    validateWorkload('w.yaml', { ...base, ...extra, faults });
  } catch (err) {
    assert.ok(err instanceof WorkloadError, `a WorkloadError, got ${String(err)}`);
    return err.message;
  }
  assert.fail(`no error for ${JSON.stringify(faults)}`);
}

const warningsFor = (faults: unknown, extra: Record<string, unknown> = {}): string[] => workloadWarnings(validateWorkload('w.yaml', { ...base, ...extra, faults }));

describe('faults: entries', () => {
  it('reads times as 10s, 1.5s, 500ms or bare seconds', () => {
    assert.equal(parseTimeMs('10s'), 10_000);
    assert.equal(parseTimeMs('1.5s'), 1500);
    assert.equal(parseTimeMs('500ms'), 500);
    assert.equal(parseTimeMs(3), 3000);
    assert.equal(parseTimeMs('3'), 3000);
    for (const bad of ['soon', '-1s', '10 min', -2, null]) assert.equal(parseTimeMs(bad), undefined, String(bad));
  });

  it('resolves a valid schedule, isolate defaulting to the servers only', () => {
    const w = validateWorkload('w.yaml', {
      ...base,
      faults: [
        { at: '5s', action: 'kill', target: 'leader' },
        { at: '8s', action: 'restart', target: 'previous' },
        { at: '10s', action: 'isolate', target: 'follower' },
        { at: '12s', action: 'heal', target: 'previous' },
        { at: '14s', action: 'isolate', target: 'server:2', from: 'all' },
        { at: '16s', action: 'heal', target: 'server:2' },
      ],
    });
    assert.deepEqual(w.faults[0], { atMs: 5000, action: 'kill', target: 'leader' });
    assert.equal(w.faults[2]!.from, 'servers');
    assert.equal(w.faults[4]!.from, 'all');
    assert.equal(describeFault(w.faults[4]!), 'isolate server:2 from all at 14s');
    assert.deepEqual(validateWorkload('w.yaml', base).faults, [], 'none by default');
  });

  it('takes the list as JSON on the command line, named as the flag', () => {
    const w = validateWorkload('w.yaml', base, { faults: '[{"at":"3s","action":"pause","target":"leader"},{"at":"4s","action":"resume","target":"previous"}]' });
    assert.deepEqual(w.faults.map((f) => f.action), ['pause', 'resume']);
    assert.throws(() => validateWorkload('w.yaml', base, { faults: '[{"at":"3s","action":"resume","target":"leader"}]' }), /--faults, entry 1 \(resume leader at 3s\): a paused server has no role/);
    assert.throws(() => validateWorkload('w.yaml', base, { faults: 'kill leader' }), /--faults: expected a list of faults, e\.g\. \[\{at: 10s/);
    assert.throws(() => validateWorkload('w.yaml', base, { faults: '[{at: 10s' }), /--faults: neither YAML nor JSON/);
  });

  it("takes the examples of the flags' help as printed (YAML flow style)", () => {
    const example = (key: string): string => /e\.g\. (\[.*\]|\{.*?\})(;|$)/.exec(FIELDS.find((f) => f.key === key)!.help)![1]!;
    const w = validateWorkload('w.yaml', { ...base, scenario: 'lock-contention', recipes: ['predecessor'] }, { faults: example('faults'), thresholds: example('thresholds') });
    assert.deepEqual(w.faults.map((f) => [f.atMs, f.action, f.target]), [
      [10_000, 'kill', 'leader'],
      [20_000, 'restart', 'previous'],
    ]);
    assert.ok(Object.keys(w.thresholds).includes('predecessor.acquire.p99'), JSON.stringify(w.thresholds));
  });

  it('names the field, the entry and what is allowed for an unknown action, target or key', () => {
    assert.match(errorFor([{ at: '1s', action: 'kill', target: 'leader' }, { at: '2s', action: 'explode', target: 'leader' }]), /w\.yaml: field "faults", entry 2: unknown action "explode"; actions: kill, restart, pause, resume, isolate, heal/);
    assert.match(errorFor([{ at: '1s', action: 'kill', target: 'observer' }]), /field "faults", entry 1: unknown target "observer"; targets: leader, follower, server:N, random, previous/);
    assert.match(errorFor([{ at: '1s', action: 'kill', target: 'leader', when: 'now' }]), /entry 1: unknown key "when"/);
    assert.match(errorFor([{ at: 'soon', action: 'kill', target: 'leader' }]), /entry 1: at "soon" is not a time/);
    assert.match(errorFor([{ action: 'kill', target: 'leader' }]), /entry 1: "at" is missing/);
    assert.match(errorFor([{ at: '1s', action: 'kill', target: 'leader', from: 'all' }]), /entry 1: "from" belongs to isolate only/);
    assert.match(errorFor({ at: '1s' }), /field "faults": expected a list/);
  });
});

describe('faults: the schedule against the run', () => {
  it('refuses a time beyond the run (warm-up + duration, from the clients\' start)', () => {
    assert.match(errorFor([{ at: '22s', action: 'kill', target: 'leader' }]), /entry 1 \(kill leader at 22s\): 22s is beyond the run: the clients stop at 22s \(warm-up 2 s \+ duration 20 s/);
    assert.doesNotThrow(() => validateWorkload('w.yaml', { ...base, faults: [{ at: '21.9s', action: 'kill', target: 'leader' }] }));
  });

  it('needs a time-bound run', () => {
    const counted = { scenario: 'lock-contention', recipes: ['predecessor'], duration_s: undefined, acquisitions: 5 };
    assert.match(errorFor([{ at: '1s', action: 'kill', target: 'leader' }], counted), /field "faults": faults need a time-bound run/);
  });

  it('refuses a restart of a server never killed, a resume never paused, a heal without isolate', () => {
    assert.match(errorFor([{ at: '1s', action: 'restart', target: 'server:2' }]), /entry 1 \(restart server:2 at 1s\): a restart of a server that was never killed/);
    assert.match(errorFor([{ at: '1s', action: 'pause', target: 'server:1' }, { at: '2s', action: 'resume', target: 'server:2' }]), /entry 2 .*a resume of a server that was never paused/);
    assert.match(errorFor([{ at: '1s', action: 'heal', target: 'random' }]), /entry 1 .*a heal without an isolate: no earlier entry isolates any server/);
    // killed, restarted, restarted again
    assert.match(
      errorFor([
        { at: '1s', action: 'kill', target: 'leader' },
        { at: '2s', action: 'restart', target: 'previous' },
        { at: '3s', action: 'restart', target: 'previous' },
      ]),
      /entry 3 .*never killed.*or it was restarted since/,
    );
  });

  it('refuses what targets cannot mean: no previous, no such server, a role of a dead server, no follower alone', () => {
    assert.match(errorFor([{ at: '1s', action: 'kill', target: 'previous' }]), /entry 1 .*`previous` names the target of the entry before, and this is the first/);
    assert.match(errorFor([{ at: '1s', action: 'kill', target: 'server:4' }]), /entry 1 .*there is no server 4: the ensemble has servers 1\.\.3/);
    assert.match(errorFor([{ at: '1s', action: 'kill', target: 'leader' }, { at: '2s', action: 'restart', target: 'leader' }]), /entry 2 .*restart takes server:N, previous or random/);
    assert.match(errorFor([{ at: '1s', action: 'kill', target: 'follower' }], { servers: 1 }), /a 1-server ensemble has no follower/);
    assert.match(errorFor([{ at: '1s', action: 'isolate', target: 'leader' }], { servers: 1 }), /no other server to cut it off from/);
    assert.match(errorFor([{ at: '1s', action: 'kill', target: 'server:1' }, { at: '2s', action: 'kill', target: 'server:1' }]), /entry 2 .*already killed \(by entry 1\)/);
    assert.match(errorFor([{ at: '1s', action: 'kill', target: 'server:1' }, { at: '2s', action: 'pause', target: 'previous' }]), /entry 2 .*killed by entry 1 and not restarted/);
  });

  it('refuses entries out of time order', () => {
    assert.match(errorFor([{ at: '5s', action: 'kill', target: 'leader' }, { at: '3s', action: 'restart', target: 'previous' }]), /entry 2 .*entries must be in time order/);
  });

  it('accepts a restart of server:N after a kill of a role (it may be that server), and checks the rest at run time', () => {
    assert.doesNotThrow(() => validateWorkload('w.yaml', { ...base, faults: [{ at: '1s', action: 'kill', target: 'leader' }, { at: '2s', action: 'restart', target: 'server:2' }] }));
  });

  it('warns when more servers may be down than a quorum can lose, and refuses a role target then', () => {
    const lost = [
      { at: '1s', action: 'kill', target: 'server:1' },
      { at: '2s', action: 'pause', target: 'server:2' },
      { at: '3s', action: 'resume', target: 'server:2' },
      { at: '4s', action: 'restart', target: 'server:1' },
    ];
    const warnings = warningsFor(lost);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /field "faults", entry 2 \(pause server:2 at 2s\): up to 2 of 3 servers are then down .*more than a quorum can lose \(1 server\(s\)\)/);
    assert.deepEqual(warningsFor(lost, { servers: 5 }), [], '5 servers lose 2 and keep a quorum');
    assert.match(
      errorFor([lost[0], lost[1], { at: '3s', action: 'kill', target: 'leader' }]),
      /entry 3 .*from entry 2 on, more servers are down than a quorum of 3 can lose \(1\), so there is no leader to target/,
    );
  });

  it('parses and checks without a workload file, for callers of the pure module', () => {
    const faults: FaultSpec[] = parseFaults([{ at: 1, action: 'isolate', target: 'random', from: 'all' }], 'faults');
    const warned: string[] = [];
    checkFaultSchedule(faults, { servers: 3, warmupS: 0, durationS: 5 }, 'faults', { error: (m) => assert.fail(m), warn: (m) => void warned.push(m) });
    assert.deepEqual(warned, []);
  });
});
