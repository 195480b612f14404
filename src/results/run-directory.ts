// A run directory is never half-written and never overwritten: files go into a hidden staging directory
// next to it, which is renamed into place in one step once every file is complete.
import fs from 'node:fs';
import path from 'node:path';

/** results/<UTC timestamp>-<workload>, e.g. 20261122T061530Z-lock-contention. */
export function runId(workloadName: string, at: Date): string {
  const stamp = at.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${stamp}-${workloadName.replace(/[^A-Za-z0-9._-]/g, '_')}`;
}

export function writeRunDirectory(parent: string, id: string, files: Record<string, string>): string {
  fs.mkdirSync(parent, { recursive: true });
  const staging = fs.mkdtempSync(path.join(parent, `.${id}.partial-`));
  try {
    for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(staging, name), content);
    let final = path.join(parent, id);
    for (let n = 2; fs.existsSync(final); n++) final = path.join(parent, `${id}-${n}`);
    fs.renameSync(staging, final);
    return final;
  } catch (err) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw err;
  }
}
