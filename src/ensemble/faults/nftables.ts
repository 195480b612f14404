// Network isolation of one server, the way Jepsen partitions nodes with iptables: packets between the
// isolated server and the others (and, when asked, its clients) are dropped, so real TCP connections
// stall and time out as they would on a cut network, and come back when the rules go.
//
// Why nftables on loopback addresses: every server zkbench starts listens on its own loopback address
// and connects from it (source-address.ts), so "server 2's traffic with server 3" is an address pair
// plus the two servers' quorum and election ports, and a handful of rules in one table cut it. The
// table is this run's alone (`inet zkbench_<pid>_<random>`): healing rewrites it, clean-up deletes it in
// one command, and no other rule on the machine is touched; the ports in every rule keep another
// ensemble on the same addresses out of reach. `tc netem` (delay, loss) is not available here. `ip
// netns` would give every server a network stack of its own (its own interfaces, so a partition could
// also be one-way per link or a downed interface, and addresses would need no preloaded bind), at the
// price of veth pairs, routes and namespaces to create and always remove, and clients that must reach
// into each namespace; address pairs on loopback get the same cut with none of that.
//
// Packets are dropped on input (after loopback "sent" them), so a sender sees a lost packet, not a
// local error. Needs CAP_NET_ADMIN (root) and the `nft` command (Debian package nftables, installed by
// `npm run setup`).
import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { isAlive } from '../../process/child-guard.ts';
import type { IsolationScope } from './fault-spec.ts';
import { SetupError } from '../installation.ts';

export type { IsolationScope };

/** What isolation needs of a server: where it listens. */
export interface ServerAddresses {
  id: number;
  host: string;
  clientPort: number;
  quorumPort: number;
  electionPort: number;
}

const TABLE_PREFIX = 'zkbench_';
const NFT_CANDIDATES = ['/usr/sbin/nft', '/sbin/nft', '/usr/bin/nft'];
export const FIX_NFT = 'isolation needs the `nft` command and root (CAP_NET_ADMIN): run `npm run setup` as root (it installs Debian\'s nftables), or leave isolate out of `faults`';

function nftBinary(): string | undefined {
  return NFT_CANDIDATES.find((p) => {
    try {
      execFileSync(p, ['--version'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  });
}

function runNft(nft: string, script: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = execFile(nft, ['-f', '-'], { timeout: 10_000 }, (err, _stdout, stderr) => {
      if (err) reject(new Error(`nft failed: ${(stderr || err.message).trim()}`));
      else resolve();
    });
    child.stdin?.end(script);
  });
}

/** The rules that cut `s` off: by address pair and the listening ports on each side. */
export function isolationRules(s: ServerAddresses, others: readonly ServerAddresses[], scope: IsolationScope): string[] {
  const rules: string[] = [];
  for (const o of others) {
    // o connects to s's quorum/election ports, and s's answers; s connects to o's, and o's answers.
    rules.push(`ip saddr ${o.host} ip daddr ${s.host} tcp dport { ${s.quorumPort}, ${s.electionPort} } drop`);
    rules.push(`ip saddr ${s.host} ip daddr ${o.host} tcp sport { ${s.quorumPort}, ${s.electionPort} } drop`);
    rules.push(`ip saddr ${s.host} ip daddr ${o.host} tcp dport { ${o.quorumPort}, ${o.electionPort} } drop`);
    rules.push(`ip saddr ${o.host} ip daddr ${s.host} tcp sport { ${o.quorumPort}, ${o.electionPort} } drop`);
  }
  if (scope === 'all') {
    rules.push(`ip daddr ${s.host} tcp dport ${s.clientPort} drop`);
    rules.push(`ip saddr ${s.host} tcp sport ${s.clientPort} drop`);
  }
  return rules;
}

/** The table as one nft transaction: replaced whole (created, emptied, refilled), atomically. */
export function tableScript(table: string, rules: readonly string[]): string {
  return [
    `table inet ${table}`,
    `delete table inet ${table}`,
    `table inet ${table} {`,
    '  chain input {',
    '    type filter hook input priority 0; policy accept;',
    ...rules.map((r) => `    ${r}`),
    '  }',
    '}',
    '',
  ].join('\n');
}

/** Tables named zkbench_<pid>_... whose process is gone: left by a run that was killed outright. */
export function staleTables(listing: string, alive: (pid: number) => boolean = isAlive): string[] {
  const stale: string[] = [];
  for (const m of listing.matchAll(/^table inet (zkbench_(\d+)_[0-9a-f]+)$/gm)) {
    if (!alive(Number(m[2]))) stale.push(m[1]!);
  }
  return stale;
}

/** The nft command and its table listing, or SetupError naming the fix (no nft, not root). */
export function usableNft(): { nft: string; listing: string } {
  const nft = nftBinary();
  if (!nft) throw new SetupError(`the nft command was not found (${NFT_CANDIDATES.join(', ')}): ${FIX_NFT}`);
  try {
    return { nft, listing: execFileSync(nft, ['list', 'tables'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }) };
  } catch (err) {
    throw new SetupError(`nft cannot list tables (${((err as { stderr?: string }).stderr ?? (err as Error).message).trim()}): ${FIX_NFT}`);
  }
}

// Tables of this process still present, removed synchronously on exit (whatever way out it takes).
const liveTables = new Map<string, string>();
let exitHookInstalled = false;

function removeOnExit(): void {
  for (const [table, nft] of liveTables) {
    try {
      execFileSync(nft, ['delete', 'table', 'inet', table], { stdio: 'ignore', timeout: 5000 });
    } catch {
      // already gone
    }
  }
  liveTables.clear();
}

/** One run's isolations: at most one table, holding the rules of every server isolated now. */
export class Isolations {
  readonly table = `${TABLE_PREFIX}${process.pid}_${randomBytes(4).toString('hex')}`;
  private readonly cut = new Map<number, IsolationScope>();

  private constructor(
    private readonly nft: string,
    private readonly servers: readonly ServerAddresses[],
  ) {}

  /** Checks that nft runs here; throws SetupError naming the fix. Removes tables left by dead runs. */
  static async open(servers: readonly ServerAddresses[]): Promise<Isolations> {
    const { nft, listing } = usableNft();
    for (const t of staleTables(listing)) {
      try {
        execFileSync(nft, ['delete', 'table', 'inet', t], { stdio: 'ignore' });
      } catch {
        // someone else removed it
      }
    }
    const hosts = new Set(servers.map((s) => s.host));
    if (hosts.size < servers.length) {
      throw new SetupError(
        `the servers share an address (${[...servers.map((s) => s.host)].join(', ')}), so one cannot be cut off from the others; ` +
          'a kept ensemble started by an older zkbench: stop it (`zkbench ensemble down`) and start it again',
      );
    }
    return new Isolations(nft, servers);
  }

  isolated(): ReadonlyMap<number, IsolationScope> {
    return this.cut;
  }

  async isolate(id: number, scope: IsolationScope): Promise<void> {
    this.server(id);
    this.cut.set(id, scope);
    await this.apply();
  }

  async heal(id: number): Promise<void> {
    this.cut.delete(id);
    await this.apply();
  }

  /** Heals everything and deletes the table; safe to call twice. */
  async remove(): Promise<void> {
    this.cut.clear();
    if (!liveTables.has(this.table)) return;
    // Declared first, so the delete succeeds whether or not a failed command left the table behind.
    await runNft(this.nft, `table inet ${this.table}\ndelete table inet ${this.table}\n`);
    liveTables.delete(this.table);
  }

  private server(id: number): ServerAddresses {
    const s = this.servers.find((x) => x.id === id);
    if (!s) throw new Error(`no server ${id} to isolate`);
    return s;
  }

  private async apply(): Promise<void> {
    const rules = [...this.cut].flatMap(([id, scope]) => isolationRules(this.server(id), this.servers.filter((o) => o.id !== id), scope));
    if (!exitHookInstalled) {
      exitHookInstalled = true;
      process.on('exit', removeOnExit);
    }
    liveTables.set(this.table, this.nft); // before the table exists: an exit mid-command still removes it
    await runNft(this.nft, tableScript(this.table, rules));
  }
}

/** The names of this host's zkbench tables (for tests: nothing may be left behind). */
export function zkbenchTables(): string[] {
  const nft = nftBinary();
  if (!nft) return [];
  const listing = execFileSync(nft, ['list', 'tables'], { encoding: 'utf8' });
  return [...listing.matchAll(/^table inet (zkbench_\S+)$/gm)].map((m) => m[1]!);
}
