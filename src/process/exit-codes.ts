// Exit codes, so scripts and CI can tell a bad invocation from a broken environment from a failed run.
export const EXIT = {
  ok: 0,
  /** The run started and failed (an error mid-run). */
  failed: 1,
  /** Bad command line or workload file: nothing was started. */
  usage: 2,
  /** The environment is not ready: Java or ZooKeeper missing, ensemble unreachable, sessions refused. */
  environment: 3,
  /** A comparison rule (--fail-on) or a workload threshold was breached. */
  breach: 4,
  /** A gate could not be evaluated: its figure is missing, NaN or empty, or the run measured no events. */
  notMeasured: 5,
  /** A gate's time-to-event figure has censored cases (an event that did not happen inside its window). */
  censored: 6,
  /** Two runs (compare, nightly) differ in what they measured, or one is interrupted or partial. */
  notComparable: 7,
  /** Ctrl-C (128 + SIGINT). */
  interrupted: 130,
  /** SIGTERM (128 + SIGTERM). */
  terminated: 143,
} as const;
