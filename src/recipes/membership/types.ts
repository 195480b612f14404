// The membership family's one interface (seed 001's server list; SPEC §1 "Membership"): servers register
// an EPHEMERAL_SEQUENTIAL child carrying their address under a group node, and clients keep a child watch
// on the group and maintain the list of addresses. Every recipe is driven the same way, so one workload
// runs them all with identical churn and compares them.
import type { RunClock, RelNs } from '../../measure/clock.ts';
import type { ZkSession } from '../../zk/session.ts';
import type { MembershipRecipeId, MembershipRecipeInfo } from './catalog.ts';

// The ids are declared with what each recipe is (catalog.ts, loaded without the recipes).
export { MEMBERSHIP_RECIPE_IDS, type MembershipRecipeId } from './catalog.ts';


/** Where timestamps come from: the run clock, or a hand-driven one in tests. */
export type TimeSource = Pick<RunClock, 'now'>;

export interface MembershipRecipe extends MembershipRecipeInfo {
  readonly id: MembershipRecipeId;
  /**
   * Registers a server: one EPHEMERAL_SEQUENTIAL child of the group node that carries its address, so it
   * lives as long as the session. The create is issued before this returns (a send time taken just before
   * the call is the create's); resolves with the child's path.
   */
  register(session: ZkSession, groupPath: string, address: string): Promise<string>;
  /** A client that keeps the group's list of addresses (the group node must exist). */
  memberList(session: ZkSession, groupPath: string, opts: MemberListOptions): MemberList;
}

/** What a client believes the group is, from a given moment. */
export interface MemberView {
  /** When the client's list became this: the moment the read (or reads) that produced it completed. */
  atNs: RelNs;
  /** The members' addresses, sorted. */
  addresses: string[];
  /** Arrival of the child event that started the listing (absent for the first list): atNs − triggeredNs is the re-list's cost. */
  triggeredNs?: RelNs;
}

export interface MemberListOptions {
  clock: TimeSource;
  /** Called with every new list, in the order the client learned them. */
  onView?: (view: MemberView) => void;
  /** A read failed (session lost, group gone; a ZkError) or a child made no sense: the client has stopped. */
  onError?: (err: Error) => void;
}

export interface MemberList {
  /** Lists the group with a child watch set and resolves with the first list. Call once. */
  start(): Promise<MemberView>;
  /** The latest list; undefined before start() resolved. */
  readonly view: MemberView | undefined;
  /** Read requests issued so far (getChildren and getData), the recipe's cost. */
  readonly reads: number;
  /** No more re-reads; events that still arrive are ignored. */
  stop(): void;
}
