// Doing faults to the servers of an ensemble zkbench controls, and undoing them: it knows which servers
// are killed, paused or cut off, so every way out can put the ensemble back (a paused server resumed, an
// isolation healed) before the servers stop, and so a target resolves against what is true now.
//   kill     SIGKILL of the server's JVM (a crash: nothing is flushed or closed), resolved once it is gone;
//   restart  the same server id, config and data dir started again, resolved once it reports a Mode;
//   pause    SIGSTOP (a hung server: its connections stay open and silent), resolved once it is stopped;
//   resume   SIGCONT;
//   isolate  its packets to and from the other servers dropped (and its clients', `from: all`): nftables.ts,
//            or the control's own means (a compose container taken off its networks);
//   heal     those rules removed (the container connected again).
// A control that knows when an action took effect better than "when it was asked" (a container engine)
// says so, and what it checked; the outcome carries both.
import type { RunClock, RelNs } from '../../measure/clock.ts';
import type { FaultAction, IsolationScope } from './fault-spec.ts';
import { SetupError } from '../installation.ts';
import { sourceBindingLibrary } from '../source-address.ts';
import type { ActionReport, ServerControl } from '../types.ts';
import { Isolations } from './nftables.ts';
import type { ServerCondition } from './targets.ts';

/** What one action did. */
export interface ActionOutcome {
  /** Run clock: when the action took effect (signal sent, rules in place, the restarted JVM started). */
  effectiveAt: RelNs;
  /** From the action's start to its completion (the process gone, stopped, serving; the rules in place). */
  tookMs: number;
  /** The process acted on (a restart: the new one). */
  pid: number | undefined;
  /** What the control checked or could not do, for the run's log and run.json. */
  note?: string;
}

// Paused processes of this process, resumed on exit whatever the way out: a stopped JVM nobody resumes
// holds its ports and, for a kept ensemble, outlives us.
const pausedPids = new Set<number>();
let exitHookInstalled = false;
function resumeOnExit(): void {
  for (const pid of pausedPids) {
    try {
      process.kill(pid, 'SIGCONT');
    } catch {
      // gone
    }
  }
  pausedPids.clear();
}

export class FaultInjector {
  /** Faults being done now (apply() not yet returned). */
  private applying = 0;
  private readonly killed = new Set<number>();
  private readonly paused = new Set<number>();
  /** Servers the control itself cut off (ServerControl.isolateServer). */
  private readonly cutOff = new Set<number>();
  /** Servers restarted at least once: their CPU figures span two processes. */
  readonly restarted = new Set<number>();

  private constructor(
    private readonly control: ServerControl,
    private readonly clock: RunClock,
    private readonly isolations: Isolations | undefined,
  ) {}

  /**
   * `isolation`: the scopes the schedule isolates from (true: servers); checked now (the control can, or
   * nft usable, servers on their own addresses and connecting from them) so a run that cannot do it stops
   * before anything starts.
   */
  static async open(control: ServerControl, clock: RunClock, isolation: boolean | readonly IsolationScope[]): Promise<FaultInjector> {
    const unknown = control.servers.filter((s) => s.pid === undefined);
    if (unknown.length > 0) throw new Error(`servers ${unknown.map((s) => s.id).join(', ')} are not running; faults need every server up at the start`);
    const scopes: readonly IsolationScope[] = isolation === true ? ['servers'] : isolation === false ? [] : isolation;
    let isolations: Isolations | undefined;
    if (control.isolateServer && scopes.length > 0) {
      const cannot = scopes.filter((scope) => !control.isolationScopes?.includes(scope));
      if (cannot.length > 0) {
        throw new SetupError(
          `this ensemble's servers can be cut off only from ${control.isolationScopes?.join(' and ') || 'nothing'} ` +
            `(the workload asks for isolation from ${[...new Set(cannot)].join(', ')}): give its isolate faults \`from: ${control.isolationScopes?.[0] ?? 'all'}\`, or run it on the embedded ensemble; see docs/compose.md`,
        );
      }
    } else if (scopes.length > 0) {
      const unbound = control.servers.filter((s) => !s.sourceBound || s.quorumPort === 0);
      if (unbound.length > 0) {
        const binding = sourceBindingLibrary();
        throw new SetupError(
          `servers ${unbound.map((s) => s.id).join(', ')} do not connect from their own address, so they cannot be cut off one from another: ` +
            (binding.library === undefined ? binding.why : 'a kept ensemble started by an older zkbench: stop it (`zkbench ensemble down`) and start it again'),
        );
      }
      isolations = await Isolations.open(control.servers);
    }
    return new FaultInjector(control, clock, isolations);
  }

  /** Every server as a fault sees it, given what srvr said of each (id -> role). */
  conditions(roles: ReadonlyMap<number, string>): ServerCondition[] {
    const cut = new Set([...(this.isolations?.isolated().keys() ?? []), ...this.cutOff]);
    return this.control.servers.map((s) => ({
      id: s.id,
      role: this.killed.has(s.id) ? 'killed' : this.paused.has(s.id) ? 'paused' : (roles.get(s.id) ?? 'no answer'),
      killed: this.killed.has(s.id),
      paused: this.paused.has(s.id),
      isolated: cut.has(s.id),
    }));
  }

  /** Servers that answer four-letter words now (not killed, not paused). */
  reachable(): number[] {
    return this.control.servers.filter((s) => !this.killed.has(s.id) && !this.paused.has(s.id)).map((s) => s.id);
  }

  /** Whether any fault is in effect or being done: a server killed, paused or cut off and not yet restored. */
  anyDown(): boolean {
    return this.applying > 0 || this.control.servers.some((s) => this.isDown(s.id));
  }

  isDown(id: number): boolean {
    return this.killed.has(id) || this.paused.has(id) || this.cutOff.has(id) || (this.isolations?.isolated().has(id) ?? false);
  }

  async apply(action: FaultAction, id: number, opts: { from?: IsolationScope; signal?: AbortSignal } = {}): Promise<ActionOutcome> {
    // A fault through the engine (docker pause, then its check) is in effect before apply() returns.
    this.applying++;
    try {
      return await this.applyNow(action, id, opts);
    } finally {
      this.applying--;
    }
  }

  private async applyNow(action: FaultAction, id: number, opts: { from?: IsolationScope; signal?: AbortSignal }): Promise<ActionOutcome> {
    const server = this.control.servers.find((s) => s.id === id);
    if (!server) throw new Error(`no server ${id}`);
    const t0 = this.clock.now();
    let effectiveAt = t0;
    const pid = server.pid;
    const ctx = { now: () => this.clock.now(), ...(opts.signal ? { signal: opts.signal } : {}) };
    let report: void | ActionReport = undefined;
    switch (action) {
      case 'kill':
        report = await this.control.killServer(id, ctx); // SIGKILL goes out first thing: effective at t0
        this.killed.add(id);
        this.forgetPaused(id, pid);
        break;
      case 'restart':
        report = await this.control.restartServer(id, ctx).finally(() => {
          // Started, serving or not: it is no longer the killed server.
          this.killed.delete(id);
          this.restarted.add(id);
        });
        break;
      case 'pause':
        this.installExitHook();
        if (pid !== undefined) pausedPids.add(pid); // before the signal: an exit right after still resumes it
        report = await this.control.pauseServer(id, ctx);
        this.paused.add(id);
        break;
      case 'resume':
        report = await this.control.resumeServer(id, ctx);
        this.forgetPaused(id, pid);
        break;
      case 'isolate':
        if (this.control.isolateServer) {
          report = await this.control.isolateServer(id, opts.from ?? 'servers', ctx);
          this.cutOff.add(id);
          break;
        }
        if (!this.isolations) throw new Error('isolation was not prepared for this run');
        await this.isolations.isolate(id, opts.from ?? 'servers');
        effectiveAt = this.clock.now(); // the rules hold from the commit on
        break;
      case 'heal':
        if (this.control.healServer && this.cutOff.has(id)) {
          report = await this.control.healServer(id, ctx);
          this.cutOff.delete(id);
          break;
        }
        if (!this.isolations) throw new Error('isolation was not prepared for this run');
        await this.isolations.heal(id);
        effectiveAt = this.clock.now();
        break;
    }
    const outcome: ActionOutcome = { effectiveAt: report?.effectiveAt ?? effectiveAt, tookMs: (this.clock.now() - t0) / 1e6, pid: action === 'restart' ? server.pid : pid };
    if (report?.note !== undefined) outcome.note = report.note;
    return outcome;
  }

  /**
   * Undoes what is still in place: resumes paused servers, heals isolations and, with `restartKilled`,
   * restarts killed servers. Returns what it did, in order. Never throws before trying every step.
   */
  async restore(opts: { restartKilled: boolean; signal?: AbortSignal }): Promise<{ action: FaultAction; id: number; outcome?: ActionOutcome; error?: string }[]> {
    const done: { action: FaultAction; id: number; outcome?: ActionOutcome; error?: string }[] = [];
    const attempt = async (action: FaultAction, id: number): Promise<void> => {
      try {
        done.push({ action, id, outcome: await this.apply(action, id, opts.signal ? { signal: opts.signal } : {}) });
      } catch (err) {
        done.push({ action, id, error: (err as Error).message });
      }
    };
    for (const id of [...this.paused]) await attempt('resume', id);
    for (const id of [...(this.isolations?.isolated().keys() ?? []), ...this.cutOff]) await attempt('heal', id);
    if (opts.restartKilled) for (const id of [...this.killed]) await attempt('restart', id);
    return done;
  }

  /** Resumes and heals what is left, and removes the nftables table; safe to call twice. */
  async close(): Promise<void> {
    await this.restore({ restartKilled: false });
    await this.isolations?.remove();
  }

  private forgetPaused(id: number, pid: number | undefined): void {
    this.paused.delete(id);
    if (pid !== undefined) pausedPids.delete(pid);
  }

  private installExitHook(): void {
    if (exitHookInstalled) return;
    exitHookInstalled = true;
    process.on('exit', resumeOnExit);
  }
}
