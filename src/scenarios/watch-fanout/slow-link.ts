// A deliberately slow link for `link` slow watchers: a TCP proxy in the load process, one listening port
// per server, that forwards what a client sends at once and what the server sends `delayMs` later. The
// watcher's session connects through it, so its events, and the answers to its reads, really reach it
// late: the lateness shows in its notify latency because it is there, not because a figure was shifted.
import net from 'node:net';
import { parseConnectString } from '../../ensemble/existing.ts';
import { chrootOf } from '../../zk/connect-string.ts';

export class DelayingProxy {
  private readonly sockets = new Set<net.Socket>();

  private constructor(
    private readonly servers: net.Server[],
    /** Connect string of the proxy's ports, in the servers' order. */
    readonly connectString: string,
  ) {}

  static async start(connectString: string, delayMs: number): Promise<DelayingProxy> {
    const targets = parseConnectString(connectString);
    const servers: net.Server[] = [];
    const ports: number[] = [];
    let proxy: DelayingProxy | undefined;
    for (const t of targets) {
      const server = net.createServer((client) => proxy?.bridge(client, t.host, t.clientPort, delayMs));
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => resolve());
      });
      servers.push(server);
      ports.push((server.address() as net.AddressInfo).port);
    }
    // The sessions through the proxy keep the chroot of the string they replace.
    proxy = new DelayingProxy(servers, ports.map((p) => `127.0.0.1:${p}`).join(',') + (chrootOf(connectString) ?? ''));
    return proxy;
  }

  private bridge(client: net.Socket, host: string, port: number, delayMs: number): void {
    const server = net.connect({ host, port });
    for (const s of [client, server]) {
      s.setNoDelay(true);
      this.sockets.add(s);
      s.once('close', () => this.sockets.delete(s));
      // A reset on either side ends both; the ZooKeeper client reconnects on its own.
      s.on('error', () => {
        client.destroy();
        server.destroy();
      });
    }
    client.on('data', (chunk) => server.write(chunk));
    client.once('end', () => server.end());
    // Timers of one duration fire in the order they were set: the byte stream keeps its order.
    server.on('data', (chunk) => {
      setTimeout(() => {
        if (!client.destroyed) client.write(chunk);
      }, delayMs);
    });
    server.once('end', () => setTimeout(() => client.end(), delayMs));
  }

  close(): void {
    for (const s of this.servers) s.close();
    for (const s of this.sockets) s.destroy();
  }
}
