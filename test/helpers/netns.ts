// Several "hosts" on one machine: network namespaces (`ip netns`), each with its own address, joined to
// this host over a veth pair (10.231.X.2 inside, 10.231.X.1 on the host side, the host its default route),
// so a process started in one reaches the host's addresses, and only through its link. Names carry this
// process's pid (parallel runs do not collide), the subnets skip those in use, and everything made here
// (processes started inside, namespaces, veths) is removed by cleanup(), by an exit hook, and on SIGINT
// or SIGTERM; leftovers of a killed run (pid gone) are removed by the next. Needs root and iproute2: when
// either is missing, setup fails with a message saying so (the tests must not pass without running).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';

export interface NetNamespace {
  name: string;
  /** Address of this namespace's end of its link. */
  address: string;
  /** Address of the host's end: how processes inside reach this host. */
  hostAddress: string;
}

const ip = (...args: string[]): string => execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const OURS = /^zkb(\d+)n\d+$/;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function namespaceNames(): string[] {
  return ip('netns', 'list')
    .split('\n')
    .map((l) => l.trim().split(/\s+/)[0] ?? '')
    .filter(Boolean);
}

/** Namespaces a killed earlier run left behind (their pid is gone). */
function removeLeftovers(): void {
  for (const name of namespaceNames()) {
    const m = OURS.exec(name);
    if (m && Number(m[1]) !== process.pid && !alive(Number(m[1]))) {
      try {
        ip('netns', 'del', name);
      } catch {
        // another run removed it first
      }
    }
  }
}

function freeSubnets(count: number): number[] {
  const used = new Set([...ip('-4', '-o', 'addr').matchAll(/inet 10\.231\.(\d+)\./g)].map((m) => Number(m[1])));
  const out: number[] = [];
  for (let i = 0; i < 254 && out.length < count; i++) {
    const x = 1 + ((process.pid + i) % 254);
    if (!used.has(x)) out.push(x);
  }
  if (out.length < count) throw new Error('no free 10.231.X.0/24 subnets for the test namespaces');
  return out;
}

export class NetNamespaces {
  readonly namespaces: NetNamespace[] = [];
  private readonly processes = new Set<ChildProcess>();
  private cleaned = false;
  private readonly onSignal = (sig: NodeJS.Signals): void => {
    this.cleanup();
    process.kill(process.pid, sig);
  };
  private readonly onExit = (): void => this.cleanup();

  /** `count` namespaces with their links; throws (after removing what it made) with what is missing. */
  static create(count: number): NetNamespaces {
    const set = new NetNamespaces();
    process.on('exit', set.onExit);
    process.once('SIGINT', set.onSignal);
    process.once('SIGTERM', set.onSignal);
    try {
      if (process.getuid?.() !== 0) throw new Error('they need root');
      ip('-V');
      removeLeftovers();
      for (const [k, x] of freeSubnets(count).entries()) {
        const name = `zkb${process.pid}n${k}`;
        const host = `zb${process.pid}h${k}`;
        const inner = `zb${process.pid}n${k}`;
        const ns: NetNamespace = { name, address: `10.231.${x}.2`, hostAddress: `10.231.${x}.1` };
        ip('netns', 'add', name);
        set.namespaces.push(ns); // from here on cleanup() removes it (and its veth with it)
        ip('link', 'add', host, 'type', 'veth', 'peer', 'name', inner);
        ip('link', 'set', inner, 'netns', name);
        ip('addr', 'add', `${ns.hostAddress}/24`, 'dev', host);
        ip('link', 'set', host, 'up');
        ip('netns', 'exec', name, 'ip', 'link', 'set', 'lo', 'up');
        ip('netns', 'exec', name, 'ip', 'addr', 'add', `${ns.address}/24`, 'dev', inner);
        ip('netns', 'exec', name, 'ip', 'link', 'set', inner, 'up');
        ip('netns', 'exec', name, 'ip', 'route', 'add', 'default', 'via', ns.hostAddress);
      }
      return set;
    } catch (err) {
      set.cleanup();
      const e = err as Error & { stderr?: string };
      throw new Error(
        `network namespaces for the distributed tests could not be set up (${(e.stderr || e.message).trim()}): ` +
          'these tests need root and iproute2 (`ip netns`); on Debian run them as root after `apt-get install iproute2` (npm run setup does)',
      );
    }
  }

  /** Start `command` inside namespace `ns` (ip netns exec execs it: the child's pid is the command's). */
  spawn(ns: NetNamespace, command: string, args: string[]): ChildProcess {
    const child = spawn('ip', ['netns', 'exec', ns.name, command, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.processes.add(child);
    child.on('exit', () => this.processes.delete(child));
    return child;
  }

  /** Kill what was started inside, then remove the namespaces (their veths go with them). Idempotent. */
  cleanup(): void {
    if (this.cleaned) return;
    this.cleaned = true;
    process.off('exit', this.onExit);
    process.off('SIGINT', this.onSignal);
    process.off('SIGTERM', this.onSignal);
    for (const p of this.processes) if (p.pid !== undefined && p.exitCode === null) p.kill('SIGKILL');
    for (const ns of this.namespaces) {
      try {
        ip('netns', 'del', ns.name);
      } catch {
        // already gone
      }
    }
  }
}
