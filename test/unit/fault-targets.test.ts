// Who a fault hits (targets.ts), the nftables rules that cut a server off (nftables.ts, the rules only:
// nothing is applied here), and the election figures from the faults' records (election-metrics.ts).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isolationRules, staleTables, tableScript, type ServerAddresses } from '../../src/ensemble/faults/nftables.ts';
import { resolveTarget, type ServerCondition } from '../../src/ensemble/faults/targets.ts';
import { electionMetrics, type FaultRecord } from '../../src/measure/election-metrics.ts';
import type { Metric } from '../../src/measure/metrics.ts';
import { distributionMs } from '../../src/measure/histogram.ts';
import { seededRandom } from '../../src/scenarios/seeded-random.ts';
import type { FaultSpec } from '../../src/ensemble/faults/fault-spec.ts';

const fault = (action: FaultSpec['action'], target: string): FaultSpec => ({ atMs: 0, action, target });
const server = (id: number, role: string, over: Partial<ServerCondition> = {}): ServerCondition => ({ id, role, killed: false, paused: false, isolated: false, ...over });
const healthy = [server(1, 'follower'), server(2, 'leader'), server(3, 'follower'), server(4, 'follower'), server(5, 'follower')];
const never = (): number => assert.fail('no random choice expected');

describe('fault targets', () => {
  it('leader: the server answering Mode: leader (or standalone); none during an election: wait', () => {
    assert.deepEqual(resolveTarget(fault('kill', 'leader'), healthy, undefined, never), { id: 2, role: 'leader' });
    assert.deepEqual(resolveTarget(fault('kill', 'leader'), [server(1, 'standalone')], undefined, never), { id: 1, role: 'standalone' });
    const electing = healthy.map((s) => ({ ...s, role: s.id === 2 ? 'killed' : 'not serving', killed: s.id === 2 }));
    assert.deepEqual(resolveTarget(fault('kill', 'leader'), electing, undefined, never), { id: undefined, why: 'no server answers Mode: leader', retry: true });
  });

  it('follower and random: a seeded pick among the servers the action applies to, the same for the same seed', () => {
    const picks = (seed: number, target: string) => {
      const random = seededRandom(seed);
      return Array.from({ length: 8 }, () => resolveTarget(fault('pause', target), healthy, undefined, random).id);
    };
    assert.deepEqual(picks(7, 'follower'), picks(7, 'follower'));
    assert.ok(picks(7, 'follower').every((id) => id !== 2), 'never the leader');
    assert.ok(new Set(picks(7, 'random')).size > 1, 'random spreads over the servers');
    assert.notDeepEqual(picks(7, 'random'), picks(8, 'random'));
    // random restarts only a killed server, random resumes only a paused one
    const mixed = [server(1, 'killed', { killed: true }), server(2, 'leader'), server(3, 'paused', { paused: true })];
    assert.equal(resolveTarget(fault('restart', 'random'), mixed, undefined, Math.random).id, 1);
    assert.equal(resolveTarget(fault('resume', 'random'), mixed, undefined, Math.random).id, 3);
    assert.deepEqual(resolveTarget(fault('heal', 'random'), mixed, undefined, Math.random), { id: undefined, why: 'no server can be healed now', retry: false });
  });

  it('server:N and previous: that server, when the action applies to it', () => {
    assert.deepEqual(resolveTarget(fault('isolate', 'server:4'), healthy, undefined, never), { id: 4, role: 'follower' });
    assert.deepEqual(resolveTarget(fault('restart', 'previous'), [server(1, 'follower'), server(2, 'killed', { killed: true })], 2, never), { id: 2, role: 'killed' });
    assert.deepEqual(resolveTarget(fault('restart', 'server:1'), healthy, undefined, never), { id: undefined, why: 'server 1: it was not killed', retry: false });
    assert.deepEqual(resolveTarget(fault('pause', 'previous'), healthy, undefined, never), { id: undefined, why: 'there is no previous fault', retry: false });
    assert.deepEqual(resolveTarget(fault('kill', 'server:9'), healthy, undefined, never), { id: undefined, why: 'there is no server 9', retry: false });
  });
});

describe('isolation rules', () => {
  const s = (id: number): ServerAddresses => ({ id, host: `127.0.0.${id + 1}`, clientPort: 1000 + id, quorumPort: 2000 + id, electionPort: 3000 + id });

  it('drop both directions between the server and each other server, on the listening ports of each side', () => {
    const rules = isolationRules(s(2), [s(1), s(3)], 'servers');
    assert.equal(rules.length, 8);
    assert.ok(rules.includes('ip saddr 127.0.0.2 ip daddr 127.0.0.3 tcp dport { 2002, 3002 } drop'), 'server 1 to server 2\'s ports');
    assert.ok(rules.includes('ip saddr 127.0.0.3 ip daddr 127.0.0.2 tcp sport { 2002, 3002 } drop'), 'server 2 answering server 1');
    assert.ok(rules.includes('ip saddr 127.0.0.3 ip daddr 127.0.0.4 tcp dport { 2003, 3003 } drop'), 'server 2 to server 3\'s ports');
    assert.ok(rules.includes('ip saddr 127.0.0.4 ip daddr 127.0.0.3 tcp sport { 2003, 3003 } drop'), 'server 3 answering server 2');
    assert.ok(!rules.some((r) => r.includes('1002')), 'clients keep their server');
    assert.ok(!rules.some((r) => r.includes('127.0.0.2') && r.includes('127.0.0.4')), 'servers 1 and 3 keep each other');
  });

  it('from all: the clients lose it too', () => {
    const rules = isolationRules(s(1), [s(2)], 'all');
    assert.deepEqual(rules.slice(-2), ['ip daddr 127.0.0.2 tcp dport 1001 drop', 'ip saddr 127.0.0.2 tcp sport 1001 drop']);
  });

  it('replace the run\'s table whole in one transaction, on input', () => {
    const script = tableScript('zkbench_1_ab', ['ip saddr 127.0.0.2 drop']);
    assert.match(script, /^table inet zkbench_1_ab\ndelete table inet zkbench_1_ab\ntable inet zkbench_1_ab \{\n  chain input \{\n    type filter hook input priority 0; policy accept;\n    ip saddr 127\.0\.0\.2 drop\n/);
  });

  it('find the tables of runs whose process is gone, and only zkbench\'s', () => {
    const listing = ['table inet zkbench_100_aa', 'table inet zkbench_200_bb', 'table inet firewalld', 'table ip zkbench_300_cc'].join('\n');
    assert.deepEqual(staleTables(listing, (pid) => pid === 200), ['zkbench_100_aa']);
  });
});

describe('election figures', () => {
  const MS = 1e6;
  const record = (entry: number, atMs: number, election: FaultRecord['election']): FaultRecord => ({
    recipe: 'set', entry, action: 'kill', target: 'leader', server: 2, role: 'leader', pid: 1, scheduledMs: atMs, atNs: atMs * MS, tookMs: 1, ...(election ? { election } : {}),
  });
  const changed = (toLeaderMs: number | undefined, toWriteMs: number | undefined) => ({ oldLeader: 2, leader: toLeaderMs === undefined ? undefined : 1, changed: toLeaderMs === undefined ? undefined : true, toLeaderMs, toWriteMs });
  /** [ms, censored] of every case of a figure, in recorded order, and its censoring. */
  const cases = (metrics: Metric[], name: string) => {
    const m = metrics.find((x) => x.name === name);
    if (!m || m.kind !== 'distribution') return undefined;
    const d = distributionMs(m.histogram)!;
    return { count: d.count, min: d.min, max: d.max, censored: m.censored };
  };

  it('one case per fault that took the leader away; each fault\'s window ends at the next fault or the measured window\'s end', () => {
    const metrics = electionMetrics(
      [
        record(1, 0, changed(200, 240)), // window 0..10 s
        record(2, 10_000, changed(400, undefined)), // window 10..20 s: no write accepted in it
        record(3, 20_000, { oldLeader: 3, leader: 3, changed: false, toLeaderMs: 900, toWriteMs: 950 }), // the leader kept its place
        record(4, 30_000, undefined), // a follower fault
        record(5, 40_000, changed(12_000, 12_500)), // window 40..50 s: the leader came after it closed
      ],
      50_000 * MS,
    );
    assert.deepEqual(cases(metrics, 'election_to_leader'), { count: 3, min: 200, max: 10_000, censored: { count: 1, windowMs: 10_000 } });
    assert.deepEqual(cases(metrics, 'election_to_write'), { count: 3, min: 240, max: 10_000, censored: { count: 2, windowMs: 10_000 } });
  });

  it('an election that never finished before the run\'s end is censored at its window, never left out', () => {
    const metrics = electionMetrics([record(1, 1000, changed(undefined, undefined))], 19_000 * MS);
    assert.deepEqual(cases(metrics, 'election_to_leader'), { count: 1, min: 18_000, max: 18_000, censored: { count: 1, windowMs: 18_000 } });
    assert.deepEqual(cases(metrics, 'election_to_write'), { count: 1, min: 18_000, max: 18_000, censored: { count: 1, windowMs: 18_000 } });
  });

  it('a figure does not depend on what came after the next fault', () => {
    const late = electionMetrics([record(1, 0, changed(undefined, undefined)), record(2, 5000, changed(100, 120))], 9000 * MS);
    const after = electionMetrics([record(1, 0, changed(7000, 7100)), record(2, 5000, changed(100, 120))], 9000 * MS);
    assert.deepEqual(cases(late, 'election_to_leader'), cases(after, 'election_to_leader'));
  });

  it('a pause the followers never noticed (the old leader leads again once resumed, after the window) is no election', () => {
    const resumed = { oldLeader: 2, leader: 2, changed: false, toLeaderMs: 2600, toWriteMs: 2610 };
    assert.deepEqual(electionMetrics([record(1, 0, resumed), record(2, 2500, undefined)], 4000 * MS), []);
  });

  it('no leader taken away, no figure', () => {
    assert.deepEqual(electionMetrics([record(1, 0, undefined)], 1000 * MS), []);
  });
});
