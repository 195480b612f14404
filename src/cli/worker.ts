// `zkbench worker`: a load process for runs coordinated from another host (src/workers/remote/). It
// serves one run after another until Ctrl-C / SIGTERM, which deregisters it (a run it was serving counts
// it as lost).
import os from 'node:os';
import { killAllTrackedChildren } from '../process/child-guard.ts';
import { EXIT } from '../process/exit-codes.ts';
import type { TlsOptions } from '../zk/security.ts';

export interface WorkerArgs {
  connect: string;
  name: string | undefined;
  namespace: string;
  sessionTimeoutMs: number;
  saveResults: string | undefined;
  authFile?: string | undefined;
  auth?: string | undefined;
  acl?: string | undefined;
  /** --tls-ca, --tls-cert, --tls-key, --tls-insecure: this host's files (the coordinator's paths mean nothing here). */
  tls?: { ca?: string | undefined; cert?: string | undefined; key?: string | undefined; insecure?: boolean | undefined };
}

/** The worker's TLS settings, or undefined when it was given none. */
function workerTls(t: WorkerArgs['tls']): TlsOptions | undefined {
  if (!t || (t.ca === undefined && t.cert === undefined && t.key === undefined && !t.insecure)) return undefined;
  return {
    ...(t.ca !== undefined ? { ca: t.ca } : {}),
    ...(t.cert !== undefined ? { cert: t.cert } : {}),
    ...(t.key !== undefined ? { key: t.key } : {}),
    ...(t.insecure ? { insecure: true } : {}),
  };
}

export async function workerCommand(args: WorkerArgs): Promise<number> {
  const { assertPatchedBinding } = await import('../zk/binding.ts');
  assertPatchedBinding();
  // The worker authenticates as the coordinator does, from its own file or environment: credentials never travel through znodes.
  const { chooseCredential, chooseNodeAcl, useCredential, identityOf } = await import('../zk/credentials.ts');
  const chosen = chooseCredential({ authFile: args.authFile, inline: args.auth });
  if (chosen?.warning) process.stderr.write(`${chosen.warning}\n`);
  useCredential(chosen?.credential, chooseNodeAcl(args.acl, chosen?.credential));
  if (chosen) process.stderr.write(`authenticating as ${identityOf(chosen.credential)} (${chosen.source})\n`);
  const { serveAsWorker } = await import('../workers/remote/worker-side.ts');
  const { loadSides } = await import('../scenarios/registry.ts');
  const controller = new AbortController();
  let signals = 0;
  const onSignal = (sig: NodeJS.Signals): void => {
    if (++signals > 1) {
      killAllTrackedChildren();
      process.exit(sig === 'SIGTERM' ? EXIT.terminated : EXIT.interrupted);
    }
    process.stderr.write(`${sig}: leaving (press Ctrl-C again to force)\n`);
    controller.abort(sig);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const tls = workerTls(args.tls);
  if (tls?.insecure) process.stderr.write("WARNING: --tls-insecure: the servers' certificates are NOT checked (neither the CA chain nor the server name): use it for tests only; give --tls-ca instead.\n");
  await serveAsWorker({
    ...(tls ? { tls } : {}),
    connect: args.connect,
    name: args.name ?? `${os.hostname()}-${process.pid}`.replace(/[^A-Za-z0-9._-]/g, '_'),
    root: args.namespace,
    sessionTimeoutMs: args.sessionTimeoutMs,
    log: (line) => process.stderr.write(`${line}\n`),
    signal: controller.signal,
    saveResults: args.saveResults,
    loadSides,
  });
  return controller.signal.aborted ? (String(controller.signal.reason) === 'SIGTERM' ? EXIT.terminated : EXIT.interrupted) : EXIT.ok;
}
