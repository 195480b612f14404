// A JVM's heap use from `jstat -gc PID INTERVAL` (one header line, then one line per interval): the sum of
// the used survivor, eden and old spaces (S0U S1U EU OU, KiB). Pure: a header and a line in, MiB out;
// undefined for a line that is not a sample (a header repeated, "PID not found", a truncated line).

export function parseJstatGcHeader(line: string): string[] | undefined {
  const cols = line.trim().split(/\s+/);
  return ['S0U', 'S1U', 'EU', 'OU'].every((c) => cols.includes(c)) ? cols : undefined;
}

export function parseJstatGcHeapMiB(header: readonly string[], line: string): number | undefined {
  const cells = line.trim().split(/\s+/);
  if (cells.length !== header.length) return undefined;
  let kib = 0;
  for (const c of ['S0U', 'S1U', 'EU', 'OU']) {
    const v = Number(cells[header.indexOf(c)]);
    if (!Number.isFinite(v)) return undefined;
    kib += v;
  }
  return kib / 1024;
}
