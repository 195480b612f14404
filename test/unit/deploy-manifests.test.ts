// The deployment files (deploy/k8s/, docker-compose.yml, Dockerfile) checked offline: every Kubernetes
// manifest against the Kubernetes API schema and the compose file against the Compose Specification
// (test/helpers/deploy-schemas.ts), then the invariants a distributed run depends on, which no schema
// knows: server ids from the pod ordinal, no client limit, four-letter words allowed, as many workers
// as the coordinator waits for, one image, and a Dockerfile whose COPY sources exist.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { gcLogFileOf } from '../../src/ensemble/compose/project.ts';
import { ZKBENCH_APP } from '../helpers/docker.ts';
import { composeSchemaErrors, kubernetesSchemaErrors, readYaml, readYamlDocuments } from '../helpers/deploy-schemas.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const K8S_DIR = path.join(ROOT, 'deploy/k8s');

// Loosely typed views of the manifests: the schema test has checked their shapes.
interface EnvVar { name: string; value?: string; valueFrom?: { fieldRef?: { fieldPath: string }; configMapKeyRef?: { name: string; key: string } } }
interface Container { name: string; image: string; command?: string[]; args?: string[]; env?: EnvVar[]; ports?: { containerPort: number; name?: string }[]; volumeMounts?: { name: string; mountPath: string }[]; readinessProbe?: { exec?: { command: string[] } }; livenessProbe?: { exec?: { command: string[] } } }
interface PodSpec { containers: Container[]; initContainers?: Container[]; restartPolicy?: string; volumes?: { name: string; persistentVolumeClaim?: { claimName: string } }[] }
interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  spec?: Record<string, unknown> & { template?: { metadata?: { labels?: Record<string, string> }; spec: PodSpec } };
  data?: Record<string, string>;
}

const manifestFiles = fs.readdirSync(K8S_DIR).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml');
const manifests = manifestFiles.flatMap((f) => readYamlDocuments(path.join(K8S_DIR, f)).map((doc) => ({ file: f, doc: doc as Manifest })));

function find(kind: string, name: string): Manifest {
  const m = manifests.find((x) => x.doc.kind === kind && x.doc.metadata.name === name);
  assert.ok(m, `deploy/k8s has no ${kind} ${name}`);
  return m.doc;
}
const podSpec = (m: Manifest): PodSpec => m.spec!.template!.spec;
const envOf = (c: Container, name: string): EnvVar | undefined => c.env?.find((e) => e.name === name);
/** The value following `flag` in an argument list. */
const flagValue = (args: readonly string[], flag: string): string | undefined => {
  const i = args.indexOf(flag);
  return i < 0 ? undefined : args[i + 1];
};

const statefulSet = find('StatefulSet', 'zk');
const zkContainer = podSpec(statefulSet).containers.find((c) => c.name === 'zookeeper')!;
const workerJob = find('Job', 'zkbench-worker');
const coordinatorJob = find('Job', 'zkbench-coordinator');
const worker = podSpec(workerJob).containers[0]!;
const coordinator = podSpec(coordinatorJob).containers[0]!;

/**
 * Runs the ZooKeeper container's command as the pod would, with `hostname` as HOSTNAME, but with the
 * image's entrypoint replaced by a script printing the id it was given and its arguments.
 */
function runZkCommand(hostname: string): { status: number | null; stdout: string; stderr: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zkbench-zk-entrypoint-'));
  try {
    const entrypoint = path.join(dir, 'entrypoint.sh');
    fs.writeFileSync(entrypoint, '#!/bin/sh\necho "ZOO_MY_ID=$ZOO_MY_ID args=$*"\n', { mode: 0o755 });
    const [cmd, ...rest] = [...zkContainer.command!, ...(zkContainer.args ?? [])].map((a) => a.replaceAll('/docker-entrypoint.sh', entrypoint));
    // HOME and stdin kept from this machine's shell start-up files (bash reads ~/.bashrc in some set-ups).
    const env = { PATH: process.env.PATH, HOME: dir, HOSTNAME: hostname };
    const r = spawnSync(cmd!, rest, { encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'pipe'] });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Problems with where a ZooKeeper container's server id comes from (seed 003 took metadata.uid). */
function serverIdProblems(c: Container): string[] {
  const problems: string[] = [];
  for (const e of c.env ?? []) {
    if (e.valueFrom?.fieldRef?.fieldPath === 'metadata.uid') problems.push(`env ${e.name} comes from metadata.uid, which is neither 1..255 nor stable`);
  }
  if (envOf(c, 'ZOO_MY_ID') !== undefined) problems.push('ZOO_MY_ID is set in env: it must be derived from the pod ordinal by the command');
  if (!(c.command ?? []).join(' ').includes('${HOSTNAME##*-}')) problems.push('the command does not derive ZOO_MY_ID from the ordinal in HOSTNAME');
  return problems;
}

describe('Kubernetes manifests', () => {
  for (const { file, doc } of manifests) {
    test(`${file}: ${doc.kind} ${doc.metadata?.name} is valid against the Kubernetes API schema`, () => {
      assert.deepEqual(kubernetesSchemaErrors(doc), []);
    });
  }

  test('the schema check can fail: wrong types, unknown fields and unknown kinds are reported', () => {
    const broken = structuredClone(workerJob) as Manifest & { spec: Record<string, unknown> };
    broken.spec['parallelism'] = 'three';
    assert.match(kubernetesSchemaErrors(broken).join('\n'), /parallelism must be integer/);
    const misspelt = structuredClone(workerJob) as Manifest & { spec: Record<string, unknown> };
    misspelt.spec['completionMod'] = 'Indexed';
    assert.deepEqual(kubernetesSchemaErrors(misspelt), ['/spec/completionMod: field not in the Job schema']);
    assert.match(kubernetesSchemaErrors({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' } }).join(), /not one this test validates/);
  });

  test('kustomization.yaml lists every manifest but the results reader, which is applied after a run', () => {
    const k = readYaml(path.join(K8S_DIR, 'kustomization.yaml')) as { resources: string[] };
    assert.deepEqual([...k.resources].sort(), manifestFiles.filter((f) => f !== 'results-reader.yaml').sort());
  });

  test('the ensemble: a StatefulSet of 3 zookeeper:3.8 servers, a headless Service publishing unready pods, a PDB of 1', () => {
    const spec = statefulSet.spec as { replicas: number; serviceName: string; podManagementPolicy?: string; selector: { matchLabels: Record<string, string> } };
    assert.equal(spec.replicas, 3);
    assert.equal(zkContainer.image, 'zookeeper:3.8');
    // A server is ready only in a quorum: OrderedReady would never start the second one.
    assert.equal(spec.podManagementPolicy, 'Parallel');
    const headless = find('Service', spec.serviceName).spec as { clusterIP?: string; publishNotReadyAddresses?: boolean; selector: Record<string, string> };
    assert.equal(headless.clusterIP, 'None');
    assert.equal(headless.publishNotReadyAddresses, true, 'peers must resolve before they are ready');
    assert.deepEqual(headless.selector, spec.selector.matchLabels);
    const pdb = manifests.find((m) => m.doc.kind === 'PodDisruptionBudget')!.doc.spec as { maxUnavailable: number; selector: { matchLabels: Record<string, string> } };
    assert.equal(pdb.maxUnavailable, 1);
    assert.deepEqual(pdb.selector.matchLabels, spec.selector.matchLabels);
    assert.deepEqual(statefulSet.spec!.template!.metadata!.labels, spec.selector.matchLabels);
  });

  test('ZOO_MY_ID is derived from the pod ordinal (ordinal + 1), never from metadata.uid', () => {
    assert.deepEqual(serverIdProblems(zkContainer), []);
    const seed003 = { ...zkContainer, command: undefined, env: [{ name: 'ZOO_MY_ID', valueFrom: { fieldRef: { fieldPath: 'metadata.uid' } } }] };
    assert.equal(serverIdProblems(seed003).length, 3);

    assert.deepEqual(runZkCommand('zk-0'), { status: 0, stdout: 'ZOO_MY_ID=1 args=zkServer.sh start-foreground\n', stderr: '' });
    assert.equal(runZkCommand('zk-2').stdout, 'ZOO_MY_ID=3 args=zkServer.sh start-foreground\n');
    const noOrdinal = runZkCommand('zookeeper');
    assert.notEqual(noOrdinal.status, 0);
    assert.match(noOrdinal.stderr, /cannot derive ZOO_MY_ID: hostname 'zookeeper'/);
    const tooLarge = runZkCommand('zk-255');
    assert.notEqual(tooLarge.status, 0);
    assert.match(tooLarge.stderr, /ZOO_MY_ID 256 .* above 255/);
  });

  test('ZOO_SERVERS names server.N as pod N-1 of the StatefulSet through the headless Service, on its ports', () => {
    const { replicas, serviceName } = statefulSet.spec as { replicas: number; serviceName: string };
    const port = (name: string): number | undefined => zkContainer.ports?.find((p) => p.name === name)?.containerPort;
    const expected = Array.from({ length: replicas }, (_, i) => `server.${i + 1}=${statefulSet.metadata.name}-${i}.${serviceName}:${port('quorum')}:${port('election')};${port('client')}`);
    assert.deepEqual(envOf(zkContainer, 'ZOO_SERVERS')?.value?.split(/\s+/), expected);
  });

  test('servers take any number of connections per client address and answer every four-letter word, which the probes use', () => {
    assert.equal(envOf(zkContainer, 'ZOO_MAX_CLIENT_CNXNS')?.value, '0');
    assert.equal(envOf(zkContainer, 'ZOO_4LW_COMMANDS_WHITELIST')?.value, '*');
    for (const probe of [zkContainer.readinessProbe, zkContainer.livenessProbe]) {
      assert.match(probe?.exec?.command.join(' ') ?? '', /echo (ruok|srvr) \| nc -w \d+ 127\.0\.0\.1 2181/);
    }
  });

  test('the worker Job is Indexed, parallelism = completions = the coordinator\'s --remote-workers, each worker named by its index', () => {
    const spec = workerJob.spec as { completionMode: string; parallelism: number; completions: number };
    assert.equal(spec.completionMode, 'Indexed');
    assert.equal(spec.parallelism, spec.completions);
    assert.equal(flagValue(coordinator.args!, '--remote-workers'), String(spec.parallelism));
    assert.equal(worker.args![0], 'worker');
    assert.match(flagValue(worker.args!, '--name') ?? '', /\$\(JOB_COMPLETION_INDEX\)/);
    assert.equal(podSpec(workerJob).restartPolicy, 'Never');
  });

  test('workers and coordinator connect to every server of the StatefulSet, from one ConfigMap', () => {
    const { replicas, serviceName } = statefulSet.spec as { replicas: number; serviceName: string };
    const servers = Array.from({ length: replicas }, (_, i) => `${statefulSet.metadata.name}-${i}.${serviceName}:2181`).join(',');
    for (const c of [worker, coordinator]) {
      assert.equal(flagValue(c.args!, '--connect'), '$(ZK_CONNECT)', c.name);
      const ref = envOf(c, 'ZK_CONNECT')?.valueFrom?.configMapKeyRef;
      assert.ok(ref, `${c.name}: ZK_CONNECT from a ConfigMap`);
      assert.equal(find('ConfigMap', ref.name).data?.[ref.key], servers);
    }
  });

  test('the coordinator runs a bench and writes it to a volume claimed by a PVC that the results reader mounts too', () => {
    assert.equal(coordinator.args![0], 'bench');
    assert.ok(flagValue(coordinator.args!, '--workload'));
    const resultsDir = flagValue(coordinator.args!, '--results-dir');
    const mount = coordinator.volumeMounts?.find((m) => m.mountPath === resultsDir);
    assert.ok(mount, `--results-dir ${resultsDir} is a volume mount`);
    const claim = podSpec(coordinatorJob).volumes?.find((v) => v.name === mount.name)?.persistentVolumeClaim?.claimName;
    assert.ok(claim);
    find('PersistentVolumeClaim', claim);
    const reader = find('Pod', 'zkbench-results').spec as unknown as PodSpec;
    assert.ok(reader.volumes?.some((v) => v.persistentVolumeClaim?.claimName === claim));
    assert.equal(podSpec(coordinatorJob).restartPolicy, 'Never');
  });

  test('one zkbench image for workers, coordinator and reader; one zookeeper image for servers and waits', () => {
    const reader = find('Pod', 'zkbench-results').spec as unknown as PodSpec;
    assert.deepEqual(new Set([worker.image, coordinator.image, reader.containers[0]!.image]), new Set(['zkbench:dev']));
    const waits = [workerJob, coordinatorJob].flatMap((j) => podSpec(j).initContainers ?? []);
    assert.ok(waits.length > 0);
    for (const c of waits) assert.equal(c.image, zkContainer.image, c.name);
  });
});

describe('docker-compose.yml', () => {
  const compose = readYaml(path.join(ROOT, 'docker-compose.yml')) as {
    services: Record<
      string,
      { image?: string; build?: string; profiles?: string[]; command?: string[]; environment?: Record<string, string>; deploy?: { replicas?: unknown }; ports?: string[] }
    >;
  };
  const { services } = compose;

  test('is valid against the Compose Specification schema', () => {
    assert.deepEqual(composeSchemaErrors(compose), []);
  });

  test('the schema check can fail: an unknown key and a wrong type are reported', () => {
    const broken = structuredClone(compose) as { services: Record<string, Record<string, unknown>> };
    broken.services['worker']!['replicas'] = 3;
    broken.services['coordinator']!['profiles'] = 'distributed';
    const errors = composeSchemaErrors(broken).join('\n');
    assert.match(errors, /\/services\/worker must NOT have additional properties/);
    assert.match(errors, /\/services\/coordinator\/profiles must be array/);
  });

  test('`docker compose up -d` starts only the ensemble; workers and coordinator share a profile', () => {
    const always = Object.keys(services).filter((s) => services[s]!.profiles === undefined);
    assert.deepEqual(always.sort(), ['zoo1', 'zoo2', 'zoo3']);
    assert.deepEqual(services['worker']!.profiles, services['coordinator']!.profiles);
    assert.ok(services['worker']!.profiles!.length > 0);
  });

  test('servers: fixed ids 1..3, one server list naming them, no client limit, every four-letter word', () => {
    const zoo = ['zoo1', 'zoo2', 'zoo3'].map((s) => services[s]!);
    // Fixed per service (seed 003's lesson): a recreated container keeps its server id.
    assert.deepEqual(zoo.map((s) => s.environment!['ZOO_MY_ID']), ['1', '2', '3']);
    // Users get the official image and ports on loopback unless they say otherwise (the compose test overrides both).
    assert.deepEqual(zoo.map((s) => s.ports), [1, 2, 3].map((i) => [`\${ZK_HOST_ADDRESS:-127.0.0.1}:\${ZK${i}_PORT:-218${i}}:2181`]));
    for (const s of zoo) {
      assert.equal(s.image, '${ZK_IMAGE:-zookeeper:3.8}');
      assert.equal(s.environment!['ZOO_SERVERS'], 'server.1=zoo1:2888:3888;2181 server.2=zoo2:2888:3888;2181 server.3=zoo3:2888:3888;2181');
      assert.equal(s.environment!['ZOO_MAX_CLIENT_CNXNS'], '0');
      assert.equal(s.environment!['ZOO_4LW_COMMANDS_WHITELIST'], '*');
      // A GC log zkbench can read with docker exec (--compose-project), with the times that place its pauses.
      assert.equal(gcLogFileOf(s.environment!['JVMFLAGS']), '/logs/gc.log');
    }
  });

  test('as many workers as the coordinator waits for, one image built from the Dockerfile, the same ensemble', () => {
    const w = services['worker']!;
    const c = services['coordinator']!;
    assert.equal(w.command![0], 'worker');
    assert.equal(c.command![0], 'bench');
    assert.equal(String(w.deploy?.replicas), flagValue(c.command!, '--remote-workers'));
    assert.equal(w.image, c.image);
    // Users get the image ./Dockerfile builds; ZKBENCH_IMAGE names another (the compose test's, docker/zkbench).
    assert.equal(w.image, '${ZKBENCH_IMAGE:-zkbench:dev}');
    assert.equal(w.build, '.');
    assert.ok(fs.existsSync(path.join(ROOT, w.build!, 'Dockerfile')));
    assert.equal(flagValue(w.command!, '--connect'), 'zoo1:2181,zoo2:2181,zoo3:2181');
    assert.equal(flagValue(c.command!, '--connect'), flagValue(w.command!, '--connect'));
  });
});

describe('Dockerfile', () => {
  const dockerfile = fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
  const ignored = fs
    .readFileSync(path.join(ROOT, '.dockerignore'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));

  test('node 20 on Debian bookworm, entrypoint node bin/zkbench.js, the addon checked to be the patched build', () => {
    const froms = [...dockerfile.matchAll(/^FROM (\S+)/gm)].map((m) => m[1]);
    assert.ok(froms.length > 0);
    for (const f of froms) assert.match(f!, /^node:20-bookworm/);
    assert.match(dockerfile, /^ENTRYPOINT \["node", "bin\/zkbench\.js"\]$/m);
    assert.match(dockerfile, /npm ci --omit=dev/);
    assert.match(dockerfile, /node deploy\/check-patched-addon\.mjs/);
  });

  test('every COPY source from the build context exists and is not excluded by .dockerignore', () => {
    const sources = [...dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((m) => m[1]!.trim().split(/\s+/));
    assert.ok(sources.length > 0);
    for (const src of sources) {
      assert.ok(fs.existsSync(path.join(ROOT, src)), `COPY ${src}: no such file in the repository`);
      const excluded = ignored.find((pattern) => src === pattern || src.startsWith(`${pattern}/`));
      assert.equal(excluded, undefined, `COPY ${src} is excluded by .dockerignore (${excluded})`);
    }
  });

  test('docker/zkbench/Dockerfile (the image without a registry) makes the same image: entrypoint, uid, /results, the addon checked', () => {
    const offline = fs.readFileSync(path.join(ROOT, 'docker/zkbench/Dockerfile'), 'utf8');
    for (const line of [/^ENTRYPOINT \["node", "bin\/zkbench\.js"\]$/m, /^RUN node deploy\/check-patched-addon\.mjs/m, /mkdir -p \/app\/results \/results/]) assert.match(offline, line);
    assert.match(dockerfile, /^USER node$/m); // uid 1000 in node:20-bookworm-slim
    assert.match(offline, /^USER 1000:1000$/m);
    // What the run stage copies from the repository is what the offline context's app/ holds.
    const runStage = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    const copied = [...runStage.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((m) => m[1]!.trim().split(/\s+/));
    for (const src of copied) assert.ok(ZKBENCH_APP.includes(src), `./Dockerfile copies ${src}; test/helpers/docker.ts's ZKBENCH_APP lacks it`);
  });

  test('check-patched-addon.mjs accepts the addon installed here (npm run setup builds the patched one)', () => {
    const r = spawnSync(process.execPath, ['deploy/check-patched-addon.mjs'], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /zkbench patch level \d+/);
  });
});
