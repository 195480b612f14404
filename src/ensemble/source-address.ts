// Each server zkbench starts has its own loopback address (127.0.0.2, 127.0.0.3, ...: all of 127/8 is
// loopback on Linux), listens there for clients and for the other servers, and, through a small
// preloaded library (source-address/bind-source.c), also connects from there. Then every packet between
// two servers carries both their addresses, and a fault can cut one server off by address pair
// (faults/nftables.ts). The library is compiled once per source into node_modules/.cache with the C
// compiler `npm run setup` makes sure of; without one the servers run as before and only isolation is
// refused.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isExecutableFile } from './installation.ts';

const SOURCE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'source-address', 'bind-source.c');
const CACHE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../node_modules/.cache/zkbench');

/** Server `id`'s own address: 127.0.0.1 stays for clients (and for anything else on the machine). */
export function serverAddress(id: number): string {
  if (!Number.isInteger(id) || id < 1 || id > 253) throw new Error(`server id ${id} has no loopback address (ids 1..253)`);
  return `127.0.0.${id + 1}`;
}

function findCompiler(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const dirs = (env.PATH ?? '').split(path.delimiter).filter((d) => d !== '');
  for (const name of ['cc', 'gcc', 'clang']) {
    const found = dirs.map((d) => path.join(d, name)).find(isExecutableFile);
    if (found) return found;
  }
  return undefined;
}

export type SourceBinding = { library: string } | { library: undefined; why: string };

let cached: SourceBinding | undefined;

/** The compiled library (compiling it on first use), or why there is none. Never throws. */
export function sourceBindingLibrary(): SourceBinding {
  if (cached) return cached;
  const hash = createHash('sha256').update(fs.readFileSync(SOURCE)).digest('hex').slice(0, 16);
  const library = path.join(CACHE_DIR, `bind-source-${hash}.so`);
  if (fs.existsSync(library)) return (cached = { library });
  const cc = findCompiler();
  if (!cc) return (cached = { library: undefined, why: 'no C compiler (cc) to build src/ensemble/source-address/bind-source.c; install gcc (`npm run setup` does)' });
  fs.mkdirSync(CACHE_DIR, { recursive: true });
  // Built aside and renamed into place, so a concurrent start never loads half a file.
  const staging = `${library}.${process.pid}.tmp`;
  const r = spawnSync(cc, ['-shared', '-fPIC', '-O2', '-o', staging, SOURCE, '-ldl'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    fs.rmSync(staging, { force: true });
    return (cached = { library: undefined, why: `compiling ${SOURCE} with ${cc} failed: ${(r.error?.message ?? r.stderr).trim()}` });
  }
  fs.renameSync(staging, library);
  return (cached = { library });
}

/** The environment of a server JVM that connects from `address` (unchanged when there is no library). */
export function sourceBindingEnv(address: string, base: NodeJS.ProcessEnv = process.env): { env: NodeJS.ProcessEnv; bound: boolean } {
  const binding = sourceBindingLibrary();
  if (binding.library === undefined) return { env: base, bound: false };
  const preload = [binding.library, ...(base.LD_PRELOAD ? [base.LD_PRELOAD] : [])].join(' ');
  return { env: { ...base, LD_PRELOAD: preload, ZKBENCH_SOURCE_ADDRESS: address }, bound: true };
}
