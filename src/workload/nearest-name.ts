// "Did you mean ...?": the known name nearest to a mistyped one, for the messages that refuse it.

/** Edit distance counting an insertion, a deletion, a substitution or a swap of neighbours as one edit. */
export function editDistance(a: string, b: string): number {
  // d[i][j]: distance between the first i characters of a and the first j of b (optimal string alignment).
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The known name nearest to `name`, when it is near enough to be a typo: at most one edit in three
 * characters (and at least one). Ties go to the name listed first.
 */
export function nearestName(name: string, known: readonly string[]): string | undefined {
  const limit = Math.max(1, Math.floor(name.length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const k of known) {
    const dist = editDistance(name.toLowerCase(), k.toLowerCase());
    if (dist < bestDistance) [best, bestDistance] = [k, dist];
  }
  return bestDistance <= limit ? best : undefined;
}

/** ' (did you mean X?)' (X formatted by `show`), or nothing when no known name is near. */
export function didYouMean(name: string, known: readonly string[], show: (k: string) => string = (k) => `"${k}"`): string {
  const near = nearestName(name, known);
  return near === undefined ? '' : ` (did you mean ${show(near)}?)`;
}
