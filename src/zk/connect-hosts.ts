// The host names of a connect string ("h1:p1,[::1]:p2/chroot" -> ["h1", "::1"]), for checking a TLS certificate.
export function parseHosts(connect: string): string[] {
  const slash = connect.indexOf('/');
  const hosts = (slash >= 0 ? connect.slice(0, slash) : connect).split(',');
  return [
    ...new Set(
      hosts
        .map((h) => h.trim())
        .filter((h) => h !== '')
        .map((h) => {
          const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(h);
          if (bracketed) return bracketed[1]!;
          const colon = h.lastIndexOf(':');
          return colon > 0 && h.indexOf(':') === colon ? h.slice(0, colon) : h;
        }),
    ),
  ];
}
