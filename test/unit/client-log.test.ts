// The C client's log lines from a load process's stderr are kept for client.log and counted by kind; any
// other line still reaches the terminal.
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { clientLogKind, routeClientLog, takeClientLog } from '../../src/process/client-log.ts';

describe('the C client log', () => {
  it('names the kind of each line', () => {
    assert.equal(clientLogKind('2026-12-07 05:20:03,917:31584:ZOO_ERROR@check_events@3030: Socket 127.0.0.3:34623 zk retcode=-4'), 'ZOO_ERROR@check_events');
    assert.equal(clientLogKind('yield:zookeeper_process returned an error: -4 - connection loss'), 'zookeeper_process returned an error');
    assert.equal(clientLogKind('Session expired. Shutting down...'), 'Session expired');
  });

  it("keeps the client's lines, counted, and passes the others on to stderr", async () => {
    takeClientLog();
    const stream = new PassThrough();
    const written: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string) => (written.push(String(chunk)), true)) as typeof process.stderr.write;
    try {
      routeClientLog(stream, 'load process 0');
      stream.end(
        ['2026-12-07 05:20:03,917:31584:ZOO_ERROR@check_events@3030: Socket x', 'yield:zookeeper_process returned an error: -4 - connection loss', 'a warning of our own', 'Session expired. Shutting down...'].join('\n') + '\n',
      );
      await new Promise((r) => setImmediate(r));
      await new Promise((r) => setImmediate(r));
    } finally {
      process.stderr.write = write;
    }
    assert.deepEqual(written, ['a warning of our own\n']);
    const log = takeClientLog();
    assert.equal(log.total, 3);
    assert.deepEqual(log.counts, { 'ZOO_ERROR@check_events': 1, 'zookeeper_process returned an error': 1, 'Session expired': 1 });
    assert.ok(log.lines.every((l) => l.startsWith('load process 0: ')));
    assert.equal(takeClientLog().total, 0, 'taken once');
  });
});
