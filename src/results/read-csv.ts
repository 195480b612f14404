// Reading the result CSVs back (RFC 4180: quoted fields, doubled quotes, CRLF or LF). The files are
// small and written by csv-stringify, so a plain reader is enough and keeps the report dependency-free.

export class CsvError extends Error {
  override readonly name = 'CsvError';
}

/** Every record as an array of fields; a trailing newline does not make an empty record. */
export function parseCsvRecords(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  const endField = (): void => {
    record.push(field);
    field = '';
  };
  const endRecord = (): void => {
    endField();
    records.push(record);
    record = [];
  };
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else {
        field += c;
      }
      i++;
      continue;
    }
    if (c === '"' && field === '') quoted = true;
    else if (c === ',') endField();
    else if (c === '\n') endRecord();
    else if (c === '\r' && text[i + 1] === '\n') {
      endRecord();
      i++;
    } else field += c;
    i++;
  }
  if (quoted) throw new CsvError('unterminated quoted field');
  if (field !== '' || record.length > 0) endRecord();
  return records;
}

/**
 * Records as objects keyed by the header row. Every column in `required` must be in the header;
 * a record with fewer fields than the header gets '' for the missing ones, unless `wholeRows`: then every
 * row must have as many fields as the header (a file zkbench wrote whole does), and a short or long one is
 * an error naming it (a file cut off mid-write).
 */
export function parseCsv(text: string, required: readonly string[] = [], opts: { wholeRows?: boolean } = {}): Record<string, string>[] {
  const [header, ...rows] = parseCsvRecords(text.replace(/^\uFEFF/, ''));
  if (!header) throw new CsvError('empty file (no header row)');
  const missing = required.filter((c) => !header.includes(c));
  if (missing.length > 0) throw new CsvError(`missing column(s) ${missing.join(', ')} (header: ${header.join(',')})`);
  const kept = rows.filter((r) => !(r.length === 1 && r[0] === ''));
  const bad = opts.wholeRows ? kept.findIndex((r) => r.length !== header.length) : -1;
  if (bad >= 0) {
    throw new CsvError(`row ${rows.indexOf(kept[bad]!) + 2} has ${kept[bad]!.length} field(s), the header ${header.length}: the file is truncated or was not written whole`);
  }
  return kept.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ''])));
}

/** A numeric field: '' is undefined; 'Infinity' is Infinity; anything else not a number is undefined too. */
export function numberField(v: string | undefined): number | undefined {
  if (v === undefined || v.trim() === '') return undefined;
  const n = Number(v);
  return Number.isNaN(n) ? undefined : n;
}
