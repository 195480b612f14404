// Server bugs that show up as figures: a run against an affected server says so beside its results.

/** "3.8.0-${mvngit.commit.id}, built on ..." or "3.8.0" → [3, 8, 0]; undefined when unreadable. */
export function parseServerVersion(text: string | undefined): [number, number, number] | undefined {
  const m = /(\d+)\.(\d+)\.(\d+)/.exec(text ?? '');
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

/**
 * ZOOKEEPER-4537 (lost CommitProcessor wake-up: a request held until another reaches the server):
 * introduced in 3.6.0, fixed in 3.6.4, 3.7.2 and 3.8.1.
 */
export function hasLostCommitWakeup(version: string | undefined): boolean {
  const v = parseServerVersion(version);
  if (!v) return false;
  const [major, minor, patch] = v;
  if (major !== 3) return false;
  return (minor === 6 && patch <= 3) || (minor === 7 && patch <= 1) || (minor === 8 && patch === 0);
}

/** Notes for a run's output and run.json; `guardMs` is the embedded guard's period (0 or undefined: none). */
export function serverBugNotes(version: string | undefined, guardMs: number | undefined): string[] {
  if (!hasLostCommitWakeup(version)) return [];
  const v = parseServerVersion(version)!.join('.');
  if (guardMs !== undefined && guardMs > 0) {
    return [`note: ZooKeeper ${v} has ZOOKEEPER-4537 (lost commit wake-up); zkbench's guard wakes it within ~${2 * guardMs} ms and logs each time (server warnings)`];
  }
  return [
    `warning: ZooKeeper ${v} has ZOOKEEPER-4537: a follower can hold a request until another request reaches it ` +
      '(seconds: up to a session\'s ping interval, or ZOPERATIONTIMEOUT). Such stalls in this run are the server\'s; ' +
      'fixed in 3.6.4, 3.7.2, 3.8.1 (embedded ensembles: keep commit_wakeup_guard_ms > 0; see docs/stalls.md)',
  ];
}
