// Installation discovery (SetupError messages), connect-string parsing and free ports: the parts of
// src/ensemble that need no JVM.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { parseConnectString } from '../../src/ensemble/existing.ts';
import { freeLoopbackPorts } from '../../src/ensemble/free-ports.ts';
import { DEBIAN_JAVA_DIR, findJava, findZooKeeperInstallation, SetupError, type ZooKeeperInstallation } from '../../src/ensemble/installation.ts';

describe('installation discovery', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'zkbench-install-test-'));
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  // A fake JAVA_HOME and Apache distribution: discovery only looks at file names.
  const javaHome = path.join(tmp, 'jdk');
  fs.mkdirSync(path.join(javaHome, 'bin'), { recursive: true });
  fs.writeFileSync(path.join(javaHome, 'bin', 'java'), '#!/bin/sh\n', { mode: 0o755 });
  const zkHome = path.join(tmp, 'apache-zookeeper-3.8.4-bin');
  fs.mkdirSync(path.join(zkHome, 'lib'), { recursive: true });
  for (const jar of ['zookeeper-3.8.4.jar', 'zookeeper-jute-3.8.4.jar', 'logback-classic-1.2.13.jar', 'slf4j-api-1.7.30.jar']) {
    fs.writeFileSync(path.join(zkHome, 'lib', jar), '');
  }

  test('ZOOKEEPER_HOME distribution and JAVA_HOME are used', () => {
    const found = findZooKeeperInstallation({ ZOOKEEPER_HOME: zkHome, JAVA_HOME: javaHome, PATH: '' });
    assert.equal(found.java, path.join(javaHome, 'bin', 'java'));
    assert.equal(found.version, '3.8.4');
    assert.equal(found.source, `ZOOKEEPER_HOME=${zkHome}`);
    assert.equal(found.classpath.length, 4);
    assert.ok(found.classpath.every((j) => j.startsWith(path.join(zkHome, 'lib'))));
  });

  test('java is found on PATH when JAVA_HOME is unset', () => {
    assert.equal(findJava({ PATH: `/nonexistent${path.delimiter}${path.join(javaHome, 'bin')}` }), path.join(javaHome, 'bin', 'java'));
  });

  test('a ZOOKEEPER_HOME without server jar is a SetupError naming the fixes', () => {
    assert.throws(
      () => findZooKeeperInstallation({ ZOOKEEPER_HOME: tmp, JAVA_HOME: javaHome }),
      (err: Error) => {
        assert.ok(err instanceof SetupError);
        assert.equal(err.name, 'SetupError');
        assert.match(err.message, /ZooKeeper server not found/);
        assert.match(err.message, /npm run setup/);
        assert.match(err.message, /--connect/);
        assert.match(err.message, /docker compose up -d/);
        return true;
      },
    );
  });

  test('no java is a SetupError naming the fixes', () => {
    assert.throws(
      () => findZooKeeperInstallation({ ZOOKEEPER_HOME: zkHome, PATH: '/nonexistent' }),
      (err: Error) => err instanceof SetupError && /Java not found/.test(err.message) && /JAVA_HOME/.test(err.message) && /default-jre-headless/.test(err.message),
    );
    assert.throws(() => findJava({ JAVA_HOME: tmp }), (err: Error) => err instanceof SetupError && err.message.includes(`JAVA_HOME=${tmp}`));
  });

  // `npm run setup` installs the servers (Debian's zookeeper package, or uses ZOOKEEPER_HOME): a machine
  // without them fails here, saying so, rather than skipping (every integration test needs them).
  test("this machine's installation (npm run setup) is found", () => {
    let found: ZooKeeperInstallation;
    try {
      found = findZooKeeperInstallation(process.env);
    } catch (err) {
      // Its message names what is missing and `npm run setup`.
      assert.fail(`this machine cannot run the embedded ensembles: ${(err as Error).message}`);
    }
    assert.match(found.version ?? '', /^3\.8\./, `version ${found.version} from ${found.source}`);
    const home = process.env.ZOOKEEPER_HOME?.trim();
    if (home) assert.equal(found.source, `ZOOKEEPER_HOME=${home}`);
    else assert.ok(found.classpath.includes(path.join(DEBIAN_JAVA_DIR, 'zookeeper.jar')), `classpath ${found.classpath.join(':')}`);
  });
});

describe('parseConnectString', () => {
  test('host:port list, IPv6 and default port', () => {
    assert.deepEqual(parseConnectString('127.0.0.1:2181, localhost:2182,[::1]:2183,zk-1'), [
      { id: 1, host: '127.0.0.1', clientPort: 2181 },
      { id: 2, host: 'localhost', clientPort: 2182 },
      { id: 3, host: '::1', clientPort: 2183 },
      { id: 4, host: 'zk-1', clientPort: 2181 },
    ]);
  });
  test('malformed lists are rejected with the offending entry named', () => {
    assert.throws(() => parseConnectString(''), /empty ZooKeeper connect string/);
    assert.throws(() => parseConnectString('127.0.0.1:2181,,127.0.0.1:2182'), /malformed server ""/);
    assert.throws(() => parseConnectString('127.0.0.1:99999'), /malformed server "127\.0\.0\.1:99999"/);
    assert.throws(() => parseConnectString('127.0.0.1:abc'), /malformed server/);
    assert.throws(() => parseConnectString('host name:2181'), /malformed server "host name:2181"/);
    assert.throws(() => parseConnectString("127.0.0.1:2181/app/../x"), /chroot "\/app\/\.\.\/x" .* is not a usable path/);
    assert.deepEqual(parseConnectString('127.0.0.1:2181/app'), [{ id: 1, host: '127.0.0.1', clientPort: 2181 }]); // the chroot is the sessions' business
  });
});

describe('freeLoopbackPorts', () => {
  test('distinct usable ports, never handed out twice by one process', async () => {
    const a = await freeLoopbackPorts(9);
    const b = await freeLoopbackPorts(9);
    assert.equal(new Set([...a, ...b]).size, 18);
    assert.ok(a.every((p) => p > 0 && p < 65536));
  });
});
