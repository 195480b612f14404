// A checker for the text a run prints and records (notes, warnings, breach lines): every number that is a
// figure carries its unit ("606 ms", "12.3 acquisitions/s", "1.5x", "95%") or names what it counts
// ("3 of 20 sessions", "2 crash victim(s)"). Numbers that are not figures are let through: identifiers
// (`p99`, `unavailable.1`, `data-watch@1000`, `ZOOKEEPER-4537`, `server 3`, `pid 25701`, `host:2181`),
// versions (`3.8.0`), dates and times, fractions (`2/3`), and a rule's amount as its author wrote it
// (`errors==0`, `acquire.p99 > 50ms`). Quoted text is someone else's words and is skipped too.

/** Units a figure may carry (compared as written, then lower-cased). */
const UNITS = new Set([
  'ms', 'µs', 'us', 'ns', 's', 'sec', 'min', 'h', 'hour', 'hours', 'second', 'seconds', 'minute', 'minutes', 'day', 'days',
  'mib', 'kib', 'gib', 'mb', 'kb', 'gb', 'b', 'byte', 'bytes', '%', 'x', 'count', 'index', 'core', 'cores', 'flag',
]);

/** Nouns a count may name, singular (plurals, `(s)` and `(es)` are folded). */
const COUNTED = new Set([
  'acquisition', 'attempt', 'request', 'session', 'client', 'server', 'reader', 'writer', 'watcher', 'update', 'read', 'write',
  'process', 'candidate', 'failure', 'close', 'crash', 'pause', 'change', 'join', 'leave', 'victim', 'violation', 'overlap',
  'leader', 'list', 'pair', 'event', 'operation', 'op', 'poll', 'line', 'warning', 'sync', 'interval', 'stall', 'figure', 'rule',
  'gate', 'breach', 'run', 'observation', 'case', 'sample', 'hold', 'worker', 'node', 'fault', 'entry', 'election', 'term', 'view',
  'notification', 'retry', 'connection', 'loss', 'error', 'timeout', 'value', 'lock', 'member', 'thread', 'znode', 'watch',
  'delay', 'slot', 'start', 'send', 'item', 'increment', 'share', 'call', 'time', 'acquire', 'message', 'result', 'recipe',
  'setting', 'workload', 'repeat', 'point', 'step', 'round', 'member', 'child', 'children', 'record', 'file', 'test',
  // a gate's outcomes, counted under their title ("thresholds: 5 passed, 1 breach, 1 not measured")
  'passed', 'not', 'censored', 'optional',
]);

/** Words that end the search for a count's noun: "606 and", "12.3 while", "20 in". */
const STOP = new Set([
  'and', 'or', 'but', 'in', 'at', 'on', 'to', 'for', 'with', 'from', 'by', 'after', 'before', 'than', 'then', 'is', 'are', 'was',
  'were', 'be', 'been', 'the', 'a', 'an', 'it', 'its', 'this', 'that', 'these', 'those', 'them', 'they', 'while', 'when', 'where',
  'which', 'who', 'as', 'so', 'if', 'no', 'vs', 'above', 'below', 'over', 'under', 'into', 'per', 'up', 'within', 'each', 'all',
  'ended', 'dropped', 'left', 'failed', 'went', 'had', 'has', 'have', 'did', 'does', 'lost', 'is',
]);

/** Words before a number that make it a name: `server 3`, `candidate 1`, `pid 25701`, `ZooKeeper 3.9`. */
const NAMING = new Set([
  'server', 'servers', 'server(s)', 'client', 'clients', 'candidate', 'process', 'processes', 'pid', 'fault', 'faults', 'worker',
  'writer', 'reader', 'watcher', 'node', 'entry', 'line', 'zookeeper', 'version', 'term', 'error', 'errno', 'code', 'signal', 'port',
  'id', 'session', 'repeat', 'run', 'point', 'phase', 'stage', 'exit', 'column', 'row', 'step', 'round', 'member', 'recipe',
  'java', 'node.js', 'python', 'curator', 'kazoo', 'issue', 'rule', 'attempt', 'holder', 'victim', 'sid', 'myid', 'zxid',
]);

/** Between two numbers: the first takes the second's unit ("231 → 300 ms", "3 of 20 sessions", "[2000, 40000] ms"). */
const JOINED = /^\s*(→|–|-|to|±|vs|,|of|and)\s*[≥~]?[-+]?\d/;

const NUMBER = /[-+]?\d+(?:\.\d+)*/g;

function nounOf(word: string): string {
  let w = word.toLowerCase().replace(/[.,;:!?\]]+$/, '');
  // "line(s))": a plural's "(s)" inside a closing parenthesis
  while (!/\((e?s)\)$/.test(w) && w.endsWith(')')) w = w.slice(0, -1).replace(/[.,;:!?\]]+$/, '');
  return w.replace(/\((e?s)\)$/, '');
}

function isUnitOrNoun(raw: string): boolean {
  const w = nounOf(raw);
  if (UNITS.has(w) || COUNTED.has(w)) return true;
  // a rate or a ratio: updates/s, requests/acquisition, MiB/hour, join(s)/leave(s)
  if (w.includes('/')) {
    const [head, tail] = w.split('/', 2) as [string, string];
    if (head === '' || isUnitOrNoun(head)) return true;
    return tail !== undefined && (UNITS.has(tail) || COUNTED.has(nounOf(tail)));
  }
  for (const stem of [w.replace(/es$/, ''), w.replace(/s$/, ''), w.replace(/ies$/, 'y')]) if (COUNTED.has(stem) || UNITS.has(stem)) return true;
  return false;
}

function withoutQuotes(text: string): string {
  return text.replace(/"[^"]*"/g, (q) => ' '.repeat(q.length));
}

/**
 * The figures in `text` without a unit or a counted noun, each with a little of the text around it; empty
 * when every number has its unit or is not a figure.
 */
export function unitlessFigures(text: string): string[] {
  const t = withoutQuotes(text);
  const matches = [...t.matchAll(NUMBER)].map((m) => ({ at: m.index, value: m[0] }));
  const named: boolean[] = [];
  /** true: has its unit; false: has none; 'next': joined to the next number, whose unit it shares. */
  const verdict: (boolean | 'next')[] = [];
  for (const [i, m] of matches.entries()) {
    const prior0 = t.slice(0, m.at);
    // a sign glued to a word before it is a dash in a name (ZOOKEEPER-4537, data-watch), not the number's
    const dash = /^[-+]/.test(m.value) && /[\w.@:#/]$/.test(prior0);
    const at = dash ? m.at + 1 : m.at;
    const value = dash ? m.value.slice(1) : m.value;
    const prior = t.slice(0, at);
    const after = t.slice(at + value.length);
    const prev = prior.slice(-1);
    const lastWord = (/(\S+)\s+$/.exec(prior)?.[1] ?? '').replace(/^[(\[]+/, '').replace(/:$/, '').toLowerCase();
    const between = i > 0 ? t.slice(matches[i - 1]!.at + matches[i - 1]!.value.length, m.at) : '';
    named[i] =
      dash ||
      /[\w.@:#/\\]/.test(prev) || // p99, unavailable.1, data-watch@1000, host:2181
      (value.match(/\./g)?.length ?? 0) >= 2 || /^\.\d/.test(after) || // a version
      /^[-:]\d/.test(after) || // a date, a time of day
      /^\/\d/.test(after) || // a fraction, 2/3
      /^[a-zA-Z_]\w*[-.]/.test(after) || // a name that starts with a digit
      /(<=?|>=?|==|!=)\s*[+-]?$/.test(prior) || // a rule's amount as written
      (/\s$/.test(prior) && NAMING.has(lastWord)) ||
      (i > 0 && named[i - 1]! && /^\s*(,|and|, and)\s*$/.test(between)); // a list after a name: server(s) 1, 2, 3
    if (named[i]) {
      verdict[i] = true;
      continue;
    }
    // glued to its unit: 95%, 1.5x, 50ms, 12/s; glued to anything else, a name (0x1f, 3rd)
    const glued = /^([a-zA-Zµ%]+|\/[a-zA-Z]+)/.exec(after)?.[1];
    if (glued !== undefined) {
      named[i] = !(glued === '%' || UNITS.has(glued.toLowerCase()) || glued.startsWith('/'));
      verdict[i] = true;
      continue;
    }
    const rest = after.replace(/^\s*\]/, ''); // [2000, 40000] ms
    if (JOINED.test(rest)) {
      verdict[i] = 'next';
      continue;
    }
    const words = rest.startsWith(' ') ? rest.trim().split(/\s+/).slice(0, 4) : [];
    let has = false;
    for (const w of words) {
      if (/\d/.test(w) || STOP.has(nounOf(w))) break;
      if (isUnitOrNoun(w)) {
        has = true;
        break;
      }
      if (/^[(\[]|[,;:!?)\]]$/.test(w)) break;
    }
    verdict[i] = has;
  }
  const found: string[] = [];
  const ok = new Array<boolean>(matches.length);
  for (let i = matches.length - 1; i >= 0; i--) {
    const v = verdict[i]!;
    ok[i] = v === 'next' ? i + 1 < matches.length && ok[i + 1]! && !named[i + 1]! : v;
  }
  for (const [i, m] of matches.entries()) {
    if (!ok[i]) found.push(`…${text.slice(Math.max(0, m.at - 30), m.at + m.value.length + 20)}…`);
  }
  return found;
}
