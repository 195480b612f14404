// Watcher traces packed into one Float64Array for the trip from a load process to the coordinator: 5,000
// watchers × a hundred updates are half a million events, which as objects cost more to clone than to
// measure. Timestamps are run-clock ns, exact in a double. Pure.
import type { WatcherTrace } from '../../measure/watch-records.ts';

// Per watcher: id, arm (start, done, version), event count, then per event: armed version, arrival,
// re-arm (start, done, version; NaN when the watcher stopped before re-arming).
const HEAD = 5;
const EVENT = 5;

export function encodeTraces(traces: readonly WatcherTrace[]): Float64Array {
  const size = traces.reduce((n, t) => n + HEAD + EVENT * t.events.length, 0);
  const out = new Float64Array(size);
  let i = 0;
  for (const t of traces) {
    out[i++] = t.watcher;
    out[i++] = t.arm.startNs;
    out[i++] = t.arm.doneNs;
    out[i++] = t.arm.version;
    out[i++] = t.events.length;
    for (const e of t.events) {
      out[i++] = e.armedVersion;
      out[i++] = e.arrivalNs;
      out[i++] = e.rearm?.startNs ?? Number.NaN;
      out[i++] = e.rearm?.doneNs ?? Number.NaN;
      out[i++] = e.rearm?.version ?? Number.NaN;
    }
  }
  return out;
}

export function decodeTraces(packed: Float64Array): WatcherTrace[] {
  const traces: WatcherTrace[] = [];
  let i = 0;
  const next = (): number => {
    if (i >= packed.length) throw new Error(`packed watcher traces end early, at value ${i}`);
    return packed[i++]!;
  };
  while (i < packed.length) {
    const watcher = next();
    const arm = { startNs: next(), doneNs: next(), version: next() };
    const count = next();
    const events: WatcherTrace['events'] = [];
    for (let k = 0; k < count; k++) {
      const armedVersion = next();
      const arrivalNs = next();
      const [startNs, doneNs, version] = [next(), next(), next()];
      events.push(Number.isNaN(version) ? { armedVersion, arrivalNs } : { armedVersion, arrivalNs, rearm: { startNs, doneNs, version } });
    }
    traces.push({ watcher, arm, events });
  }
  return traces;
}
