// A run directory is never half-written and never overwritten: files go into a hidden staging directory
// next to it, which is renamed into place in one step once every file is complete.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** A workload name made safe as a directory name (no separators, no leading dots). */
export function safeName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_');
}

/** results/<UTC timestamp>-<workload>, e.g. 20261122T061530Z-lock-contention. */
export function runId(workloadName: string, at: Date): string {
  const stamp = at.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${stamp}-${safeName(workloadName)}`;
}

export interface StagedDirectory {
  /** Where to write meanwhile. */
  readonly path: string;
  /** Move into place as parent/name (parent/name-2, ... if taken); returns the final path. */
  commit(): string;
  /** Remove everything written. */
  discard(): void;
}

export function stageDirectory(parent: string, name: string): StagedDirectory {
  fs.mkdirSync(parent, { recursive: true });
  // Not mkdtemp: it creates 0700 directories, and results are read like any other file the user writes
  // (mode 0777 less the umask, as mkdir gives them). The random suffix keeps concurrent runs apart.
  const staging = path.join(parent, `.${name}.partial-${randomBytes(6).toString('hex')}`);
  fs.mkdirSync(staging, { mode: 0o777 });
  return {
    path: staging,
    commit: () => {
      let final = path.join(parent, name);
      for (let n = 2; fs.existsSync(final); n++) final = path.join(parent, `${name}-${n}`);
      fs.renameSync(staging, final);
      return final;
    },
    discard: () => fs.rmSync(staging, { recursive: true, force: true }),
  };
}

export function writeRunDirectory(parent: string, name: string, files: Record<string, string>): string {
  const staged = stageDirectory(parent, name);
  try {
    for (const [file, content] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(staged.path, file)), { recursive: true }); // e.g. gc/server-1.log
      fs.writeFileSync(path.join(staged.path, file), content);
    }
    return staged.commit();
  } catch (err) {
    staged.discard();
    throw err;
  }
}
