// A docker compose project's ZooKeeper servers as an Ensemble (kind 'compose'): observed like any
// --connect ensemble, and under zkbench's control for faults, since the user named the project.
import { connectStringOf, findLeader, findServerVersion, pollLeader } from '../queries.ts';
import type { ServerFileText } from '../server-files.ts';
import { dockerCli } from './docker-cli.ts';
import { parseConnectString } from '../existing.ts';
import type { Ensemble, LeaderPoll, ServerInfo } from '../types.ts';
import { ComposeServerControl, type ComposeServerInfo } from './control.ts';
import { ComposeProjectError, findComposeServers } from './project.ts';

/** Container ports of the servers' quorum and election traffic (docker-compose.yml's ZOO_SERVERS). */
const QUORUM_PORT = 2888;
const ELECTION_PORT = 3888;

export class ComposeEnsemble implements Ensemble {
  readonly kind = 'compose';
  readonly settings = undefined;
  readonly connectString: string;

  constructor(
    readonly project: string,
    readonly control: ComposeServerControl,
    connectString?: string,
    /** The ZOOKEEPER-4537 guard's period when every server runs it (docker/zookeeper's image), else undefined. */
    readonly commitWakeupGuardMs?: number,
  ) {
    this.connectString = connectString ?? connectStringOf(control.servers);
  }

  get servers(): readonly ServerInfo[] {
    return this.control.servers;
  }

  leader(): Promise<ServerInfo | undefined> {
    return findLeader(this.servers);
  }

  pollLeader(): Promise<LeaderPoll> {
    return pollLeader(this.servers);
  }

  serverVersion(): Promise<string | undefined> {
    return findServerVersion(this.servers);
  }

  async serverCpuSeconds(): Promise<Map<number, number>> {
    return this.control.cpuSeconds();
  }

  /** The containers are the user's: a run leaves them as it found them (faults restore them), up. */
  async close(): Promise<void> {}

  /** What a run against it cannot tell, for its notes. */
  notMeasured(): string[] {
    const without = this.control.servers.filter((s) => s.gcLogFile === undefined).map((s) => s.id);
    if (without.length === 0) return [];
    return [
      `server GC pauses: not measured for server(s) ${without.join(', ')} (their JVMFLAGS write no time-decorated GC log, e.g. -Xlog:gc*:file=/logs/gc.log:time,uptime, ` +
        'which docker-compose.yml sets and zkbench reads with docker exec); the servers\' warnings come from docker logs',
    ];
  }

  /**
   * What each server logged since `since` (docker logs: the container's output, across restarts). Its
   * warnings count as an embedded server's do when the lines carry ISO-8601 times (docker/zookeeper's
   * image; the official image's logback format is one server-log.ts reads too, not run here); the GC
   * log, when its JVMFLAGS write one, read inside the container (docker exec cat).
   */
  async serverLogs(since: Date): Promise<ServerFileText[]> {
    return Promise.all(
      this.control.servers.map(async (s): Promise<ServerFileText> => {
        const missing: string[] = [];
        let gcLog: string | undefined;
        if (s.gcLogFile === undefined) missing.push(`GC log of server ${s.id}: its JVMFLAGS write none (-Xlog:gc*:file=...:time,uptime)`);
        else {
          // The file is the JVM's since its last start (a restart begins a new one); pauses are placed by their times.
          gcLog = await dockerCli(['exec', s.container, 'cat', s.gcLogFile], { timeoutMs: 60_000 }).catch((err: Error) => {
            missing.push(`GC log of server ${s.id} (${s.gcLogFile} in ${s.container}): ${err.message}`);
            return undefined;
          });
        }
        try {
          return { id: s.id, log: await dockerCli(['logs', '--since', since.toISOString(), s.container], { timeoutMs: 60_000 }), gcLog, missing };
        } catch (err) {
          return { id: s.id, log: undefined, gcLog, missing: [...missing, `log of server ${s.id}: ${(err as Error).message}`] };
        }
      }),
    );
  }
}

/**
 * The project's servers. With `connect` too, it must name the same client addresses (in any order):
 * clients use it as given, faults act on the containers behind it.
 */
export async function openComposeEnsemble(project: string, connect?: string): Promise<ComposeEnsemble> {
  const found = await findComposeServers(project);
  const servers: ComposeServerInfo[] = found.map((s) => ({
    id: s.id,
    host: s.host,
    clientPort: s.clientPort,
    ...(s.pid !== undefined ? { pid: s.pid } : {}),
    quorumPort: QUORUM_PORT,
    electionPort: ELECTION_PORT,
    sourceBound: false,
    container: s.container,
    networks: s.networks,
    ...(s.gcLogFile !== undefined ? { gcLogFile: s.gcLogFile } : {}),
  }));
  if (connect !== undefined) {
    const key = (s: { host: string; clientPort: number }) => `${s.host}:${s.clientPort}`;
    const given = new Set(parseConnectString(connect).map(key));
    const theirs = new Set(servers.map(key));
    if (given.size !== theirs.size || [...given].some((a) => !theirs.has(a))) {
      throw new ComposeProjectError(
        `--connect ${connect} is not the servers of compose project ${project}, which listen at ${[...theirs].join(',')}; ` +
          'give that list, or drop --connect (zkbench then uses it)',
      );
    }
  }
  const guards = new Set(found.map((s) => s.commitWakeupGuardMs));
  const [guard] = guards;
  return new ComposeEnsemble(project, new ComposeServerControl(project, servers), connect, guards.size === 1 && guard !== undefined && guard > 0 ? guard : undefined);
}
