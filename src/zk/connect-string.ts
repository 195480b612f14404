// ZooKeeper connect strings: `host:port,host:port,...[/chroot]`, hosts as DNS names, IPv4 or bracketed IPv6
// literals ([::1]:2181). One parser for every place that reads one: the sessions take the whole string
// (the C client form, see toClientConnect), four-letter words and the AdminServer the servers alone.

export interface ServerAddress {
  /** A name or address, IPv6 without brackets. */
  host: string;
  port: number;
}

export interface ConnectString {
  servers: ServerAddress[];
  /** "/kafka" or undefined: every path of a session is under it. */
  chroot: string | undefined;
}

const DEFAULT_PORT = 2181;
const EXPECTED = 'expected host:port[,host:port...][/chroot], e.g. 127.0.0.1:2181,[::1]:2182/kafka';

export function parseConnect(connectString: string): ConnectString {
  const trimmed = connectString.trim();
  if (trimmed === '') throw new Error('empty ZooKeeper connect string; expected host:port[,host:port...]');
  const slash = trimmed.indexOf('/');
  const hostsPart = slash < 0 ? trimmed : trimmed.slice(0, slash);
  const chroot = slash < 0 ? undefined : normaliseChroot(trimmed.slice(slash), connectString);
  const servers = hostsPart.split(',').map((raw) => {
    const entry = raw.trim();
    const m = /^(?:\[([0-9a-fA-F:.]+(?:%[A-Za-z0-9._-]+)?)\]|([A-Za-z0-9._-]+))(?::(\d+))?$/.exec(entry);
    const host = m?.[1] ?? m?.[2];
    const port = m?.[3] === undefined ? DEFAULT_PORT : Number(m[3]);
    if (!m || host === undefined || !Number.isInteger(port) || port < 1 || port > 65535) {
      const bare = /^[0-9a-fA-F]*:[0-9a-fA-F:]*:[0-9a-fA-F:]*$/.test(entry) ? ' (an IPv6 address goes in brackets: [::1]:2181)' : '';
      throw new Error(`malformed server "${entry}" in ZooKeeper connect string "${connectString}"${bare}; ${EXPECTED}`);
    }
    return { host, port };
  });
  return { servers, chroot };
}

function normaliseChroot(path: string, connectString: string): string | undefined {
  const trimmed = path.replace(/\/+$/, '');
  if (trimmed === '') return undefined; // "/" is no chroot
  const parts = trimmed.split('/').slice(1);
  if (parts.some((p) => p === '' || p === '.' || p === '..' || /[\s,]/.test(p)) || parts[0] === 'zookeeper') {
    throw new Error(`chroot "${path}" in ZooKeeper connect string "${connectString}" is not a usable path (no empty, ".", "..", "zookeeper" or blank parts); ${EXPECTED}`);
  }
  return trimmed;
}

/** One server as people write it (and as zkbench passes it on): IPv6 in brackets. */
export function formatServer(s: ServerAddress): string {
  return `${s.host.includes(':') ? `[${s.host}]` : s.host}:${s.port}`;
}

export function formatConnect(servers: readonly ServerAddress[], chroot?: string): string {
  return servers.map(formatServer).join(',') + (chroot ?? '');
}

/** The chroot of a connect string, or undefined. */
export function chrootOf(connectString: string): string | undefined {
  return parseConnect(connectString).chroot;
}

/**
 * The string the ZooKeeper C client takes: it splits each server at its last colon and resolves what is
 * before it, so an IPv6 literal goes bare (::1:2181), and every server needs its port.
 */
export function toClientConnect(connectString: string): string {
  const { servers, chroot } = parseConnect(connectString);
  return servers.map((s) => `${s.host}:${s.port}`).join(',') + (chroot ?? '');
}
