// The `docker` command line, as the compose fault controller uses it: one call, its stdout, and an
// error that names the command and what docker said (or how to get docker) when it fails.
import { execFile } from 'node:child_process';
import { SetupError } from '../installation.ts';

export interface DockerCallOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** `docker ...args`; resolves with stdout, rejects with DockerError (SetupError when docker is missing). */
export function dockerCli(args: readonly string[], opts: DockerCallOptions = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('docker', args, { timeout: opts.timeoutMs ?? 30_000, maxBuffer: 16 << 20, ...(opts.signal ? { signal: opts.signal } : {}) }, (err, stdout, stderr) => {
      if (!err) return resolve(stdout);
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        return reject(new SetupError('--compose-project: the `docker` command is not installed (Debian: apt-get install -y docker.io; `npm run setup` does it)'));
      }
      const said = stderr.trim() || err.message;
      const hint = /Cannot connect to the Docker daemon|docker daemon is not running/i.test(said) ? ' (is dockerd running? is DOCKER_HOST right?)' : '';
      reject(new DockerError(`docker ${args.join(' ')} failed: ${said}${hint}`));
    });
  });
}

export class DockerError extends Error {
  override name = 'DockerError';
}
