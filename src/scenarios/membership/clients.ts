// The load-process side of the membership scenario: watching clients keep the group's list with the
// recipe's member list, recording every list they publish; the servers this process holds register
// (at the start, or when the coordinator says join) and leave (close their session) on the coordinator's
// word. A crash needs nothing here: the coordinator SIGKILLs the process holding the victim.
import type { RunClock } from '../../measure/clock.ts';
import { encodeHistogram, newLatencyHistogram, recordNs } from '../../measure/histogram.ts';
import { IntervalRecorder } from '../../measure/timeline.ts';
import { membershipRecipe, type MemberList, type MemberView } from '../../recipes/membership/index.ts';
import { isZkError } from '../../zk/errors.ts';
import type { SessionSet } from '../../zk/session-set.ts';
import type { ScenarioLink, ScenarioRun } from '../../workers/load-side.ts';
import type { RunWindow } from '../../measure/measured-window.ts';
import type { ClientTrace } from './figures.ts';
import type { FromMembers, MembershipPlan, MembershipReport, ToMembers } from './plan.ts';

const MAX_ERROR_MESSAGES = 5;

const sameServers = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

export function start(planJson: unknown, sessions: SessionSet, clock: RunClock, window: RunWindow, _stop: AbortSignal, link: ScenarioLink): ScenarioRun {
  const plan = planJson as MembershipPlan;
  const recipe = membershipRecipe(plan.recipe);
  const post = (m: FromMembers): void => link.post(m);
  const idOf = new Map(plan.addresses.map((a, id) => [a, id]));
  const initial = [...plan.initial].sort((a, b) => a - b);
  const timeline = new IntervalRecorder(window.measureFrom);
  const errors = new Map<string, number>();
  const errorMessages: string[] = [];
  const countError = (err: unknown): void => {
    const name = isZkError(err) ? err.codeName : 'other';
    errors.set(name, (errors.get(name) ?? 0) + 1);
    if (errorMessages.length < MAX_ERROR_MESSAGES) errorMessages.push(err instanceof Error ? err.message : String(err));
    timeline.failed(clock.now());
  };

  // The watching clients.
  const traces: ClientTrace[] = plan.clientIds.map((client) => ({ client, views: [] }));
  let views = 0;
  let viewsMeasured = 0;
  const relist = newLatencyHistogram();
  let heldInitial = plan.clientIds.length === 0;
  let expected: number[] | undefined;
  let finish: (() => void) | undefined;
  const current = (slot: number): number[] => traces[slot]!.views.at(-1)?.servers ?? [];
  const allHold = (servers: readonly number[]): boolean => traces.every((_, slot) => sameServers(current(slot), servers));
  const onView = (slot: number, v: MemberView): void => {
    const servers = v.addresses.map((a) => idOf.get(a) ?? -1).sort((a, b) => a - b);
    traces[slot]!.views.push({ atNs: v.atNs, servers });
    views++;
    if (v.triggeredNs !== undefined) timeline.completed(v.atNs, v.atNs - v.triggeredNs);
    if (v.atNs >= window.measureFrom) {
      viewsMeasured++;
      if (v.triggeredNs !== undefined) recordNs(relist, v.atNs - v.triggeredNs);
    }
    if (!heldInitial && allHold(initial)) {
      heldInitial = true;
      post({ type: 'holding-initial', atNs: v.atNs });
    }
    if (expected && allHold(expected)) finish?.();
  };
  const lists: MemberList[] = plan.clientIds.map((_, slot) =>
    recipe.memberList(sessions.at(slot), plan.groupPath, { clock, onView: (v) => onView(slot, v), onError: countError }),
  );
  for (const l of lists) l.start().catch(countError);
  let readsAtMeasure: number | undefined;
  const reads = (): number => lists.reduce((n, l) => n + l.reads, 0);
  const measureTimer = setTimeout(() => (readsAtMeasure = reads()), Math.max(0, (window.measureFrom - clock.now()) / 1e6));

  // The servers this process holds.
  const slotOf = new Map(plan.servers.map((s, i) => [s.id, plan.clientIds.length + i]));
  const sessionOf = (server: number) => {
    const slot = slotOf.get(server);
    if (slot === undefined) throw new Error(`server ${server} is not held by this load process`);
    return sessions.at(slot);
  };
  const register = (server: number): void => {
    const session = sessionOf(server);
    const sendNs = clock.now();
    recipe.register(session, plan.groupPath, plan.addresses[server]!).then(
      (path) => post({ type: 'registered', server, path, sendNs, ackNs: clock.now() }),
      (err: unknown) => {
        countError(err);
        post({ type: 'register-failed', server, message: err instanceof Error ? err.message : String(err) });
      },
    );
  };
  const leave = (server: number): void => {
    const session = sessionOf(server);
    const atNs = clock.now();
    session.close();
    post({ type: 'closed', server, atNs });
  };
  for (const s of plan.servers) if (s.initial) register(s.id);

  let report: (r: MembershipReport) => void = () => undefined;
  const done = new Promise<MembershipReport>((resolve) => (report = resolve));
  let waitTimer: NodeJS.Timeout | undefined;
  finish = () => {
    finish = undefined;
    clearTimeout(waitTimer);
    clearTimeout(measureTimer);
    for (const l of lists) l.stop();
    report({
      clients: traces,
      readsMeasured: reads() - (readsAtMeasure ?? reads()),
      relist: encodeHistogram(relist),
      views,
      viewsMeasured,
      errors: Object.fromEntries(errors),
      errorMessages,
    });
  };
  return {
    counts: () => ({ completed: views, measured: viewsMeasured }),
    timeline,
    done,
    onMessage(data: unknown) {
      const m = data as ToMembers;
      if (m.type === 'join') register(m.server);
      else if (m.type === 'leave') leave(m.server);
      else if (m.type === 'finish' && finish) {
        expected = [...m.live].sort((a, b) => a - b);
        if (allHold(expected)) finish();
        else waitTimer = setTimeout(() => finish?.(), m.waitMs);
      }
    },
  };
}
