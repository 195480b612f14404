// The membership figures from hand-built lists: when a client's lists reflect a change, converge to the last
// client, a crash split into detection and propagation, stale lists found, final lists checked; and the
// churn plan: reproducible, every change possible when it happens.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TimeToEvent } from '../../src/measure/time-to-event.ts';
import { aliveAfter, churnProblem, planChurn } from '../../src/scenarios/membership/churn.ts';
import {
  changeOutcome,
  finalMismatch,
  membershipFigures,
  reflectedAt,
  staleViews,
  type ChangeRecord,
  type ClientTrace,
  type ViewRecord,
} from '../../src/scenarios/membership/figures.ts';

const MS = 1e6;
const view = (atMs: number, ...servers: number[]): ViewRecord => ({ atNs: atMs * MS, servers });
const trace = (client: number, ...views: ViewRecord[]): ClientTrace => ({ client, views });
/** Far past every view of these tables: the window closes on nothing. */
const END = 1e6 * MS;
/** [ms, censored] of every case. */
const cases = (list: readonly TimeToEvent[]) => list.map((c) => [c.ns / MS, c.censored]);

describe('membership figures', () => {
  it('a join is reflected by the first list holding the server, a leave by the first list after the last one holding it', () => {
    const views = [view(0, 1, 2), view(105, 1, 2, 3), view(212, 1, 3)];
    assert.equal(reflectedAt(views, { kind: 'join', server: 3, atNs: 100 * MS }), 105 * MS);
    assert.equal(reflectedAt(views, { kind: 'leave', server: 2, atNs: 200 * MS }), 212 * MS);
    assert.equal(reflectedAt(views, { kind: 'join', server: 4, atNs: 300 * MS }), null, 'never listed: never reflected');
    assert.equal(reflectedAt(views, { kind: 'crash', server: 1, atNs: 300 * MS }), null, 'still listed at the end');
    assert.equal(reflectedAt(views, { kind: 'leave', server: 9, atNs: 300 * MS }), undefined, 'never listed: nothing to reflect');
  });

  it('converge is from the change to the last client; a client still lagging leaves the change unconverged', () => {
    const join: ChangeRecord = { kind: 'join', server: 3, atNs: 100 * MS };
    const a = trace(0, view(0, 1), view(102, 1, 3));
    const b = trace(1, view(0, 1), view(107, 1, 3));
    assert.equal(changeOutcome(join, [a, b], END).convergeNs, 7 * MS);
    const lagging = changeOutcome(join, [a, b, trace(2, view(0, 1))], END);
    assert.equal(lagging.convergeNs, undefined);
    assert.equal(lagging.lagging, 1);
  });

  it('splits a crash into detection (first sign of the deletion) and propagation (to the last client)', () => {
    const crash: ChangeRecord = { kind: 'crash', server: 2, atNs: 1000 * MS, deletionSeenNs: 2500 * MS };
    const a = trace(0, view(0, 1, 2), view(2503, 1));
    const b = trace(1, view(0, 1, 2), view(2510, 1));
    const o = changeOutcome(crash, [a, b], END);
    assert.equal(o.detectionNs, 1500 * MS);
    assert.equal(o.propagationNs, 10 * MS);
    assert.equal(o.convergeNs, o.detectionNs! + o.propagationNs!);
    // A client's list without the server before the observer's event is the earlier sign.
    const early = changeOutcome({ ...crash, deletionSeenNs: 2505 * MS }, [a, b], END);
    assert.equal(early.detectionNs, 1503 * MS);
    assert.equal(early.propagationNs, 7 * MS);
    assert.equal(changeOutcome({ ...crash, deletionSeenNs: undefined }, [a, b], END).detectionNs, 1503 * MS);
  });

  it('counts a list holding a server the client had already dropped as stale, once per list', () => {
    assert.equal(staleViews([view(0, 1, 2), view(1, 1, 2, 3), view(2, 1, 3)]), 0);
    assert.equal(staleViews([view(0, 1, 2), view(1, 1), view(2, 1, 2), view(3, 1), view(4, 1, 2)]), 2);
    assert.equal(staleViews([view(0, 1, 2), view(1), view(2, 1, 2)]), 1, 'two servers back in one list: one stale list');
  });

  it('checks every final list against the servers alive at the end', () => {
    assert.equal(finalMismatch(trace(0, view(0, 1), view(1, 1, 3)), [3, 1]), undefined);
    assert.deepEqual(finalMismatch(trace(4, view(0, 1, 2)), [1, 3]), { client: 4, missing: [3], extra: [2] });
    assert.deepEqual(finalMismatch(trace(5), [1]), { client: 5, missing: [1], extra: [] }, 'a client that never listed anything');
  });

  it('gathers converge per kind, detection, propagation, stale lists and final mismatches over a run', () => {
    const changes: ChangeRecord[] = [
      { kind: 'join', server: 3, atNs: 100 * MS },
      { kind: 'leave', server: 1, atNs: 200 * MS },
      { kind: 'crash', server: 2, atNs: 300 * MS, deletionSeenNs: 1800 * MS },
    ];
    const clients = [
      trace(0, view(0, 1, 2), view(103, 1, 2, 3), view(204, 2, 3), view(1802, 3)),
      trace(1, view(0, 1, 2), view(101, 1, 2, 3), view(209, 2, 3), view(1806, 3)),
    ];
    const f = membershipFigures({ changes, clients, live: [3], untilNs: END });
    assert.deepEqual(f.changes, { join: 1, leave: 1, crash: 1 });
    assert.deepEqual(cases(f.converge.join), [[3, false]]);
    assert.deepEqual(cases(f.converge.leave), [[9, false]]);
    assert.deepEqual(cases(f.converge.crash), [[1506, false]]);
    assert.deepEqual(cases(f.crashDetection), [[1500, false]]);
    assert.deepEqual(cases(f.crashPropagation), [[6, false]]);
    assert.equal(f.unconverged, 0);
    assert.equal(f.staleViews, 0);
    assert.deepEqual(f.finalMismatches, []);

    const untilNs = 2000 * MS;
    const behind = membershipFigures({ changes, clients: [...clients, trace(2, view(0, 1, 2), view(102, 1, 2, 3))], live: [3], untilNs });
    assert.equal(behind.unconverged, 2, 'the leave and the crash never reached client 2');
    assert.deepEqual(cases(behind.converge.leave), [[1800, true]], 'censored at the window, from the leave to its end');
    assert.deepEqual(cases(behind.converge.crash), [[1700, true]]);
    assert.deepEqual(cases(behind.crashDetection), [[1500, false]], 'detection does not need every client');
    assert.deepEqual(cases(behind.crashPropagation), [[200, true]]);
    assert.deepEqual(behind.finalMismatches, [{ client: 2, missing: [], extra: [1, 2] }]);
  });
});

describe('membership figures: a figure depends only on its window', () => {
  const crash: ChangeRecord = { kind: 'crash', server: 2, atNs: 1000 * MS, deletionSeenNs: 2500 * MS };
  const clients = [trace(0, view(0, 1, 2), view(2503, 1)), trace(1, view(0, 1, 2), view(2510, 1))];

  it('a deletion seen after the window closed is no detection: censored at the window', () => {
    const f = membershipFigures({ changes: [crash], clients, live: [1], untilNs: 2000 * MS });
    assert.deepEqual(cases(f.crashDetection), [[1000, true]]);
    assert.deepEqual(cases(f.converge.crash), [[1000, true]]);
    assert.deepEqual(cases(f.crashPropagation), [], 'no detection, no start to propagate from');
    assert.equal(f.unconverged, 1);
  });

  it('a member never seen by a client is a censored converge case, never left out', () => {
    const join: ChangeRecord = { kind: 'join', server: 3, atNs: 100 * MS };
    const f = membershipFigures({ changes: [join], clients: [trace(0, view(0, 1), view(104, 1, 3)), trace(1, view(0, 1))], live: [1, 3], untilNs: 600 * MS });
    assert.deepEqual(cases(f.converge.join), [[500, true]]);
  });
});

describe('membership churn plan', () => {
  const spec = { members: 6, joins: 5, leaves: 7, crashes: 2, seed: 3 };

  it('is the same for the same seed, and every change is possible when it happens', () => {
    const plan = planChurn(spec);
    assert.deepEqual(planChurn(spec), plan);
    assert.notDeepEqual(planChurn({ ...spec, seed: 4 }).changes, plan.changes);
    assert.deepEqual(plan.victims, [0, 1]);
    assert.deepEqual(plan.joiners, [6, 7, 8, 9, 10]);
    const count = (k: string) => plan.changes.filter((c) => c.kind === k).length;
    assert.deepEqual([count('join'), count('leave'), count('crash')], [5, 7, 2]);
    const alive = new Set(plan.initial);
    const gone = new Set<number>();
    for (const c of plan.changes) {
      if (c.kind === 'join') {
        assert.ok(!alive.has(c.server) && !gone.has(c.server), `server ${c.server} joins once`);
        alive.add(c.server);
      } else {
        assert.ok(alive.has(c.server), `server ${c.server} is alive when it ${c.kind}es`);
        assert.equal(plan.victims.includes(c.server), c.kind === 'crash', 'only victims crash, and victims never leave');
        alive.delete(c.server);
        gone.add(c.server);
      }
    }
    assert.deepEqual(aliveAfter(plan), [...alive].sort((a, b) => a - b));
  });

  it('refuses a churn that cannot happen', () => {
    assert.match(churnProblem({ members: 3, joins: 0, leaves: 0, crashes: 0 })!, /no changes/);
    assert.match(churnProblem({ members: 2, joins: 0, leaves: 0, crashes: 3 })!, /crashes \(3\) exceeds members \(2\)/);
    assert.match(churnProblem({ members: 3, joins: 1, leaves: 3, crashes: 2 })!, /leaves \(3\) exceeds the servers that could leave \(members - crashes \+ joins = 2\)/);
    assert.equal(churnProblem({ members: 3, joins: 1, leaves: 2, crashes: 2 }), undefined);
    // Only leaves remain and they are possible to the last one.
    for (let seed = 0; seed < 50; seed++) assert.doesNotThrow(() => planChurn({ members: 3, joins: 1, leaves: 2, crashes: 2, seed }));
  });
});
