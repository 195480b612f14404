// The stage an interrupted run reports (run.json interruptedAt) follows what its progress said.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { StageTracker } from '../../src/runner/run-stage.ts';
import type { RecipeProgress } from '../../src/scenarios/context.ts';

it('follows phases and ticks, and keeps the stage the signal came in', () => {
  const seen: string[] = [];
  const progress: RecipeProgress = { recipeStart: () => undefined, phase: (t: string) => void seen.push(t), tick: () => undefined };
  for (const [events, expected] of [
    [[], 'ensemble start'],
    [['phase:predecessor: opening 4 sessions'], 'session opening'],
    [['phase:predecessor: opening 4 sessions', 'phase:predecessor: 4 clients running', 'tick:false'], 'warm-up'],
    [['phase:predecessor: 4 clients running', 'tick:false', 'tick:true'], 'measured window'],
  ] as const) {
    const abort = new AbortController();
    const tracker = new StageTracker(abort.signal);
    const p = tracker.watch(progress);
    for (const e of events) {
      const [kind, arg] = e.split(/:(.*)/s) as [string, string];
      if (kind === 'phase') p.phase(arg);
      else p.tick({ elapsedS: 1, plannedS: 9, measuring: arg === 'true', count: 0, ratePerS: undefined });
    }
    abort.abort('SIGTERM');
    tracker.set('collection'); // what the run does after the signal does not change where it was
    assert.equal(tracker.interruptedAt, expected, events.join(', '));
  }
  assert.ok(seen.length > 0, 'the phases still reach the reporter');
});

it('says "fault active" when the signal comes while clients run and a fault is in effect', () => {
  const progress: RecipeProgress = { recipeStart: () => undefined, phase: () => undefined, tick: () => undefined };
  for (const [down, ticks, expected] of [
    [true, [true], 'fault active'],
    [false, [true], 'measured window'],
    [true, [false], 'fault active'],
    [true, [], 'session opening'], // clients not running yet: a fault cannot be what it was doing
  ] as const) {
    const abort = new AbortController();
    const tracker = new StageTracker(abort.signal);
    tracker.faultActive = () => down;
    const p = tracker.watch(progress);
    p.phase('predecessor: opening 4 sessions');
    if (ticks.length > 0) p.phase('predecessor: 4 clients running');
    for (const m of ticks) p.tick({ elapsedS: 1, plannedS: 9, measuring: m, count: 0, ratePerS: undefined });
    abort.abort('SIGINT');
    assert.equal(tracker.interruptedAt, expected, `${down} ${ticks.join(',')}`);
  }
});
