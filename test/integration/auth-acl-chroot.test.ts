// Against an ensemble set up as users' own are (issue 19): digest credentials, creator-only ACLs, a chroot.
// One real 1-server ensemble; the runs go through the real command line with --connect. The secret never
// shows in anything a run writes or prints; a foreign session is refused the coordinator's nodes; an ACL
// that refuses the run's identity (or a wrong password) is exit 3 naming the ACL; nothing is created
// outside the chroot.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startEmbeddedEnsemble, type EmbeddedEnsemble } from '../../src/ensemble/index.ts';
import { ZNOAUTH, ZOO_EPHEMERAL_SEQUENTIAL } from '../../src/zk/binding.ts';
import { digestId, type Credential } from '../../src/zk/credentials.ts';
import { isZkError } from '../../src/zk/errors.ts';
import { ZkSession } from '../../src/zk/session.ts';
import { askStatus } from '../../src/ensemble/server-status.ts';
import { parseConnectString } from '../../src/ensemble/existing.ts';
import { ensurePath, deleteTree } from '../../src/zk/tree.ts';
import { MailboxWriter } from '../../src/workers/remote/mailbox.ts';
import { exitOf, startCli, tempDir, ZKBENCH } from '../helpers/cli.ts';
import { within } from '../helpers/wait.ts';
import { TEST_ENSEMBLE } from '../helpers/ensemble.ts';

const SECRET = 'Pa55-w0rd-never-printed-7f3a';
const OWNER: Credential = { scheme: 'digest', user: 'bench', password: SECRET };
const FOREIGN: Credential = { scheme: 'digest', user: 'intruder', password: 'other-secret' };

const scratch = tempDir('zkbench-auth-');
let ensemble: EmbeddedEnsemble;
let plain: ZkSession; // no credentials: sees the tree as anyone does

before(async () => {
  ensemble = await startEmbeddedEnsemble({ ...TEST_ENSEMBLE, servers: 1 });
  plain = await ZkSession.open({ connect: ensemble.connectString, sessionTimeoutMs: 10_000, credential: null, nodeAcl: 'open' });
});
after(async () => {
  plain?.close();
  await ensemble?.close();
  fs.rmSync(scratch, { recursive: true, force: true });
});

const open = (credential: Credential | null, connect = ensemble.connectString): Promise<ZkSession> =>
  ZkSession.open({ connect, sessionTimeoutMs: 10_000, credential, nodeAcl: credential ? 'creator' : 'open' });

/** Every node of the tree (ZooKeeper's own /zookeeper aside), with its data version: what a run may not touch. */
async function listTree(session: ZkSession, at = '/'): Promise<string[]> {
  const out: string[] = [];
  const children = await session.getChildren(at).catch((err) => (isZkError(err, ZNOAUTH) ? [] : Promise.reject(err)));
  for (const c of children.sort()) {
    const p = at === '/' ? `/${c}` : `${at}/${c}`;
    if (p === '/zookeeper') continue;
    const stat = await session.exists(p);
    out.push(`${p} v${stat?.version} c${stat?.cversion}`);
    out.push(...(await listTree(session, p)));
  }
  return out;
}

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

function dirs(name: string): { results: string; state: string } {
  const results = path.join(scratch, name, 'results');
  const state = path.join(scratch, name, 'state');
  fs.mkdirSync(state, { recursive: true });
  return { results, state };
}

function authFile(name: string, line: string): string {
  const file = path.join(scratch, `${name}.auth`);
  fs.writeFileSync(file, `${line}\n`, { mode: 0o600 });
  return file;
}

const LOCK = ['--workload', 'lock-contention', '--recipes', 'predecessor', '--clients', '4', '--duration-s', '1', '--warmup-s', '0', '--workers', '1'];
const WATCH = ['--workload', 'watch-fanout', '--recipes', 'data-watch', '--watchers', '5', '--clients', '5', '--duration-s', '1', '--warmup-s', '0', '--workers', '1'];

describe('credentials, ACLs and a chroot on a real ensemble', { concurrency: 1 }, () => {
  it('runs lock-contention and watch-fanout under a chroot as a digest identity: creator ACLs, nothing outside the chroot, the secret nowhere', async () => {
    await plain.create('/tenant-a');
    await plain.create('/outside', 'untouched');
    const before = await listTree(plain);
    const file = authFile('owner', `digest:bench:${SECRET}`);
    // lock-contention with the secret in a file; watch-fanout with it on the command line (accepted, with a warning).
    for (const [name, args, auth, source] of [
      ['lock', LOCK, ['--auth-file', file], `--auth-file ${file}`],
      ['watch', WATCH, ['--auth', `digest:bench:${SECRET}`], '--auth (command line)'],
    ] as const) {
      const { results, state } = dirs(`chroot-${name}`);
      const run = startCli(['bench', ...args, '--connect', `${ensemble.connectString}/tenant-a`, ...auth, '--results-dir', results], state);
      const code = await exitOf(run);
      assert.equal(code, 0, run.stderr);
      const runDir = run.stdout.trim().split('\n').at(-1)!;
      const json = JSON.parse(fs.readFileSync(path.join(runDir, 'run.json'), 'utf8'));
      assert.deepEqual(json.access, { identity: 'digest user "bench"', credentialSource: source, acl: 'creator', chroot: '/tenant-a' });
      if (name === 'watch') {
        assert.match(run.stderr, /warning: --auth puts the secret on the command line.*--auth-file/);
        assert.ok(json.argv.includes('***'));
      }
      assert.equal(json.ensemble.connectString, `${ensemble.connectString}/tenant-a`);
      assert.ok(json.recipes[0].operations > 0 || json.recipes[0].notifications > 0 || json.recipes.length === 1, 'a recipe was measured');
      // The secret: not in any file of the run directory, not in what the command printed.
      const leaks = filesUnder(runDir).filter((f) => fs.readFileSync(f).includes(SECRET));
      assert.deepEqual(leaks, []);
      assert.ok(!run.stdout.includes(SECRET) && !run.stderr.includes(SECRET), 'the secret was printed');
    }
    // Outside the chroot nothing changed (the chroot node's own child count moved: the runs' namespaces came and went inside it).
    const outside = (tree: string[]): string[] => tree.map((l) => l.replace(/^(\/tenant-a) v0 c\d+$/, '$1 v0'));
    const afterRuns = await listTree(plain);
    assert.deepEqual(outside(afterRuns), outside(before));
    assert.ok(before.includes('/outside v0 c0') && before.some((l) => l.startsWith('/tenant-a ')));
    assert.deepEqual(await plain.getChildren('/tenant-a'), []);
    await plain.delete('/outside');
    await plain.delete('/tenant-a');
  });

  it("refuses a foreign session the coordinator's mailbox and plan (creator ACL)", async () => {
    const coordinator = await open(OWNER);
    const foreign = await open(FOREIGN);
    const anonymous = await open(null);
    try {
      const run = '/acl-test/runs/r1';
      await ensurePath(coordinator, `${run}/to/w1`);
      await ensurePath(coordinator, `${run}/chunks`);
      await new MailboxWriter(coordinator, `${run}/to/w1`, `${run}/chunks`).send({ type: 'prepare', plan: 'the plan' });
      const [message] = await coordinator.getChildren(`${run}/to/w1`);
      assert.ok(message);
      assert.deepEqual(await coordinator.getAcl(`${run}/to/w1/${message}`), [{ perms: 31, scheme: 'digest', auth: digestId(OWNER.user, OWNER.password) }]);
      for (const s of [foreign, anonymous]) {
        await assert.rejects(s.create(`${run}/to/w1/m-`, 'forged'), (e) => isZkError(e, ZNOAUTH));
        await assert.rejects(s.set(`${run}/to/w1/${message}`, 'forged'), (e) => isZkError(e, ZNOAUTH));
        await assert.rejects(s.get(`${run}/to/w1/${message}`), (e) => isZkError(e, ZNOAUTH));
        await assert.rejects(s.delete(`${run}/to/w1/${message}`), (e) => isZkError(e, ZNOAUTH));
        await assert.rejects(s.create(`${run}/forged`), (e) => isZkError(e, ZNOAUTH));
      }
      // A recipe's own node (created inside a measured window, as a lock contender's) carries the ACL in its
      // create request: one request, never open (binding patch level 6, a_create_acl).
      await ensurePath(coordinator, `${run}/lock`);
      const before = coordinator.counters.requests.create;
      const contender = await coordinator.create(`${run}/lock/c-`, '', ZOO_EPHEMERAL_SEQUENTIAL);
      assert.equal((coordinator.counters.requests.create) - before, 1);
      assert.deepEqual(await coordinator.getAcl(contender), [{ perms: 31, scheme: 'digest', auth: digestId(OWNER.user, OWNER.password) }]);
      for (const s of [foreign, anonymous]) {
        await assert.rejects(s.set(contender, 'forged'), (e) => isZkError(e, ZNOAUTH));
        await assert.rejects(s.get(contender), (e) => isZkError(e, ZNOAUTH));
      }
      // The same identity (a remote worker with the coordinator's credential) reads it.
      const worker = await open(OWNER);
      assert.ok((await worker.get(`${run}/to/w1/${message}`)).data.length > 0);
      worker.close();
      await deleteTree(coordinator, '/acl-test');
    } finally {
      coordinator.close();
      foreign.close();
      anonymous.close();
    }
  });

  it('an ACL that refuses the run, a wrong password, a missing chroot: exit 3; --acl creator without credentials: exit 2: clear errors, nothing written', async () => {
    const owner = await open(OWNER);
    try {
      await owner.create('/zkbench'); // creator-only: the owner's digest identity
      await owner.create('/zkbench/kept'); // not empty: a refused run's tidy-up cannot remove it
      const cases: { name: string; args: string[]; code: number; text: RegExp }[] = [
        {
          name: 'wrong-password',
          args: ['--auth-file', authFile('wrong', 'digest:bench:not-the-password')],
          code: 3,
          text: /ACL denied: digest user "bench" may not create \/zkbench\/.*If its ACL names user "bench", the password is wrong.*Fix:/,
        },
        { name: 'anonymous', args: [], code: 3, text: /ACL denied: no credentials \(world:anyone\) may not create \/zkbench\/.*--auth-file/ },
        { name: 'creator-without-auth', args: ['--acl', 'creator'], code: 2, text: /--acl creator: a creator-only ACL needs an identity/ },
      ];
      for (const c of cases) {
        const { results, state } = dirs(c.name);
        const run = startCli(['bench', ...LOCK, '--connect', ensemble.connectString, ...c.args, '--results-dir', results], state);
        assert.equal(await exitOf(run), c.code, `${c.name}: ${run.stderr}`);
        assert.match(run.stderr, c.text, c.name);
        assert.ok(!run.stderr.includes(SECRET) && !run.stderr.includes('not-the-password'), `${c.name}: a secret was printed`);
        assert.ok(!fs.existsSync(results) || fs.readdirSync(results).length === 0, `${c.name}: something was written`);
      }
      assert.deepEqual(await owner.getChildren('/zkbench'), ['kept'], 'a refused run left nodes behind');
    } finally {
      await deleteTree(owner, '/zkbench').finally(() => owner.close());
    }
    const { results, state } = dirs('no-chroot');
    const run = startCli(['bench', ...LOCK, '--connect', `${ensemble.connectString}/not-there`, '--results-dir', results], state);
    assert.equal(await exitOf(run), 3, run.stderr);
    assert.match(run.stderr, /the chroot \/not-there of --connect does not exist on the ensemble.*create it first/);
    assert.equal(await plain.exists('/not-there'), null);
  });

  it('reaches the server by an IPv6 literal ([::1]) and a DNS name (localhost), sessions and four-letter words alike, with a chroot', async () => {
    // The embedded server listens on 127.0.0.2 only: a plain TCP forwarder on ::1 and on 127.0.0.1 gives it those addresses.
    const [target] = parseConnectString(ensemble.connectString);
    const forwarders: net.Server[] = [];
    const sockets = new Set<net.Socket>();
    const forward = (host: string): Promise<number> =>
      new Promise((resolve, reject) => {
        const server = net.createServer((client) => {
          const upstream = net.connect({ host: target!.host, port: target!.clientPort });
          for (const s of [client, upstream]) {
            sockets.add(s);
            s.on('error', () => undefined);
            s.once('close', () => sockets.delete(s));
          }
          client.pipe(upstream).pipe(client);
        });
        forwarders.push(server);
        server.once('error', reject);
        server.listen(0, host, () => resolve((server.address() as net.AddressInfo).port));
      });
    try {
      const v6 = await forward('::1');
      const v4 = await forward('127.0.0.1');
      await plain.create('/tenant-v6');
      for (const connect of [`[::1]:${v6}/tenant-v6`, `localhost:${v4}/tenant-v6`]) {
        const [server] = parseConnectString(connect);
        const status = await askStatus(server!);
        assert.ok('srvr' in status && status.srvr.mode === 'standalone', `srvr through ${connect}`);
        const session = await open(OWNER, connect);
        try {
          await ensurePath(session, '/zkbench/probe');
          assert.deepEqual(await session.getAcl('/zkbench/probe'), [{ perms: 31, scheme: 'digest', auth: digestId(OWNER.user, OWNER.password) }]);
          await deleteTree(session, '/zkbench');
        } finally {
          session.close();
        }
      }
      assert.deepEqual(await plain.getChildren('/tenant-v6'), []);
      const { results, state } = dirs('ipv6');
      const run = startCli(['bench', ...LOCK, '--connect', `[::1]:${v6}/tenant-v6`, '--results-dir', results], state);
      assert.equal(await exitOf(run), 0, run.stderr);
      const json = JSON.parse(fs.readFileSync(path.join(run.stdout.trim().split('\n').at(-1)!, 'run.json'), 'utf8'));
      assert.equal(json.ensemble.connectString, `[::1]:${v6}/tenant-v6`);
      assert.equal(json.ensemble.leaderId, 1);
      await plain.delete('/tenant-v6');
    } finally {
      for (const s of sockets) s.destroy();
      for (const f of forwarders) f.close();
    }
  });
  it('remote workers authenticate from their own credential file, under the chroot: the run completes with creator ACLs, the secret nowhere', async () => {
    const { results, state } = dirs('remote');
    const file = authFile('remote', `digest:${OWNER.user}:${SECRET}`);
    await plain.create('/tenant-w');
    const connect = `${ensemble.connectString}/tenant-w`;
    const root = '/workers-auth';
    const workers = ['w0', 'w1'].map((name) => {
      const child = spawn(process.execPath, [ZKBENCH, 'worker', '--connect', connect, '--name', name, '--namespace', root, '--session-timeout-ms', '4000', '--auth-file', file], {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, ZKBENCH_STATE_DIR: state },
      });
      const w = { name, child, output: '' };
      child.stdout!.on('data', (d: Buffer) => (w.output += d.toString()));
      child.stderr!.on('data', (d: Buffer) => (w.output += d.toString()));
      return w;
    });
    try {
      for (const w of workers) {
        await within(`worker ${w.name} to register`, new Promise<void>((resolve, reject) => {
          const check = setInterval(() => {
            if (/registered/.test(w.output)) resolve();
            else if (w.child.exitCode !== null) reject(new Error(`worker ${w.name} exited: ${w.output}`));
            else return;
            clearInterval(check);
          }, 50);
        }), 60_000);
      }
      const run = startCli(
        ['bench', '--workload', 'lock-contention', '--recipes', 'predecessor', '--clients', '4', '--duration-s', '1', '--warmup-s', '0',
          '--connect', connect, '--remote-workers', '2', '--namespace', root, '--remote-wait-s', '60', '--auth-file', file, '--results-dir', results],
        state,
      );
      assert.equal(await exitOf(run), 0, run.stderr);
      const runDir = run.stdout.trim().split('\n').at(-1)!;
      const record = JSON.parse(fs.readFileSync(path.join(runDir, 'run.json'), 'utf8')) as { workers?: { name: string; state: string }[] };
      assert.deepEqual(record.workers?.map((w) => [w.name, w.state]).sort(), [['w0', 'ok'], ['w1', 'ok']]);
      // The workers' registrations are the coordinator identity's: a foreign session may not write there.
      const foreign = await open(FOREIGN, connect);
      try {
        await assert.rejects(foreign.create(`${root}/forged`), (e) => isZkError(e, ZNOAUTH));
      } finally {
        foreign.close();
      }
      for (const f of filesUnder(results)) assert.ok(!fs.readFileSync(f, 'utf8').includes(SECRET), `the secret is in ${f}`);
      for (const text of [run.stdout, run.stderr, ...workers.map((w) => w.output)]) assert.ok(!text.includes(SECRET), 'the secret is in the output');
    } finally {
      for (const w of workers) if (w.child.exitCode === null) w.child.kill('SIGTERM');
      await Promise.all(workers.map((w) => (w.child.exitCode !== null ? undefined : new Promise((r) => w.child.once('exit', r)))));
    }
  });
});
