// Entry point of a local load process (`--workers N`): the coordinator's messages arrive over
// child_process IPC and go to the LoadProcessHandler, which runs the scenarios' load sides handed down here. It never outlives the coordinator: when the IPC
// channel closes (the parent died or gave up on it), it exits at once.
import { loadSides } from '../scenarios/registry.ts';
import { LoadProcessHandler } from '../workers/load-process.ts';
import type { FromWorker, ToWorker } from '../workers/protocol.ts';
import { useInheritedAccess } from '../zk/credentials.ts';

// TEST ONLY (the soak's planted leak, docs/soak.md): ZKBENCH_TEST_LEAK=1 makes this load process keep
// every message it sends (progress, scenario events, results) with a 256 KiB buffer each, never freed, so
// that a soak can be shown to fail its verdict. Honoured here only: no other process reads it.
const leaked: unknown[] | undefined = process.env.ZKBENCH_TEST_LEAK === '1' ? [] : undefined;

function send(msg: FromWorker): void {
  leaked?.push([msg, Buffer.alloc(256 * 1024, 1)]);
  if (process.connected) process.send?.(msg);
}

// Ctrl-C and a SIGTERM to the process group reach every process; only the coordinator decides how a
// load process stops, so that it can still close its sessions and report.
process.on('SIGINT', () => undefined);
process.on('SIGTERM', () => undefined);
process.on('disconnect', () => process.exit(1));

useInheritedAccess();
const handler = new LoadProcessHandler(send, loadSides);

process.on('message', (msg: ToWorker) => {
  handler.handle(msg);
  if (msg.type === 'exit') {
    process.disconnect();
    process.exit(0);
  }
});
