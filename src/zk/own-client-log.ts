// The coordinator's own ZooKeeper C client log (its leader polls, write probes, barriers and the sessions
// of the scenarios that run in it): the patched binding (level 7) writes it into a pipe, read here like a
// load process's stderr, so that its lines reach the run's client.log and are counted, not printed among
// the progress lines.
import net from 'node:net';
import { routeClientLog } from '../process/client-log.ts';
import { ZooKeeperBinding } from './binding.ts';

let routed = false;

/**
 * From now on, the C client's log lines of this process go to the run's client.log (process/client-log.ts).
 * Process-wide and once: the C client has one log stream per process. Lines still in the pipe when a run
 * is written are counted with the next run of the same process.
 */
export function routeOwnClientLog(): void {
  if (routed) return;
  const { zkbenchLogToPipe: logToPipe } = ZooKeeperBinding.constants as unknown as { zkbenchLogToPipe?: () => number };
  if (typeof logToPipe !== 'function') return; // an unpatched addon is refused before any session opens
  const fd = logToPipe();
  const stream = new net.Socket({ fd, readable: true, writable: false });
  stream.unref(); // the log never keeps the process alive
  routeClientLog(stream, 'coordinator');
  routed = true;
}
