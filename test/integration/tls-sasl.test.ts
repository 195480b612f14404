// Locked-down ensembles (issue 19, docs/tls-sasl.md): a TLS-only embedded server (secureClientPort,
// Netty, a keystore made for the run) and a SASL-required one (DIGEST-MD5). Each runs lock-contention
// and watch-fanout end to end; a leader kill on a SASL 3-server ensemble shows sessions authenticating
// again after they reconnect. An unknown CA, a certificate for another name, a wrong SASL password and
// no SASL at all: each is exit 3 naming the cause and the fix, with nothing started or written.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { describeFailure } from '../../src/cli/failures.ts';
import { startEmbeddedEnsemble, type EmbeddedEnsemble, type EnsembleSettings } from '../../src/ensemble/index.ts';
import { makeTlsMaterial } from '../../src/ensemble/security.ts';
import { scalarValue } from '../../src/measure/metrics.ts';
import { ZkSession } from '../../src/zk/session.ts';
import { bench, figure, resultsParent } from '../helpers/bench.ts';
import { exitOf, startCli, tempDir } from '../helpers/cli.ts';

const scratch = tempDir('zkbench-tls-sasl-');
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

const ONE_SERVER: EnsembleSettings = { servers: 1, tickTimeMs: 500, maxClientCnxns: 0, heapMb: 256, commitWakeupGuardMs: 1 };
const SHORT_LOCK = { recipes: 'predecessor', clients: 4, duration_s: 1, warmup_s: 0, replace_thresholds: {} };
const SHORT_WATCH = { recipes: 'data-watch', watchers: '4', clients: 4, duration_s: 1, warmup_s: 1, replace_thresholds: {} };

/** A TCP proxy on 127.0.0.9 to argv[1]:argv[2]; prints its port. */
const PROXY = `
const net = require('node:net');
const [host, port] = process.argv.slice(1);
const p = net.createServer((c) => {
  const up = net.connect(Number(port), host);
  c.pipe(up).pipe(c);
  c.on('error', () => up.destroy());
  up.on('error', () => c.destroy());
});
p.listen(0, '127.0.0.9', () => console.log(p.address().port));
`;

/** A run of the CLI that must stop with exit 3 before it writes anything. */
async function refusedRun(name: string, args: string[]): Promise<string> {
  const results = path.join(scratch, name, 'results');
  const state = path.join(scratch, name, 'state');
  fs.mkdirSync(state, { recursive: true });
  const run = startCli(['bench', '--workload', 'lock-contention', '--recipes', 'predecessor', '--clients', '2', '--duration-s', '1', ...args, '--results-dir', results], state);
  assert.equal(await exitOf(run), 3, run.stderr + run.stdout);
  assert.equal(fs.existsSync(results) && fs.readdirSync(results).length > 0, false, 'nothing written');
  return run.stderr;
}

/** A session's open that must fail: its error. */
async function refusedSession(opts: Omit<Parameters<typeof ZkSession.open>[0], 'sessionTimeoutMs'>): Promise<Error> {
  try {
    (await ZkSession.open({ sessionTimeoutMs: 4000, connectTimeoutMs: 20_000, ...opts })).close();
  } catch (err) {
    return err as Error;
  }
  assert.fail(`a session to ${opts.connect} opened`);
}

describe('TLS-only ensemble', { concurrency: 1 }, () => {
  let ensemble: EmbeddedEnsemble;
  let ca: string;
  before(async () => {
    ensemble = await startEmbeddedEnsemble({ ...ONE_SERVER, security: 'tls' });
    ca = ensemble.clientSecurity!.tls!.ca;
  });
  after(() => ensemble?.close());

  it('serves lock-contention and watch-fanout over TLS only', async () => {
    assert.ok(!fs.readFileSync(ensemble.servers[0]!.configFile, 'utf8').match(/^clientPort=/m), 'no plaintext client port');
    const lock = await bench('lock-contention', ensemble.connectString, { ...SHORT_LOCK, tls_ca: ca });
    assert.ok(figure(lock, 'predecessor', 'acquisitions') > 0);
    assert.equal(figure(lock, 'predecessor', 'violations'), 0);
    const watch = await bench('watch-fanout', ensemble.connectString, { ...SHORT_WATCH, tls_ca: ca });
    const r = watch.record.recipes[0]!;
    assert.ok((scalarValue(r.metrics, 'notifications') ?? 0) > 0, JSON.stringify({ outcome: watch.record.outcome, notes: r.notes }));
    assert.equal(scalarValue(r.metrics, 'missed'), 0);
    // A plaintext session gets nowhere on a TLS-only port.
    assert.equal((await refusedSession({ connect: ensemble.connectString, connectTimeoutMs: 2000 })).name, 'ConnectTimeoutError');
  });

  it('refuses a CA that did not sign the server certificate: exit 3 naming it and --tls-ca', async () => {
    // The system's CAs (none signed the run's certificate); a CA of its own where there are none.
    const system = '/etc/ssl/certs/ca-certificates.crt';
    const other = fs.existsSync(system) ? system : makeTlsMaterial(path.join(scratch, 'other-ca'), ensemble.installation.java, ['127.0.0.9']).caFile;
    const err = await refusedSession({ connect: ensemble.connectString, tls: { ca: other } });
    assert.equal(err.name, 'SecurityError');
    assert.match(err.message, /certificate was refused: self-signed certificate/); // the run's certificate is self-signed
    assert.equal(describeFailure(err).code, 3);
    const stderr = await refusedRun('bad-ca', ['--connect', ensemble.connectString, '--tls-ca', other]);
    assert.match(stderr, /certificate was refused.*Fix: give the CA that signed the servers' certificates with --tls-ca/s);
  });

  it("refuses a certificate that names neither the address nor the host connected to: exit 3 naming the mismatch", async () => {
    // Through a proxy on another loopback address, the server's certificate names neither it nor the peer address.
    // The proxy runs in a process of its own: the C client's TLS handshake blocks this one's event loop.
    const server = ensemble.servers[0]!;
    const proxy = spawn(process.execPath, ['-e', PROXY, server.host, String(server.clientPort)], { stdio: ['ignore', 'pipe', 'inherit'] });
    const port = await new Promise<string>((resolve, reject) => {
      proxy.stdout!.once('data', (d: Buffer) => resolve(d.toString().trim()));
      proxy.once('exit', () => reject(new Error('the proxy exited')));
    });
    const connect = `127.0.0.9:${port}`;
    try {
      const err = await refusedSession({ connect, tls: { ca } });
      assert.equal(err.name, 'SecurityError');
      assert.match(err.message, /certificate name mismatch.*127\.0\.0\.9.*Fix: connect by a name or address the certificate carries/s);
      const stderr = await refusedRun('mismatch', ['--connect', connect, '--tls-ca', ca]);
      assert.match(stderr, /does not match certificate's altnames.*Fix: connect by a name or address the certificate carries/s);
      // --tls-insecure skips the check, and says so loudly.
      const insecure = await ZkSession.open({ connect, sessionTimeoutMs: 4000, tls: { insecure: true } });
      insecure.close();
    } finally {
      proxy.kill('SIGKILL');
    }
  });
});

describe('SASL-required ensemble', { concurrency: 1 }, () => {
  let ensemble: EmbeddedEnsemble;
  before(async () => {
    ensemble = await startEmbeddedEnsemble({ ...ONE_SERVER, security: 'sasl' });
  });
  after(() => ensemble?.close());

  it('serves lock-contention and watch-fanout to DIGEST-MD5 sessions', async () => {
    const sasl = ensemble.clientSecurity!.sasl!;
    const lock = await bench('lock-contention', ensemble.connectString, SHORT_LOCK, { sasl });
    assert.ok(figure(lock, 'predecessor', 'acquisitions') > 0);
    assert.equal(figure(lock, 'predecessor', 'violations'), 0);
    const watch = await bench('watch-fanout', ensemble.connectString, SHORT_WATCH, { sasl });
    assert.ok((scalarValue(watch.record.recipes[0]!.metrics, 'notifications') ?? 0) > 0);
    // The password is in no file of either run directory.
    for (const runDir of [lock.runDir!, watch.runDir!]) {
      for (const file of fs.readdirSync(runDir, { recursive: true, withFileTypes: true }).filter((d) => d.isFile())) {
        const where = path.join(file.parentPath, file.name);
        assert.ok(!fs.readFileSync(where, 'utf8').includes(sasl.password), `the SASL password is in ${where}`);
      }
    }
  });

  it('the command line authenticates with --auth-file sasl:DIGEST-MD5:USER:PASSWORD: its sessions and load processes, the password in no file and no output', async () => {
    const { user, password } = ensemble.clientSecurity!.sasl!;
    const dir = path.join(scratch, 'auth-file');
    fs.mkdirSync(path.join(dir, 'state'), { recursive: true });
    const authFile = path.join(dir, 'credential');
    fs.writeFileSync(authFile, `sasl:DIGEST-MD5:${user}:${password}\n`, { mode: 0o600 });
    const results = path.join(dir, 'results');
    const args = ['bench', '--workload', 'lock-contention', '--recipes', 'predecessor', '--clients', '2', '--duration-s', '1', '--warmup-s', '0'];
    const run = startCli([...args, '--replace-thresholds', '{}', '--connect', ensemble.connectString, '--auth-file', authFile, '--results-dir', results], path.join(dir, 'state'));
    assert.equal(await exitOf(run), 0, run.stderr + run.stdout);
    const [runDir] = fs.readdirSync(results);
    const summary = fs.readFileSync(path.join(results, runDir!, 'summary.csv'), 'utf8');
    assert.match(summary, /,predecessor,acquisitions,[^,]*,[1-9]/, 'acquisitions measured over SASL sessions');
    for (const file of fs.readdirSync(path.join(results, runDir!), { recursive: true, withFileTypes: true }).filter((d) => d.isFile())) {
      const where = path.join(file.parentPath, file.name);
      assert.ok(!fs.readFileSync(where, 'utf8').includes(password), `the SASL password is in ${where}`);
    }
    assert.ok(!(run.stdout + run.stderr).includes(password), 'the SASL password is in the output');
  });

  it('refuses a wrong password and a session without SASL: exit 3 naming the cause and the fix', async () => {
    const sasl = { ...ensemble.clientSecurity!.sasl!, password: 'not-the-password' };
    const wrong = await refusedSession({ connect: ensemble.connectString, sasl });
    assert.equal(wrong.name, 'SecurityError');
    assert.match(wrong.message, /SASL DIGEST-MD5 authentication as "zkbench" .* was refused.*Fix: give the user and password/s);
    assert.equal(describeFailure(wrong).code, 3);
    assert.ok(!wrong.message.includes('not-the-password'), 'the password is not in the message');

    const resultsDir = path.join(scratch, 'no-sasl');
    const noSasl = await bench('lock-contention', ensemble.connectString, SHORT_LOCK, { resultsDir }).then(
      () => assert.fail('a run without SASL went through'),
      (err: unknown) => describeFailure(err),
    );
    assert.equal(noSasl.code, 3);
    assert.match(noSasl.message, /ZSESSIONCLOSEDREQUIRESASLAUTH.*require SASL authentication.*Fix: give credentials/s);
    assert.equal(fs.existsSync(resultsDir) && fs.readdirSync(resultsDir).length > 0, false, 'nothing written');
  });
});

describe('SASL-required 3-server ensemble, leader killed', { concurrency: 1 }, () => {
  it('sessions authenticate again on the servers they reconnect to: no acknowledged write lost', async () => {
    const faults = [
      { at: '2s', action: 'kill', target: 'leader' },
      { at: '5s', action: 'restart', target: 'previous' },
    ];
    const outcome = await bench(
      'ensemble-failover',
      undefined,
      { servers: 3, clients: 6, duration_s: 7, warmup_s: 0.5, tick_time_ms: 500, ensemble_security: 'sasl', faults: JSON.stringify(faults), replace_thresholds: {} },
      { resultsDir: resultsParent },
    );
    assert.equal(outcome.record.ensemble.settings?.security, 'sasl');
    const recipe = outcome.record.recipes[0]!;
    const v = (name: string) => scalarValue(recipe.metrics, name);
    assert.equal(v('lost_writes'), 0, (recipe.notes ?? []).join('\n'));
    assert.ok((v('connection_losses') ?? 0) > 0, 'the kill cut connections');
    assert.ok((v('acknowledged_writes') ?? 0) > 0, 'the writers wrote');
  });
});
