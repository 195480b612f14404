// One driver process, seen by the coordinator as one more load process: a WorkerChannel (workers/channel.ts)
// over the driver's stdin/stdout, JSON lines (docs/drivers.md, "Control protocol"). The pool starts it,
// hands it its plan, starts it on the run's schedule and stops it, exactly as it does a Node load
// process. The driver records its events into a file of its own; when it says `done`, this side reads
// the file and turns the events into the report a TypeScript load process would have sent
// (lock-events.ts), so the coordinator cannot tell the two apart. A driver that dies is survivable: its
// result is absent, it is named, and the result says partial.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { parseGcPauses, pausesDuring, summarizePauses } from '../ensemble/gc-log.ts';
import type { LockClientsPlan } from '../scenarios/lock-contention/plan.ts';
import type { GuardCounts } from '../recipes/lock/fencing.ts';
import type { RunWindow } from '../measure/measured-window.ts';
import { trackChild, untrackChild } from '../process/child-guard.ts';
import { signalControl } from '../process/signal-control.ts';
import { emptyCounters } from '../measure/request-counts.ts';
import type { ProcessControl, WorkerChannel } from '../workers/channel.ts';
import type { ClientsPlan, FromWorker, SessionSettings, ToWorker, WorkerResult } from '../workers/protocol.ts';
import { parseEvents } from './event-file.ts';
import { replayLockEvents } from './lock-events.ts';
import type { ExternalDriverHealth } from './external-health.ts';
import { replayElectionEvents } from './election-events.ts';
import type { CandidateReport, ElectionPlan } from '../scenarios/election-failover/plan.ts';
import type { DriverCommand } from './runtime.ts';
import type { FanoutProcessPlan } from '../scenarios/watch-fanout/plan.ts';
import { replayWatchEvents } from './watch-events.ts';
import type { ConfigPlan, ConfigReport } from '../scenarios/config/plan.ts';
import type { MembershipPlan } from '../scenarios/membership/plan.ts';
import { replayMembershipEvents } from './membership-events.ts';
import { childAccessEnv } from '../zk/credentials.ts';

const EXIT_GRACE_MS = 15_000;
const STDERR_TAIL_CHARS = 2000;

/** A driver's own health report (its `done` message). */
interface DriverDone {
  health: { delayMs: { p50: number; p99: number; max: number; mean: number }; cpuNs: number; wallNs: number; rssMb: number };
  sessionsExpired: number;
  /** Acquisitions the driver counted itself: the event file must hold exactly as many. */
  completed: number;
  /** lock-failover: what the guard accepted and refused. */
  guard?: GuardCounts;
  /** election-failover: the candidate's errors, as a TypeScript candidate reports them. */
  candidate?: CandidateReport;
  /** watch-fanout: the drain after the stop ended before every watcher had read the writer's last version. */
  drainCutShort?: boolean;
  /** config: readers not holding the writer's last update when the drain ended. */
  undrained?: number;
}

/** The plan a driver receives: the scenario's plan, where to connect, and where to write its events. */
export type DriverPlan = (
  | LockClientsPlan
  | (ElectionPlan & { clientIds?: undefined; warmupUntilQueued?: undefined })
  | (FanoutProcessPlan & { clientIds?: undefined; warmupUntilQueued?: undefined })
  | (ConfigPlan & { clientIds?: undefined; warmupUntilQueued?: undefined })
  | (MembershipPlan & { warmupUntilQueued?: undefined })
) & {
  scenario: string;
  connect: string;
  sessionTimeoutMs: number;
  connectTimeoutMs: number;
  eventsFile: string;
  /** Each session's connect string (config pins each reader to a server); absent: `connect` for all. */
  connects?: string[];
};

export class DriverChannel implements WorkerChannel {
  readonly remote = false;
  /** A dead driver leaves its result absent and the run goes on, marked partial (WorkerPool). */
  readonly lossSurvivable = true;
  readonly control: ProcessControl;
  private readonly child: ChildProcess;
  private exited: string | undefined;
  private readonly messageListeners: ((m: FromWorker) => void)[] = [];
  private readonly deathListeners: ((reason: string) => void)[] = [];
  private origin = 0n;
  private plan: DriverPlan | undefined;
  private window: RunWindow | undefined;
  /** The window sent with `go`: its measureFrom is the interval grid's origin even after a pending window is decided. */
  private startWindow: RunWindow | undefined;
  private readonly stderrFile: string;
  /** The JVM's GC log (Curator), kept for the run directory. */
  readonly gcLogFile: string | undefined;

  /** `dir`: this recipe's driver files (events, stderr, GC log), removed by the caller. */
  constructor(
    readonly index: number,
    private readonly command: DriverCommand,
    private readonly dir: string,
  ) {
    this.stderrFile = path.join(dir, `${command.driver}-${index}.stderr`);
    this.gcLogFile = command.gcLogArgs ? path.join(dir, `${command.driver}-${index}-gc.log`) : undefined;
    const stderr = fs.openSync(this.stderrFile, 'w');
    const args = [...(this.gcLogFile ? command.gcLogArgs!(this.gcLogFile) : []), ...command.args];
    // The run's identity in the environment, as for a load process (never in the plan on stdin).
    this.child = spawn(command.command, args, { stdio: ['pipe', 'pipe', stderr], env: childAccessEnv(process.env) });
    fs.closeSync(stderr);
    const pid = this.child.pid;
    if (pid !== undefined) trackChild(pid, this.label);
    createInterface({ input: this.child.stdout! }).on('line', (line) => this.onLine(line));
    this.child.on('exit', (code, signal) => {
      if (pid !== undefined) untrackChild(pid);
      this.die(signal ? `killed by ${signal}` : `exited with code ${code}`);
    });
    this.child.on('error', (err) => this.die(err.message));
    this.child.stdin!.on('error', () => undefined); // a write to a driver that just died: its exit says why
    this.control = signalControl(this.child, () => this.exited !== undefined);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get label(): string {
    return `${this.command.driver} driver process ${this.index} (pid ${this.pid})`;
  }

  get identity(): WorkerChannel['identity'] {
    return { name: `${this.command.driver} driver process ${this.index}`, host: os.hostname(), pid: this.pid };
  }

  get deathReason(): string | undefined {
    return this.exited;
  }

  private die(reason: string): void {
    if (this.exited !== undefined) return;
    const tail = this.stderrTail();
    this.exited = tail ? `${reason}; its stderr ended: ${tail}` : reason;
    for (const l of this.deathListeners) l(this.exited);
  }

  private stderrTail(): string {
    try {
      const text = fs.readFileSync(this.stderrFile, 'utf8').trim();
      return text.length > STDERR_TAIL_CHARS ? `...${text.slice(-STDERR_TAIL_CHARS)}` : text;
    } catch {
      return '';
    }
  }

  private write(msg: object): void {
    if (this.exited === undefined && this.child.stdin?.writable) this.child.stdin.write(`${JSON.stringify(msg)}\n`);
  }

  /** Run-clock ns → the driver's CLOCK_MONOTONIC ns. */
  private absolute(w: RunWindow): object {
    const abs = (t: number): string => (this.origin + BigInt(Math.round(t))).toString();
    return { startAt: abs(w.startAt), measureFrom: abs(w.measureFrom), stopAt: w.stopAt === undefined ? null : abs(w.stopAt), pending: w.pending ?? false };
  }

  send(msg: ToWorker): void {
    switch (msg.type) {
      case 'prepare':
        this.origin = BigInt(msg.origin);
        this.plan = driverPlan(msg.plan, msg.sessions, path.join(this.dir, `${this.command.driver}-${this.index}.events`));
        this.write({ type: 'prepare', plan: this.plan });
        break;
      case 'go':
      case 'window':
        // The recorders' interval grid starts where the window given with `go` does (a pending window's earliest
        // start), as it does in a load process; a `window` message only decides it.
        if (msg.type === 'go') this.startWindow = msg.window;
        this.window = msg.window;
        this.write({ type: msg.type, window: this.absolute(msg.window) });
        break;
      case 'stop':
      case 'exit':
        this.write({ type: msg.type });
        break;
      case 'scenario':
        this.write({ type: 'scenario', data: msg.data }); // lock-failover's hold orders (arm, disarm, continue)
        break;
    }
  }

  private emit(m: FromWorker): void {
    for (const l of this.messageListeners) l(m);
  }

  private onLine(line: string): void {
    let m: Record<string, unknown>;
    try {
      m = JSON.parse(line) as Record<string, unknown>;
    } catch {
      this.emit({ type: 'failed', name: 'DriverProtocolError', message: `${this.label} wrote a line that is not JSON: ${line.slice(0, 200)}` });
      return;
    }
    const rel = (t: unknown): number => Number(BigInt(String(t)) - this.origin);
    switch (m['type']) {
      case 'ready':
        this.emit({ type: 'ready', connectMs: Number(m['connectMs']) });
        break;
      case 'progress':
        this.emit({ type: 'progress', completed: Number(m['completed']), measured: Number(m['measured']), at: rel(m['at']), sessionEvents: Number(m['sessionEvents'] ?? 0) });
        break;
      case 'warm':
        this.emit({ type: 'warm', at: rel(m['at']) });
        break;
      case 'scenario':
        // lock-failover's hold notices, election-failover's leadership notices; times (keys ending in Ns) are absolute
        this.emit({ type: 'scenario', data: onRunClock(m['data'], rel) });
        break;
      case 'failed':
        this.emit({ type: 'failed', name: String(m['name'] ?? 'DriverError'), message: `${this.label}: ${String(m['message'])}` });
        break;
      case 'done':
        try {
          this.emit({ type: 'result', result: this.result(m as unknown as DriverDone) });
        } catch (err) {
          this.emit({ type: 'failed', name: (err as Error).name, message: `${this.label}: ${(err as Error).message}` });
        }
        break;
      default:
        this.emit({ type: 'failed', name: 'DriverProtocolError', message: `${this.label} sent an unknown message: ${line.slice(0, 200)}` });
    }
  }

  /** The driver's events, replayed by zkbench's measure layer into what a load process reports. */
  private result(done: DriverDone): WorkerResult {
    const plan = this.plan!;
    const window = this.window!;
    const grid = { started: this.startWindow ?? window, decided: window };
    const source = `${this.label} events (${plan.eventsFile})`;
    const events = parseEvents(fs.readFileSync(plan.eventsFile, 'utf8'), this.origin, source);
    const replay =
      plan.scenario === 'election-failover'
        ? { ...replayElectionEvents(events, grid, source), report: done.candidate! }
        : plan.scenario === 'watch-fanout'
          ? replayWatchEvents(events, window, (plan as FanoutProcessPlan).watcherIds, done.drainCutShort === true, source)
          : plan.scenario === 'config'
            ? configReplay(plan as ConfigPlan, events, window, done, source)
            : plan.scenario === 'membership'
              ? replayMembershipEvents(events, window, plan.clientIds ?? [], (plan as MembershipPlan).addresses, source)
              : replayLockEvents(events, grid, plan.clientIds ?? [], plan.warmupUntilQueued === true, source);
    if (replay.completed !== done.completed) {
      throw new Error(`${source} hold ${replay.completed} ${UNIT_OF[plan.scenario] ?? 'acquisitions'}, the driver counted ${done.completed}: events were lost`);
    }
    return {
      report: { ...replay.report, ...(done.guard ? { guard: done.guard } : {}) },
      counters: emptyCounters(),
      uncounted: `${this.command.driver} driver: the library's own requests are not seen from outside it (see the server-side figures)`,
      health: this.health(done, window),
      sessionsExpired: done.sessionsExpired,
      // Watchers and readers complete no operation of the run's unit (updates are the writer's, in its own process).
      completed: plan.scenario === 'watch-fanout' || plan.scenario === 'config' ? 0 : replay.completed,
      timeline: replay.timeline,
    };
  }

  private health(done: DriverDone, window: RunWindow): ExternalDriverHealth {
    const h = done.health;
    const out: ExternalDriverHealth = {
      eventLoopDelayMs: h.delayMs,
      cpuPct: h.wallNs > 0 ? (100 * h.cpuNs) / h.wallNs : 0,
      windowS: h.wallNs / 1e9,
      rssMb: h.rssMb,
    };
    if (this.gcLogFile && fs.existsSync(this.gcLogFile)) {
      // The log's times are wall-clock: the window is placed on it by one pairing of the two clocks, now.
      const nowRel = Number(process.hrtime.bigint() - this.origin);
      const wallOf = (rel: number): Date => new Date(Date.now() - (nowRel - rel) / 1e6);
      const end = window.stopAt ?? nowRel;
      out.gc = summarizePauses(pausesDuring(parseGcPauses(fs.readFileSync(this.gcLogFile, 'utf8')), wallOf(window.measureFrom), wallOf(end)));
    }
    return out;
  }

  onMessage(listener: (msg: FromWorker) => void): void {
    this.messageListeners.push(listener);
  }

  onDeath(listener: (reason: string) => void): void {
    this.deathListeners.push(listener);
  }

  async close(): Promise<void> {
    if (this.exited !== undefined) return;
    this.control.resume(); // a stopped process cannot hear 'exit'
    const gone = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.write({ type: 'exit' });
    const timer = setTimeout(() => this.child.kill('SIGKILL'), EXIT_GRACE_MS);
    await gone;
    clearTimeout(timer);
  }
}

/** What a driver's `completed` counts, by scenario (locks: acquisitions; elections: terms). */
const UNIT_OF: Record<string, string> = { 'election-failover': 'terms', 'watch-fanout': 'notifications', config: 'notifications', membership: 'lists' };

/** A scenario message's times (keys ending in Ns, absolute CLOCK_MONOTONIC from the driver) on the run clock. */
function onRunClock(data: unknown, rel: (t: unknown) => number): unknown {
  if (typeof data !== 'object' || data === null) return data;
  return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, k.endsWith('Ns') ? rel(v) : v]));
}

/** config: the readers' traces (the watch replay) as a config load process reports them, each with its server. */
function configReplay(plan: ConfigPlan, events: ReturnType<typeof parseEvents>, window: RunWindow, done: DriverDone, source: string) {
  const ids = plan.readers.map((r) => r.id);
  const replay = replayWatchEvents(events, window, ids, false, source);
  const byId = new Map(replay.traces.map((t) => [t.watcher, t]));
  // A reader that never read (and said nothing) is a failure too: counted, not dropped.
  const errors = replay.neverArmed > 0 ? { ...replay.errors, NEVER_ARMED: replay.neverArmed } : replay.errors;
  const report: ConfigReport = {
    updates: [],
    readers: plan.readers.flatMap((r) => (byId.has(r.id) ? [{ server: r.server, trace: byId.get(r.id)! }] : [])),
    errors,
    undrained: done.undrained ?? plan.readers.length,
  };
  return { ...replay, report };
}

function driverPlan(clients: ClientsPlan, sessions: SessionSettings, eventsFile: string): DriverPlan {
  return {
    ...(clients.plan as LockClientsPlan | ElectionPlan | FanoutProcessPlan | ConfigPlan | MembershipPlan),
    ...(clients.connect ? { connects: clients.connect } : {}),
    scenario: clients.scenario,
    connect: sessions.connect,
    sessionTimeoutMs: sessions.sessionTimeoutMs,
    connectTimeoutMs: sessions.connectTimeoutMs,
    eventsFile,
  };
}
