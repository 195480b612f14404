// The config scenario's figures from hand-built traces: when a reader holds an update, converge as the
// last reader's hold, and which reads are stale (a newer version known to some client before the read
// began), which of them the reader's own session had already seen, and which the writer had been told of.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { valueAtPercentile } from '../../src/measure/histogram.ts';
import type { UpdateRecord, WatchEventRecord, WatcherTrace } from '../../src/measure/watch-records.ts';
import { findMetric } from '../../src/measure/metrics.ts';
import { configFigures, writerLatencies, type ReaderRecord } from '../../src/scenarios/config/figures.ts';

const ms = (n: number): number => n * 1e6;
/** A recorded latency in ms (the histograms hold µs). */
const atMs = (h: Parameters<typeof valueAtPercentile>[0], p: number): number => valueAtPercentile(h, p) / 1000;

/** Update to version `version`, sent and acknowledged at the given ms. */
const update = (version: number, sendMs: number, ackMs: number): UpdateRecord => ({ seq: version, version, sendNs: ms(sendMs), ackNs: ms(ackMs) });

/** A read from `startMs` to `doneMs` returning `version`. */
const read = (startMs: number, doneMs: number, version: number) => ({ startNs: ms(startMs), doneNs: ms(doneMs), version });

/**
 * A reader that read version 0 at t=0..1 ms and then, per event, [arrival ms, re-read start, re-read done,
 * version the re-read returned]; the event's armed version follows from the previous read.
 */
function reader(watcher: number, server: number | undefined, events: [number, number, number, number][], stoppedAtMs?: number): ReaderRecord {
  const trace: WatcherTrace = { watcher, arm: read(0, 1, 0), events: [] };
  let armed = 0;
  for (const [arrival, start, done, version] of events) {
    const e: WatchEventRecord = { armedVersion: armed, arrivalNs: ms(arrival), rearm: read(start, done, version) };
    trace.events.push(e);
    armed = version;
  }
  if (stoppedAtMs !== undefined) trace.events.push({ armedVersion: armed, arrivalNs: ms(stoppedAtMs) });
  return { server, trace };
}

describe('config figures', () => {
  it('converge is the last reader to hold each update, timed from the send; hold is per reader', () => {
    const updates = [update(1, 10, 12), update(2, 30, 32)];
    const readers = [
      reader(0, 0, [[12, 12, 13, 1], [31, 31, 33, 2]]),
      reader(1, 1, [[14, 14, 16, 1], [35, 35, 40, 2]]),
    ];
    const f = configFigures({ updates, readers });
    assert.equal(f.updates, 2);
    assert.equal(f.converge.totalCount, 2);
    assert.equal(atMs(f.converge, 0), 6); // update 1: reader 1 held it at 16, sent at 10
    assert.equal(f.converge.maxValue / 1000, 10); // update 2: reader 1 held it at 40, sent at 30
    assert.equal(f.convergeFromAck.totalCount, 2);
    assert.equal(atMs(f.convergeFromAck, 0), 4);
    assert.equal(f.convergedBeforeAck, 0);
    assert.equal(f.hold.totalCount, 4);
    assert.equal(f.convergeIncomplete, 0);
    assert.equal(f.reads, 6, 'first reads and re-reads');
    assert.equal(f.staleReads, 0);
    assert.equal(f.watch.coalesced, 0);
    assert.deepEqual(f.perServer.map((s) => [s.server, s.readers, s.reads, s.hold.totalCount]), [[0, 1, 3, 2], [1, 1, 3, 2]]);
  });

  it('a reader that skipped a version by coalescing holds it from the read that returned a newer one', () => {
    const updates = [update(1, 10, 11), update(2, 12, 13)];
    // The event for 1 arrives at 11, the re-read (slow) returns 2 at 20: version 2 is coalesced.
    const f = configFigures({ updates, readers: [reader(0, 0, [[11, 18, 20, 2]])] });
    assert.equal(f.watch.coalesced, 1);
    assert.equal(f.hold.totalCount, 2);
    assert.equal(f.converge.totalCount, 2);
    assert.equal(f.converge.maxValue / 1000, 10); // update 1: held at 20, sent at 10
    assert.equal(atMs(f.converge, 0), 8); // update 2: held at 20, sent at 12
  });

  it('a read that began after the writer was told of a newer version, and returned the older one, is stale', () => {
    const updates = [update(1, 10, 12), update(2, 20, 22)];
    // Reader 1's server lags: its event for 1 arrives at 25, after version 2 was acknowledged at 22, and
    // the re-read (started at 25) returns 1. Then it gets the event for 2 and holds it.
    const readers = [reader(0, 0, [[12, 12, 13, 1], [21, 21, 22.5, 2]]), reader(1, 2, [[25, 25, 26, 1], [27, 27, 28, 2]])];
    const f = configFigures({ updates, readers });
    assert.equal(f.staleReads, 1);
    assert.equal(f.staleAfterAck, 1);
    assert.equal(f.staleOwn, 0, 'the reader itself had never seen version 2');
    // Version 2 was first known at 21 (reader 0's event), the read began at 25.
    assert.equal(atMs(f.staleAge, 50), 4);
    assert.deepEqual(f.perServer.map((s) => [s.server, s.staleReads]), [[0, 0], [2, 1]]);
  });

  it("a read that began after another reader's event announced a newer version is stale, before any acknowledgement", () => {
    const updates = [update(1, 10, 30)];
    // Reader 0 is told of version 1 at 12; reader 1 starts a read at 13 (its first watch fired for some
    // reason of its own is not needed: its initial read is late) and gets version 0.
    const readers: ReaderRecord[] = [reader(0, 0, [[12, 12, 14, 1]]), { server: 1, trace: { watcher: 1, arm: read(13, 15, 0), events: [{ armedVersion: 0, arrivalNs: ms(16), rearm: read(16, 17, 1) }] } }];
    const f = configFigures({ updates, readers });
    assert.equal(f.staleReads, 1);
    assert.equal(f.staleAfterAck, 0, 'the writer had not been told yet');
    assert.equal(f.staleOwn, 0);
    assert.equal(atMs(f.staleAge, 50), 1);
  });

  it('a read overlapping the write is not stale, whatever it returns', () => {
    const updates = [update(1, 10, 20)];
    // Started at 11 (after the send, before anybody saw version 1), returned 0: concurrent, not stale.
    const readers: ReaderRecord[] = [{ server: 0, trace: { watcher: 0, arm: read(11, 12, 0), events: [{ armedVersion: 0, arrivalNs: ms(19), rearm: read(19, 21, 1) }] } }];
    const f = configFigures({ updates, readers });
    assert.equal(f.staleReads, 0);
    assert.equal(f.reads, 2);
  });

  it('a re-read older than the event the reader had just had is stale for the reader itself', () => {
    // Impossible in ZooKeeper (watch before data); the figures must still count it, never hide it.
    const updates = [update(1, 10, 11), update(2, 20, 21)];
    const readers = [reader(0, 0, [[12, 12, 13, 1], [22, 22, 23, 1]])];
    readers[0]!.trace.events[1]!.armedVersion = 1;
    const f = configFigures({ updates, readers });
    assert.equal(f.staleReads, 1);
    assert.equal(f.staleOwn, 1);
    assert.equal(f.staleAfterAck, 1);
    assert.equal(f.watch.anomalies, 1, 'the watch family calls it an anomaly too');
  });

  it('an update a reader never held is an incomplete convergence: a censored case at its window, never left out', () => {
    const updates = [update(1, 10, 11), update(2, 20, 21)];
    // Reader 1 stops after the event for 2 without re-reading.
    const readers = [reader(0, 0, [[12, 12, 13, 1], [22, 22, 23, 2]]), reader(1, 1, [[12, 12, 13, 1]], 22)];
    const f = configFigures({ updates, readers, window: { measureFrom: 0, stopAt: ms(50) } });
    assert.equal(f.converge.totalCount, 2);
    assert.equal(f.convergeIncomplete, 1);
    assert.deepEqual(f.convergeCensoring, { count: 1, windowMs: 30 }, 'update 2: from its send (20) to the window\'s end (50)');
    assert.equal(f.converge.maxValue / 1000, 30);
    assert.equal(f.hold.totalCount, 3);
    // Without a measured window the readers' last moment closes it (reader 0's re-read done at 23).
    assert.deepEqual(configFigures({ updates, readers }).convergeCensoring, { count: 1, windowMs: 3 });
  });

  it('an update every reader held before the acknowledgement counts as converged before the ack, not as 0', () => {
    const updates = [update(1, 10, 30)];
    const f = configFigures({ updates, readers: [reader(0, 0, [[12, 12, 14, 1]])] });
    assert.equal(f.converge.totalCount, 1);
    assert.equal(f.convergeFromAck.totalCount, 0);
    assert.equal(f.convergedBeforeAck, 1);
  });

  it('only updates sent and reads started inside the measured window count', () => {
    const updates = [update(1, 10, 12), update(2, 30, 32), update(3, 50, 52)];
    const readers = [reader(0, 0, [[12, 12, 13, 1], [31, 31, 33, 2], [51, 51, 53, 3]])];
    const f = configFigures({ updates, readers, window: { measureFrom: ms(20), stopAt: ms(40) } });
    assert.equal(f.updates, 1);
    assert.equal(f.converge.totalCount, 1);
    assert.equal(f.hold.totalCount, 1);
    assert.equal(f.reads, 1, 'the re-read started at 31');
    assert.equal(f.watch.notified, 1);
  });

  it('no readers: nothing converges, nothing is invented', () => {
    const f = configFigures({ updates: [update(1, 10, 11)], readers: [] });
    assert.equal(f.converge.totalCount, 0);
    assert.equal(f.convergeIncomplete, 1);
    assert.equal(f.reads, 0);
  });

  it("times the writer's updates from their intended start (latency) and from the send (service_time), by intended start in the window", () => {
    const updates: UpdateRecord[] = [
      { ...update(1, 95, 97), intendedNs: ms(90) }, // intended in the warm-up: not measured
      { ...update(2, 130, 135), intendedNs: ms(110) }, // waited 20 ms for a slot
      { ...update(3, 131, 136), intendedNs: ms(130) },
    ];
    const [latency, service] = writerLatencies(updates, { measureFrom: ms(100), stopAt: ms(200) }).map((m) => (m.kind === 'distribution' ? m.histogram : undefined));
    assert.equal(latency!.totalCount, 2);
    assert.equal(atMs(latency!, 100), 25);
    assert.equal(atMs(latency!, 0), 6);
    assert.equal(atMs(service!, 100), 5);
    assert.equal(service!.totalCount, 2);
    assert.ok(findMetric(writerLatencies([], { measureFrom: 0, stopAt: 1 }), 'service_time'));
  });
});
