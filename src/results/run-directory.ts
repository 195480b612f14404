// A run directory is never half-written and never overwritten: files go into a hidden staging directory
// next to it, which is renamed into place in one step once every file is complete.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ownerAlive, ownerOfTag, ownerTag, removeStale, type StaleDir } from '../process/run-owner.ts';

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
  // The owner's tag lets `zkbench clean` (and the next run) remove it when its run was killed mid-write.
  const staging = path.join(parent, `.${name}.partial-${ownerTag()}-${randomBytes(6).toString('hex')}`);
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

/** Staging directories in `parent` left by runs that are gone (killed with SIGKILL while writing, or during a suite or repeat set); one of a live run, or of unknown owner, is never listed. */
export function staleStagingDirs(parent: string): StaleDir[] {
  let names: string[];
  try {
    names = fs.readdirSync(parent).filter((n) => n.startsWith('.') && n.includes('.partial-'));
  } catch {
    return [];
  }
  const out: StaleDir[] = [];
  for (const name of names) {
    const owner = ownerOfTag(name.slice(name.lastIndexOf('.partial-') + '.partial'.length));
    if (owner && !ownerAlive(owner)) out.push({ dir: path.join(parent, name), why: `a run directory never completed: its run (pid ${owner.pid}) is gone` });
  }
  return out;
}

/** Removes stale staging directories (staleStagingDirs), naming each through `log`; returns what it removed. */
export function sweepStaleStagingDirs(parent: string, log: (line: string) => void): StaleDir[] {
  return removeStale(staleStagingDirs(parent), 'unfinished run directory', log);
}
