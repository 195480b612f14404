// histograms.hlog (SPEC §3): an HdrHistogram interval log (format 1.3) with one Tag=<series>.<metric> per
// latency series (series.ts: the recipe, or recipe@watchers); HistogramLogAnalyzer opens it and logs from several processes or hosts merge.
import { HistogramLogWriter } from 'hdr-histogram-js';
import { newLatencyHistogram } from '../measure/histogram.ts';
import type { RunRecord } from './run-record.ts';
import { seriesName } from './series.ts';

export function histogramLog(run: RunRecord): string {
  let out = '';
  const writer = new HistogramLogWriter((text) => {
    out += text;
  });
  const startMs = run.startedAt.getTime();
  writer.outputComment(`zkbench run ${run.runId}, workload ${run.workload.name}; values in microseconds`);
  writer.outputLogFormatVersion();
  writer.outputStartTime(startMs);
  writer.outputLegend();
  for (const r of run.recipes) {
    for (const m of r.metrics) {
      if (m.kind !== 'distribution' || m.histogram.totalCount === 0) continue;
      // A tagged copy: formatting the log must not change the measured histogram.
      const tagged = newLatencyHistogram();
      tagged.add(m.histogram);
      tagged.tag = `${seriesName(r)}.${m.name}`;
      // Max values in the interval lines are printed in ms (µs / 1000).
      writer.outputIntervalHistogram(tagged, (r.startedAt.getTime() - startMs) / 1000, (r.endedAt.getTime() - startMs) / 1000, 1000);
    }
  }
  return out;
}
