// parseSrvr/parseConf on answers captured from ZooKeeper 3.8.0, and fourLetterWord against tiny
// local TCP servers that answer, refuse, stall or reset.
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, describe, test } from 'node:test';
import { fourLetterWord, parseConf, parseSrvr } from '../../src/ensemble/four-letter-words.ts';

const SRVR_FOLLOWER =
  'Zookeeper version: 3.8.0-${mvngit.commit.id}, built on 2024-12-29 17:54 UTC\nLatency min/avg/max: 0/0.0/0\n' +
  'Received: 2\nSent: 1\nConnections: 1\nOutstanding: 0\nZxid: 0x0\nMode: follower\nNode count: 5\n';
const SRVR_LEADER =
  'Zookeeper version: 3.8.0-5a02a05eddb59aee6ac762f7ea82e92a68eb9c0f, built on 2022-02-25 08:49 UTC\n' +
  'Latency min/avg/max: 0/0.2/4\nReceived: 18\nSent: 17\nConnections: 3\nOutstanding: 0\nZxid: 0x100000004\n' +
  'Mode: leader\nNode count: 5\nProposal sizes last/min/max: 48/48/90\n';
const SRVR_STANDALONE =
  'Zookeeper version: 3.8.0-${mvngit.commit.id}, built on 2024-12-29 17:54 UTC\nLatency min/avg/max: 0/0.0/0\n' +
  'Received: 5\nSent: 4\nConnections: 1\nOutstanding: 0\nZxid: 0x0\nMode: standalone\nNode count: 5\n';
const SRVR_NOT_SERVING = 'This ZooKeeper instance is not currently serving requests\n';
const SRVR_NOT_WHITELISTED = 'srvr is not executed because it is not in the whitelist.\n';
const CONF =
  'clientPort=33961\nsecureClientPort=-1\ndataDir=/tmp/zkbench-ensemble-kXsmxx/data1/version-2\ndataDirSize=597\n' +
  'dataLogDir=/tmp/zkbench-ensemble-kXsmxx/data1/version-2\ndataLogSize=597\ntickTime=2000\nmaxClientCnxns=0\n' +
  'minSessionTimeout=4000\nmaxSessionTimeout=40000\nclientPortListenBacklog=-1\nserverId=1\ninitLimit=10\nsyncLimit=5\n' +
  'electionAlg=3\nelectionPort=46665\nquorumPort=40685\npeerType=0\nmembership: \n' +
  'server.1=127.0.0.1:40685:46665:participant\nserver.2=127.0.0.1:38705:38549:participant\n' +
  'server.3=127.0.0.1:45995:38393:participant\nversion=0';

describe('parseSrvr', () => {
  test('follower (Debian build: git placeholder stripped from the version)', () => {
    assert.deepEqual(parseSrvr(SRVR_FOLLOWER), { mode: 'follower', version: '3.8.0', connections: 1, zxid: '0x0' });
  });
  test('leader (Apache build keeps the commit id)', () => {
    assert.deepEqual(parseSrvr(SRVR_LEADER), {
      mode: 'leader',
      version: '3.8.0-5a02a05eddb59aee6ac762f7ea82e92a68eb9c0f',
      connections: 3,
      zxid: '0x100000004',
    });
  });
  test('standalone, with CRLF line ends', () => {
    const info = parseSrvr(SRVR_STANDALONE.replace(/\n/g, '\r\n'));
    assert.equal(info.mode, 'standalone');
    assert.equal(info.version, '3.8.0');
  });
  test('observer', () => {
    assert.equal(parseSrvr('Zookeeper version: 3.8.1-abc, built on x\nMode: observer\n').mode, 'observer');
  });
  test('a server without quorum or without the whitelist has no mode', () => {
    assert.deepEqual(parseSrvr(SRVR_NOT_SERVING), { mode: undefined });
    assert.deepEqual(parseSrvr(SRVR_NOT_WHITELISTED), { mode: undefined });
    assert.deepEqual(parseSrvr(''), { mode: undefined });
  });
  test('unknown mode is not guessed', () => {
    assert.equal(parseSrvr('Mode: read-only\n').mode, undefined);
  });
});

describe('parseConf', () => {
  test('key=value lines of a quorum server', () => {
    const conf = parseConf(CONF);
    assert.equal(conf.maxClientCnxns, '0');
    assert.equal(conf.tickTime, '2000');
    assert.equal(conf['server.2'], '127.0.0.1:38705:38549:participant');
    assert.equal(conf.version, '0');
    assert.equal(conf['membership:'], undefined); // no '=': skipped
    assert.equal(conf.dataDir, '/tmp/zkbench-ensemble-kXsmxx/data1/version-2');
  });
  test('values keep later = signs', () => {
    assert.deepEqual(parseConf('a=b=c\n=nokey\n'), { a: 'b=c' });
  });
});

describe('fourLetterWord', () => {
  const servers: net.Server[] = [];
  const sockets = new Set<net.Socket>();
  after(async () => {
    for (const s of sockets) s.destroy();
    await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  });

  async function listen(onConnection: (socket: net.Socket) => void): Promise<number> {
    const server = net.createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {});
      onConnection(socket);
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    assert.ok(address && typeof address !== 'string');
    return address.port;
  }

  test('sends the word and returns the whole answer', async () => {
    const port = await listen((socket) => {
      socket.once('data', (word) => {
        assert.equal(word.toString(), 'srvr');
        // answer in two pieces, then close, as ZooKeeper does
        socket.write(SRVR_LEADER.slice(0, 40));
        setTimeout(() => socket.end(SRVR_LEADER.slice(40)), 20);
      });
    });
    assert.equal(await fourLetterWord('127.0.0.1', port, 'srvr'), SRVR_LEADER);
  });

  test('a reset after the answer still yields the answer', async () => {
    const port = await listen((socket) => {
      socket.once('data', () => {
        socket.write('imok');
        setTimeout(() => socket.resetAndDestroy(), 20);
      });
    });
    assert.equal(await fourLetterWord('127.0.0.1', port, 'ruok'), 'imok');
  });

  test('refusal rejects with a readable error', async () => {
    const port = await listen(() => {});
    await new Promise<void>((resolve) => servers.pop()!.close(() => resolve()));
    await assert.rejects(fourLetterWord('127.0.0.1', port, 'srvr'), (err: Error) => {
      assert.match(err.message, new RegExp(`'srvr' to 127\\.0\\.0\\.1:${port}: connection refused`));
      return true;
    });
  });

  test('silence rejects after the timeout', async () => {
    const port = await listen(() => {}); // accepts, never answers, never closes
    const t0 = Date.now();
    await assert.rejects(fourLetterWord('127.0.0.1', port, 'srvr', 300), /no answer within 300 ms/);
    const took = Date.now() - t0;
    assert.ok(took >= 250 && took < 2000, `took ${took} ms`);
  });
});
