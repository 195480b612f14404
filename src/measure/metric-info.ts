// What a figure is, as rules and thresholds need to know it: a distribution (ms) or a scalar with a unit.
// Pure and import-free, so a scenario's declaration (src/scenarios/<id>/index.ts) can use it freely.

export type MetricKind = 'distribution' | 'scalar';

export interface MetricInfo {
  kind: MetricKind;
  unit: string;
}

export const latencyMetric = (): MetricInfo => ({ kind: 'distribution', unit: 'ms' });
export const countMetric = (unit = 'count'): MetricInfo => ({ kind: 'scalar', unit });
