// Faults on a docker compose ensemble, through the container engine (--compose-project NAME):
//   kill     `docker kill` (SIGKILL to the container's processes), resolved once the container has stopped;
//   restart  `docker start` of the same container: same ZOO_MY_ID, config and data volume, resolved once it
//            reports a Mode;
//   pause    `docker pause` (the cgroup freezer: every process of the container, unlike SIGSTOP to its
//            first one), then checked: it must stop answering `srvr`, else the pause is undone and the
//            fault fails. The freezer has failed silently and hung on unpause in other projects' CI;
//   resume   `docker unpause`, with a deadline;
//   isolate  the container taken off its networks (`docker network disconnect`): its peers and its
//            clients alike (only `from: all`), and those clients are refused rather than left hanging;
//   heal     `docker network connect` again.
// The engine acts somewhere inside each command's round trip: an action takes effect, on the run clock,
// when its command returned (the container stopped, frozen, off the network), and the note says what
// the round trip took.
import { execFileSync } from 'node:child_process';
import { fourLetterWord, parseSrvr } from '../four-letter-words.ts';
import { processCpuSeconds } from '../proc-stat.ts';
import { cpuSecondsByServer } from '../queries.ts';
import type { IsolationScope } from '../faults/fault-spec.ts';
import type { ActionContext, ActionReport, ControlledServerInfo, ServerControl } from '../types.ts';
import { dockerCli } from './docker-cli.ts';
import { inspectContainers } from './project.ts';

export interface ComposeServerInfo extends ControlledServerInfo {
  container: string;
  networks: string[];
  /** Its JVM's GC log inside the container (read with docker exec), when its JVMFLAGS write one. */
  gcLogFile?: string;
}

/** How long a paused server gets to answer `srvr` before it counts as paused. */
export const PAUSE_CHECK_MS = 1000;
const STATE_TIMEOUT_MS = 30_000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

// Containers this process froze, unfrozen on exit whatever the way out: a frozen server nobody resumes
// holds its data and its quorum's votes long after the run.
const frozen = new Set<string>();
let exitHookInstalled = false;
function unpauseOnExit(): void {
  for (const container of frozen) {
    try {
      execFileSync('docker', ['unpause', container], { stdio: 'ignore', timeout: 10_000 });
    } catch {
      // gone, or not paused any more
    }
  }
  frozen.clear();
}

export class ComposeServerControl implements ServerControl {
  readonly isolationScopes: readonly IsolationScope[] = ['all'];
  private readonly earlierCpuSeconds = new Map<number, number>();

  constructor(
    readonly project: string,
    readonly servers: readonly ComposeServerInfo[],
  ) {}

  private server(id: number): ComposeServerInfo {
    const s = this.servers.find((x) => x.id === id);
    if (!s) throw new Error(`no server ${id} in compose project ${this.project} (ids ${this.servers.map((x) => x.id).join(', ')})`);
    return s;
  }

  private async state(s: ComposeServerInfo, signal?: AbortSignal) {
    const [c] = await inspectContainers([s.container], signal ? { signal } : {});
    if (!c) throw new Error(`container ${s.container} of server ${s.id} is gone`);
    return c.State;
  }

  /** Polls the container until `done` says so, or fails naming `what` after the deadline. */
  private async until(s: ComposeServerInfo, what: string, done: (state: Awaited<ReturnType<ComposeServerControl['state']>>) => boolean, signal?: AbortSignal): Promise<void> {
    const deadline = Date.now() + STATE_TIMEOUT_MS;
    for (;;) {
      signal?.throwIfAborted();
      if (done(await this.state(s, signal))) return;
      if (Date.now() >= deadline) throw new Error(`container ${s.container} of server ${s.id} was not ${what} within ${STATE_TIMEOUT_MS} ms`);
      await sleep(50);
    }
  }

  /** Runs a docker command; the report's clock starts when it returned. */
  private async act(args: string[], ctx: ActionContext): Promise<{ at: number | undefined; ms: number }> {
    const t0 = performance.now();
    await dockerCli(args, { timeoutMs: STATE_TIMEOUT_MS, ...(ctx.signal ? { signal: ctx.signal } : {}) });
    return { at: ctx.now?.(), ms: performance.now() - t0 };
  }

  private static report(at: number | undefined, note: string): ActionReport {
    return at === undefined ? { note } : { effectiveAt: at, note };
  }

  async killServer(id: number, ctx: ActionContext = {}): Promise<ActionReport> {
    const s = this.server(id);
    const pid = s.pid;
    const cpu = pid === undefined ? undefined : processCpuSeconds(pid);
    const { at, ms } = await this.act(['kill', '--signal', 'KILL', s.container], ctx);
    if (cpu !== undefined) this.earlierCpuSeconds.set(id, (this.earlierCpuSeconds.get(id) ?? 0) + cpu);
    await this.until(s, 'stopped', (state) => !state.Running, ctx.signal);
    delete s.pid;
    return ComposeServerControl.report(at, `docker kill ${s.container} returned after ${ms.toFixed(0)} ms (the clock starts then)`);
  }

  async restartServer(id: number, opts: { timeoutMs?: number } & ActionContext = {}): Promise<ActionReport> {
    const s = this.server(id);
    const { at, ms } = await this.act(['start', s.container], opts);
    const state = await this.state(s, opts.signal);
    if (!state.Running) throw new Error(`server ${id}: container ${s.container} is ${state.Status} right after docker start; see docker logs ${s.container}`);
    s.pid = state.Pid;
    const timeoutMs = opts.timeoutMs ?? 60_000;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      opts.signal?.throwIfAborted();
      const mode = await fourLetterWord(s.host, s.clientPort, 'srvr', 1000).then((t) => parseSrvr(t).mode, () => undefined);
      if (mode !== undefined) break;
      if (Date.now() >= deadline) throw new Error(`server ${id} (container ${s.container}) reported no Mode within ${timeoutMs} ms of docker start; see docker logs ${s.container}`);
      await sleep(100);
    }
    return ComposeServerControl.report(at, `docker start ${s.container} returned after ${ms.toFixed(0)} ms`);
  }

  async pauseServer(id: number, ctx: ActionContext = {}): Promise<ActionReport> {
    const s = this.server(id);
    this.installExitHook();
    frozen.add(s.container); // before the command: an exit right after still unfreezes it
    const { at, ms } = await this.act(['pause', s.container], ctx);
    const state = await this.state(s, ctx.signal);
    const answer = state.Paused ? await fourLetterWord(s.host, s.clientPort, 'srvr', PAUSE_CHECK_MS).catch(() => undefined) : undefined;
    if (!state.Paused || (answer !== undefined && answer.trim() !== '')) {
      await dockerCli(['unpause', s.container]).catch(() => undefined);
      frozen.delete(s.container);
      throw new Error(
        `docker pause ${s.container} did not stop server ${id}: ` +
          (state.Paused ? `it still answered srvr within ${PAUSE_CHECK_MS} ms` : `the container is ${state.Status}, not paused`) +
          ' (the cgroup freezer did not take effect); the pause was undone and not counted',
      );
    }
    return ComposeServerControl.report(
      at,
      `docker pause ${s.container} returned after ${ms.toFixed(0)} ms (the clock starts then); checked: it answered no srvr within ${PAUSE_CHECK_MS} ms`,
    );
  }

  async resumeServer(id: number, ctx: ActionContext = {}): Promise<ActionReport> {
    const s = this.server(id);
    const { at, ms } = await this.act(['unpause', s.container], ctx);
    frozen.delete(s.container);
    await this.until(s, 'unpaused', (state) => !state.Paused, ctx.signal);
    return ComposeServerControl.report(at, `docker unpause ${s.container} returned after ${ms.toFixed(0)} ms`);
  }

  async isolateServer(id: number, from: IsolationScope, ctx: ActionContext = {}): Promise<ActionReport> {
    const s = this.server(id);
    if (from !== 'all') {
      throw new Error(`server ${id} (container ${s.container}) can be cut off only from all (docker network disconnect takes its clients too), not from ${from}`);
    }
    let at: number | undefined;
    let total = 0;
    for (const network of s.networks) {
      const r = await this.act(['network', 'disconnect', network, s.container], ctx);
      at = r.at;
      total += r.ms;
    }
    return ComposeServerControl.report(
      at,
      `docker network disconnect ${s.networks.join(', ')} ${s.container} took ${total.toFixed(0)} ms (the clock starts when the last returned); its clients are refused, not left hanging`,
    );
  }

  async healServer(id: number, ctx: ActionContext = {}): Promise<ActionReport> {
    const s = this.server(id);
    let at: number | undefined;
    for (const network of s.networks) at = (await this.act(['network', 'connect', network, s.container], ctx)).at;
    return ComposeServerControl.report(at, `docker network connect ${s.networks.join(', ')} ${s.container}`);
  }

  /** CPU seconds per server id from its JVM's /proc entry (the container's first process), killed ones' included. */
  cpuSeconds(): Map<number, number> {
    const now = cpuSecondsByServer(this.servers);
    for (const [id, earlier] of this.earlierCpuSeconds) now.set(id, earlier + (now.get(id) ?? 0));
    return now;
  }

  private installExitHook(): void {
    if (exitHookInstalled) return;
    exitHookInstalled = true;
    process.on('exit', unpauseOnExit);
  }
}
