// An ensemble of ZooKeeper server JVMs started by this process, each on its own loopback address
// (127.0.0.2, 127.0.0.3, ...: source-address.ts) and free ports there, each in its own temp data dir. Non-detached servers are tied to this process by a shell watchdog, so they die
// even when it is SIGKILLed; detached ones (`zkbench ensemble up`) outlive it on purpose.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { trackChild, untrackChild } from '../process/child-guard.ts';
import { writeOwner } from '../process/run-owner.ts';
import { freeLoopbackPorts } from './free-ports.ts';
import { askStatus } from './server-status.ts';
import { ZkSession } from '../zk/session.ts';
import { findZooKeeperInstallation, QUORUM_PEER_MAIN, SetupError, type ZooKeeperInstallation } from './installation.ts';
import { speakTlsTo } from './four-letter-words.ts';
import {
  makeSaslMaterial,
  makeTlsMaterial,
  nettyClasspath,
  saslJvmArgs,
  saslServerConfig,
  tlsServerConfig,
  type ClientSecurity,
  type SaslMaterial,
  type TlsMaterial,
} from './security.ts';
import { isRunning, processCpuSeconds } from './proc-stat.ts';
import { serverAddress, sourceBindingEnv } from './source-address.ts';
import { LAUNCHER_MAIN, launcherClassDir } from './server-launcher.ts';
import { connectStringOf, cpuSecondsByServer, findLeader, findServerVersion, pollLeader } from './queries.ts';
import { killProcess, pauseProcess, resumeProcess, stopProcess } from './stop-process.ts';
import type { ControlledServerInfo, Ensemble, EnsembleSettings, LeaderPoll, ServerControl, ServerInfo } from './types.ts';

export interface EmbeddedServerInfo extends ControlledServerInfo {
  /** PID of the server JVM itself (not of a wrapper); undefined while the server is stopped. */
  pid?: number;
  dataDir: string;
  configFile: string;
  logFile: string;
  gcLogFile: string;
}

export interface StartEmbeddedOptions {
  /** Start JVMs without the watchdog, in their own session, untracked: they outlive this process. */
  detached?: boolean;
  /** Directory for configs, data and logs (created; must be empty; removed by close()). Default: a fresh mkdtemp. */
  baseDir?: string;
  /** How long every server may take to report a Mode; default 60 s. */
  startTimeoutMs?: number;
  signal?: AbortSignal;
  /** Defaults to findZooKeeperInstallation(). */
  installation?: ZooKeeperInstallation;
  /**
   * Listen for clients on every address of the host (clientPortAddress=0.0.0.0), not only on each server's
   * own loopback address: load processes in other network namespaces or on other hosts (remote workers)
   * reach server N at <any host address>:<its client port>. Quorum and election ports, and the source
   * address of the servers' connections to each other, stay on the server's own address, so faults still
   * tell the servers apart; the connect string still names 127.0.0.(N+1).
   */
  clientsOnEveryAddress?: boolean;
  /** Tests: the names the TLS certificate carries instead of the servers' addresses (a mismatched certificate). */
  tlsCertNames?: readonly string[];
  /**
   * Benchmarks of what security costs (bench/security-cost.ts), on one ensemble: a TLS ensemble also serves
   * plaintext on a second port per server (`plaintextConnectString`), and offers SASL DIGEST-MD5 to the
   * sessions that want it without requiring it.
   */
  comparable?: boolean;
}

const POLL_MS = 100;
const STOP_GRACE_MS = 5000;

// The watchdog. It starts the JVM ("$@") in the background, prints its PID, and then waits for it.
// A background subshell blocks reading the pipe that is this shell's stdin, whose write end only the
// Node parent holds: EOF there means the parent is gone (even by SIGKILL), and the JVM is killed.
// Background jobs of a non-interactive sh get stdin from /dev/null, hence the copy on fd 3 first.
// SIGKILL follows SIGTERM after 5 s, polled in 0.1 s steps so no long sleep outlives the JVM.
// When the JVM exits on its own (stopped by PID, crashed), the shell kills the reader and exits.
// A terminal's Ctrl-C reaches this shell too; it ignores it, so the reader never outlives its JVM's PID.
const WATCHDOG = `
trap '' INT
exec 3<&0
"$@" </dev/null >&2 3<&- &
jvm=$!
echo "$jvm"
( while read -r _; do :; done <&3
  kill -TERM "$jvm" 2>/dev/null
  i=0
  while kill -0 "$jvm" 2>/dev/null; do
    i=$((i + 1))
    if [ "$i" -gt ${STOP_GRACE_MS / 100} ]; then kill -KILL "$jvm" 2>/dev/null; break; fi
    sleep 0.1
  done ) </dev/null >/dev/null 2>&1 &
reader=$!
exec 3<&-
wait "$jvm"
status=$?
kill "$reader" 2>/dev/null
exit "$status"
`;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error('ensemble start aborted');
}

/** Last lines of a server log, for error messages. */
export function logTail(file: string, lines = 25): string {
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const size = fs.fstatSync(fd).size;
      const length = Math.min(size, 16 * 1024);
      const buf = Buffer.alloc(length);
      fs.readSync(fd, buf, 0, length, size - length);
      const text = buf.toString('utf8').trimEnd();
      return text === '' ? '(log is empty)' : text.split('\n').slice(-lines).join('\n');
    } finally {
      fs.closeSync(fd);
    }
  } catch (err) {
    return `(no log: ${(err as Error).message})`;
  }
}

function serverConfig(
  settings: EnsembleSettings,
  server: EmbeddedServerInfo,
  all: readonly EmbeddedServerInfo[],
  clientsOnEveryAddress: boolean,
  tls: TlsMaterial | undefined,
): string {
  const clientAddress = clientsOnEveryAddress ? '0.0.0.0' : server.host;
  const lines = [
    `tickTime=${settings.tickTimeMs}`,
    'initLimit=10',
    'syncLimit=5',
    `dataDir=${server.dataDir}`,
    // TLS-only: the client port is the secure one, and there is no plaintext one.
    ...(tls ? tlsServerConfig(tls, clientAddress, server.clientPort) : [`clientPort=${server.clientPort}`, `clientPortAddress=${clientAddress}`]),
    `maxClientCnxns=${settings.maxClientCnxns}`,
  ];
  if (settings.security === 'sasl') lines.push(...saslServerConfig());
  if (settings.minSessionTimeoutMs !== undefined) lines.push(`minSessionTimeout=${settings.minSessionTimeoutMs}`);
  if (settings.maxSessionTimeoutMs !== undefined) lines.push(`maxSessionTimeout=${settings.maxSessionTimeoutMs}`);
  const words = settings.fourLetterWords ?? 'all';
  lines.push(
    // all: srvr for leader/version, conf for settings; ruok and none: set up locked down (docs/auth-acl-chroot.md)
    `4lw.commands.whitelist=${words === 'all' ? '*' : words === 'ruok' ? 'ruok' : ''}`,
    ...(settings.adminServer && server.adminPort !== undefined
      ? ['admin.enableServer=true', `admin.serverAddress=${server.host}`, `admin.serverPort=${server.adminPort}`]
      : ['admin.enableServer=false']), // the Jetty admin server wants a port of its own
    'autopurge.purgeInterval=1', // long kept ensembles otherwise fill the disk with snapshots
    'autopurge.snapRetainCount=3',
  );
  // With no server.N lines QuorumPeerMain runs standalone, which is what a 1-server ensemble means.
  if (all.length > 1) {
    for (const s of all) lines.push(`server.${s.id}=${s.host}:${s.quorumPort}:${s.electionPort}`);
  }
  return lines.join('\n') + '\n';
}

// Every log line starts with an ISO-8601 timestamp with its UTC offset, so a run can tell which
// recipe a server's warning belongs to (server-log.ts).
const LOG_TIME_FORMAT = "yyyy-MM-dd'T'HH:mm:ss.SSSXXX";

// Apache distributions log through logback, whose default is DEBUG to stdout: keep their logs as
// quiet as slf4j-simple's warn level.
const LOGBACK_XML = `<configuration>
  <appender name="CONSOLE" class="ch.qos.logback.core.ConsoleAppender">
    <encoder><pattern>%d{${LOG_TIME_FORMAT}} [myid:%X{myid}] - %-5p [%t:%C{1}@%L] - %m%n</pattern></encoder>
  </appender>
  <root level="WARN"><appender-ref ref="CONSOLE"/></root>
</configuration>
`;

/**
 * The AdminServer starts only with Jetty 9, the servlet API 4 and Jackson on the class path (Debian's
 * zookeeper package depends on none of them: it logs "Unable to load jetty" and carries on without).
 */
const ADMIN_SERVER_JARS = ['jetty9-server', 'jetty9-servlet', 'jetty9-http', 'jetty9-io', 'jetty9-util', 'jetty9-security', 'servlet-api', 'jackson-core', 'jackson-databind', 'jackson-annotations'];

export function adminServerJars(dir = process.env['ZKBENCH_JAVA_DIR'] ?? '/usr/share/java'): string[] {
  const jars = ADMIN_SERVER_JARS.map((j) => path.join(dir, `${j}.jar`));
  const missing = jars.filter((j) => !fs.existsSync(j));
  if (missing.length > 0) {
    throw new SetupError(
      `the AdminServer needs ${missing.map((j) => path.basename(j)).join(', ')} in ${dir}: ` +
        '`apt-get install libjetty9-java libservlet-api-java libjackson2-core-java libjackson2-databind-java libjackson2-annotations-java` (npm run setup does)',
    );
  }
  return jars;
}

function validateSettings(settings: EnsembleSettings): void {
  const positiveInt = (v: number) => Number.isInteger(v) && v > 0;
  if (!positiveInt(settings.servers)) throw new Error(`ensemble servers must be a positive integer, got ${settings.servers}`);
  if (!positiveInt(settings.tickTimeMs)) throw new Error(`tickTimeMs must be a positive integer, got ${settings.tickTimeMs}`);
  if (!positiveInt(settings.heapMb)) throw new Error(`heapMb must be a positive integer, got ${settings.heapMb}`);
  if (!Number.isInteger(settings.commitWakeupGuardMs) || settings.commitWakeupGuardMs < 0) {
    throw new Error(`commitWakeupGuardMs must be 0 (off) or a positive integer, got ${settings.commitWakeupGuardMs}`);
  }
  if (!Number.isInteger(settings.maxClientCnxns) || settings.maxClientCnxns < 0) {
    throw new Error(`maxClientCnxns must be 0 (unlimited) or a positive integer, got ${settings.maxClientCnxns}`);
  }
}

/** Read the first line a child writes on stdout (the watchdog's JVM PID). */
function firstLine(stream: Readable, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const done = (err: Error | undefined, line?: string) => {
      clearTimeout(timer);
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', onError);
      if (err) reject(err);
      else resolve(line ?? '');
    };
    const onData = (chunk: Buffer) => {
      text += chunk.toString('utf8');
      const nl = text.indexOf('\n');
      if (nl >= 0) done(undefined, text.slice(0, nl).trim());
    };
    const onEnd = () => done(new Error('watchdog exited before printing the server PID'));
    const onError = (err: Error) => done(err);
    const timer = setTimeout(() => done(new Error('watchdog printed no server PID within 10 s')), timeoutMs);
    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('error', onError);
  });
}

export class EmbeddedEnsemble implements Ensemble, ServerControl {
  readonly kind = 'embedded' as const;
  readonly connectString: string;
  readonly settings: EnsembleSettings;
  readonly baseDir: string;
  readonly detached: boolean;
  readonly installation: ZooKeeperInstallation;
  private readonly serverList: EmbeddedServerInfo[];
  /** CPU seconds of each server's earlier processes (killed, restarted), so its CPU figure never goes back. */
  private readonly earlierCpuSeconds = new Map<number, number>();
  private closing: Promise<void> | undefined;
  // Exiting without close(): child-guard's exit hook (registered earlier, so it runs first) SIGKILLs
  // the JVMs; this one removes the temp dir. Detached ensembles keep theirs.
  private readonly removeDirOnExit = () => {
    try {
      fs.rmSync(this.baseDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
    } catch {
      // best effort while exiting
    }
  };

  /** Use startEmbeddedEnsemble(); the constructor only lays out the servers. `ports[i]`: server i+1's client, quorum and election ports. */
  /** Clients may connect on every address of the host (StartEmbeddedOptions.clientsOnEveryAddress). */
  clientsOnEveryAddress = false;
  /** Tests: names the TLS certificate carries instead of the servers' addresses. */
  tlsCertNames: readonly string[] | undefined;
  /** StartEmbeddedOptions.comparable: plaintext ports beside the TLS ones, SASL offered. */
  comparable = false;
  /** comparable: the servers' plaintext ports. */
  plaintextConnectString: string | undefined;
  private plaintextPorts = new Map<number, number>();
  private tls: TlsMaterial | undefined;
  private sasl: SaslMaterial | undefined;
  private readonly forgetTls: (() => void)[] = [];

  /** What a client needs to reach this ensemble when it is locked down (settings.security); undefined when it is open. */
  get clientSecurity(): ClientSecurity | undefined {
    const tls = this.tls ? { tls: { ca: this.tls.caFile } } : {};
    const sasl = this.sasl ? { sasl: { mechanism: 'DIGEST-MD5' as const, user: this.sasl.user, password: this.sasl.password } } : {};
    return this.tls || this.sasl ? { ...tls, ...sasl } : undefined;
  }

  constructor(settings: EnsembleSettings, baseDir: string, installation: ZooKeeperInstallation, detached: boolean, ports: readonly (readonly number[])[]) {
    this.settings = { ...settings };
    this.baseDir = baseDir;
    this.installation = installation;
    this.detached = detached;
    this.serverList = [];
    for (let i = 0; i < settings.servers; i++) {
      const id = i + 1;
      const port = (k: number) => {
        const p = ports[i]?.[k];
        if (p === undefined) throw new Error('not enough ports');
        return p;
      };
      this.serverList.push({
        id,
        host: serverAddress(id),
        clientPort: port(0),
        quorumPort: port(1),
        electionPort: port(2),
        ...(settings.adminServer ? { adminPort: port(3) } : {}),
        sourceBound: false,
        dataDir: path.join(baseDir, `data${id}`),
        configFile: path.join(baseDir, `zoo${id}.cfg`),
        logFile: path.join(baseDir, `server${id}.log`),
        gcLogFile: path.join(baseDir, `server${id}.gc.log`),
      });
    }
    this.connectString = connectStringOf(this.serverList);
    if (!detached) process.on('exit', this.removeDirOnExit);
  }

  get servers(): readonly EmbeddedServerInfo[] {
    return this.serverList;
  }

  /** Faults act on the servers' processes directly (src/ensemble/faults). */
  get control(): ServerControl {
    return this;
  }

  server(id: number): EmbeddedServerInfo {
    const s = this.serverList.find((x) => x.id === id);
    if (!s) throw new Error(`no server ${id} in this ensemble (ids 1..${this.serverList.length})`);
    return s;
  }

  /** comparable TLS ensembles: one more free port per server, for plaintext clients. */
  async addPlaintextPorts(): Promise<void> {
    for (const s of this.serverList) {
      const taken = [s.clientPort, s.quorumPort, s.electionPort];
      let port: number;
      do port = (await freeLoopbackPorts(1, s.host))[0]!;
      while (taken.includes(port));
      this.plaintextPorts.set(s.id, port);
    }
    this.plaintextConnectString = this.serverList.map((s) => `${s.host}:${this.plaintextPorts.get(s.id)}`).join(',');
  }

  /** Write configs and myid files; called once before the first start. */
  writeConfigs(): void {
    const usesLogback = this.installation.classpath.some((j) => path.basename(j).startsWith('logback-classic'));
    if (usesLogback) fs.writeFileSync(path.join(this.baseDir, 'logback.xml'), LOGBACK_XML);
    if (this.settings.security === 'tls' && !this.tls) {
      this.tls = makeTlsMaterial(this.baseDir, this.installation.java, this.serverList.map((s) => s.host), this.tlsCertNames);
      // zkbench's own four-letter words (srvr, mntr) go over TLS too: there is no plaintext port.
      const ca = fs.readFileSync(this.tls.caFile, 'utf8');
      for (const s of this.serverList) this.forgetTls.push(speakTlsTo(s.host, s.clientPort, { ca, verify: this.tlsCertNames === undefined }));
    }
    if ((this.settings.security === 'sasl' || this.comparable) && !this.sasl) this.sasl = makeSaslMaterial(this.baseDir);
    for (const s of this.serverList) {
      fs.mkdirSync(s.dataDir, { recursive: true });
      fs.writeFileSync(path.join(s.dataDir, 'myid'), `${s.id}\n`);
      let config = serverConfig(this.settings, s, this.serverList, this.clientsOnEveryAddress, this.tls);
      if (this.comparable) {
        const plain = this.plaintextPorts.get(s.id);
        if (this.tls && plain !== undefined) config += `clientPort=${plain}\nclientPortAddress=${s.host}\n`;
        if (this.settings.security !== 'sasl') config += 'authProvider.1=org.apache.zookeeper.server.auth.SASLAuthenticationProvider\n';
      }
      fs.writeFileSync(s.configFile, config);
    }
  }

  private jvmArgs(s: EmbeddedServerInfo): string[] {
    const args = [
      `-Xmx${this.settings.heapMb}m`,
      '-Dorg.slf4j.simpleLogger.defaultLogLevel=warn',
      '-Dorg.slf4j.simpleLogger.showDateTime=true',
      `-Dorg.slf4j.simpleLogger.dateTimeFormat=${LOG_TIME_FORMAT}`,
      // Every GC event with wall-clock time and uptime, for the pauses a run reports (gc-log.ts).
      `-Xlog:gc*:file=${s.gcLogFile}:time,uptime`,
      '-Dzookeeper.jmx.log4j.disable=true',
      `-Dzkbench.server=${s.id}`, // lets a person tell the JVMs apart in ps
    ];
    const logback = path.join(this.baseDir, 'logback.xml');
    if (fs.existsSync(logback)) args.push(`-Dlogback.configurationFile=${logback}`);
    if (this.sasl) args.push(...saslJvmArgs(this.sasl));
    const serverClasspath = [
      ...this.installation.classpath,
      ...(this.tls ? nettyClasspath(this.installation.classpath) : []),
      ...(this.settings.adminServer ? adminServerJars() : []),
    ];
    const guardMs = this.settings.commitWakeupGuardMs;
    if (guardMs > 0) {
      // The launcher runs QuorumPeerMain itself (still named on the command line, for ps) beside the guard.
      const classpath = [launcherClassDir(this.installation), ...serverClasspath];
      args.push(`-Dzkbench.commitWakeupGuardMs=${guardMs}`, '-cp', classpath.join(path.delimiter), LAUNCHER_MAIN, QUORUM_PEER_MAIN, s.configFile);
    } else {
      args.push('-cp', serverClasspath.join(path.delimiter), QUORUM_PEER_MAIN, s.configFile);
    }
    return args;
  }

  /** Start one server's JVM (not waiting for it to serve); sets its pid. */
  async launch(id: number): Promise<void> {
    const s = this.server(id);
    if (s.pid !== undefined && isRunning(s.pid)) throw new Error(`server ${id} is already running (pid ${s.pid})`);
    const logFd = fs.openSync(s.logFile, 'a');
    // Its connections to the other servers leave from its own address (source-address.ts).
    const { env, bound } = sourceBindingEnv(s.host);
    s.sourceBound = bound;
    try {
      if (this.detached) {
        const child = spawn(this.installation.java, this.jvmArgs(s), {
          detached: true, // own session: a Ctrl-C in the terminal that ran `ensemble up` must not reach it
          stdio: ['ignore', logFd, logFd],
          cwd: this.baseDir,
          env,
        });
        child.on('error', () => {}); // a failed exec shows up as a dead pid below
        child.unref();
        if (child.pid === undefined) throw new Error(`could not start ${this.installation.java} for server ${id}`);
        s.pid = child.pid;
        return;
      }
      const wrapper = spawn('sh', ['-c', WATCHDOG, 'zkbench-watchdog', this.installation.java, ...this.jvmArgs(s)], {
        stdio: ['pipe', 'pipe', logFd],
        cwd: this.baseDir,
        env,
      });
      wrapper.on('error', () => {});
      const stdout = wrapper.stdout as Readable;
      const pid = Number.parseInt(await firstLine(stdout, 10_000), 10);
      if (!Number.isInteger(pid) || pid <= 0) throw new Error(`watchdog for server ${id} printed no PID`);
      s.pid = pid;
      trackChild(pid, `zookeeper server ${id} (${s.configFile})`);
      // Nothing more comes on stdout. Neither the wrapper nor its pipes may keep this process alive:
      // the ensemble's lifetime is close(), the exit hook of child-guard, or the watchdog.
      stdout.destroy();
      wrapper.unref();
      (wrapper.stdin as unknown as { unref?: () => void }).unref?.();
      wrapper.stdin?.on('error', () => {}); // EPIPE if the wrapper is gone when we end stdin
    } finally {
      fs.closeSync(logFd);
    }
  }

  /**
   * Wait until each server in `ids` answers `srvr` with a Mode. Throws (with the log tail) when one
   * exits or `timeoutMs` passes; does not stop anything itself.
   */
  /**
   * Whether a server serves: it reports a Mode (srvr, else its AdminServer). A server allowed neither is
   * asked by opening a session with it: one that takes a session serves.
   */
  private async serves(s: EmbeddedServerInfo): Promise<boolean> {
    const answer = await askStatus(s, 1000);
    if ('srvr' in answer) return answer.srvr.mode !== undefined;
    if ((this.settings.fourLetterWords ?? 'all') === 'all' || this.settings.adminServer) return false; // not listening yet
    const session = await ZkSession.open({ connect: `${s.host}:${s.clientPort}`, sessionTimeoutMs: 4000, connectTimeoutMs: 1000, credential: null }).catch(() => undefined);
    session?.close();
    return session !== undefined;
  }

  async waitUntilServing(ids: readonly number[] = this.serverList.map((s) => s.id), timeoutMs = 60_000, signal?: AbortSignal): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const pending = new Set(ids);
    for (;;) {
      if (signal?.aborted) throw abortError(signal);
      for (const id of [...pending]) {
        const s = this.server(id);
        if (s.pid === undefined || !isRunning(s.pid)) {
          throw new Error(`ZooKeeper server ${id} (port ${s.clientPort}) exited during start-up; last lines of ${s.logFile}:\n${logTail(s.logFile)}`);
        }
        if (await this.serves(s)) pending.delete(id);
      }
      if (pending.size === 0) return;
      if (Date.now() >= deadline) {
        const tails = [...pending].map((id) => {
          const s = this.server(id);
          return `--- server ${id} (port ${s.clientPort}), ${s.logFile}:\n${logTail(s.logFile)}`;
        });
        throw new Error(`ZooKeeper servers ${[...pending].join(', ')} reported no Mode within ${timeoutMs} ms\n${tails.join('\n')}`);
      }
      await sleep(POLL_MS);
    }
  }

  /** Stop one server: SIGTERM then SIGKILL (`kill: true` = SIGKILL at once, a crash). */
  async stopServer(id: number, opts: { kill?: boolean } = {}): Promise<void> {
    const s = this.server(id);
    const pid = s.pid;
    if (pid === undefined) return;
    const cpu = processCpuSeconds(pid);
    if (cpu !== undefined) this.earlierCpuSeconds.set(id, (this.earlierCpuSeconds.get(id) ?? 0) + cpu);
    if (opts.kill) await killProcess(pid);
    else await stopProcess(pid, STOP_GRACE_MS);
    untrackChild(pid);
    delete s.pid;
  }

  /** Start a stopped server again with the same ports and data, and wait until it serves. */
  async restartServer(id: number, opts: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<void> {
    const s = this.server(id);
    if (s.pid !== undefined) await this.stopServer(id);
    await this.launch(id);
    await this.waitUntilServing([id], opts.timeoutMs ?? 60_000, opts.signal);
  }

  /** A crash: SIGKILL, resolved once the process is gone. */
  killServer(id: number): Promise<void> {
    return this.stopServer(id, { kill: true });
  }

  /** SIGSTOP: the JVM stays, answering nothing, until resumeServer. */
  pauseServer(id: number): Promise<void> {
    return pauseProcess(this.runningPid(id));
  }

  resumeServer(id: number): Promise<void> {
    return resumeProcess(this.runningPid(id));
  }

  private runningPid(id: number): number {
    const pid = this.server(id).pid;
    if (pid === undefined) throw new Error(`server ${id} is not running`);
    return pid;
  }

  leader(): Promise<ServerInfo | undefined> {
    return findLeader(this.serverList.filter((s) => s.pid !== undefined));
  }

  /** Servers it stopped or killed are not asked: they are known not to lead. */
  pollLeader(): Promise<LeaderPoll> {
    return pollLeader(this.serverList.filter((s) => s.pid !== undefined));
  }

  serverVersion(): Promise<string | undefined> {
    return findServerVersion(this.serverList);
  }

  async serverCpuSeconds(): Promise<Map<number, number>> {
    const now = cpuSecondsByServer(this.serverList);
    for (const [id, earlier] of this.earlierCpuSeconds) now.set(id, earlier + (now.get(id) ?? 0));
    return now;
  }

  /** Stop every server and remove the base dir; safe to call twice. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      const results = await Promise.allSettled(this.serverList.map((s) => this.stopServer(s.id)));
      fs.rmSync(this.baseDir, { recursive: true, force: true });
      for (const forget of this.forgetTls.splice(0)) forget();
      process.off('exit', this.removeDirOnExit);
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
    })();
    return this.closing;
  }
}

function prepareBaseDir(baseDir: string | undefined): string {
  if (baseDir === undefined) return fs.mkdtempSync(path.join(os.tmpdir(), 'zkbench-ensemble-'));
  fs.mkdirSync(baseDir, { recursive: true });
  // close() removes the directory, so refuse one that holds anything we did not put there.
  if (fs.readdirSync(baseDir).length > 0) throw new Error(`ensemble base dir ${baseDir} is not empty`);
  return baseDir;
}

/** Start `settings.servers` ZooKeeper servers and resolve once every one reports a Mode. */
export async function startEmbeddedEnsemble(settings: EnsembleSettings, opts: StartEmbeddedOptions = {}): Promise<EmbeddedEnsemble> {
  validateSettings(settings);
  const installation = opts.installation ?? findZooKeeperInstallation();
  if (opts.signal?.aborted) throw abortError(opts.signal);
  if (settings.commitWakeupGuardMs > 0) launcherClassDir(installation); // a missing javac fails here, before anything starts
  const ports: number[][] = [];
  for (let id = 1; id <= settings.servers; id++) {
    const own = await freeLoopbackPorts(settings.adminServer ? 4 : 3, serverAddress(id));
    // A client port on every address must be free on all of them: probed on the wildcard address.
    if (opts.clientsOnEveryAddress) own[0] = (await freeLoopbackPorts(1, '0.0.0.0'))[0]!;
    ports.push(own);
  }
  const baseDir = prepareBaseDir(opts.baseDir);
  // Whose it is, so a later run or `zkbench clean` removes it if this process dies without its exit hook
  // (SIGKILL). A detached (kept) ensemble outlives its starter: its servers' command lines name the dir.
  if (!opts.detached) writeOwner(baseDir);
  const ensemble = new EmbeddedEnsemble(settings, baseDir, installation, opts.detached ?? false, ports);
  ensemble.clientsOnEveryAddress = opts.clientsOnEveryAddress ?? false;
  ensemble.tlsCertNames = opts.tlsCertNames;
  if (opts.comparable) {
    ensemble.comparable = true;
    if (settings.security === 'tls') await ensemble.addPlaintextPorts();
  }
  try {
    ensemble.writeConfigs();
    for (const s of ensemble.servers) await ensemble.launch(s.id);
    await ensemble.waitUntilServing(undefined, opts.startTimeoutMs ?? 60_000, opts.signal);
    return ensemble;
  } catch (err) {
    await ensemble.close().catch(() => {});
    throw err;
  }
}
