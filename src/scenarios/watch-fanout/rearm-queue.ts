// Re-arms queued behind the events a process has yet to read. A re-arm is a request the client sends at
// once (a socket write that, on loopback, also runs the server side's receive), tens of µs each: done
// inside each event's callback, the 1,000th event of an update is read only after 999 re-arms, and its
// arrival stamp carries them. Queued, every event already waiting is read and stamped first (libuv's poll
// phase), then a bounded batch of re-arms goes (its check phase, setImmediate), then the loop polls
// again. The re-arms' own cost is unchanged and stays measured (rearm, unwatched).
export class RearmQueue {
  private tasks: (() => void)[] = [];
  private next = 0;
  private scheduled = false;

  /** @param perTurn re-arms sent per loop turn before the process reads its sockets again */
  constructor(private readonly perTurn = 32) {}

  readonly schedule = (rearm: () => void): void => {
    this.tasks.push(rearm);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.drain);
    }
  };

  private readonly drain = (): void => {
    const end = Math.min(this.tasks.length, this.next + this.perTurn);
    while (this.next < end) this.tasks[this.next++]!();
    if (this.next < this.tasks.length) {
      setImmediate(this.drain);
      return;
    }
    this.tasks = [];
    this.next = 0;
    this.scheduled = false;
  };
}
