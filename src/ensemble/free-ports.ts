// Free loopback TCP ports for embedded servers. Fixed ports would collide with a second run, a kept
// ensemble or a docker one on 2181-2183. Each server listens on its own loopback address, so a port is
// probed on the address that will bind it.
import net from 'node:net';

// Ports handed out earlier in this process: the kernel may offer one again after we close it and
// before the JVM that was meant to bind it has started.
const handedOut = new Set<number>();

function bindOne(host: string): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen({ host, port: 0, exclusive: true }, () => resolve(server));
  });
}

function closeServer(server: net.Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/** `n` distinct ports that were free on `host` a moment ago (all held open together, so distinct). */
export async function freeLoopbackPorts(n: number, host = '127.0.0.1'): Promise<number[]> {
  if (!Number.isInteger(n) || n < 0) throw new Error(`freeLoopbackPorts: n must be a non-negative integer, got ${n}`);
  const held: net.Server[] = [];
  const ports: number[] = [];
  try {
    let attempts = 0;
    while (ports.length < n) {
      if (++attempts > n * 20 + 100) throw new Error(`could not find ${n} free ports on ${host}`);
      const server = await bindOne(host);
      held.push(server);
      const address = server.address();
      if (address === null || typeof address === 'string') continue;
      if (handedOut.has(address.port)) continue; // keep it held so the kernel offers another
      ports.push(address.port);
    }
  } finally {
    await Promise.all(held.map(closeServer));
  }
  for (const p of ports) handedOut.add(p);
  return ports;
}
