// The watch family's figures from hand-built traces: which update an event is for, what coalesced, who was
// armed for an update, and notify_from_ack's early events kept rather than clamped.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { newLatencyHistogram, valueAtPercentile } from '../../src/measure/histogram.ts';
import { scalarValue } from '../../src/measure/metrics.ts';
import { intendedStartNs, pacedMayUpdate, waitBeforeSendNs } from '../../src/measure/watch-pacing.ts';
import { accountWatcher, signedPercentileUs, watchFigures, watchMetricList } from '../../src/measure/watch-metrics.ts';
import type { UpdateRecord, WatcherTrace } from '../../src/measure/watch-records.ts';

const MS = 1e6;
const US = 1e3;

/** Updates of versions 1..n, sent every `everyMs`, from t = everyMs; acknowledged `ackMs` after the send. */
function updates(n: number, everyMs: number, ackMs = 2): UpdateRecord[] {
  return Array.from({ length: n }, (_, i) => ({ seq: i + 1, version: i + 1, sendNs: (i + 1) * everyMs * MS, ackNs: ((i + 1) * everyMs + ackMs) * MS }));
}

/**
 * A watcher armed at version 0 at t = 0 that gets an event `afterMs` after each listed update's send and
 * re-arms in `rearmMs`, reading `sees(version)`.
 */
function watcher(id: number, ups: readonly UpdateRecord[], afterMs: number, rearmMs = 0.5, sees = (v: number) => v): WatcherTrace {
  const trace: WatcherTrace = { watcher: id, arm: { startNs: 0, doneNs: 0.5 * MS, version: 0 }, events: [] };
  let armedAt = 0;
  while (armedAt < ups.length) {
    const u = ups[armedAt]!; // the update making armedAt + 1
    const arrivalNs = u.sendNs + afterMs * MS;
    const version = sees(u.version);
    trace.events.push({ armedVersion: armedAt, arrivalNs, rearm: { startNs: arrivalNs + 0.1 * MS, doneNs: arrivalNs + rearmMs * MS, version } });
    armedAt = version;
  }
  return trace;
}

describe('watch figures', () => {
  it('paced: every watcher notified of every update, none coalesced, fan-out to the last', () => {
    const ups = updates(3, 10);
    const f = watchFigures({ updates: ups, watchers: [watcher(0, ups, 1), watcher(1, ups, 3)] });
    assert.equal(f.updates, 3);
    assert.equal(f.notified, 6);
    assert.equal(f.armed, 6);
    assert.equal(f.coalesced, 0);
    assert.equal(f.missed, 0);
    assert.equal(f.unobserved, 0);
    assert.equal(f.notifyFromSend.totalCount, 6);
    assert.equal(f.notifyFromSend.minNonZeroValue, 1000);
    assert.equal(f.notifyFromSend.maxValue, 3000);
    // watcher 0's events come 1 ms before the ack, watcher 1's 1 ms after: both kept, neither clamped
    assert.equal(f.notifyBeforeAck.totalCount, 3);
    assert.equal(f.notifyBeforeAck.maxValue, 1000);
    assert.equal(f.notifyFromAck.totalCount, 3);
    assert.equal(f.notifyFromAck.maxValue, 1000);
    // fan-out ends with watcher 1, 3 ms after each send
    assert.equal(f.fanoutLast.totalCount, 3);
    assert.equal(f.fanoutLast.minNonZeroValue, 3000);
    assert.equal(f.fanoutLast.maxValue, 3000);
    assert.equal(f.rearm.totalCount, 6);
    assert.equal(f.rearm.maxValue, 400);
    const m = watchMetricList(f);
    assert.equal(scalarValue(m, 'coalesced_rate'), 0);
    assert.equal(scalarValue(m, 'armed_per_update'), 2);
    assert.equal(scalarValue(m, 'notify_before_ack_share'), 0.5);
    assert.equal(scalarValue(m, 'notify_from_ack.signed_p50'), -1);
  });

  it('a slow watcher: updates between its event and its re-arm are coalesced; its notify latency is the arrival', () => {
    const ups = updates(10, 5);
    // event 1 ms after the send, then 50 ms before the re-arm completes: by then all 10 updates are out
    const slow = watcher(7, ups, 1, 50, () => 10);
    const acc = accountWatcher(slow);
    assert.deepEqual(acc.events.map((e) => e.version), [1]);
    assert.deepEqual(acc.coalesced, [2, 3, 4, 5, 6, 7, 8, 9, 10]);
    assert.equal(acc.throughVersion, 10);
    const f = watchFigures({ updates: ups, watchers: [slow] });
    assert.equal(f.notified, 1);
    assert.equal(f.coalesced, 9);
    assert.equal(f.armed, 1, 'armed for update 1 only');
    assert.equal(f.unobserved, 0);
    assert.equal(f.notifyFromSend.maxValue, 1000, 'from the send to the arrival, not to the re-arm');
    assert.ok(f.unwatched.minNonZeroValue >= 49_900, 'the blind time holds the delay');
    assert.equal(scalarValue(watchMetricList(f), 'coalesced_rate'), 0.9);
    assert.deepEqual(f.perWatcher, [{ watcher: 7, notified: 1, coalesced: 9, missed: 0 }]);
  });

  it('a re-arm in flight during a send: notified if its read saw the version before, but not in the armed set', () => {
    const ups = updates(2, 10);
    // event for 1 arrives at 11 ms; the re-arm read is answered with version 1 only at 21 ms, after update 2's send at 20 ms
    const late: WatcherTrace = {
      watcher: 0,
      arm: { startNs: 0, doneNs: MS, version: 0 },
      events: [
        { armedVersion: 0, arrivalNs: 11 * MS, rearm: { startNs: 11 * MS, doneNs: 21 * MS, version: 1 } },
        { armedVersion: 1, arrivalNs: 21.5 * MS, rearm: { startNs: 21.6 * MS, doneNs: 22 * MS, version: 2 } },
      ],
    };
    const f = watchFigures({ updates: ups, watchers: [late, watcher(1, ups, 2)] });
    assert.equal(f.notified, 4);
    assert.equal(f.armed, 3, 'watcher 0 was not known to be armed when update 2 was sent');
    assert.equal(f.fanoutLast.totalCount, 2);
    // update 2's fan-out counts watcher 1 only (2 ms), not watcher 0's late event (1.5 ms after the send)
    assert.equal(f.fanoutLast.maxValue, 2000);
    assert.equal(f.notifyFromSend.maxValue, 2000);
  });

  it('the same race lost: the re-arm saw the next version, which is coalesced', () => {
    const ups = updates(2, 10);
    const lost: WatcherTrace = {
      watcher: 0,
      arm: { startNs: 0, doneNs: MS, version: 0 },
      events: [{ armedVersion: 0, arrivalNs: 11 * MS, rearm: { startNs: 11 * MS, doneNs: 21 * MS, version: 2 } }],
    };
    const f = watchFigures({ updates: ups, watchers: [lost] });
    assert.equal(f.notified, 1);
    assert.equal(f.coalesced, 1);
    assert.equal(f.armed, 1);
    assert.equal(f.unobserved, 0);
  });

  it('an armed watcher that never got its event: missed, the fan-out incomplete, the pair unobserved', () => {
    const ups = updates(2, 10);
    const stopped: WatcherTrace = {
      watcher: 0,
      arm: { startNs: 0, doneNs: MS, version: 0 },
      events: [{ armedVersion: 0, arrivalNs: 11 * MS, rearm: { startNs: 11 * MS, doneNs: 12 * MS, version: 1 } }],
    };
    const f = watchFigures({ updates: ups, watchers: [stopped, watcher(1, ups, 1)] });
    assert.equal(f.armed, 4);
    assert.equal(f.missed, 1);
    assert.equal(f.unobserved, 1);
    assert.equal(f.fanoutIncomplete, 1);
    assert.equal(f.fanoutLast.totalCount, 2, 'the incomplete fan-out is a censored case, not left out');
    assert.equal(f.fanoutCensoring.count, 1);
  });

  it('an event whose re-arm never happened still counts; later updates are unobserved', () => {
    const ups = updates(3, 10);
    const t: WatcherTrace = { watcher: 0, arm: { startNs: 0, doneNs: MS, version: 0 }, events: [{ armedVersion: 0, arrivalNs: 11 * MS }] };
    const acc = accountWatcher(t);
    assert.equal(acc.throughVersion, 1);
    const f = watchFigures({ updates: ups, watchers: [t] });
    assert.equal(f.notified, 1);
    assert.equal(f.rearm.totalCount, 0);
    assert.equal(f.unobserved, 2);
    assert.equal(f.armed, 1, 'nothing was armed after the event');
    assert.equal(f.fanoutNoneArmed, 2);
  });

  it('counts only updates sent inside the window, with their events', () => {
    const ups = updates(10, 10);
    const f = watchFigures({ updates: ups, watchers: [watcher(0, ups, 1)], window: { measureFrom: 35 * MS, stopAt: 75 * MS } });
    assert.equal(f.updates, 4); // sent at 40, 50, 60, 70 ms
    assert.equal(f.notified, 4);
    assert.equal(f.armed, 4);
  });

  it('a watcher that started late owes nothing for updates before its first read', () => {
    const ups = updates(4, 10);
    const t: WatcherTrace = {
      watcher: 0,
      arm: { startNs: 25 * MS, doneNs: 26 * MS, version: 2 },
      events: [
        { armedVersion: 2, arrivalNs: 31 * MS, rearm: { startNs: 31 * MS, doneNs: 32 * MS, version: 3 } },
        { armedVersion: 3, arrivalNs: 41 * MS, rearm: { startNs: 41 * MS, doneNs: 42 * MS, version: 4 } },
      ],
    };
    const f = watchFigures({ updates: ups, watchers: [t] });
    assert.equal(f.notified, 2);
    assert.equal(f.unobserved, 0);
    assert.equal(f.armed, 2);
  });

  it('flags what ZooKeeper cannot do, and versions no acknowledged update made', () => {
    const ups = updates(2, 10);
    const odd: WatcherTrace = {
      watcher: 0,
      arm: { startNs: 0, doneNs: MS, version: 0 },
      events: [
        // arrives before update 1 was even sent, and the re-read sees an older version than announced
        { armedVersion: 0, arrivalNs: 9 * MS, rearm: { startNs: 9 * MS, doneNs: 9.5 * MS, version: 0 } },
        { armedVersion: 0, arrivalNs: 21 * MS, rearm: { startNs: 21 * MS, doneNs: 22 * MS, version: 5 } },
      ],
    };
    const f = watchFigures({ updates: ups, watchers: [odd] });
    assert.equal(f.anomalies, 2);
    assert.equal(f.unmatched, 3, 'versions 3, 4 and 5 were never acknowledged');
    assert.throws(
      () => accountWatcher({ ...odd, events: [{ armedVersion: 4, arrivalNs: 0 }] }),
      /armed at version 4, but its last read saw 0/,
    );
  });

  it('rate pacing: intended starts, late sends and the lag behind the schedule', () => {
    const s = { startNs: 100 * MS, ratePerS: 200 };
    assert.equal(intendedStartNs(s, 1), 100 * MS);
    assert.equal(intendedStartNs(s, 3), 110 * MS);
    assert.equal(waitBeforeSendNs(s, 3, 104 * MS), 6 * MS);
    assert.equal(waitBeforeSendNs(s, 3, 120 * MS), 0);
    assert.throws(() => intendedStartNs({ startNs: 0, ratePerS: 0 }, 1), /rate above 0/);
    const ups: UpdateRecord[] = [1, 2, 3].map((seq) => ({ seq, version: seq, intendedNs: intendedStartNs(s, seq), sendNs: 0, ackNs: 0 }));
    ups[0]!.sendNs = 100 * MS + 10 * US;
    ups[1]!.sendNs = 111 * MS; // later than update 3's intended start
    ups[2]!.sendNs = 111.5 * MS;
    for (const u of ups) u.ackNs = u.sendNs + MS;
    const f = watchFigures({ updates: ups, watchers: [] });
    assert.equal(f.lateSends, 1);
    assert.equal(f.sendLag.totalCount, 3);
    assert.equal(f.sendLag.maxValue, 6000);
  });

  it('paced pacing: the next update waits for the ack and for every watcher re-armed at the last version', () => {
    const armed = (version: number) => ({ armed: true, version });
    assert.equal(pacedMayUpdate({ version: 0, acked: true }, [armed(0), armed(0)]), true, 'the first update');
    assert.equal(pacedMayUpdate({ version: 3, acked: false }, [armed(3), armed(3)]), false, 'unacknowledged');
    assert.equal(pacedMayUpdate({ version: 3, acked: true }, [armed(3), { armed: false, version: 2 }]), false, 're-arming');
    assert.equal(pacedMayUpdate({ version: 3, acked: true }, [armed(3), armed(2)]), false, 'an event for 3 still coming');
    assert.equal(pacedMayUpdate({ version: 3, acked: true }, [armed(3), armed(3)]), true);
  });
});

describe('signed percentiles of notify_from_ack', () => {
  const hist = (ms: number[]) => {
    const h = newLatencyHistogram();
    for (const v of ms) h.recordValue(v * 1000);
    return h;
  };
  // signed values: -3 -2 -1 1 2 3 4 5 6 7 (ms)
  const before = hist([1, 2, 3]);
  const after = hist([1, 2, 3, 4, 5, 6, 7]);
  it('reads the k-th smallest signed value across both sides', () => {
    const at = (p: number) => signedPercentileUs(after, before, p) / 1000;
    assert.equal(at(0), -3);
    assert.equal(at(10), -3);
    assert.equal(at(20), -2);
    assert.equal(at(30), -1);
    assert.equal(at(40), 1);
    assert.equal(at(50), 2);
    assert.equal(at(100), 7);
  });
  it('works with one side empty', () => {
    assert.equal(signedPercentileUs(newLatencyHistogram(), before, 100), -1000);
    assert.equal(signedPercentileUs(after, newLatencyHistogram(), 50), valueAtPercentile(after, 50));
    assert.ok(Number.isNaN(signedPercentileUs(newLatencyHistogram(), newLatencyHistogram(), 50)));
  });
});
