// Who the run is on the ensemble and where its nodes go: its credential, the ACL its nodes carry, the
// chroot of --connect. Settled with the plan (a bad credential stops the run before anything starts);
// the namespace is then created under that identity, and a refusal says which ACL and what to do.
import { AUTH_ENV, AclDeniedError, AuthRefusedError, CredentialError, chooseCredential, chooseNodeAcl, identityOf, useCredential, type Credential, type NodeAclChoice } from '../zk/credentials.ts';
import { chrootOf } from '../zk/connect-string.ts';
import { ZNOAUTH, ZNONODE, ZOO_EPHEMERAL } from '../zk/binding.ts';
import { liveMarker } from '../zk/run-namespaces.ts';
import { isZkError } from '../zk/errors.ts';
import { saslSupported, type ZkSession } from '../zk/session.ts';
import { ensurePath } from '../zk/tree.ts';

export interface RunAccess {
  credential: Credential | undefined;
  /** Where the credential came from (a file's path, ZKBENCH_AUTH, --auth); never the secret. */
  source: string | undefined;
  acl: NodeAclChoice;
  chroot: string | undefined;
}

/** What run.json keeps of it: no secret. */
export interface AccessRecord {
  identity: string;
  credentialSource: string | undefined;
  acl: NodeAclChoice;
  chroot: string | undefined;
}

export class ChrootMissingError extends Error {
  override readonly name = 'ChrootMissingError';
}

export function resolveAccess(o: {
  authFile: string | undefined;
  acl: string | undefined;
  auth?: string | undefined;
  connect: string | undefined;
  /** The workload's recipes run by driver processes (Curator, kazoo): digest credentials only. */
  externalRecipes?: readonly string[];
}): RunAccess {
  const chosen = chooseCredential({ authFile: o.authFile, inline: o.auth });
  const credential = chosen?.credential;
  if (credential?.scheme === 'sasl' && (o.externalRecipes ?? []).length > 0) {
    throw new CredentialError(
      `${o.externalRecipes!.join(', ')}: the Curator and kazoo drivers authenticate with digest credentials only, not SASL; ` +
        'run them with a digest credential (digest:USER:PASSWORD), or run zkbench\'s own recipes over SASL',
    );
  }
  if (credential?.scheme === 'sasl' && !saslSupported()) {
    throw new AuthRefusedError(
      `${identityOf(credential)}: SASL needs zkbench's SASL-enabled build of the zookeeper addon, which this one is not; ` +
        'run `npm run setup` after updating zkbench, or use a digest credential (digest:USER:PASSWORD) if the ensemble does not require SASL',
    );
  }
  return { credential, source: chosen?.source, acl: chooseNodeAcl(o.acl, credential), chroot: o.connect ? chrootOf(o.connect) : undefined };
}

/** Every session this process opens from now on authenticates as the run and gives its nodes the run's ACL. */
export function applyAccess(a: RunAccess): void {
  useCredential(a.credential, a.acl);
}

export function accessRecord(a: RunAccess): AccessRecord {
  return { identity: identityOf(a.credential), credentialSource: a.source, acl: a.acl, chroot: a.chroot };
}

const parentOf = (path: string): string => path.slice(0, path.lastIndexOf('/')) || '/';

/**
 * Create the run's namespace (exclusive) as the run's identity. A chroot that does not exist is refused
 * (zkbench creates nothing outside it); an ACL that refuses the identity is named, with the fix.
 */
export async function createNamespace(admin: ZkSession, namespace: string, access: RunAccess): Promise<void> {
  if (access.chroot !== undefined && (await admin.exists('/')) === null) {
    throw new ChrootMissingError(
      `the chroot ${access.chroot} of --connect does not exist on the ensemble, and zkbench creates nothing outside it: ` +
        `create it first (e.g. \`zkCli.sh -server HOST:PORT create ${access.chroot}\`), or drop it from --connect`,
    );
  }
  try {
    // The run's .live marker first, ephemeral: `zkbench clean --connect` leaves a namespace alone while it exists.
    await ensurePath(admin, parentOf(namespace));
    await admin.create(liveMarker(namespace), '', ZOO_EPHEMERAL);
    await ensurePath(admin, namespace, { exclusive: true });
  } catch (err) {
    if (isZkError(err, ZNOAUTH)) throw aclDenied(err.path, access);
    if (isZkError(err, ZNONODE) && access.chroot !== undefined) {
      throw new ChrootMissingError(`${err.message}: the chroot ${access.chroot} went away while the run set up; create it again`);
    }
    throw err;
  }
}

function aclDenied(path: string, access: RunAccess): AclDeniedError {
  const parent = parentOf(path);
  const where = access.chroot ? `${parent} (under the chroot ${access.chroot})` : parent;
  const user = access.credential?.user;
  // The node's ACL is not read back: getACL needs READ or ADMIN on it, and the binding crashes on a refused getACL.
  const wrongPassword = user !== undefined ? ` If its ACL names user "${user}", the password is wrong (a digest identity is the user and the password's hash).` : '';
  return new AclDeniedError(
    `ACL denied: ${identityOf(access.credential)} may not create ${path}: the ACL of ${where} does not grant it create (ZNOAUTH).${wrongPassword} ` +
      `Fix: run with the credential that ACL grants (--auth-file FILE holding digest:USER:PASSWORD, or ${AUTH_ENV}), ` +
      `have the node's owner grant this identity create (setAcl ${parent} ...), or remove ${parent} if it is a stale zkbench namespace.`,
  );
}
