// TLS and SASL for a session (binding patch level 5): what the caller gives, what the binding is told,
// and the error a refused handshake or authentication becomes. The error names the cause and the fix.
import { parseHosts } from './connect-hosts.ts';

/** TLS to the servers' client port (secureClientPort). Paths of PEM files. */
export interface TlsOptions {
  /** The CA that signed the servers' certificates; absent: the system's CAs. */
  ca?: string;
  /** A client certificate and its key, for servers that ask for one (ssl.clientAuth=need|want). */
  cert?: string;
  key?: string;
  /** Skip the check of the chain and of the server's name: anyone in the path can read and change the traffic. */
  insecure?: boolean;
}

/** SASL authentication of every connection of the session. */
export interface SaslOptions {
  mechanism: 'DIGEST-MD5';
  user: string;
  password: string;
}

/** A handshake or authentication the servers (or this client) refused: the environment, exit 3. */
export class SecurityError extends Error {
  override readonly name = 'SecurityError';
}

/** The binding's init() fields for TLS: the certificate must name the address connected to or one of the connect string's hosts. */
export function tlsInitOptions(connect: string, tls: TlsOptions): Record<string, unknown> {
  return {
    ...(tls.ca !== undefined ? { ca: tls.ca } : {}),
    ...(tls.cert !== undefined ? { cert: tls.cert } : {}),
    ...(tls.key !== undefined ? { key: tls.key } : {}),
    verify: tls.insecure !== true,
    verify_hosts: parseHosts(connect).join(','),
  };
}

export function saslInitOptions(sasl: SaslOptions): Record<string, unknown> {
  return { mechanism: sasl.mechanism, user: sasl.user, password: sasl.password };
}

/** The servers refused this client's certificate, or wanted one it did not give (ssl.clientAuth=need). */
const CLIENT_CERT_REFUSED = /alert (bad certificate|certificate required|unknown ca|certificate unknown)/i;

/** A handshake failure that every retry would meet again: a certificate refused by either side. */
export function isTlsRefusal(error: { message: string; verification: boolean }): boolean {
  return error.verification || CLIENT_CERT_REFUSED.test(error.message);
}

/** The error for a certificate refused (bad CA, name mismatch; or the client's, by the servers). */
export function tlsRefusedError(connect: string, message: string, tls: TlsOptions): SecurityError {
  const mismatch = /name mismatch|does not match certificate/i.test(message);
  const fix = CLIENT_CERT_REFUSED.test(message)
    ? tls.cert === undefined
      ? 'the servers ask for a client certificate (ssl.clientAuth=need): give one they trust with --tls-cert and its key with --tls-key (PEM)'
      : `the servers do not trust the client certificate ${tls.cert}: give one signed by a CA in their trust store (ssl.trustStore)`
    : mismatch
      ? `connect by a name or address the certificate carries (its subject alternative names), or have the server's certificate issued for ${parseHosts(connect).join(', ')}`
      : `give the CA that signed the servers' certificates with --tls-ca (PEM)${tls.ca !== undefined ? `; ${tls.ca} did not` : ''}`;
  const insecure = CLIENT_CERT_REFUSED.test(message) ? '' : ' (--tls-insecure skips these checks, for tests only.)';
  return new SecurityError(`TLS to ${connect}: ${message}. Fix: ${fix}.${insecure}`);
}

export function saslRefusedError(connect: string, sasl: SaslOptions): SecurityError {
  return new SecurityError(
    `SASL ${sasl.mechanism} authentication as "${sasl.user}" to ${connect} was refused (wrong user or password, or the server does not offer ${sasl.mechanism}). ` +
      'Fix: give the user and password the servers\' JAAS configuration holds (--auth-file, or ZKBENCH_AUTH=sasl:DIGEST-MD5:USER:PASSWORD).',
  );
}

/** A session the servers closed before it was ever connected, without SASL: what a SASL-requiring server does. */
export function saslMissingHint(connect: string): string {
  return `the servers at ${connect} closed the session before it was established; if they require SASL (zookeeper.sessionRequireClientSASLAuth=true), give credentials (--auth-file or ZKBENCH_AUTH=sasl:DIGEST-MD5:USER:PASSWORD)`;
}
