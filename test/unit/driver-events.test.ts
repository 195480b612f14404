// One event stream, two recorders: a TypeScript load process's LockRecorder fed directly, and a driver's
// event file replayed by zkbench (src/drivers/lock-events.ts). Every lock figure must come out identical,
// so an external recipe's figure means exactly what a TypeScript recipe's does.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatEvent, parseEvents, EventFileError, fixedWindow } from '../../src/drivers/event-file.ts';
import { replayLockEvents } from '../../src/drivers/lock-events.ts';
import { replayElectionEvents } from '../../src/drivers/election-events.ts';
import { distributionMs } from '../../src/measure/histogram.ts';
import type { DriverHealth } from '../../src/measure/driver-health.ts';
import { lockMetrics } from '../../src/measure/lock-metrics.ts';
import { LockRecorder } from '../../src/measure/lock-recorder.ts';
import type { Metric } from '../../src/measure/metrics.ts';
import { seededRandom } from '../../src/scenarios/seeded-random.ts';

const MS = 1e6;
const ORIGIN = 5_000_000_000_000n; // a CLOCK_MONOTONIC reading: the run clock's origin
const window = { measureFrom: 200 * MS, stopAt: 2200 * MS };
const health: DriverHealth = { eventLoopDelayMs: { p50: 0.1, p99: 1, max: 2, mean: 0.2 }, cpuPct: 30, windowS: 2, rssMb: 50 };

type Step =
  | { kind: 'hold'; client: number; tAcquire: number; tHeld: number; tReleased: number; ticket: number }
  | { kind: 'timeout' | 'abandoned' | 'waiting'; client: number; t: number }
  | { kind: 'error'; client: number; t: number; code: string };

/**
 * A seeded history of `clients` contenders on one lock: turns in ticket order (one overlapping pair on
 * purpose, so the checker has something to find), some give-ups, a timeout, an error, waiters at the end.
 */
function history(clients: number, seed: number): Step[] {
  const random = seededRandom(seed);
  const steps: Step[] = [];
  let t = 0;
  let ticket = 0;
  while (t < 2300 * MS) {
    const client = Math.floor(random() * clients);
    const r = random();
    if (r < 0.1) steps.push({ kind: 'abandoned', client, t: t + 2 * MS });
    else if (r < 0.12) steps.push({ kind: 'timeout', client, t: t + 3 * MS });
    else if (r < 0.13) steps.push({ kind: 'error', client, t: t + 1 * MS, code: 'CONNECTIONLOSS' });
    else {
      const tAcquire = t - Math.floor(random() * 20 * MS);
      const tHeld = t + Math.floor(random() * 2 * MS);
      // one intruder: a hold that begins before the previous one was released
      const overlap = steps.length === 40 ? -3 * MS : 0;
      steps.push({ kind: 'hold', client, tAcquire, tHeld: tHeld + overlap, tReleased: tHeld + 5 * MS, ticket: ticket++ });
    }
    t += 7 * MS;
  }
  for (let c = 0; c < 3; c++) steps.push({ kind: 'waiting', client: c, t: 2300 * MS });
  return steps;
}

/** What a TypeScript lock client does with the recorder for each step. */
function recordDirectly(steps: readonly Step[], clientIds: readonly number[]): LockRecorder {
  const recorder = new LockRecorder(window);
  for (const id of clientIds) recorder.addClient(id);
  for (const s of steps) {
    if (s.kind === 'hold') recorder.acquired({ client: s.client, tAcquire: s.tAcquire, tHeld: s.tHeld, tReleased: s.tReleased, ticket: s.ticket });
    else if (s.kind === 'timeout') recorder.timedOut();
    else if (s.kind === 'abandoned') recorder.gaveUp();
    else if (s.kind === 'waiting') recorder.stoppedWhileWaiting();
    else if (s.kind === 'error') recorder.failed(s.code, `client ${s.client}: connection lost`, s.t);
  }
  return recorder;
}

/** What a driver writes for the same steps: absolute CLOCK_MONOTONIC ns, one line per event. */
function driverFile(steps: readonly Step[]): string {
  const abs = (t: number): bigint => ORIGIN + BigInt(t);
  let text = '';
  for (const s of steps) {
    if (s.kind === 'hold') {
      text += formatEvent('acquire', s.client, abs(s.tAcquire));
      text += formatEvent('held', s.client, abs(s.tHeld), String(s.ticket).padStart(10, '0'));
      text += formatEvent('release', s.client, abs(s.tReleased));
    } else if (s.kind === 'error') {
      text += formatEvent('acquire', s.client, abs(s.t - MS));
      text += formatEvent('error', s.client, abs(s.t), `${s.code} client ${s.client}: connection lost`);
    } else {
      text += formatEvent('acquire', s.client, abs(s.t - MS));
      text += formatEvent(s.kind, s.client, abs(s.t));
    }
  }
  return text;
}

/** Every figure as plain values: distributions by their summary, scalars by value (NaN as null). */
function figures(metrics: readonly Metric[]): Record<string, unknown> {
  return Object.fromEntries(metrics.map((m) => [m.name, m.kind === 'scalar' ? (Number.isNaN(m.value) ? null : m.value) : distributionMs(m.histogram)]));
}

const measure = (reports: Parameters<typeof lockMetrics>[0]['reports']) =>
  lockMetrics({ reports, counters: undefined, health: reports.map(() => health), sessionsExpired: 0, ...window });

describe('driver events', () => {
  it('one event stream gives identical lock figures whichever side recorded it', () => {
    const clientIds = [0, 1, 2, 3, 4, 5, 6, 7];
    const steps = history(clientIds.length, 7);
    const direct = measure([recordDirectly(steps, clientIds).report()]);
    const replayed = replayLockEvents(parseEvents(driverFile(steps), ORIGIN), fixedWindow(window), clientIds, false);
    const viaDriver = measure([replayed.report]);

    assert.deepEqual(figures(viaDriver.metrics), figures(direct.metrics));
    assert.deepEqual(viaDriver.violations, direct.violations);
    // the history has what every figure needs: a violation, hand-offs, give-ups, a timeout, an error
    const f = figures(direct.metrics);
    assert.equal(f['violations'], 1);
    assert.ok((f['acquisitions'] as number) > 100);
    assert.ok((f['abandoned'] as number) > 0 && (f['timeouts'] as number) > 0 && (f['errors'] as number) > 0);
    assert.equal(f['waiting_at_end'], 3);
    assert.equal(replayed.completed, steps.filter((s) => s.kind === 'hold').length);
  });

  it('a window decided after a pending warm-up (warmup_until: queued): the same figures, on the grid every process uses', () => {
    const clientIds = [0, 1, 2, 3, 4, 5];
    const steps = history(clientIds.length, 5);
    const started = { measureFrom: 100 * MS, stopAt: undefined, pending: true };
    const decided = { measureFrom: 400 * MS, stopAt: 2200 * MS };
    const direct = new LockRecorder(started);
    for (const id of clientIds) direct.addClient(id);
    direct.decide(decided);
    for (const s of steps) if (s.kind === 'hold') direct.acquired({ client: s.client, tAcquire: s.tAcquire, tHeld: s.tHeld, tReleased: s.tReleased, ticket: s.ticket });
    const holds = steps.filter((s) => s.kind === 'hold');
    const replayed = replayLockEvents(parseEvents(driverFile(holds), ORIGIN), { started, decided }, clientIds, false);
    const at = { ...decided };
    const both = (r: Parameters<typeof lockMetrics>[0]['reports'][number]) =>
      figures(lockMetrics({ reports: [r], counters: undefined, health: [health], sessionsExpired: 0, ...at }).metrics);
    assert.deepEqual(both(replayed.report), both(direct.report()));
    // the grid starts where the started window did, as a TypeScript load process's does (timeline.ts merges them)
    assert.equal(replayed.timeline.gridFrom, direct.timeline.report().gridFrom);
    assert.equal(replayed.timeline.gridFrom, started.measureFrom);
  });

  it('events of several driver processes merge exactly: counts add up to the one-process figures', () => {
    const clientIds = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
    const steps = history(clientIds.length, 11);
    // process p runs the clients with id % 3 == p (splitClients' deal)
    const shares = [0, 1, 2].map((p) => clientIds.filter((c) => c % 3 === p));
    const reports = shares.map((ids) => replayLockEvents(parseEvents(driverFile(steps.filter((s) => ids.includes(s.client))), ORIGIN), fixedWindow(window), ids, false));
    const merged = measure(reports.map((r) => r.report));
    const whole = measure([replayLockEvents(parseEvents(driverFile(steps), ORIGIN), fixedWindow(window), clientIds, false).report]);

    assert.deepEqual(figures(merged.metrics), figures(whole.metrics));
    assert.equal(
      reports.reduce((n, r) => n + r.completed, 0),
      steps.filter((s) => s.kind === 'hold').length,
    );
  });

  it('a line that is not an event, or a hold without its acquire, is an error naming where', () => {
    assert.throws(() => parseEvents('acquire 1 12x\n', ORIGIN, 'f.events'), (e: unknown) => e instanceof EventFileError && /f\.events line 1/.test(e.message));
    const held = parseEvents(formatEvent('held', 3, ORIGIN + 5n, '-'), ORIGIN);
    assert.throws(() => replayLockEvents(held, fixedWindow(window), [3], false, 'f.events'), /client 3 .*"held" without an acquire/);
    const unknown = parseEvents(formatEvent('leader', 3, ORIGIN + 5n), ORIGIN);
    assert.throws(() => replayLockEvents(unknown, fixedWindow(window), [3], false), /not a lock event/);
  });

  it("an election driver's events give its terms, its errors by kind, and the leadership ends on the timeline", () => {
    const abs = (ms: number): bigint => ORIGIN + BigInt(ms * MS);
    const text =
      formatEvent('campaign', 2, abs(100)) +
      formatEvent('leading', 2, abs(150)) +
      formatEvent('session', 2, abs(900), 'suspended') +
      formatEvent('ended', 2, abs(901), 'session-expired') +
      formatEvent('error', 2, abs(950), 'CONNECTIONLOSS ConnectionLoss for /e') +
      formatEvent('campaign', 2, abs(1000)) +
      formatEvent('leading', 2, abs(1200));
    const r = replayElectionEvents(parseEvents(text, ORIGIN), fixedWindow(window));
    assert.equal(r.completed, 2);
    assert.equal(r.sessionEvents, 1);
    assert.deepEqual(r.report, { errors: { CONNECTIONLOSS: 1 }, errorMessages: ['ConnectionLoss for /e'] });
    assert.deepEqual(
      r.timeline.events.map((e) => [e.source, e.text]),
      [['session', 'suspended'], ['election', 'candidate 2 no longer leads (session-expired)']],
    );
    assert.throws(() => replayElectionEvents(parseEvents(formatEvent('held', 2, abs(1)), ORIGIN), fixedWindow(window)), /not an election event/);
  });
});
