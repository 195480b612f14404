// Finding and reading workload files. YAML, because workload files are written and read by people:
// comments explain why a workload is shaped as it is, which JSON cannot carry.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { didYouMean } from './nearest-name.ts';
import { validateWorkload, WorkloadError } from './validate.ts';
import type { Workload } from './schema.ts';
import type { WorkloadVocabulary } from './vocabulary.ts';

export const WORKLOADS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../workloads');

/** A bare name (lock-contention) is looked up in workloads/; anything with a slash or extension is a path. */
export function resolveWorkloadPath(nameOrPath: string): string {
  if (/[\\/]/.test(nameOrPath) || /\.ya?ml$/.test(nameOrPath)) return path.resolve(nameOrPath);
  return path.join(WORKLOADS_DIR, `${nameOrPath}.yaml`);
}

/**
 * The parsed YAML of a workload or suite file; `what` names the kind in messages, `known` lists the
 * names a user could have meant when the file does not exist.
 */
export function readYamlFile(file: string, what: string, name: string, known: () => string[]): unknown {
  if (!existsSync(file)) {
    const names = known();
    throw new WorkloadError(`${what} "${name}" not found${didYouMean(name, names)} (${file}); known ${what}s: ${names.join(', ') || 'none'}`);
  }
  try {
    return parse(readFileSync(file, 'utf8'), { uniqueKeys: true });
  } catch (err) {
    throw new WorkloadError(`${file}: not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
}

export function loadWorkload(vocabulary: WorkloadVocabulary, nameOrPath: string, overrides: Record<string, unknown> = {}): { workload: Workload; file: string } {
  const file = resolveWorkloadPath(nameOrPath);
  const raw = readYamlFile(file, 'workload', nameOrPath, () => listWorkloadFiles().map((f) => path.basename(f, '.yaml')));
  return { workload: validateWorkload(vocabulary, file, raw, overrides), file };
}

function filesInWorkloadsDir(keep: (name: string) => boolean): string[] {
  if (!existsSync(WORKLOADS_DIR)) return [];
  return readdirSync(WORKLOADS_DIR)
    .filter(keep)
    .sort()
    .map((f) => path.join(WORKLOADS_DIR, f));
}

/** Workload files; suite files (*.suite.yaml) are listed by listSuiteFiles. */
export function listWorkloadFiles(): string[] {
  return filesInWorkloadsDir((f) => f.endsWith('.yaml') && !f.endsWith('.suite.yaml'));
}

export function listSuiteFiles(): string[] {
  return filesInWorkloadsDir((f) => f.endsWith('.suite.yaml'));
}
