// lock-failover on real embedded ensembles: a holder's load process paused past its session timeout wakes
// still believing it holds the lock. With fencing its late write is refused by the guard; without, the
// write lands over a newer holder's (a stale write), and either way the overlapping hold is a violation.
// Then `resume` and `restart-session` through a leader kill, figures side by side. Asserts what must
// follow, never how fast.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { findMetric, scalarValue } from '../../src/measure/metrics.ts';
import { timelineRowsFrom } from '../../src/report/read-run.ts';
import type { BenchOutcome } from '../../src/runner/bench-run.ts';
import { DISRUPTING_ACTIONS } from '../../src/scenarios/lock-failover/recovery.ts';
import { bench } from '../helpers/bench.ts';

const resultsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zkbench-lock-failover-'));

/** The shipped workload, or one written out here (e.g. without the holder pause, which no override can unset). */
function run(overrides: Record<string, unknown>, workloadName = 'lock-failover'): Promise<BenchOutcome> {
  return bench(workloadName, undefined, { replace_thresholds: '{}', ...overrides }, { resultsDir });
}

/**
 * The `recovery.<kind>` figure's max, ms, asserted whole: one sample for each disruption of that kind the
 * run recorded (run.json's disrupting faults of the recipe; the paused holders), none unrecovered, and
 * summary.csv's row with that count.
 */
function recoveryFigure(outcome: BenchOutcome, recipe: string, kind: 'fault' | 'pause'): number {
  const r = outcome.record!.recipes.find((x) => x.recipe === recipe)!;
  const disruptions =
    kind === 'fault'
      ? (outcome.record!.faults ?? []).filter((f) => f.recipe === recipe && f.entry !== undefined && DISRUPTING_ACTIONS.includes(f.action)).length
      : scalarValue(r.metrics, 'holders_paused')!;
  assert.ok(disruptions >= 1, `the run recorded no ${kind} to recover from: ${JSON.stringify(outcome.record!.faults)}`);
  const m = findMetric(r.metrics, `recovery.${kind}`);
  assert.ok(
    m?.kind === 'distribution' && m.histogram.totalCount === disruptions,
    `recovery.${kind}: ${m?.kind === 'distribution' ? m.histogram.totalCount : 'no'} sample(s) for ${disruptions} disruption(s) (${JSON.stringify(r.notes)})`,
  );
  assert.equal(scalarValue(r.metrics, 'unrecovered'), 0, JSON.stringify(r.notes));
  const summary = fs.readFileSync(path.join(outcome.runDir!, 'summary.csv'), 'utf8');
  assert.match(summary, new RegExp(`^lock-failover[^,]*,${recipe},recovery\\.${kind},ms,,${disruptions},`, 'm'));
  return m.histogram.maxValue / 1000;
}

function figures(outcome: BenchOutcome, recipe: string): Record<string, number | undefined> {
  const r = outcome.record!.recipes.find((x) => x.recipe === recipe)!;
  const names = ['violations', 'fenced_rejections', 'stale_writes', 'guard_writes', 'holders_paused', 'acquisitions', 'sessions_expired', 'errors'];
  return Object.fromEntries(names.map((n) => [n, scalarValue(r.metrics, n)]));
}

// One server, short ticks: the holder's session (2 s) expires inside its 4 s pause; the guard's (20 ticks, 10 s) does not.
const PAUSED_HOLDER = {
  recipes: 'predecessor',
  servers: 1,
  clients: 3,
  faults: '[]',
  warmup_s: 0.5,
  duration_s: 6,
  hold_ms: 50,
  tick_time_ms: 500,
  session_timeout_ms: 2000,
  pause_holder_at_s: 1.5,
  pause_ms: 4000,
};

describe('lock-failover', { concurrency: 1 }, () => {
  after(() => fs.rmSync(resultsDir, { recursive: true, force: true }));

  it('a paused holder: fencing refuses its late write; without fencing the write lands; the overlap is a violation either way', async () => {
    const fencedRun = await run({ ...PAUSED_HOLDER, fencing: 'czxid' });
    const fenced = figures(fencedRun, 'predecessor');
    const unfenced = figures(await run({ ...PAUSED_HOLDER, fencing: 'none' }), 'predecessor');
    // The lock works again once the holder's session has expired: the next acquisition comes after the pause.
    fenced['recovery.pause'] = recoveryFigure(fencedRun, 'predecessor', 'pause');
    // Nobody else can hold a safe lock before the paused holder's session expires (a timeout after its last packet, 2/3 at least).
    assert.ok(fenced['recovery.pause'] >= (PAUSED_HOLDER.session_timeout_ms * 2) / 3, `recovery.pause ${fenced['recovery.pause']} ms`);
    // The coordinator's SIGSTOP and SIGCONT of the holder's process are event rows of timeline.csv, in that order.
    const rows = timelineRowsFrom(fs.readFileSync(path.join(fencedRun.runDir!, 'timeline.csv'), 'utf8'));
    const paused = rows.find((r) => /^pause: holder client \d+'s load process \(pid \d+\) stopped \(SIGSTOP\)$/.test(r.event));
    const resumed = rows.find((r) => /^resume: holder client \d+'s load process \(pid \d+\) continued \(SIGCONT\)$/.test(r.event));
    assert.ok(paused && resumed, rows.filter((r) => r.event !== '').map((r) => `${r.tMs} ${r.event}`).join('\n'));
    assert.ok(paused.tMs <= resumed.tMs);
    console.log(`paused holder, predecessor: fencing czxid ${JSON.stringify(fenced)}; fencing none ${JSON.stringify(unfenced)}`);
    for (const f of [fenced, unfenced]) {
      assert.equal(f['holders_paused'], 1);
      assert.ok(f['sessions_expired']! >= 1, 'the paused holder\'s session expired');
      assert.ok(f['violations']! >= 1, 'the woken holder\'s hold overlaps the next holder\'s');
    }
    assert.ok(fenced['fenced_rejections']! >= 1, 'the guard refused the stale write');
    assert.equal(fenced['stale_writes'], 0);
    assert.equal(unfenced['fenced_rejections'], 0);
    assert.ok(unfenced['stale_writes']! >= 1, 'without fencing the stale write landed');
  });

  it('resume and restart-session through a leader kill (3 servers): predecessor stays safe in both; figures side by side', async () => {
    // The shipped workload without its holder pause: only the leader kill.
    const shipped = fs.readFileSync(new URL('../../workloads/lock-failover.yaml', import.meta.url), 'utf8');
    const file = path.join(resultsDir, 'lock-failover-leader-kill.yaml');
    fs.writeFileSync(file, shipped.replace(/^pause_holder_at_s:.*$/m, '').replace(/^name: .*$/m, 'name: lock-failover-leader-kill'));
    const overrides = { recipes: 'predecessor', warmup_s: 0.5, duration_s: 6, faults: JSON.stringify([{ at: '2s', action: 'kill', target: 'leader' }]) };
    const out: Record<string, Record<string, number | undefined>> = {};
    for (const recovery of ['resume', 'restart-session']) {
      const outcome = await run({ ...overrides, recovery }, file);
      out[recovery] = { ...figures(outcome, 'predecessor'), 'recovery.fault': recoveryFigure(outcome, 'predecessor', 'fault') };
      assert.equal(outcome.record!.faults?.filter((f) => f.action === 'kill').length, 1, 'the leader was killed');
      assert.equal(out[recovery]!['holders_paused'], 0);
      assert.equal(out[recovery]!['violations'], 0, `${recovery}: predecessor is safe through a leader kill`);
      assert.equal(out[recovery]!['stale_writes'], 0);
      assert.ok(out[recovery]!['acquisitions']! > 0);
    }
    console.log(`leader kill, predecessor: resume ${JSON.stringify(out['resume'])}; restart-session ${JSON.stringify(out['restart-session'])}`);
  });
});
