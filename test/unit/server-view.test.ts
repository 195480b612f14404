// The ensemble's own view, pure parts: mntr answers (captured from ZooKeeper 3.8.0), deltas over a
// measured window, server logs and GC logs (captured from the servers zkbench starts, Java 17), what a
// recipe's span and window select, and the files and run.json entries written from them.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseGcPauses, pausesDuring, summarizePauses } from '../../src/ensemble/gc-log.ts';
import { parseMntr } from '../../src/ensemble/mntr.ts';
import { loggedBetween, parseLogTimestamp, parseServerLog, warnings } from '../../src/ensemble/server-log.ts';
import { serverDelta, serverDeltas, serverLatencyMetrics, windowServerLatency } from '../../src/ensemble/mntr-deltas.ts';
import { absentFigures } from '../../src/results/not-measured.ts';
import { scalarValue } from '../../src/measure/metrics.ts';
import { recipeServerLogs, serverLogRecords, warningEvents, warningsFile } from '../../src/ensemble/server-logs.ts';
import { newLatencyHistogram } from '../../src/measure/histogram.ts';
import { distribution } from '../../src/measure/metrics.ts';
import { readRunArgument } from '../../src/report/read-run.ts';
import { serverViewHtml, serverViewRows } from '../../src/report/server-view-html.ts';
import type { RunRecord } from '../../src/results/run-record.ts';
import { writeRun } from '../../src/results/write-run.ts';
import { server, snap } from '../helpers/mntr.ts';
import { recipeResultOf, runRecordOf } from '../helpers/run-record.ts';

const PRIMITIVES_GET = { scenario: 'primitives', recipes: ['get'], clients: 1, duration_s: 1 };

const MNTR_FOLLOWER = [
  'zk_version\t3.8.0-${mvngit.commit.id}, built on 2024-12-29 17:54 UTC',
  'zk_server_state\tfollower',
  'zk_peer_state\tfollowing - broadcast',
  'zk_avg_latency\t0.5197',
  'zk_outstanding_requests\t0',
  'zk_znode_count\t5',
  'zk_packets_sent\t157',
  'zk_packets_received\t157',
  'zk_watch_count\t0',
  'zk_min_latency\t0',
  'zk_uptime\t597',
  'zk_max_latency\t11',
  'zk_connection_drop_probability\t0.0',
  'zk_avg_readlatency\t0.23',
  'zk_min_readlatency\t0',
  'zk_max_readlatency\t4',
  'zk_cnt_readlatency\t100',
  'zk_sum_readlatency\t23',
  'zk_p50_readlatency\t0',
  'zk_max_updatelatency\t11',
  'zk_cnt_updatelatency\t52',
  'zk_sum_updatelatency\t56',
  '',
].join('\n');

describe('parseMntr', () => {
  it('keeps the recorded keys without zk_, numbers as numbers and the state as text', () => {
    const v = parseMntr(MNTR_FOLLOWER)!;
    assert.equal(v.server_state, 'follower');
    assert.equal(v.avg_latency, 0.5197);
    assert.equal(v.cnt_readlatency, 100);
    assert.equal(v.max_updatelatency, 11);
    assert.equal(v.version, undefined, 'not a recorded key');
    assert.equal(v.p50_readlatency, undefined, 'not a recorded key');
  });
  it('keeps every key when asked, text with spaces whole', () => {
    const v = parseMntr(MNTR_FOLLOWER, 'all')!;
    assert.equal(v.version, '3.8.0-${mvngit.commit.id}, built on 2024-12-29 17:54 UTC');
    assert.equal(v.peer_state, 'following - broadcast');
    assert.equal(v.connection_drop_probability, 0);
  });
  it('is undefined for a refusal or a server outside a quorum', () => {
    assert.equal(parseMntr('mntr is not executed because it is not in the whitelist.\n'), undefined);
    assert.equal(parseMntr('This ZooKeeper instance is not currently serving requests\n'), undefined);
    assert.equal(parseMntr(''), undefined);
  });
});


describe('mntr deltas over a window', () => {
  it('take the change of the cumulative counters and the gauges at both edges', () => {
    const d = serverDelta(
      server(1, { uptime: 1000, cnt_readlatency: 100, sum_readlatency: 23, cnt_updatelatency: 52, sum_updatelatency: 56, packets_received: 157, watch_count: 3, max_readlatency: 40 }),
      server(1, { uptime: 3000, cnt_readlatency: 300, sum_readlatency: 83, cnt_updatelatency: 152, sum_updatelatency: 156, packets_received: 457, watch_count: 7, max_readlatency: 40 }),
      1,
    );
    assert.equal(d.unknown, undefined);
    assert.equal(d.reads, 200);
    assert.equal(d.updates, 100);
    assert.equal(d.requests, 300);
    assert.equal(d.latencySumMs, 160);
    assert.equal(d.latencyMeanMs, 160 / 300);
    assert.equal(d.latencyMaxMs, undefined, 'a cumulative maximum says nothing of the window');
    assert.equal(d.packetsReceived, 300);
    assert.deepEqual(d.watches, { start: 3, end: 7 });
  });
  it('know the maximum only after the statistics were reset at the start', () => {
    const d = serverDelta(server(1, {}, true), server(1, { cnt_readlatency: 10, sum_readlatency: 5, max_readlatency: 2, cnt_updatelatency: 1, sum_updatelatency: 9, max_updatelatency: 9 }), 1);
    assert.equal(d.latencyMaxMs, 9);
  });
  it('are unknown when counters went back (restart, someone else reset them) or a server did not answer', () => {
    const back = serverDelta(server(2, { uptime: 5000, cnt_readlatency: 900 }), server(2, { uptime: 200, cnt_readlatency: 3 }), 2);
    assert.match(back.unknown!, /went back \(uptime, cnt_readlatency\)/);
    assert.ok(Number.isNaN(back.latencyMeanMs));
    const silent = serverDelta({ id: 3, statsReset: false, error: 'connection refused' }, server(3, {}), 3);
    assert.match(silent.unknown!, /no mntr answer \(at the start: connection refused\)/);
  });
  it('give the ensemble a request-weighted mean, and no figure when a server is unknown', () => {
    const start = snap('2026-12-01T10:00:00Z', [server(1, {}, true), server(2, {}, true)]);
    const end = snap('2026-12-01T10:00:10Z', [
      server(1, { cnt_readlatency: 100, sum_readlatency: 100, max_readlatency: 3 }),
      server(2, { cnt_updatelatency: 300, sum_updatelatency: 900, max_updatelatency: 12 }),
    ]);
    const latency = windowServerLatency(serverDeltas(start, end));
    assert.deepEqual(latency, { requests: 400, meanMs: 1000 / 400, maxMs: 12, serversUnknown: [] });
    const metrics = serverLatencyMetrics(serverDeltas(start, end));
    assert.equal(scalarValue(metrics, 'server_latency'), 2.5);
    assert.equal(scalarValue(metrics, 'server_latency_max'), 12);

    const partialDeltas = serverDeltas(start, snap('2026-12-01T10:00:10Z', [end.servers[0]!, { id: 2, statsReset: false, error: 'timeout' }]));
    const partial = windowServerLatency(partialDeltas);
    assert.ok(Number.isNaN(partial.meanMs));
    assert.equal(partial.maxMs, undefined);
    assert.deepEqual(partial.serversUnknown, [2]);
    // Not measured, and why: the server that did not answer, never a 0.
    const partialMetrics = absentFigures('get', serverLatencyMetrics(partialDeltas));
    assert.deepEqual(partialMetrics.map((a) => a.figure), ['server_latency', 'server_latency_max']);
    assert.match(partialMetrics[0]!.reason, /^server 2: no mntr answer \(at the end: timeout\)/);
    assert.match(absentFigures('get', serverLatencyMetrics(undefined))[0]!.reason, /window never opened/);
  });
  it('without a reset at the start, no maximum for the ensemble', () => {
    const latency = windowServerLatency(serverDeltas(snap('2026-12-01T10:00:00Z', [server(1, {})]), snap('2026-12-01T10:00:01Z', [server(1, { cnt_readlatency: 4, sum_readlatency: 2 })])));
    assert.equal(latency.meanMs, 0.5);
    assert.equal(latency.maxMs, undefined);
  });
  it('a window without requests has no mean and no maximum (not 0), and says so', () => {
    const deltas = serverDeltas(snap('2026-12-01T10:00:00Z', [server(1, {}, true)]), snap('2026-12-01T10:00:01Z', [server(1, { max_readlatency: 0, max_updatelatency: 0 })]));
    const absent = absentFigures('get', serverLatencyMetrics(deltas));
    assert.deepEqual(absent.map((a) => [a.figure, a.reason]), [
      ['server_latency', 'the servers answered no request in the measured window'],
      ['server_latency_max', 'the servers answered no request in the measured window'],
    ]);
  });
});

// As slf4j-simple writes them for the servers zkbench starts (embedded.ts), and logback's pattern there.
const SERVER_LOG = [
  '2026-12-01T06:43:50.625Z [main] WARN org.apache.zookeeper.server.ServerCnxnFactory - maxCnxns is not configured, using default value 0.',
  '2026-12-01T06:43:51.897Z [LeaderConnector-/127.0.0.1:38611] WARN org.apache.zookeeper.server.quorum.Learner - Unexpected exception, tries=0',
  'java.net.ConnectException: Connection refused',
  '\tat java.base/sun.nio.ch.Net.pollConnect(Native Method)',
  '2026-12-01T06:44:10.000+01:00 [QuorumPeer[myid=1](plain=127.0.0.1:2181)(secure=disabled)] ERROR org.apache.zookeeper.server.quorum.QuorumPeer - Unexpected exception',
  '2026-12-01T06:44:20.000Z [main] INFO org.apache.zookeeper.server.ZooKeeperServer - not a warning',
  '',
].join('\n');

describe('server logs', () => {
  it('read timestamps with an offset, Z, +0000, and logback ISO8601 (local time)', () => {
    assert.equal(parseLogTimestamp('2026-12-01T06:43:50.625Z [main] WARN x')?.toISOString(), '2026-12-01T06:43:50.625Z');
    assert.equal(parseLogTimestamp('2026-12-01T07:43:50.625+01:00 x')?.toISOString(), '2026-12-01T06:43:50.625Z');
    assert.equal(parseLogTimestamp('2026-12-01T06:38:25.481+0000')?.toISOString(), '2026-12-01T06:38:25.481Z');
    assert.equal(parseLogTimestamp('2026-12-01 06:38:25,481 [myid:1] - WARN')?.getTime(), new Date(2026, 11, 1, 6, 38, 25, 481).getTime());
    assert.equal(parseLogTimestamp('\tat java.base/sun.nio.ch.Net.pollConnect(Native Method)'), undefined);
  });
  it('make one entry per timestamped line, stack traces attached, and keep WARN and ERROR', () => {
    const entries = parseServerLog(SERVER_LOG);
    assert.equal(entries.length, 4);
    assert.equal(entries[1]!.text.split('\n').length, 3);
    assert.equal(entries[2]!.level, 'ERROR', 'thread names with brackets do not hide the level');
    assert.equal(entries[2]!.at!.toISOString(), '2026-12-01T05:44:10.000Z');
    assert.deepEqual(warnings(entries).map((e) => e.level), ['WARN', 'WARN', 'ERROR']);
  });
  it('read logback lines and, from an older server without timestamps, untimed entries that fall in no span', () => {
    const logback = parseServerLog('2026-12-01 06:38:25,481 [myid:1] - WARN  [main:o.a.z.s.ServerCnxnFactory@309] - maxCnxns is not configured\n');
    assert.equal(logback[0]!.level, 'WARN');
    const untimed = parseServerLog('[main] WARN org.apache.zookeeper.server.ServerCnxnFactory - maxCnxns\n[NIOWorkerThread-3] WARN x - Close of session 0x0\njava.io.IOException: Len error\n');
    assert.deepEqual(untimed.map((e) => [e.at, e.level, e.text.split('\n').length]), [[undefined, 'WARN', 1], [undefined, 'WARN', 2]]);
    assert.equal(loggedBetween(untimed, new Date(0), new Date(8.64e15)).length, 0);
  });
  it('select the entries of a span, both ends included', () => {
    const entries = parseServerLog(SERVER_LOG);
    const picked = loggedBetween(entries, new Date('2026-12-01T05:44:10.000Z'), new Date('2026-12-01T06:43:50.625Z'));
    assert.deepEqual(picked.map((e) => e.at!.toISOString()).sort(), ['2026-12-01T05:44:10.000Z', '2026-12-01T06:43:50.625Z']);
  });
});

// Java 17, -Xlog:gc*:file=...:time,uptime, G1 (the default on the test machine) and other collectors.
const GC_LOG = [
  '[2026-12-01T06:38:25.481+0000][0.016s] Using G1',
  '[2026-12-01T06:38:26.980+0000][0.071s] GC(0) Pause Young (Normal) (G1 Evacuation Pause)',
  '[2026-12-01T06:38:26.981+0000][0.071s] GC(0) Using 2 workers of 2 for evacuation',
  '[2026-12-01T06:38:26.982+0000][0.072s] GC(0)   Pre Evacuate Collection Set: 0.0ms',
  '[2026-12-01T06:38:26.982+0000][0.072s] GC(0) Pause Young (Normal) (G1 Evacuation Pause) 6M->2M(64M) 1.394ms',
  '[2026-12-01T06:38:26.982+0000][0.072s] GC(0) User=0.00s Sys=0.00s Real=0.00s',
  '[2026-12-01T06:38:30.000+0000][3.090s] GC(1) Concurrent Mark Cycle 12.345ms',
  '[2026-12-01T06:38:30.100+0000][3.190s] GC(1) Pause Remark 20M->20M(64M) 2.5ms',
  '[2026-12-01T06:38:31.000+0000][4.090s] GC(2) Pause Full (System.gc()) 30M->4M(64M) 25.001ms',
  '[2026-12-01T06:38:32.000+0000][5.090s] GC(3) Pause Mark Start 0.010ms',
  '',
].join('\n');

describe('GC logs', () => {
  it('find the pauses (the lines that end them), not phases, starts or concurrent work', () => {
    const pauses = parseGcPauses(GC_LOG);
    assert.deepEqual(
      pauses.map((p) => [p.gc, p.kind, p.ms]),
      [
        [0, 'Pause Young (Normal) (G1 Evacuation Pause)', 1.394],
        [1, 'Pause Remark', 2.5],
        [2, 'Pause Full (System.gc())', 25.001],
        [3, 'Pause Mark Start', 0.01],
      ],
    );
    assert.equal(pauses[0]!.at.toISOString(), '2026-12-01T06:38:26.982Z');
    assert.equal(pauses[0]!.uptimeS, 0.072);
  });
  it('count a pause in a window it overlaps, and summarize', () => {
    const pauses = parseGcPauses(GC_LOG);
    // GC(2) ran from 06:38:30.975 to 06:38:31.000: it overlaps a window that opens at 30.990.
    const during = pausesDuring(pauses, new Date('2026-12-01T06:38:30.990Z'), new Date('2026-12-01T06:38:31.500Z'));
    assert.deepEqual(during.map((p) => p.gc), [2]);
    assert.deepEqual(summarizePauses(pauses), { pauses: 4, longestMs: 25.001, totalMs: 1.394 + 2.5 + 25.001 + 0.01 });
    assert.deepEqual(summarizePauses([]), { pauses: 0, longestMs: undefined, totalMs: 0 });
  });
});

describe('a recipe\'s warnings and GC pauses', () => {
  const records = serverLogRecords([
    { id: 1, log: SERVER_LOG, gcLog: GC_LOG, missing: [] },
    {
      id: 2,
      log:
        '2026-12-01T06:43:55.000Z [SyncThread:2] WARN org.apache.zookeeper.server.persistence.FileTxnLog - fsync-ing the write ahead log in SyncThread:2 took 1262ms which will adversely effect operation latency.File size is 67108880 bytes. See the ZooKeeper troubleshooting guide\n',
      gcLog: undefined,
      missing: ['no GC log recorded for server 2'],
    },
    { id: 3, log: undefined, gcLog: undefined, missing: ['log of server 3: ENOENT'] },
  ]);
  it('counts warnings over the recipe span per server (unreadable logs absent) and pauses over the window', () => {
    const r = recipeServerLogs(
      records,
      { from: new Date('2026-12-01T06:43:51Z'), to: new Date('2026-12-01T06:43:56Z') },
      { from: new Date('2026-12-01T06:38:26Z'), to: new Date('2026-12-01T06:38:30.5Z') },
    );
    assert.deepEqual(r.warnings, { total: 2, byServer: { '1': 1, '2': 1 }, fsyncThresholdExceeded: 1, followerSyncFailures: 0 });
    assert.equal(r.gc?.pauses, 2);
    assert.equal(r.gc?.longestMs, 2.5);
    assert.deepEqual(Object.keys(r.gc!.byServer), ['1'], 'only servers with a GC log');
    assert.equal(recipeServerLogs(records, { from: new Date(0), to: new Date(0) }, undefined).gc, undefined);
  });

  it('counts a follower sync failing on ZOOKEEPER-4394, not the same warning after a lost leader', () => {
    const follower = [
      // A leader killed: the follower's connection is reset.
      '2026-12-01T11:54:43.491Z [QuorumPeer[myid=2](plain=127.0.0.3:37571)(secure=disabled)] WARN org.apache.zookeeper.server.quorum.Learner - Exception when following the leader',
      'java.net.SocketException: Connection reset',
      '\tat java.base/sun.nio.ch.NioSocketImpl.implRead(NioSocketImpl.java:323)',
      '\tat org.apache.zookeeper.server.quorum.Learner.readPacket(Learner.java:218)',
      // Restarted, its first sync fails (ZooKeeper 3.8.0's log, as captured).
      '2026-12-01T11:54:47.877Z [QuorumPeer[myid=2](plain=127.0.0.3:37571)(secure=disabled)] WARN org.apache.zookeeper.server.quorum.Learner - Exception when following the leader',
      'java.lang.NullPointerException: Cannot read field "hdr" because "pif" is null',
      '\tat org.apache.zookeeper.server.quorum.Learner.syncWithLeader(Learner.java:655)',
      '\tat org.apache.zookeeper.server.quorum.Follower.followLeader(Follower.java:108)',
      '\tat org.apache.zookeeper.server.quorum.QuorumPeer.run(QuorumPeer.java:1539)',
      '',
    ].join('\n');
    const logs = serverLogRecords([{ id: 2, log: follower, gcLog: undefined, missing: [] }]);
    const r = recipeServerLogs(logs, { from: new Date('2026-12-01T11:54:40Z'), to: new Date('2026-12-01T11:54:50Z') }, undefined);
    assert.equal(r.warnings.total, 2);
    assert.equal(r.warnings.followerSyncFailures, 1);
  });
  it('writes every warning line prefixed with its server and the entry\'s time, in time order', () => {
    const lines = warningsFile(records).trimEnd().split('\n');
    assert.equal(lines.length, 6);
    assert.ok(lines[0]!.startsWith('server-1 2026-12-01T05:44:10.000Z | 2026-12-01T06:44:10.000+01:00 [QuorumPeer'));
    assert.ok(lines[3]!.startsWith('server-1 2026-12-01T06:43:51.897Z | java.net.ConnectException'));
    assert.ok(lines[5]!.startsWith('server-2 2026-12-01T06:43:55.000Z | '));
  });
});

describe('run directory with the servers\' view', () => {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'zkbench-unit-view-'));
  after(() => fs.rmSync(parent, { recursive: true, force: true }));

  /** The client's latencies: 1 ms and 2 ms, mean 1.5 ms. */
  function clientLatency() {
    const h = newLatencyHistogram();
    h.recordValue(1000);
    h.recordValue(2000);
    return h;
  }

  function run(serverLogs: RunRecord['serverLogs']): RunRecord {
    const t0 = new Date('2026-12-01T06:43:50Z');
    const start = snap('2026-12-01T06:43:52Z', [server(1, {}, true)]);
    const end = snap('2026-12-01T06:43:54Z', [server(1, { cnt_readlatency: 10, sum_readlatency: 4, max_readlatency: 2 })]);
    const recipe = recipeResultOf({
      recipe: 'get',
      clients: 1,
      metrics: [distribution('latency', clientLatency()), ...serverLatencyMetrics(serverDeltas(start, end))],
      windowS: 2,
      startedAt: t0,
      endedAt: new Date('2026-12-01T06:43:56Z'),
      serverView: { start, end },
    });
    return runRecordOf({
      workloadFields: PRIMITIVES_GET,
      servers: 1,
      recipes: [recipe],
      startedAt: t0,
      endedAt: new Date('2026-12-01T06:43:57Z'),
      serverLogs,
    });
  }

  it('holds server-warnings.log, gc/server-<id>.log and per recipe the view in run.json', () => {
    const records = serverLogRecords([{ id: 1, log: SERVER_LOG, gcLog: GC_LOG, missing: [] }]);
    const dir = writeRun(parent, 'with-logs', run(records));
    assert.equal(fs.readFileSync(path.join(dir, 'gc', 'server-1.log'), 'utf8'), GC_LOG);
    assert.equal(fs.readFileSync(path.join(dir, 'server-warnings.log'), 'utf8'), warningsFile(records));
    const json = JSON.parse(fs.readFileSync(path.join(dir, 'run.json'), 'utf8'));
    const view = json.recipes[0].serverView;
    assert.deepEqual(view.window, { start: '2026-12-01T06:43:52.000Z', end: '2026-12-01T06:43:54.000Z' });
    assert.equal(view.latency.meanMs, 0.4);
    assert.equal(view.latency.maxMs, 2);
    assert.equal(view.deltas[0].requests, 10);
    assert.equal(view.deltas[0].fsyncThresholdExceeded, null, 'unknown is an explicit null');
    assert.equal(view.mntr.start.servers[0].statsReset, true);
    assert.deepEqual(view.warnings, { total: 2, byServer: { '1': 2 }, fsyncThresholdExceeded: 0, followerSyncFailures: 0 }, 'the two WARN entries between 06:43:50 and 06:43:56');
    assert.equal(view.gcPauses.pauses, 0);
    assert.deepEqual(json.serverLogs.servers[0], { id: 1, warnings: 3, gcPauses: 4, gcLogFile: 'gc/server-1.log', missing: [] });
    const summary = fs.readFileSync(path.join(dir, 'summary.csv'), 'utf8');
    assert.match(summary, /^unit,get,server_latency,ms,0\.4,/m);
    assert.match(summary, /^unit,get,server_latency_max,ms,2,/m);
  });
  it('says so when the servers are not zkbench\'s (--connect): no log files, nulls in run.json', () => {
    const dir = writeRun(parent, 'external', run(undefined));
    assert.ok(!fs.existsSync(path.join(dir, 'server-warnings.log')));
    assert.ok(!fs.existsSync(path.join(dir, 'gc')));
    const json = JSON.parse(fs.readFileSync(path.join(dir, 'run.json'), 'utf8'));
    assert.equal(json.serverLogs.available, false);
    assert.equal(json.recipes[0].serverView.warnings, null);
    assert.equal(json.recipes[0].serverView.gcPauses, null);
  });
});

describe('the report\'s table of the servers\' view', () => {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'zkbench-unit-view-report-'));
  after(() => fs.rmSync(parent, { recursive: true, force: true }));

  it('puts the client mean, the server mean and their difference side by side, with warnings and GC pauses', () => {
    const t0 = new Date('2026-12-01T06:43:50Z');
    const start = snap('2026-12-01T06:38:26Z', [server(1, {}, true)]);
    const end = snap('2026-12-01T06:38:32Z', [server(1, { cnt_readlatency: 4, sum_readlatency: 2, max_readlatency: 1 })]);
    const client = newLatencyHistogram();
    client.recordValue(1000);
    client.recordValue(2000);
    const recipe = recipeResultOf({
      recipe: 'get',
      clients: 1,
      metrics: [distribution('latency', client), ...serverLatencyMetrics(serverDeltas(start, end))],
      windowS: 6,
      startedAt: new Date('2026-12-01T06:38:00Z'),
      endedAt: new Date('2026-12-01T06:45:00Z'),
      serverView: { start, end },
    });
    const record = runRecordOf({
      workloadFields: PRIMITIVES_GET,
      servers: 1,
      recipes: [recipe],
      startedAt: t0,
      endedAt: t0,
      serverLogs: serverLogRecords([{ id: 1, log: SERVER_LOG, gcLog: GC_LOG, missing: [] }]),
    });
    const dir = writeRun(parent, 'for-report', record);
    const [read] = readRunArgument(dir).runs;
    const [row] = serverViewRows(read!);
    assert.equal(row!.clientMeanMs, 1.5);
    assert.equal(row!.serverMeanMs, 0.5);
    assert.equal(row!.differenceMs, 1);
    assert.equal(row!.serverMaxMs, 1);
    assert.equal(row!.warnings, 2, 'the WARN entries between 06:38 and 06:45 (the ERROR was at 05:44 UTC)');
    assert.equal(row!.gcPauses, 4);
    assert.equal(row!.gcLongestMs, 25.001);
    const html = serverViewHtml(read!);
    assert.match(html, /<h4 class="table-title">The servers’ view<\/h4>/);
    assert.match(html, /<td>get<\/td><td>1\.5<\/td><td>0\.5<\/td><td>1<\/td><td>1<\/td><td><span class="warn">2<\/span><\/td><td>4 \(25\)<\/td>/);
  });

  it('draws no table for a run written before the servers\' view existed', () => {
    const fixture = fileURLToPath(new URL('../fixtures/report/failover-run', import.meta.url));
    assert.equal(serverViewHtml(readRunArgument(fixture).runs[0]!), '');
  });
});

describe('server warnings on the timeline', () => {
  const close = (at: string, session: string) =>
    `${at} [NIOWorkerThread-2] WARN org.apache.zookeeper.server.NIOServerCnxn - Close of session ${session}\njava.net.SocketException: Connection reset\n`;
  const records = serverLogRecords([
    {
      id: 1,
      log:
        '2026-12-01T10:00:00.000Z [main] WARN org.apache.zookeeper.server.ServerCnxnFactory - maxCnxns is not configured, using default value 0.\n' +
        close('2026-12-01T10:00:05.000Z', '0x1') +
        close('2026-12-01T10:00:05.050Z', '0x2') +
        close('2026-12-01T10:00:05.090Z', '0x3') +
        close('2026-12-01T10:00:05.300Z', '0x4') +
        '[main] WARN x - an untimed line\n',
      gcLog: undefined,
      missing: [],
    },
    { id: 2, log: '2026-12-01 10:00:05,010 [myid:2] - ERROR [SyncThread:2:o.a.z.s.SyncRequestProcessor@181] - Severe unrecoverable error\n', gcLog: undefined, missing: [] },
  ]);
  // The run clock's origin at 10:00:00 wall-clock (the logback line is in local time).
  const toRunNs = (at: Date) => (at.getTime() - Date.parse('2026-12-01T10:00:00.000Z')) * 1e6;

  it('are the recipe\'s warnings, a burst of one kind from one server as one event with its count', () => {
    const events = warningEvents(records, [{ recipe: 'predecessor', from: new Date('2026-12-01T10:00:01Z'), to: new Date('2026-12-01T10:00:06Z') }], toRunNs);
    const mine = events.filter((e) => e.text.startsWith('server 1'));
    assert.deepEqual(
      mine.map((e) => [e.atNs / 1e6, e.recipe, e.source, e.text]),
      [
        [5000, 'predecessor', 'server-log', 'server 1 WARN NIOServerCnxn: Close of session 0x1 (×3)'],
        [5300, 'predecessor', 'server-log', 'server 1 WARN NIOServerCnxn: Close of session 0x4'],
      ],
      'start-up warnings lie outside the recipe; the untimed one cannot be placed',
    );
    const other = events.filter((e) => e.text.startsWith('server 2'));
    const local = new Date(2026, 11, 1, 10, 0, 5, 10);
    const inSpan = local >= new Date('2026-12-01T10:00:01Z') && local <= new Date('2026-12-01T10:00:06Z');
    assert.deepEqual(other.map((e) => e.text), inSpan ? ['server 2 ERROR SyncRequestProcessor: Severe unrecoverable error'] : []);
  });
});
