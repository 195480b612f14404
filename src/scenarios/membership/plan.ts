// What the membership coordinator tells one load process to drive, and the messages they exchange while
// the churn runs. A process holds watching clients and the sessions of the servers it registers; a crash
// victim's process holds only its server, so that killing it kills nothing else.
import type { RelNs } from '../../measure/clock.ts';
import type { MembershipRecipeId } from '../../recipes/membership/types.ts';
import type { ClientTrace } from './figures.ts';

export interface ServerSlot {
  id: number;
  /** Registered when the process starts (before the churn), rather than on the coordinator's word. */
  initial: boolean;
}

export interface MembershipPlan {
  recipe: MembershipRecipeId;
  groupPath: string;
  /** Watching clients: the process's sessions 0 .. clientIds.length-1. */
  clientIds: number[];
  /** Servers whose sessions the process holds: its sessions after the clients', in this order. */
  servers: ServerSlot[];
  /** Every server's address, by id (clients map the addresses they list back to servers). */
  addresses: string[];
  /** The servers registered before the churn: the list every client holds before the first change. */
  initial: number[];
}

/** Coordinator → load process. */
export type ToMembers =
  | { type: 'join'; server: number }
  | { type: 'leave'; server: number }
  /** The churn is over: wait (at most waitMs) until every client lists `live`, then report. */
  | { type: 'finish'; live: number[]; waitMs: number };

/** Load process → coordinator. */
export type FromMembers =
  /** A server's node exists: the create was sent at sendNs and acknowledged at ackNs. */
  | { type: 'registered'; server: number; path: string; sendNs: RelNs; ackNs: RelNs }
  /** A server left: its session's close was called at atNs. */
  | { type: 'closed'; server: number; atNs: RelNs }
  /** A server's registration failed. */
  | { type: 'register-failed'; server: number; message: string }
  /** Every client of the process holds the initial list. */
  | { type: 'holding-initial'; atNs: RelNs };

export interface MembershipReport {
  /** Every client's lists, servers by id (-1: an address no server of the run registered). */
  clients: ClientTrace[];
  /** Read requests the clients issued from the measured window's start on. */
  readsMeasured: number;
  /** From a child event's arrival to the list it triggered, for lists from the measured window's start on (encoded µs histogram). */
  relist: string;
  /** Lists published in all, and from the measured window's start on. */
  views: number;
  viewsMeasured: number;
  /** Failures by ZooKeeper error name (or "other"), and the first few messages. */
  errors: Record<string, number>;
  errorMessages: string[];
}
