// The membership scenario's own workload fields, typed, and what follows from them. index.ts declares the
// fields (specs, checks); the coordinator, the load side and the table read them from here.
import type { Workload } from '../../workload/schema.ts';

export interface MembershipFields {
  members: number;
  joins: number;
  leaves: number;
  crashes: number;
}
export type MembershipWorkload = Workload & MembershipFields;
