// The load-process side of ensemble-failover: every client keeps one request in flight on its own counter
// node (closed loop). Writers increment it with a conditional setData (the version they last saw), so a
// write is applied at most once and every acknowledged value is known; after a connection loss, whose
// outcome the client cannot know, the writer reads the node again to learn the value and version. Readers
// getData it. Each session's successes answer the coordinator's "fault N took effect at t".
import type { RunClock } from '../../measure/clock.ts';
import type { TimeToEvent } from '../../measure/time-to-event.ts';
import { ThroughputRecorder } from '../../measure/throughput-recorder.ts';
import { ZBADVERSION, ZCONNECTIONLOSS, ZSESSIONEXPIRED } from '../../zk/binding.ts';
import { codeName, ZkError } from '../../zk/errors.ts';
import type { SessionSet } from '../../zk/session-set.ts';
import type { ZkSession } from '../../zk/session.ts';
import type { ScenarioRun } from '../../workers/load-side.ts';
import type { RunWindow } from '../../measure/measured-window.ts';
import type { FailoverPlan, FailoverWorkerReport, FaultTookEffect } from './plan.ts';
import { SessionReplacer } from './replacements.ts';
import { SessionGaps } from './session-gaps.ts';

/** Pause after a failed request, so a client does not spin against a server that is down. */
const RETRY_PAUSE_MS = 10;
/** Pause after a fresh session could not be opened (each attempt already waited out its connect timeout). */
const REPLACE_RETRY_MS = 100;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const codeOf = (err: unknown): number => (err instanceof ZkError ? err.code : ZCONNECTIONLOSS);

export function start(planData: unknown, sessions: SessionSet, clock: RunClock, window: RunWindow, stop: AbortSignal): ScenarioRun {
  const plan = planData as FailoverPlan;
  const recorder = new ThroughputRecorder(window);
  const gaps = plan.clientIds.map(() => new SessionGaps());
  const acknowledged: Record<string, number> = {};
  let unknownWrites = 0;
  let connectionLosses = 0;
  const unwatch = sessions.watchEvents((e) => {
    if (e === 'session disconnected') connectionLosses++;
  });
  // The last fault's window closes at the measured window's end, or earlier when the run is stopped early.
  let stoppedAt: number | undefined;
  stop.addEventListener('abort', () => (stoppedAt = clock.now()), { once: true });

  const fail = (err: unknown): number => {
    const code = codeOf(err);
    recorder.failed(codeName(code), clock.now());
    return code;
  };
  // An expired session is replaced before the client goes on; replacements that fail are counted by reason.
  const replacer = new SessionReplacer(stop, () => sleep(REPLACE_RETRY_MS));
  const session = (slot: number, code: number): Promise<ZkSession | undefined> =>
    replacer.next({ held: () => sessions.held(slot), replace: () => sessions.replace(slot) }, code === ZSESSIONEXPIRED);

  async function reader(slot: number, path: string): Promise<void> {
    let zk = sessions.at(slot);
    while (!stop.aborted) {
      const start = clock.now();
      try {
        await zk.get(path);
        const end = clock.now();
        recorder.completed(start, end);
        gaps[slot]!.succeeded(end);
      } catch (err) {
        const next = await session(slot, fail(err));
        if (!next) return;
        zk = next;
        await sleep(RETRY_PAUSE_MS);
      }
    }
  }

  async function writer(slot: number, id: number, path: string): Promise<void> {
    let zk = sessions.at(slot);
    let value = 0;
    let version = 0;
    let resync = false;
    acknowledged[id] = 0;
    while (!stop.aborted) {
      const start = clock.now();
      try {
        if (resync) {
          // After a lost answer (or a version conflict it caused): the node says what was applied.
          const { data, stat } = await zk.get(path);
          [value, version, resync] = [Number(data.toString()), stat.version, false];
        } else {
          const stat = await zk.set(path, String(value + 1), version);
          value += 1;
          version = stat.version;
          acknowledged[id] = Math.max(acknowledged[id]!, value);
        }
        const end = clock.now();
        recorder.completed(start, end);
        gaps[slot]!.succeeded(end);
      } catch (err) {
        const code = fail(err);
        // A refused version means an earlier write whose answer was lost did land; any other failure of a
        // setData leaves its outcome unknown (connection loss, timeout, expiry). Either way: read the node.
        if (!resync && code !== ZBADVERSION) unknownWrites++;
        resync = true;
        const next = await session(slot, code);
        if (!next) return;
        zk = next;
        await sleep(RETRY_PAUSE_MS);
      }
    }
  }

  const done = Promise.all(
    plan.clientIds.map((id, slot) => {
      const path = `${plan.nodesPath}/${id}`;
      return id < plan.writers ? writer(slot, id, path) : reader(slot, path);
    }),
  ).then((): FailoverWorkerReport => {
    unwatch();
    const stopped = stoppedAt ?? clock.now();
    const endNs = window.stopAt === undefined ? stopped : Math.min(window.stopAt, stopped);
    const unavailable: Record<string, TimeToEvent[]> = {};
    for (const g of gaps) {
      g.finish(endNs);
      for (const [entry, figure] of g.figures) (unavailable[entry] ??= []).push(figure);
    }
    return { ...recorder.report(), unavailable, acknowledged, unknownWrites, connectionLosses, replacementFailures: replacer.failures };
  });

  return {
    counts: () => ({ completed: recorder.total, measured: recorder.measured }),
    timeline: recorder.timeline,
    done,
    onMessage: (data) => {
      const f = data as FaultTookEffect;
      for (const g of gaps) g.fault(f.entry, f.atNs);
    },
  };
}
