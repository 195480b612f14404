// Who zkbench is on the ensemble: one credential per process, from --auth-file, ZKBENCH_AUTH, the command
// line (with a warning) or a workload's authFile, applied to every session the process opens (session.ts),
// and the ACL the nodes zkbench creates carry. The secret never leaves this module in text meant for
// people or files: identityOf() names the user only, redactSecret() blanks it out of anything else.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

export type Credential =
  | { scheme: 'digest'; user: string; password: string }
  | { scheme: 'sasl'; mechanism: 'DIGEST-MD5'; user: string; password: string };

/** Who may do what with the nodes zkbench creates: open (world:anyone, all) or creator (auth: the creating identity, all). */
export type NodeAclChoice = 'open' | 'creator';
export const NODE_ACL_CHOICES: readonly NodeAclChoice[] = ['open', 'creator'];

/** The environment variable a credential may come from (same form as an --auth-file line). */
export const AUTH_ENV = 'ZKBENCH_AUTH';

/** A credential that cannot be read or parsed, or a choice that cannot be made: nothing was started. */
export class CredentialError extends Error {
  override readonly name = 'CredentialError';
}

/** The ensemble (or the client) would not take the credential: the environment is not ready. */
export class AuthRefusedError extends Error {
  override readonly name = 'AuthRefusedError';
}

/** An ACL on the ensemble refuses this run's identity what zkbench needs to do. */
export class AclDeniedError extends Error {
  override readonly name = 'AclDeniedError';
}

const FORMS = '`digest:USER:PASSWORD` or `sasl:DIGEST-MD5:USER:PASSWORD`';

/**
 * One line `digest:USER:PASSWORD` or `sasl:DIGEST-MD5:USER:PASSWORD` (the password may hold colons; the
 * user may not). `source` names where it came from; no message ever quotes the line.
 */
export function parseCredential(text: string, source: string): Credential {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines.length !== 1) throw new CredentialError(`${source}: expected exactly one line, ${FORMS}; found ${lines.length}`);
  const line = lines[0]!.trim();
  const scheme = line.slice(0, line.indexOf(':') < 0 ? line.length : line.indexOf(':'));
  const rest = line.slice(scheme.length + 1);
  const userAndPassword = (s: string): { user: string; password: string } => {
    const i = s.indexOf(':');
    const user = i < 0 ? s : s.slice(0, i);
    const password = i < 0 ? '' : s.slice(i + 1);
    if (user === '' || i < 0) throw new CredentialError(`${source}: no user name; expected ${FORMS}`);
    if (password === '') throw new CredentialError(`${source}: empty password for user "${user}"; expected ${FORMS}`);
    return { user, password };
  };
  if (scheme === 'digest') return { scheme: 'digest', ...userAndPassword(rest) };
  if (scheme === 'sasl') {
    const i = rest.indexOf(':');
    const mechanism = i < 0 ? rest : rest.slice(0, i);
    if (mechanism !== 'DIGEST-MD5') {
      throw new CredentialError(`${source}: SASL mechanism "${mechanism}" is not supported (only DIGEST-MD5); expected ${FORMS}`);
    }
    return { scheme: 'sasl', mechanism: 'DIGEST-MD5', ...userAndPassword(rest.slice(i + 1)) };
  }
  throw new CredentialError(`${source}: unknown scheme "${scheme.slice(0, 20)}"; expected ${FORMS}`);
}

/** The line parseCredential reads back: how a credential reaches a child load process (its environment). */
export function formatCredential(c: Credential): string {
  return c.scheme === 'digest' ? `digest:${c.user}:${c.password}` : `sasl:${c.mechanism}:${c.user}:${c.password}`;
}

export function readAuthFile(path: string): Credential {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new CredentialError(`--auth-file ${path}: cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  return parseCredential(text, `auth file ${path}`);
}

export interface CredentialSources {
  /** --auth-file, or the workload's auth_file. */
  authFile?: string | undefined;
  /** --auth: the credential itself on the command line (warned about). */
  inline?: string | undefined;
  env?: NodeJS.ProcessEnv;
}

export interface ChosenCredential {
  credential: Credential;
  /** Where it came from, for the log: never the secret. */
  source: string;
  /** Said on stderr (a secret given on the command line). */
  warning?: string;
}

/** A file (--auth-file or the workload's auth_file), else --auth, else ZKBENCH_AUTH. */
export function chooseCredential(s: CredentialSources): ChosenCredential | undefined {
  if (s.authFile !== undefined && s.inline !== undefined) throw new CredentialError('give either --auth-file or --auth, not both');
  if (s.authFile !== undefined) return { credential: readAuthFile(s.authFile), source: `--auth-file ${s.authFile}` };
  if (s.inline !== undefined) {
    return {
      credential: parseCredential(s.inline, '--auth'),
      source: '--auth (command line)',
      warning:
        'warning: --auth puts the secret on the command line, where other users of this host can read it (ps, /proc, shell history); ' +
        `put it in a file readable only by you and give --auth-file FILE, or set ${AUTH_ENV}`,
    };
  }
  const env = (s.env ?? process.env)[AUTH_ENV];
  if (env !== undefined && env.trim() !== '') return { credential: parseCredential(env, AUTH_ENV), source: AUTH_ENV };
  return undefined;
}

/** The identity as people may see it: scheme and user, never the password. */
export function identityOf(c: Credential | undefined): string {
  if (!c) return 'no credentials (world:anyone)';
  return c.scheme === 'digest' ? `digest user "${c.user}"` : `SASL ${c.mechanism} user "${c.user}"`;
}

/** ZooKeeper's digest id for USER:PASSWORD, as an ACL names it: USER:base64(sha1(USER:PASSWORD)). */
export function digestId(user: string, password: string): string {
  return `${user}:${createHash('sha1').update(`${user}:${password}`).digest('base64')}`;
}

/** `text` with every occurrence of the secret (and of the whole credential line) replaced. */
export function redactSecret(text: string, c: Credential | undefined): string {
  if (!c) return text;
  let out = text.split(formatCredential(c)).join(`${c.scheme}:${c.user}:***`);
  out = out.split(c.password).join('***');
  return out;
}

// The credential every session of this process authenticates with: set once by the entry point (bench,
// worker, a load process), read by ZkSession.open. One per process, so no session can be forgotten.
let processCredential: Credential | undefined;
let processNodeAcl: NodeAclChoice = 'open';

export function useCredential(c: Credential | undefined, acl?: NodeAclChoice): void {
  processCredential = c;
  processNodeAcl = acl ?? (c ? 'creator' : 'open');
}

export function currentCredential(): Credential | undefined {
  return processCredential;
}

export function currentNodeAcl(): NodeAclChoice {
  return processNodeAcl;
}

/** The ACL choice for a run: creator needs an identity; the default follows whether there is one. */
export function chooseNodeAcl(given: string | undefined, c: Credential | undefined): NodeAclChoice {
  if (given === undefined) return c ? 'creator' : 'open';
  if (!(NODE_ACL_CHOICES as readonly string[]).includes(given)) {
    throw new CredentialError(`--acl "${given}": expected one of ${NODE_ACL_CHOICES.join(', ')}`);
  }
  if (given === 'creator' && !c) {
    throw new CredentialError(
      `--acl creator: a creator-only ACL needs an identity, and this run has no credentials; give --auth-file FILE (or ${AUTH_ENV}), or --acl open`,
    );
  }
  return given as NodeAclChoice;
}

/** A command line with the value of --auth blanked (run.json keeps the command line). */
export function redactArgv(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--auth' && i + 1 < argv.length) {
      out.push(a, '***');
      i++;
    } else out.push(a.startsWith('--auth=') ? '--auth=***' : a);
  }
  return out;
}

const ACL_ENV = 'ZKBENCH_NODE_ACL';

/** A child load process's environment: the parent's, with this process's credential and ACL choice. */
export function childAccessEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...env, [ACL_ENV]: processNodeAcl };
  if (processCredential) out[AUTH_ENV] = formatCredential(processCredential);
  else delete out[AUTH_ENV];
  return out;
}

/** In a child load process: take the identity its parent handed down (childAccessEnv). */
export function useInheritedAccess(env: NodeJS.ProcessEnv = process.env): void {
  const line = env[AUTH_ENV];
  const credential = line !== undefined && line.trim() !== '' ? parseCredential(line, AUTH_ENV) : undefined;
  const acl = env[ACL_ENV];
  useCredential(credential, acl === 'open' || acl === 'creator' ? acl : undefined);
}
