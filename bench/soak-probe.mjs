// Preloaded into every node process of a soak (NODE_OPTIONS=--import ...): every 10 s it writes its own
// heap use and event-loop delay since the last write to $ZKBENCH_SOAK_PROBE_DIR/<pid>.json, which the
// soak's sampler reads. Its timer is unref'd (it keeps no process alive) and it writes nothing to stdout.
import fs from 'node:fs';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const dir = process.env.ZKBENCH_SOAK_PROBE_DIR;
if (dir) {
  const h = monitorEventLoopDelay({ resolution: 20 });
  h.enable();
  const file = path.join(dir, `${process.pid}.json`);
  const write = () => {
    const m = process.memoryUsage();
    const doc = { at: Date.now(), heapUsedMiB: m.heapUsed / 2 ** 20, externalMiB: m.external / 2 ** 20, eldP99Ms: h.percentile(99) / 1e6, eldMaxMs: h.max / 1e6 };
    h.reset();
    try {
      fs.writeFileSync(`${file}.tmp`, JSON.stringify(doc));
      fs.renameSync(`${file}.tmp`, file);
    } catch {
      // the soak removed its directory: nothing to report to
    }
  };
  setInterval(write, 10_000).unref();
  setTimeout(write, 1_000).unref();
}
