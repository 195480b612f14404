// Waits with a deadline, for tests: a condition that never comes, or a promise that never settles, fails
// the test with what it was waiting for instead of hanging it. Hang guards, not timing assertions: the
// deadlines are generous for a loaded host.
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Default deadline of a wait: long enough for a busy 2-core box, short of the per-test timeout. */
export const WAIT_MS = 60_000;

/** Resolves with `promise`'s value, or rejects naming `what` once `ms` have passed without it settling. */
export async function within<T>(what: string, promise: Promise<T>, ms = WAIT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`gave up waiting for ${what} after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Polls `probe` every `everyMs` until `ok` holds for its value, and returns that value; rejects naming
 * `what` and the last value seen once `ms` have passed.
 */
export async function pollUntil<T>(
  what: string,
  probe: () => T | Promise<T>,
  ok: (v: T) => boolean,
  { ms = WAIT_MS, everyMs = 20 }: { ms?: number; everyMs?: number } = {},
): Promise<T> {
  const giveUpAt = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (ok(v)) return v;
    if (Date.now() > giveUpAt) throw new Error(`gave up waiting for ${what} after ${ms} ms; last seen: ${describe(v)}`);
    await sleep(everyMs);
  }
}

/** Polls until `cond` holds; rejects naming `what` once `ms` have passed. */
export async function until(what: string, cond: () => boolean | Promise<boolean>, opts: { ms?: number; everyMs?: number } = {}): Promise<void> {
  await pollUntil(what, cond, (v) => v, opts);
}

function describe(v: unknown): string {
  try {
    const s = JSON.stringify(v);
    return s === undefined ? String(v) : s.length > 300 ? `${s.slice(0, 300)}...` : s;
  } catch {
    return String(v);
  }
}
