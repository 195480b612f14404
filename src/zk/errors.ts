// ZooKeeper errors with their numeric code. The binding reports failures as a bare rc (callbacks) or as
// Error("-110 node exists") (promises); the suite wants codes it can count and compare.
import { zkConstants } from './binding.ts';

const codeNames = new Map<number, string>();
for (const [name, value] of Object.entries(zkConstants)) {
  // Error codes are the Z* constants that are not ZOO_* flags/states/events or ZOOKEEPER_* interest bits.
  if (/^Z[A-Z]+$/.test(name) && !name.startsWith('ZOO') && name !== 'ZOK') codeNames.set(value, name);
}

// Codes of ZooKeeper 3.6+ servers the binding's constants do not name.
if (!codeNames.has(-124)) codeNames.set(-124, 'ZSESSIONCLOSEDREQUIRESASLAUTH');

/** "ZNODEEXISTS" for -110; "Z<code>" for a code the binding does not name. */
export function codeName(code: number): string {
  return codeNames.get(code) ?? `Z${code}`;
}

export class ZkError extends Error {
  override readonly name = 'ZkError';

  constructor(
    readonly code: number,
    readonly op: string,
    readonly path: string,
  ) {
    super(`${op} ${path}: ${codeName(code)} (${code})`);
  }

  get codeName(): string {
    return codeName(this.code);
  }
}

export function isZkError(err: unknown, code?: number): err is ZkError {
  return err instanceof ZkError && (code === undefined || err.code === code);
}
