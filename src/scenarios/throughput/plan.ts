// What the coordinator tells one load process to do in the throughput scenario.
import type { OpenLoopPlan } from '../../measure/open-loop.ts';

export const THROUGHPUT_OPS = ['set', 'get'] as const;
export type ThroughputOp = (typeof THROUGHPUT_OPS)[number];

export interface ThroughputPlan {
  op: ThroughputOp;
  /** Each client works on its own node, <nodesPath>/<client id>, created by the coordinator. */
  nodesPath: string;
  clientIds: number[];
  payloadBytes: number;
  /** Open loop (the workload's `rate`): how this process paces its clients; absent: closed loop. */
  open?: OpenLoopPlan;
}
