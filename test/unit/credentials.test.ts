// Credentials and connect strings (issue 19): parsing without ever quoting the secret, the order of the
// sources, the ACL choice, redaction, chroots, IPv6 literals and the C client's form of them.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { chooseCredential, chooseNodeAcl, digestId, parseCredential, redactArgv, redactSecret, childAccessEnv, useCredential, currentCredential } from '../../src/zk/credentials.ts';
import { chrootOf, parseConnect, toClientConnect } from '../../src/zk/connect-string.ts';
import { onOwnConnect } from '../../src/workers/remote/own-connect.ts';

describe('credentials', () => {
  it('parses digest and SASL DIGEST-MD5 lines; a password may hold colons', () => {
    assert.deepEqual(parseCredential('digest:bob:pa:ss\n', 'x'), { scheme: 'digest', user: 'bob', password: 'pa:ss' });
    assert.deepEqual(parseCredential('sasl:DIGEST-MD5:kafka:s3', 'x'), { scheme: 'sasl', mechanism: 'DIGEST-MD5', user: 'kafka', password: 's3' });
  });

  it('refuses malformed lines naming the source and never quoting the secret', () => {
    for (const [line, text] of [
      ['digest:bob', /no user name/],
      ['digest:bob:', /empty password for user "bob"/],
      ['sasl:GSSAPI:bob:topsecret', /SASL mechanism "GSSAPI" is not supported/],
      ['plain:bob:topsecret', /unknown scheme "plain"/],
      ['digest:a:topsecret\ndigest:b:topsecret', /exactly one line/],
    ] as const) {
      assert.throws(() => parseCredential(line, 'auth file f'), (e: Error) => text.test(e.message) && e.message.startsWith('auth file f') && !e.message.includes('topsecret'));
    }
  });

  it('takes a file, else --auth (with a warning), else ZKBENCH_AUTH; not a file and --auth together', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zkbench-cred-'));
    try {
      const file = path.join(dir, 'a');
      fs.writeFileSync(file, 'digest:f:1\n');
      const env = { ZKBENCH_AUTH: 'digest:e:2' };
      assert.equal(chooseCredential({ authFile: file, env })?.credential.user, 'f');
      const inline = chooseCredential({ inline: 'digest:i:3', env });
      assert.equal(inline?.credential.user, 'i');
      assert.match(inline?.warning ?? '', /--auth-file/);
      assert.equal(chooseCredential({ env })?.source, 'ZKBENCH_AUTH');
      assert.equal(chooseCredential({ env: {} }), undefined);
      assert.throws(() => chooseCredential({ authFile: file, inline: 'digest:i:3' }), /either --auth-file or --auth/);
      assert.throws(() => chooseCredential({ authFile: path.join(dir, 'missing') }), /cannot read it \(ENOENT\)/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('chooses the ACL: open without an identity, creator with one; creator without one is refused', () => {
    const c = parseCredential('digest:u:p', 'x');
    assert.equal(chooseNodeAcl(undefined, undefined), 'open');
    assert.equal(chooseNodeAcl(undefined, c), 'creator');
    assert.equal(chooseNodeAcl('open', c), 'open');
    assert.throws(() => chooseNodeAcl('creator', undefined), /needs an identity/);
    assert.throws(() => chooseNodeAcl('world', c), /expected one of open, creator/);
  });

  it("computes ZooKeeper's digest id, redacts the secret, blanks --auth on a command line", () => {
    // DigestAuthenticationProvider.generateDigest("super:test") as ZooKeeper's docs give it
    assert.equal(digestId('super', 'test'), 'super:D/InIHSb7yEEbrWz8b9l71RjZJU=');
    const c = parseCredential('digest:u:hunter2', 'x');
    assert.equal(redactSecret('a digest:u:hunter2 b hunter2', c), 'a digest:u:*** b ***');
    assert.deepEqual(redactArgv(['bench', '--auth', 'digest:u:hunter2', '--auth=digest:u:x', '--clients', '3']), ['bench', '--auth', '***', '--auth=***', '--clients', '3']);
  });

  it('hands the identity to a child load process in its environment only', () => {
    const before = currentCredential();
    try {
      useCredential(parseCredential('digest:u:p', 'x'));
      assert.equal(childAccessEnv({ PATH: '/bin' })['ZKBENCH_AUTH'], 'digest:u:p');
      assert.equal(childAccessEnv({})['ZKBENCH_NODE_ACL'], 'creator');
      useCredential(undefined);
      assert.equal(childAccessEnv({ ZKBENCH_AUTH: 'digest:stale:x' })['ZKBENCH_AUTH'], undefined);
    } finally {
      useCredential(before);
    }
  });
});

describe('connect strings', () => {
  it('reads servers, DNS names, IPv6 literals and a chroot', () => {
    assert.deepEqual(parseConnect('zk-1.example.com:2181,[::1]:2182,10.0.0.3/kafka/prod'), {
      servers: [
        { host: 'zk-1.example.com', port: 2181 },
        { host: '::1', port: 2182 },
        { host: '10.0.0.3', port: 2181 },
      ],
      chroot: '/kafka/prod',
    });
    assert.equal(chrootOf('h:1/'), undefined);
    assert.equal(chrootOf('h:1/a/'), '/a');
    assert.throws(() => parseConnect('h:1/a//b'), /not a usable path/);
    assert.throws(() => parseConnect('h:1/zookeeper'), /not a usable path/);
    assert.throws(() => parseConnect('::1:2181'), /IPv6 address goes in brackets/);
  });

  it("gives the C client IPv6 bare and every port (it splits at the last colon and resolves what is before)", () => {
    assert.equal(toClientConnect('[::1]:2181,localhost/t'), '::1:2181,localhost:2181/t');
  });

  it('a remote worker keeps its own servers and the chroot, which must be the coordinator\'s', () => {
    const msg = { type: 'prepare', sessions: { connect: '10.0.0.1:1,10.0.0.2:2/t', sessionTimeoutMs: 1 }, plan: { connect: ['10.0.0.2:2/t'] } } as never;
    const out = onOwnConnect(msg, 'zk1:1,zk2:2/t');
    assert.equal(out.sessions.connect, 'zk1:1,zk2:2/t');
    assert.deepEqual((out.plan as { connect: string[] }).connect, ['zk2:2/t']);
    assert.throws(() => onOwnConnect(msg, 'zk1:1,zk2:2'), /give the worker the same chroot/);
  });
});
