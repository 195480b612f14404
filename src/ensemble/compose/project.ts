// The ZooKeeper servers of a docker compose project, found from its containers (docker-compose labels
// them with the project and service): each server's id is its ZOO_MY_ID (the shipped file fixes one per
// service), its client address the host address its port 2181 is published on, else its address on the
// project's network (reachable from this host when the network is a local bridge).
import { dockerCli, type DockerCallOptions } from './docker-cli.ts';

/** What `docker inspect` says of a container, the parts used here. */
export interface ContainerInspect {
  Id: string;
  Name: string;
  State: { Status: string; Running: boolean; Paused: boolean; Pid: number; StartedAt: string };
  Config: { Env: string[] | null; Labels: Record<string, string> | null };
  HostConfig: { NetworkMode: string };
  NetworkSettings: {
    Ports: Record<string, { HostIp: string; HostPort: string }[] | null> | null;
    Networks: Record<string, { IPAddress: string }> | null;
  };
}

export interface ComposeServer {
  id: number;
  /** Container name (docker-compose: <project>_<service>_<n>). */
  container: string;
  containerId: string;
  service: string;
  host: string;
  clientPort: number;
  /** The networks it is attached to (isolation disconnects it from these). */
  networks: string[];
  /** Host PID of its first process (the JVM, which the entrypoint execs), while it runs. */
  pid: number | undefined;
  /** The GC log its JVM writes inside the container (JVMFLAGS' -Xlog:gc...:file=PATH), read with docker exec; undefined when it writes none. */
  gcLogFile: string | undefined;
  /** ZKBENCH_COMMIT_WAKEUP_GUARD_MS of its environment (docker/zookeeper's image: the ZOOKEEPER-4537 guard); undefined when unset. */
  commitWakeupGuardMs: number | undefined;
}

const PROJECT_LABEL = 'com.docker.compose.project';
const SERVICE_LABEL = 'com.docker.compose.service';
const CLIENT_PORT = 2181;

export async function inspectContainers(ids: readonly string[], opts: DockerCallOptions = {}): Promise<ContainerInspect[]> {
  if (ids.length === 0) return [];
  return JSON.parse(await dockerCli(['inspect', '--type', 'container', ...ids], opts)) as ContainerInspect[];
}

function envOf(c: ContainerInspect): Map<string, string> {
  const env = new Map<string, string>();
  for (const entry of c.Config.Env ?? []) {
    const eq = entry.indexOf('=');
    if (eq > 0) env.set(entry.slice(0, eq), entry.slice(eq + 1));
  }
  return env;
}

/** Where this host reaches the container's client port, or why it cannot. */
export function clientAddress(c: ContainerInspect): { host: string; port: number } | { why: string } {
  const published = c.NetworkSettings.Ports?.[`${CLIENT_PORT}/tcp`]?.find((p) => p.HostPort !== '');
  if (published) {
    // Published on every address: the loopback one reaches it.
    const host = published.HostIp === '' || published.HostIp === '0.0.0.0' ? '127.0.0.1' : published.HostIp === '::' ? '::1' : published.HostIp;
    return { host, port: Number(published.HostPort) };
  }
  if (c.HostConfig.NetworkMode === 'host') return { why: 'it runs with host networking and publishes no port; give its address with --connect' };
  const address = Object.values(c.NetworkSettings.Networks ?? {}).find((n) => n.IPAddress !== '')?.IPAddress;
  return address ? { host: address, port: CLIENT_PORT } : { why: 'it publishes no client port and has no network address (is it running?)' };
}

/**
 * The file a JVM's unified GC log goes to, from its flags (`-Xlog:gc*:file=/logs/gc.log:time,uptime`,
 * as docker-compose.yml sets in JVMFLAGS); undefined without one. Only the time-decorated form is
 * usable (pauses are placed in the run's windows by their times), so a log without `time` counts as none.
 */
export function gcLogFileOf(jvmFlags: string | undefined): string | undefined {
  for (const flag of (jvmFlags ?? '').split(/\s+/)) {
    const m = /^-Xlog:gc[^:]*:file=("?)([^":]+)\1(?::([^:]*))?/.exec(flag);
    if (m && (m[3] ?? '').split(',').includes('time')) return m[2];
  }
  return undefined;
}

export class ComposeProjectError extends Error {
  override name = 'ComposeProjectError';
}

/** The project's server containers (those with ZOO_MY_ID), by id; refuses duplicate ids and unreachable ones. */
export async function findComposeServers(project: string, opts: DockerCallOptions = {}): Promise<ComposeServer[]> {
  const ids = (await dockerCli(['ps', '--all', '--quiet', '--no-trunc', '--filter', `label=${PROJECT_LABEL}=${project}`], opts)).split('\n').filter(Boolean);
  const containers = (await inspectContainers(ids, opts)).filter((c) => envOf(c).has('ZOO_MY_ID'));
  if (containers.length === 0) {
    throw new ComposeProjectError(
      `--compose-project ${project}: no container of that project sets ZOO_MY_ID ` +
        `(docker ps --all --filter label=${PROJECT_LABEL}=${project}). Is it up (\`docker compose -p ${project} up -d\`)? ` +
        'The name is the one docker compose gave it: by default the name of the directory holding docker-compose.yml.',
    );
  }
  const servers = containers.map((c): ComposeServer => {
    const id = Number(envOf(c).get('ZOO_MY_ID'));
    const name = c.Name.replace(/^\//, '');
    if (!Number.isInteger(id) || id < 1) throw new ComposeProjectError(`--compose-project ${project}: container ${name} has ZOO_MY_ID="${envOf(c).get('ZOO_MY_ID')}", not a server id`);
    if (!c.State.Running) throw new ComposeProjectError(`--compose-project ${project}: server ${id} (container ${name}) is ${c.State.Status}; faults need every server up at the start (docker compose -p ${project} up -d)`);
    const address = clientAddress(c);
    if ('why' in address) throw new ComposeProjectError(`--compose-project ${project}: cannot reach server ${id} (container ${name}) from this host: ${address.why}`);
    return {
      id,
      container: name,
      containerId: c.Id,
      service: c.Config.Labels?.[SERVICE_LABEL] ?? name,
      host: address.host,
      clientPort: address.port,
      networks: Object.keys(c.NetworkSettings.Networks ?? {}),
      pid: c.State.Pid > 0 ? c.State.Pid : undefined,
      gcLogFile: gcLogFileOf(envOf(c).get('JVMFLAGS')),
      commitWakeupGuardMs: envOf(c).has('ZKBENCH_COMMIT_WAKEUP_GUARD_MS') ? Number(envOf(c).get('ZKBENCH_COMMIT_WAKEUP_GUARD_MS')) : undefined,
    };
  });
  const seen = new Map<number, string>();
  for (const s of servers) {
    const other = seen.get(s.id);
    if (other !== undefined) throw new ComposeProjectError(`--compose-project ${project}: containers ${other} and ${s.container} both have ZOO_MY_ID=${s.id}; every server needs its own id`);
    seen.set(s.id, s.container);
  }
  return servers.sort((a, b) => a.id - b.id);
}
