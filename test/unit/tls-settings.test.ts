// TLS settings from the workload and the connect string, without a server: the hosts a server certificate
// may name, the fields' validation, and what a TLS run needs before anything starts.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { workloadTls } from '../../src/runner/client-security.ts';
import { loadWorkload } from '../../src/scenarios/catalog.ts';
import { parseHosts } from '../../src/zk/connect-hosts.ts';
import { tlsInitOptions } from '../../src/zk/security.ts';

describe('TLS settings', () => {
  it('names the hosts of a connect string, without ports, brackets or chroot, once each', () => {
    assert.deepEqual(parseHosts('zk1.example:2281,zk2.example:2281,zk1.example:2282/kafka'), ['zk1.example', 'zk2.example']);
    assert.deepEqual(parseHosts('[::1]:2181,127.0.0.2:2181'), ['::1', '127.0.0.2']);
    assert.deepEqual(parseHosts('localhost'), ['localhost']);
    assert.equal(tlsInitOptions('a:1,b:2', { ca: '/ca.pem' })['verify_hosts'], 'a,b');
    assert.equal(tlsInitOptions('a:1', { insecure: true })['verify'], false);
    assert.equal(tlsInitOptions('a:1', {})['verify'], true);
  });

  it('takes --tls-insecure as a switch and refuses a key without its certificate or a file it cannot read (exit 2)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zkbench-tls-unit-'));
    try {
      const ca = path.join(dir, 'ca.pem');
      fs.writeFileSync(ca, 'not checked here');
      const w = (o: Record<string, unknown>) => loadWorkload('lock-contention', o).workload;
      assert.equal(w({}).tlsInsecure, false);
      assert.equal(workloadTls(w({})), undefined);
      assert.deepEqual(workloadTls(w({ tls_ca: ca })), { ca });
      assert.deepEqual(workloadTls(w({ tls_insecure: true })), { insecure: true });
      assert.throws(() => w({ tls_insecure: 'maybe' }), /tls-insecure.*expected true or false/);
      assert.throws(() => workloadTls(w({ tls_key: ca })), { name: 'WorkloadError', message: /tls_key \(--tls-key\) without tls_cert/ });
      assert.throws(() => workloadTls(w({ tls_ca: path.join(dir, 'missing.pem') })), { name: 'WorkloadError', message: /cannot read .*missing\.pem \(ENOENT\)/ });
      assert.throws(() => w({ ensemble_security: 'kerberos' }), /ensemble-security.*one of none, tls, sasl/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
