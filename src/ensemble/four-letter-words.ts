// ZooKeeper's four-letter-word admin commands (srvr, conf, ruok, ...) over a plain TCP socket: the
// only way to learn a server's role and version without a client session.
import net from 'node:net';
import tls from 'node:tls';
import { tlsRefusedError } from '../zk/security.ts';

export type ServerMode = 'leader' | 'follower' | 'standalone' | 'observer';

export interface SrvrInfo {
  mode: ServerMode | undefined;
  version?: string;
  connections?: number;
  zxid?: string;
}

/** How to reach a server whose client port speaks only TLS (secureClientPort): its CA, and whether to check it. */
export interface TlsEndpoint {
  /** PEM of the CA that signed the server's certificate; absent: the system's CAs. */
  ca?: string;
  /** false: neither the chain nor the name is checked (--tls-insecure). */
  verify: boolean;
}

const tlsEndpoints = new Map<string, TlsEndpoint>();
const endpointKey = (host: string, port: number) => `${host}:${port}`;

/**
 * Four-letter words to host:port go over TLS from now on (a TLS-only server answers them on its secure
 * port); returns the function that forgets it. The ensemble that knows its servers speak TLS says so.
 */
export function speakTlsTo(host: string, port: number, endpoint: TlsEndpoint): () => void {
  const key = endpointKey(host, port);
  tlsEndpoints.set(key, endpoint);
  return () => {
    if (tlsEndpoints.get(key) === endpoint) tlsEndpoints.delete(key);
  };
}

/**
 * Send `word` to host:port and resolve with everything the server writes before closing.
 * Rejects with a readable Error on refusal, reset before any answer, or when `timeoutMs` passes.
 */
export function fourLetterWord(host: string, port: number, word: string, timeoutMs = 2000): Promise<string> {
  const where = `${host}:${port}`;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let settled = false;
    const secure = tlsEndpoints.get(endpointKey(host, port));
    const socket = secure
      ? tls.connect({ host, port, ...(secure.ca !== undefined ? { ca: secure.ca } : {}), rejectUnauthorized: secure.verify, ...(net.isIP(host) ? {} : { servername: host }) })
      : net.createConnection({ host, port });
    const finish = (err?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (err) reject(err);
      else resolve(Buffer.concat(chunks).toString('utf8'));
    };
    const timer = setTimeout(
      () => finish(new Error(`four-letter word '${word}' to ${where}: no answer within ${timeoutMs} ms`)),
      timeoutMs,
    );
    // write, not end: a half-close can make a server drop the connection before it answers
    socket.on(secure ? 'secureConnect' : 'connect', () => socket.write(word));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', () => finish());
    socket.on('close', () => finish());
    socket.on('error', (err: NodeJS.ErrnoException) => {
      // A server may reset right after answering; what arrived is still the answer.
      if (chunks.length > 0 && err.code === 'ECONNRESET') return finish();
      // A certificate refused (unknown CA, name mismatch): the same error a session would meet, with its fix.
      if (secure && /CERT|SIGNATURE/.test(err.code ?? '')) return finish(tlsRefusedError(where, `the server's certificate was refused: ${err.message}`, secure.ca !== undefined ? { ca: 'the CA given' } : {}));
      const why =
        err.code === 'ECONNREFUSED' ? 'connection refused (is a server listening there?)'
        : err.code === 'ENOTFOUND' ? 'host not found'
        : err.message;
      finish(new Error(`four-letter word '${word}' to ${where}: ${why}`));
    });
  });
}

const MODES: readonly string[] = ['leader', 'follower', 'standalone', 'observer'];

/** Parse a `srvr` answer. A server outside a quorum answers a sentence instead: mode is then undefined. */
export function parseSrvr(text: string): SrvrInfo {
  const info: SrvrInfo = { mode: undefined };
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const key = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    switch (key) {
      case 'mode':
        if (MODES.includes(value)) info.mode = value as ServerMode;
        break;
      case 'zookeeper version': {
        // "3.8.0-5a02a05e..., built on 2022-02-25 08:49 UTC" -> keep only the version part
        const comma = value.indexOf(',');
        // Debian's build leaves the git placeholder in: "3.8.0-${mvngit.commit.id}" -> "3.8.0"
        info.version = (comma >= 0 ? value.slice(0, comma) : value).replace(/-\$\{[^}]*\}$/, '').trim();
        break;
      }
      case 'connections': {
        const n = Number.parseInt(value, 10);
        if (Number.isFinite(n)) info.connections = n;
        break;
      }
      case 'zxid':
        info.zxid = value;
        break;
    }
  }
  return info;
}

/** Parse a `conf` answer (key=value lines) into a record; lines without '=' are skipped. */
export function parseConf(text: string): Record<string, string> {
  const conf: Record<string, string> = {};
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    conf[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return conf;
}
