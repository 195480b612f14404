// The single requests the primitives workload times: the floor that recipe costs are read against.
export const PRIMITIVE_OPS = ['create', 'get', 'set', 'exists', 'getChildren', 'delete', 'sync'] as const;
export type PrimitiveOp = (typeof PRIMITIVE_OPS)[number];
