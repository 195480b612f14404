// Time for every measurement: process.hrtime.bigint() is CLOCK_MONOTONIC, shared by every process on
// one host, so timestamps taken in different worker processes can be compared directly (SPEC §2).
// Code that takes timestamps receives a Clock so tests can drive time by hand.

/** Nanoseconds on the host-wide monotonic clock. */
export type Clock = () => bigint;

export const monotonicClock: Clock = () => process.hrtime.bigint();

/**
 * Nanoseconds since a run's origin, as a plain number. Relative values keep full nanosecond precision
 * in a double (exact up to 104 days) and cross process boundaries as JSON.
 */
export type RelNs = number;

export class RunClock {
  constructor(
    readonly origin: bigint,
    private readonly clock: Clock = monotonicClock,
  ) {}

  /** Now, relative to the origin. */
  now(): RelNs {
    return Number(this.clock() - this.origin);
  }

  /** Rebuild the same run clock in another process from its serialized origin. */
  static fromOrigin(origin: string, clock: Clock = monotonicClock): RunClock {
    return new RunClock(BigInt(origin), clock);
  }

  serializeOrigin(): string {
    return this.origin.toString();
  }
}
