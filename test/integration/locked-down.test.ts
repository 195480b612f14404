// Servers set up locked down (issue 19): four-letter words limited to ruok with the AdminServer on, and all
// of them off with no AdminServer. Real embedded servers each way: the runs still measure, run.json says
// where the ensemble's own figures came from, and what the servers would not give is "not measured" with
// its reason, never an empty figure. ZooKeeper 3.8 allows `srvr` whatever the whitelist says; a server
// whose srvr cannot be reached (a TLS-only client port) is asked through its AdminServer instead.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { connectExistingEnsemble, startEmbeddedEnsemble } from '../../src/ensemble/index.ts';
import { freeLoopbackPorts } from '../../src/ensemble/free-ports.ts';
import { leaderOfAnswers } from '../../src/ensemble/queries.ts';
import { askStatus, probeFigureSources } from '../../src/ensemble/server-status.ts';
import { scalarValue } from '../../src/measure/metrics.ts';
import { notMeasuredOf } from '../../src/results/not-measured.ts';
import { bench } from '../helpers/bench.ts';
import { TEST_ENSEMBLE } from '../helpers/ensemble.ts';

const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zkbench-locked-state-'));
process.env.ZKBENCH_STATE_DIR = stateDir; // never a kept ensemble of someone else's
after(() => fs.rmSync(stateDir, { recursive: true, force: true }));

const SHORT = { duration_s: 1, warmup_s: 0, workers: 1, servers: 1 };
const RUNS = [
  ['lock-contention', { ...SHORT, recipes: 'predecessor', clients: 4 }],
  ['watch-fanout', { ...SHORT, recipes: 'data-watch', watchers: '5', clients: 5 }],
] as const;

describe('locked-down servers', { concurrency: 1 }, () => {
  it('4lw limited to ruok, AdminServer on: lock-contention and watch-fanout measure; the server view comes from the AdminServer', async () => {
    for (const [workload, o] of RUNS) {
      const out = await bench(workload, undefined, { ...o, four_letter_words: 'ruok', admin_server: 'on' });
      assert.deepEqual(out.record.ensemble.figureSources, { serverState: '4lw', serverView: 'admin-server', missing: [] }, workload);
      assert.equal(out.record.ensemble.leaderId, 1);
      assert.match(out.record.ensemble.serverVersion ?? '', /^3\./);
      assert.ok(out.record.recipes.length === 1 && !notMeasuredOf(out.record).some((a) => a.recipe === 'ensemble'));
    }
  });

  it('all four-letter words and the AdminServer off: the runs measure; the server view is not measured, with the reason and the fix', async () => {
    for (const [workload, o] of RUNS) {
      const out = await bench(workload, undefined, { ...o, four_letter_words: 'none', admin_server: 'off' });
      const sources = out.record.ensemble.figureSources!;
      assert.equal(sources.serverView, 'none', workload);
      assert.equal(sources.serverState, '4lw'); // srvr: ZooKeeper always allows it
      const missing = notMeasuredOf(out.record).filter((a) => a.recipe === 'ensemble');
      assert.equal(missing.length, 1);
      assert.match(missing[0]!.figure, /server view \(mntr/);
      assert.match(missing[0]!.reason, /mntr is not allowed \(4lw\.commands\.whitelist\); no AdminServer known.*turn the AdminServer on/);
      const recipe = out.record.recipes[0]!;
      assert.ok((scalarValue(recipe.metrics, workload === 'lock-contention' ? 'acquisitions' : 'notifications') ?? 0) > 0, `${workload} measured`);
      // The recipe's server-side figures are empty with the same cause, never 0.
      const serverFigure = notMeasuredOf(out.record).find((a) => a.recipe !== 'ensemble' && a.figure === 'server_latency');
      assert.match(serverFigure?.reason ?? '', /not in the whitelist/);
      if (workload === 'lock-contention') {
        assert.match(notMeasuredOf(out.record).find((a) => a.figure === 'server_requests_per_acquire')?.reason ?? '', /not in the whitelist/);
      }
    }
  });

  it('ensemble-failover with a leader kill on 3 locked-down servers (ruok + AdminServer): no acknowledged write lost, the killed server was the leader', async () => {
    const faults = [
      { at: '2s', action: 'kill', target: 'leader' },
      { at: '4s', action: 'restart', target: 'previous' },
    ];
    const out = await bench('ensemble-failover', undefined, { servers: 3, clients: 6, duration_s: 6, warmup_s: 1, four_letter_words: 'ruok', admin_server: 'on', faults: JSON.stringify(faults) });
    assert.equal(out.record.ensemble.figureSources?.serverView, 'admin-server');
    assert.equal(out.record.faults?.[0]?.role, 'leader');
    const recipe = out.record.recipes[0]!;
    assert.equal(scalarValue(recipe.metrics, 'lost_writes'), 0);
    assert.ok((scalarValue(recipe.metrics, 'acknowledged_writes') ?? 0) > 0);
  });

  it('finds the leader through the AdminServer across a leader kill when srvr cannot be asked', async () => {
    const ensemble = await startEmbeddedEnsemble({ ...TEST_ENSEMBLE, servers: 3, fourLetterWords: 'ruok', adminServer: true });
    try {
      // As a TLS-only client port would: nothing that speaks four-letter words listens where srvr would go.
      const [closed] = await freeLoopbackPorts(1);
      const viaAdmin = ensemble.servers.map((s) => ({ ...s, clientPort: closed! }));
      const answers = await Promise.all(viaAdmin.map((s) => askStatus(s)));
      assert.deepEqual(answers.map((a) => ('srvr' in a ? a.source : a.error)), ['admin-server', 'admin-server', 'admin-server']);
      const leader = leaderOfAnswers(answers).leader;
      assert.equal(leader?.id, (await ensemble.leader())?.id);
      await ensemble.killServer(leader!.id);
      let next: number | undefined;
      for (let i = 0; i < 150 && next === undefined; i++) {
        next = leaderOfAnswers(await Promise.all(viaAdmin.map((s) => askStatus(s, 1000)))).leader?.id;
        if (next === undefined) await new Promise((r) => setTimeout(r, 200));
      }
      assert.ok(next !== undefined && next !== leader!.id, `a new leader through the AdminServer (got ${next})`);
      const sources = await probeFigureSources(viaAdmin);
      assert.equal(sources.serverState, 'admin-server');
      // --connect with --admin-port: an external server's AdminServer answers for the mntr it does not allow.
      const one = ensemble.servers.find((s) => s.id !== leader!.id)!;
      const external = await connectExistingEnsemble(`${one.host}:${one.clientPort}`, 'external', { adminPort: one.adminPort! });
      assert.equal((await probeFigureSources(external.servers)).serverView, 'admin-server');
      const without = await connectExistingEnsemble(`${one.host}:${one.clientPort}`);
      assert.equal((await probeFigureSources(without.servers)).serverView, 'none');
    } finally {
      await ensemble.close();
    }
  });
});
