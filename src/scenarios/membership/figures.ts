/**
 * The membership scenario's figures (SPEC §2 "Watch family": converge; issue 8 point 3) from the changes
 * the coordinator made and every client's sequence of lists. Pure: no clock, no ZooKeeper.
 *
 * A change is about one server (servers never come back under the same id), at one instant: a join at the
 * registering create's send, a leave at the session's close, a crash at the SIGKILL of the load process
 * holding the server's session. A client's list *reflects* a change from the first list it published that
 * holds the server (join), or from the first list after its last list holding the server (leave, crash;
 * a client that never listed the server has nothing to reflect and is left out of that change).
 * - converge.<kind>: from the change to the moment the last client reflected it ("every client holds the
 *   true list", per server, so that changes close together do not blur each other). Each change's
 *   observation window runs to the measured window's end: a change some client had not reflected by then
 *   is a censored case at the window's length (SPEC §2, censored observations) and counts in `unconverged`.
 *   crash_detection and crash_propagation are censored the same way (no sign of the deletion, or not every
 *   client reflecting it, by the window's end).
 * - crash_detection: from the SIGKILL to the first sign that ZooKeeper expired the session, i.e. deleted
 *   its ephemeral node: the observer's NodeDeleted event (an exists watch on every server's node, held by
 *   a session in the coordinator, timestamped on arrival; one notification later than the deletion), or a
 *   client's list without the server, whichever came first. crash_propagation: from that moment to the
 *   last client reflecting the crash; detection + propagation = converge.crash.
 * - stale_views: lists a client published that hold a server the same client had already dropped (listed,
 *   then published a list without it). A server never comes back, so such a list is older than one the
 *   client already showed: the membership analogue of stale_reads. Must be 0; each such list counts once.
 * - final_view_mismatches: clients whose last list differs from the servers alive at the end.
 */
import type { RelNs } from '../../measure/clock.ts';
import type { TimeToEvent } from '../../measure/time-to-event.ts';

export const CHANGE_KINDS = ['join', 'leave', 'crash'] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

export interface ChangeRecord {
  kind: ChangeKind;
  server: number;
  /** The change's instant: the registering create's send (join), the close (leave), the SIGKILL (crash). */
  atNs: RelNs;
  /** Leave and crash: arrival of the observer's NodeDeleted event for the server's node, if it came. */
  deletionSeenNs?: RelNs;
}

/** A list a client published: the servers it holds (ids), from `atNs` on. */
export interface ViewRecord {
  atNs: RelNs;
  servers: number[];
}

export interface ClientTrace {
  client: number;
  /** Every list the client published, in order. */
  views: ViewRecord[];
}

export interface MembershipInput {
  changes: readonly ChangeRecord[];
  clients: readonly ClientTrace[];
  /** The servers alive at the end: what every final list must equal. */
  live: readonly number[];
  /** The measured window's end: every change's observation window closes there. */
  untilNs: RelNs;
}

export interface ChangeOutcome {
  change: ChangeRecord;
  /** Clients that listed nothing reflecting the change by the window's end. */
  lagging: number;
  /** From the change to the last client reflecting it; undefined when some client had not by the window's end (or none could). */
  convergeNs?: number;
  /** Crash: from the SIGKILL to the first sign of the deletion. */
  detectionNs?: number;
  /** Crash: from the first sign of the deletion to the last client reflecting it. */
  propagationNs?: number;
  /** From the change to the measured window's end, where its observation closes. */
  windowNs: number;
}

export interface FinalMismatch {
  client: number;
  /** Alive, but not in the client's last list. */
  missing: number[];
  /** In the client's last list, but not alive. */
  extra: number[];
}

export interface MembershipFigures {
  converge: Record<ChangeKind, TimeToEvent[]>;
  crashDetection: TimeToEvent[];
  crashPropagation: TimeToEvent[];
  changes: Record<ChangeKind, number>;
  unconverged: number;
  staleViews: number;
  finalMismatches: FinalMismatch[];
  outcomes: ChangeOutcome[];
}

/** When the client's lists started reflecting the change; null when they never did; undefined when they had nothing to reflect. */
export function reflectedAt(views: readonly ViewRecord[], change: ChangeRecord): RelNs | null | undefined {
  const holds = (v: ViewRecord): boolean => v.servers.includes(change.server);
  if (change.kind === 'join') {
    const first = views.find(holds);
    return first ? Math.max(first.atNs, change.atNs) : null;
  }
  let last = views.length - 1;
  while (last >= 0 && !holds(views[last]!)) last--;
  if (last < 0) return undefined;
  const after = views[last + 1];
  return after ? Math.max(after.atNs, change.atNs) : null;
}

/** What `clients` made of `change` by `untilNs`: a reflection or a deletion seen later does not count. */
export function changeOutcome(change: ChangeRecord, clients: readonly ClientTrace[], untilNs: RelNs): ChangeOutcome {
  let lagging = 0;
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const c of clients) {
    const at = reflectedAt(c.views, change);
    if (at === null || (at !== undefined && at > untilNs)) lagging++;
    else if (at !== undefined) {
      first = Math.min(first, at);
      last = Math.max(last, at);
    }
  }
  const outcome: ChangeOutcome = { change, lagging, windowNs: Math.max(0, untilNs - change.atNs) };
  const reflected = lagging === 0 && Number.isFinite(last);
  if (reflected) outcome.convergeNs = last - change.atNs;
  if (change.kind === 'crash') {
    const seen = change.deletionSeenNs !== undefined && change.deletionSeenNs <= untilNs ? change.deletionSeenNs : Number.POSITIVE_INFINITY;
    const sign = Math.min(first, seen);
    if (Number.isFinite(sign)) outcome.detectionNs = sign - change.atNs;
    if (reflected && Number.isFinite(sign)) outcome.propagationNs = last - sign;
  }
  return outcome;
}

/** A time-to-event case from an outcome's figure: observed, or censored at what the window allowed. */
const caseOf = (ns: number | undefined, windowNs: number): TimeToEvent => (ns === undefined ? { ns: windowNs, censored: true, windowNs } : { ns, censored: false, windowNs });

/** Lists holding a server the same client had already dropped. */
export function staleViews(views: readonly ViewRecord[]): number {
  const listed = new Set<number>();
  const dropped = new Set<number>();
  let stale = 0;
  for (const v of views) {
    const now = new Set(v.servers);
    if (v.servers.some((s) => dropped.has(s))) stale++;
    for (const s of listed) if (!now.has(s)) dropped.add(s);
    for (const s of now) listed.add(s);
  }
  return stale;
}

export function finalMismatch(trace: ClientTrace, live: readonly number[]): FinalMismatch | undefined {
  const last = new Set(trace.views.at(-1)?.servers ?? []);
  const alive = new Set(live);
  const missing = [...alive].filter((s) => !last.has(s)).sort((a, b) => a - b);
  const extra = [...last].filter((s) => !alive.has(s)).sort((a, b) => a - b);
  return missing.length + extra.length > 0 ? { client: trace.client, missing, extra } : undefined;
}

export function membershipFigures(input: MembershipInput): MembershipFigures {
  const converge: Record<ChangeKind, TimeToEvent[]> = { join: [], leave: [], crash: [] };
  const crashDetection: TimeToEvent[] = [];
  const crashPropagation: TimeToEvent[] = [];
  const changes = { join: 0, leave: 0, crash: 0 };
  let unconverged = 0;
  const outcomes = input.changes.map((change) => {
    const o = changeOutcome(change, input.clients, input.untilNs);
    changes[change.kind]++;
    if (o.convergeNs === undefined) unconverged++;
    // A change no client could reflect (none listed the server it left) has nothing to converge: no case.
    if (o.convergeNs !== undefined || o.lagging > 0) converge[change.kind].push(caseOf(o.convergeNs, o.windowNs));
    if (change.kind === 'crash') {
      crashDetection.push(caseOf(o.detectionNs, o.windowNs));
      // Propagation starts at the detection: without one, it has no start (the detection is the censored case).
      if (o.detectionNs !== undefined) crashPropagation.push(caseOf(o.propagationNs, o.windowNs - o.detectionNs));
    }
    return o;
  });
  return {
    converge,
    crashDetection,
    crashPropagation,
    changes,
    unconverged,
    staleViews: input.clients.reduce((n, c) => n + staleViews(c.views), 0),
    finalMismatches: input.clients.map((c) => finalMismatch(c, input.live)).filter((m): m is FinalMismatch => m !== undefined),
    outcomes,
  };
}
