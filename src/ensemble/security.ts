// Embedded ensembles that are locked down the way production ones are: TLS-only client ports (Netty,
// secureClientPort, a PKCS12 keystore made with keytool for this run) or SASL DIGEST-MD5 required of
// every session (a JAAS file with one user made for this run). Everything is written into the
// ensemble's own directory (removed with it), never into the source tree.
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { SetupError } from './installation.ts';

/** none: plaintext and open (the default); tls: clients only over TLS; sasl: every session must authenticate with SASL DIGEST-MD5. */
export type EnsembleSecurity = 'none' | 'tls' | 'sasl';
export const ENSEMBLE_SECURITY: readonly EnsembleSecurity[] = ['none', 'tls', 'sasl'];

/** What a client needs to reach a locked-down embedded ensemble. */
export interface ClientSecurity {
  /** TLS: the PEM file of the CA that signed the servers' certificate. */
  tls?: { ca: string };
  /** SASL: the ensemble's one user. */
  sasl?: { mechanism: 'DIGEST-MD5'; user: string; password: string };
}

/** The Netty jars Debian's ZooKeeper 3.8 needs for NettyServerCnxnFactory (Debian package libnetty-java). */
export const NETTY_JARS = [
  'netty-handler.jar',
  'netty-transport.jar',
  'netty-common.jar',
  'netty-buffer.jar',
  'netty-codec.jar',
  'netty-resolver.jar',
  'netty-transport-native-unix-common.jar',
  'netty-transport-native-epoll.jar',
];

const DEBIAN_JAVA_DIR = '/usr/share/java';

/** The netty jars for the server's class path: beside the server's own jars, else Debian's. Throws SetupError. */
export function nettyClasspath(serverClasspath: readonly string[]): string[] {
  if (serverClasspath.some((j) => /(^|\/)netty-(all|handler)[-.\w]*\.jar$/.test(j))) return []; // an Apache distribution's lib/ has them
  const missing = NETTY_JARS.filter((j) => !fs.existsSync(path.join(DEBIAN_JAVA_DIR, j)));
  if (missing.length > 0) {
    throw new SetupError(
      `a TLS-only embedded ensemble needs the Netty jars (${missing.join(', ')} missing from ${DEBIAN_JAVA_DIR}): ` +
        'install them (Debian: apt-get install -y libnetty-java, or `npm run setup`), or set ZOOKEEPER_HOME to an Apache ZooKeeper 3.8 distribution',
    );
  }
  return NETTY_JARS.map((j) => path.join(DEBIAN_JAVA_DIR, j));
}

export interface TlsMaterial {
  keystore: string;
  keystorePassword: string;
  /** PEM: the servers' (self-signed) certificate, which clients trust as their CA. */
  caFile: string;
}

/**
 * One key pair for every server of the ensemble, self-signed, naming each server's address, 127.0.0.1 and
 * localhost (`names` replaces those, for tests of a mismatched certificate). Two keytool runs.
 */
export function makeTlsMaterial(dir: string, java: string, serverHosts: readonly string[], names?: readonly string[]): TlsMaterial {
  const keytool = path.join(path.dirname(fs.realpathSync(java)), 'keytool');
  if (!fs.existsSync(keytool)) throw new SetupError(`keytool not found beside ${java}: a TLS embedded ensemble makes its keystore with it (install a JDK or JRE with keytool)`);
  const tlsDir = path.join(dir, 'tls');
  fs.mkdirSync(tlsDir, { recursive: true, mode: 0o700 });
  const keystore = path.join(tlsDir, 'servers.p12');
  const caFile = path.join(tlsDir, 'ca.pem');
  const keystorePassword = crypto.randomBytes(12).toString('hex');
  const san = (names ?? ['127.0.0.1', 'localhost', ...serverHosts]).map((n) => (/^[\d.]+$|:/.test(n) ? `ip:${n}` : `dns:${n}`));
  const run = (args: string[]): void => {
    const r = spawnSync(keytool, args, { encoding: 'utf8', timeout: 60_000 });
    if (r.status !== 0) throw new SetupError(`keytool ${args[0]} failed (exit ${r.status ?? r.signal}): ${(r.stderr || r.stdout).trim()}`);
  };
  run([
    '-genkeypair', '-alias', 'server', '-keyalg', 'EC', '-groupname', 'secp256r1', '-validity', '7',
    '-dname', 'CN=zkbench embedded ensemble', '-ext', `SAN=${[...new Set(san)].join(',')}`,
    '-storetype', 'PKCS12', '-keystore', keystore, '-storepass', keystorePassword, '-keypass', keystorePassword,
  ]);
  run(['-exportcert', '-rfc', '-alias', 'server', '-keystore', keystore, '-storetype', 'PKCS12', '-storepass', keystorePassword, '-file', caFile]);
  return { keystore, keystorePassword, caFile };
}

/** zoo.cfg lines of a TLS-only server: no plaintext client port at all. */
export function tlsServerConfig(tls: TlsMaterial, host: string, port: number): string[] {
  return [
    `secureClientPort=${port}`,
    `secureClientPortAddress=${host}`,
    'serverCnxnFactory=org.apache.zookeeper.server.NettyServerCnxnFactory',
    `ssl.keyStore.location=${tls.keystore}`,
    `ssl.keyStore.password=${tls.keystorePassword}`,
    'ssl.keyStore.type=PKCS12',
    'ssl.clientAuth=none',
  ];
}

export interface SaslMaterial {
  jaasFile: string;
  user: string;
  password: string;
}

/** A JAAS file with one DIGEST-MD5 user made for this ensemble. */
export function makeSaslMaterial(dir: string): SaslMaterial {
  const user = 'zkbench';
  const password = crypto.randomBytes(12).toString('hex');
  const jaasFile = path.join(dir, 'jaas.conf');
  fs.writeFileSync(jaasFile, `Server {\n  org.apache.zookeeper.server.auth.DigestLoginModule required\n  user_${user}="${password}";\n};\n`, { mode: 0o600 });
  return { jaasFile, user, password };
}

/** zoo.cfg lines of a server that refuses every session not authenticated with SASL. */
export function saslServerConfig(): string[] {
  return ['authProvider.1=org.apache.zookeeper.server.auth.SASLAuthenticationProvider', 'sessionRequireClientSASLAuth=true'];
}

export function saslJvmArgs(sasl: SaslMaterial): string[] {
  return [`-Djava.security.auth.login.config=${sasl.jaasFile}`];
}
