// ensemble-failover against a real embedded ensemble: a follower killed and restarted, then the leader
// killed and restarted, under writers and readers. No acknowledged write may be missing afterwards, and the
// sessions' unavailability must tell the two kills apart: a follower's death interrupts only its own
// clients, the leader's interrupts every session until a new leader serves. Compares distributions, never
// a wall-clock threshold.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { findMetric, scalarValue } from '../../src/measure/metrics.ts';
import { bench } from '../helpers/bench.ts';

const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zkbench-efail-state-'));
process.env.ZKBENCH_STATE_DIR = stateDir;
const resultsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zkbench-efail-results-'));
const CLIENTS = 12;

describe('ensemble-failover on a real ensemble', () => {
  after(() => {
    fs.rmSync(stateDir, { recursive: true, force: true });
    fs.rmSync(resultsDir, { recursive: true, force: true });
  });

  it('loses no acknowledged write, and a leader kill interrupts every session for longer than a follower kill interrupts most', async () => {
    const faults = [
      { at: '3s', action: 'kill', target: 'follower' },
      { at: '5s', action: 'restart', target: 'previous' },
      { at: '9s', action: 'kill', target: 'leader' },
      { at: '12s', action: 'restart', target: 'previous' },
    ];
    const outcome = await bench('ensemble-failover', undefined, { servers: 3, clients: CLIENTS, duration_s: 13, warmup_s: 1, faults: JSON.stringify(faults) }, { resultsDir });
    const recipe = outcome.record.recipes[0]!;
    const v = (name: string) => scalarValue(recipe.metrics, name);

    assert.equal(v('lost_writes'), 0, (recipe.notes ?? []).join('\n'));
    assert.ok((v('acknowledged_writes') ?? 0) > 0, 'the writers wrote');
    assert.ok((v('connection_losses') ?? 0) > 0, 'the kills cut connections');

    const [followerKill, , leaderKill] = outcome.record.faults!;
    assert.equal(followerKill!.role, 'follower');
    assert.equal(leaderKill!.role, 'leader');
    const hist = (entry: number) => {
      const m = findMetric(recipe.metrics, `unavailable.${entry}`);
      assert.ok(m?.kind === 'distribution', `unavailable.${entry} reported`);
      return m.histogram;
    };
    const afterFollower = hist(1);
    const afterLeader = hist(3);
    assert.equal(afterLeader.totalCount, CLIENTS, 'every session has a figure for the leader kill');
    const followerMedian = afterFollower.getValueAtPercentile(50);
    // Every session waited out the election: even the luckiest longer than the typical session when a follower died.
    assert.ok(afterLeader.minNonZeroValue > followerMedian, `leader kill min ${afterLeader.minNonZeroValue} µs vs follower kill p50 ${followerMedian} µs`);
    assert.ok(afterLeader.getValueAtPercentile(50) > followerMedian);
  });
});
