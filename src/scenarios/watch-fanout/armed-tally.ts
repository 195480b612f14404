// How far a process's watchers have all read: the count of watchers armed at the newest version any of
// them has read, kept as reads complete, so `paced` never scans every watcher (5,000 per update) and a
// process reports one number to the writer instead of one per watcher. Pure.
//
// `paced` lets the writer send update v + 1 once every watcher has completed a read that saw v (watch-
// pacing.ts). The tally reports v when all its watchers are armed by reads of v. It learns of an event
// only with the re-arm that follows it (the watcher's onEvent), so for a moment a watcher that has fired
// still counts as armed at the newest version; that can only report a version the writer has already
// passed: an event for an update newer than the tally's newest means the writer went beyond it.

export class ArmedTally {
  private newest = Number.NEGATIVE_INFINITY;
  private armedAtNewest = 0;
  private reported = Number.NEGATIVE_INFINITY;
  private stopped = 0;

  /**
   * @param watchers the watchers of this process
   * @param report called with v each time every (live) watcher has read v or later, v rising
   */
  constructor(
    private readonly watchers: number,
    private readonly report: (version: number) => void,
  ) {}

  /** The newest version every live watcher has read (−∞ before all armed, +∞ when none is left). */
  get through(): number {
    return this.reported;
  }

  /** A read that arms a watch completed and saw `version` (the first arm, or a re-arm). */
  armed(version: number): void {
    if (version > this.newest) {
      this.newest = version;
      this.armedAtNewest = 1;
    } else if (version === this.newest) {
      this.armedAtNewest++;
    }
    this.check();
  }

  /** A watch armed by a read of `armedVersion` fired (call before the re-arm's armed()). */
  fired(armedVersion: number): void {
    if (armedVersion === this.newest) this.armedAtNewest--;
  }

  /**
   * A watcher stopped for good, unarmed (its first read failed, or the re-arm after its last event: call
   * fired() for that event first): the others no longer wait for it. The results report the failure.
   */
  lost(): void {
    this.stopped++;
    this.check();
  }

  private check(): void {
    const live = this.watchers - this.stopped;
    if (live <= 0) {
      // Nobody left to wait for.
      if (this.reported !== Number.POSITIVE_INFINITY) this.report((this.reported = Number.POSITIVE_INFINITY));
      return;
    }
    if (this.armedAtNewest >= live && this.newest > this.reported) {
      this.reported = this.newest;
      this.report(this.newest);
    }
  }
}
