// Faults on a kept ensemble (`zkbench ensemble up`): its servers are detached processes this command did
// not start, so a killed one is restarted from what /proc said of it just before the kill (its command
// line, environment and working directory: the very same server), detached again, and the new PID is
// written to the kept ensemble's state file so `ensemble down` stops it.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { fourLetterWord, parseSrvr } from './four-letter-words.ts';
import { isRunning, processCpuSeconds } from './proc-stat.ts';
import { cpuSecondsByServer } from './queries.ts';
import { killProcess, pauseProcess, resumeProcess } from './stop-process.ts';
import type { ControlledServerInfo, ServerControl } from './types.ts';

export interface KeptServerInfo extends ControlledServerInfo {
  logFile: string;
}

interface ProcessImage {
  argv: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/** argv, environment and working directory of a running process, from /proc. */
function processImage(pid: number): ProcessImage {
  const split = (file: string): string[] => fs.readFileSync(`/proc/${pid}/${file}`, 'utf8').split('\0').filter((x) => x !== '');
  const env: NodeJS.ProcessEnv = {};
  for (const entry of split('environ')) {
    const eq = entry.indexOf('=');
    if (eq > 0) env[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  return { argv: split('cmdline'), env, cwd: fs.readlinkSync(`/proc/${pid}/cwd`) };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class KeptServerControl implements ServerControl {
  private readonly images = new Map<number, ProcessImage>();
  private readonly earlierCpuSeconds = new Map<number, number>();

  constructor(
    readonly servers: readonly KeptServerInfo[],
    /** Records a server's new PID where `ensemble down` will find it. */
    private readonly recordPid: (id: number, pid: number) => void,
  ) {}

  private server(id: number): KeptServerInfo {
    const s = this.servers.find((x) => x.id === id);
    if (!s) throw new Error(`no server ${id} in the kept ensemble (ids ${this.servers.map((x) => x.id).join(', ')})`);
    return s;
  }

  private runningPid(id: number): number {
    const pid = this.server(id).pid;
    if (pid === undefined || !isRunning(pid)) throw new Error(`server ${id} of the kept ensemble is not running`);
    return pid;
  }

  async killServer(id: number): Promise<void> {
    const pid = this.runningPid(id);
    this.images.set(id, processImage(pid));
    const cpu = processCpuSeconds(pid);
    if (cpu !== undefined) this.earlierCpuSeconds.set(id, (this.earlierCpuSeconds.get(id) ?? 0) + cpu);
    await killProcess(pid);
    delete this.server(id).pid;
  }

  async restartServer(id: number, opts: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<void> {
    const s = this.server(id);
    const image = this.images.get(id);
    if (!image || (s.pid !== undefined && isRunning(s.pid))) throw new Error(`server ${id} of the kept ensemble was not killed by this run; nothing to restart`);
    const [command, ...args] = image.argv;
    const log = fs.openSync(s.logFile, 'a');
    try {
      const child = spawn(command!, args, { detached: true, stdio: ['ignore', log, log], cwd: image.cwd, env: image.env });
      child.on('error', () => {}); // a failed exec shows up as a dead pid below
      child.unref();
      if (child.pid === undefined) throw new Error(`could not start server ${id} again (${command})`);
      s.pid = child.pid;
    } finally {
      fs.closeSync(log);
    }
    this.images.delete(id);
    this.recordPid(id, s.pid);
    const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
    for (;;) {
      opts.signal?.throwIfAborted();
      if (!isRunning(s.pid)) throw new Error(`server ${id} of the kept ensemble exited right after its restart; see ${s.logFile}`);
      const mode = await fourLetterWord(s.host, s.clientPort, 'srvr', 1000).then((t) => parseSrvr(t).mode, () => undefined);
      if (mode !== undefined) return;
      if (Date.now() >= deadline) throw new Error(`server ${id} of the kept ensemble reported no Mode within ${opts.timeoutMs ?? 60_000} ms of its restart; see ${s.logFile}`);
      await sleep(100);
    }
  }

  pauseServer(id: number): Promise<void> {
    return pauseProcess(this.runningPid(id));
  }

  resumeServer(id: number): Promise<void> {
    return resumeProcess(this.runningPid(id));
  }

  /** CPU seconds per server id, its killed processes' included, so the figure never goes back. */
  cpuSeconds(): Map<number, number> {
    const now = cpuSecondsByServer(this.servers);
    for (const [id, earlier] of this.earlierCpuSeconds) now.set(id, earlier + (now.get(id) ?? 0));
    return now;
  }
}
