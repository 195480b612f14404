// Opening hundreds to thousands of sessions: bounded parallelism (a connect storm of 1,000 handshakes
// stalls the servers), all-or-nothing (a half-open set is closed again), and a diagnosis when the
// servers refuse them, because the usual cause (maxClientCnxns) otherwise looks like a silent hang.
import { ConnectTimeoutError, ZkSession, type SessionOptions } from './session.ts';

export interface OpenSessionsOptions extends SessionOptions {
  count: number;
  /** Session i connects to connectEach[i] instead of `connect` (e.g. pinned to one server). */
  connectEach?: readonly string[];
  /** Handshakes in flight at once. */
  parallelism?: number;
  /** Stops opening further sessions (Ctrl-C); those opened are closed again. */
  signal?: AbortSignal;
  /** Explains a refusal (e.g. reads maxClientCnxns from the servers); returns extra advice. */
  diagnose?: () => Promise<string | undefined>;
}

export class SessionsRefusedError extends Error {
  override readonly name = 'SessionsRefusedError';
}

/** Where session i connects. */
export function connectOf(opts: Pick<OpenSessionsOptions, 'connect' | 'connectEach'>, i: number): string {
  return opts.connectEach?.[i] ?? opts.connect;
}

export async function openSessions(opts: OpenSessionsOptions): Promise<ZkSession[]> {
  if (opts.connectEach && opts.connectEach.length !== opts.count) {
    throw new Error(`${opts.count} sessions to open but ${opts.connectEach.length} connect strings given`);
  }
  // In index order, whatever order the handshakes complete in: session i is the one connected to connectOf(i).
  const sessions: ZkSession[] = [];
  let opened = 0;
  const parallelism = Math.max(1, opts.parallelism ?? 64);
  let next = 0;
  let failure: unknown;

  const opener = async (): Promise<void> => {
    while (failure === undefined && next < opts.count) {
      if (opts.signal?.aborted) {
        failure = opts.signal.reason;
        return;
      }
      const i = next++;
      try {
        sessions[i] = await ZkSession.open({ ...opts, connect: connectOf(opts, i) });
        opened++;
      } catch (err) {
        failure ??= err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallelism, opts.count) }, opener));

  if (failure === undefined) return sessions;
  for (const s of sessions) s?.close();
  if (failure instanceof ConnectTimeoutError) {
    const advice = (await opts.diagnose?.().catch(() => undefined)) ?? '';
    throw new SessionsRefusedError(
      `opened ${opened} of ${opts.count} sessions to ${opts.connect}; the next did not connect within ` +
        `${opts.connectTimeoutMs ?? 30_000} ms. ${advice}`.trim(),
    );
  }
  throw failure;
}

export function closeSessions(sessions: readonly ZkSession[]): void {
  for (const s of sessions) s.close();
}
