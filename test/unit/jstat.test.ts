import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseJstatGcHeader, parseJstatGcHeapMiB } from '../../src/process/jstat.ts';

// As JDK 17's `jstat -gc PID 10000` prints.
const HEADER = '    S0C         S1C         S0U         S1U          EC           EU           OC           OU          MC         MU       CCSC      CCSU     YGC     YGCT     FGC    FGCT     CGC    CGCT       GCT   ';
const LINE = '        0.0     4096.0        0.0     4096.0     59392.0      8192.0     67584.0     20480.0    31616.0    30922.5    3712.0    3414.6      5     0.031     0      0.000     2      0.004     0.035';

test('heap used is survivors + eden + old, in MiB', () => {
  const h = parseJstatGcHeader(HEADER);
  assert.ok(h);
  assert.equal(parseJstatGcHeapMiB(h, LINE), (0 + 4096 + 8192 + 20480) / 1024);
});

test('what is not a sample is undefined, not 0', () => {
  const h = parseJstatGcHeader(HEADER)!;
  assert.equal(parseJstatGcHeader('12345 not found'), undefined);
  assert.equal(parseJstatGcHeapMiB(h, HEADER), undefined); // a header repeated
  assert.equal(parseJstatGcHeapMiB(h, '        0.0     4096.0'), undefined); // truncated
});
