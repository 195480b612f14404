// The parts of --compose-project that need no container engine: where this host reaches a server
// container's client port (from `docker inspect`), and that naming a project is what lets a workload with
// faults run against --connect.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { clientAddress, gcLogFileOf, type ContainerInspect } from '../../src/ensemble/compose/project.ts';
import { refuseFaultsOnConnect } from '../../src/runner/acquire-ensemble.ts';
import { loadWorkload } from '../../src/scenarios/catalog.ts';

function container(over: { ports?: ContainerInspect['NetworkSettings']['Ports']; networks?: ContainerInspect['NetworkSettings']['Networks']; mode?: string }): ContainerInspect {
  return {
    Id: 'c0ffee',
    Name: '/p_zoo1_1',
    State: { Status: 'running', Running: true, Paused: false, Pid: 4242, StartedAt: '' },
    Config: { Env: ['ZOO_MY_ID=1'], Labels: {} },
    HostConfig: { NetworkMode: over.mode ?? 'p_default' },
    NetworkSettings: { Ports: over.ports ?? null, Networks: over.networks ?? null },
  };
}

describe('clientAddress', () => {
  test('a published client port is reached where it is published; on every address, through loopback', () => {
    assert.deepEqual(clientAddress(container({ ports: { '2181/tcp': [{ HostIp: '127.0.0.1', HostPort: '2182' }] } })), { host: '127.0.0.1', port: 2182 });
    assert.deepEqual(clientAddress(container({ ports: { '2181/tcp': [{ HostIp: '0.0.0.0', HostPort: '31000' }] } })), { host: '127.0.0.1', port: 31000 });
    assert.deepEqual(clientAddress(container({ ports: { '2181/tcp': [{ HostIp: '::', HostPort: '31000' }] } })), { host: '::1', port: 31000 });
  });

  test('an unpublished one through the container\'s address on its network, port 2181', () => {
    const c = container({ ports: { '2181/tcp': null, '2888/tcp': null }, networks: { p_default: { IPAddress: '10.232.7.2' } } });
    assert.deepEqual(clientAddress(c), { host: '10.232.7.2', port: 2181 });
  });

  test('host networking without a published port, or no address at all: why, not a guess', () => {
    assert.match((clientAddress(container({ mode: 'host' })) as { why: string }).why, /host networking.*--connect/);
    assert.match((clientAddress(container({ networks: { p_default: { IPAddress: '' } } })) as { why: string }).why, /no network address/);
  });
});

describe('gcLogFileOf', () => {
  test('the file of a time-decorated unified GC log in JVMFLAGS, as docker-compose.yml sets it', () => {
    assert.equal(gcLogFileOf('-Xmx512m -Xlog:gc*:file=/logs/gc.log:time,uptime'), '/logs/gc.log');
    assert.equal(gcLogFileOf('-Xlog:gc:file="/var/log/zk/gc.txt":uptime,time -Xmx1g'), '/var/log/zk/gc.txt');
  });

  test('none without one, or without times to place its pauses in the run', () => {
    assert.equal(gcLogFileOf(undefined), undefined);
    assert.equal(gcLogFileOf('-Xmx512m'), undefined);
    assert.equal(gcLogFileOf('-Xlog:gc*:file=/logs/gc.log:uptime'), undefined);
    assert.equal(gcLogFileOf('-Xlog:gc*:stdout:time'), undefined);
  });
});

describe('faults against --connect', () => {
  const { workload } = loadWorkload('failover-leader-kill', {});

  test('are refused without a compose project, naming the way out', () => {
    assert.throws(() => refuseFaultsOnConnect(workload, '127.0.0.1:2181'), /has faults.*--compose-project/);
  });

  test('are allowed when the servers are a named compose project\'s', () => {
    assert.doesNotThrow(() => refuseFaultsOnConnect(workload, '127.0.0.1:2181', 'zkbench'));
    assert.doesNotThrow(() => refuseFaultsOnConnect(workload, undefined, 'zkbench'));
  });
});
