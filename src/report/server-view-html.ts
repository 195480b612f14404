// The report's table of what the servers saw, per recipe: their mean request latency beside the
// client's for the same requests (the difference is what the network, the client library and the
// load process add), their largest, and their warnings and GC pauses. Runs written before the servers'
// view existed have none of it and get no table.
import { formatFigure } from './charts.ts';
import { escapeHtml } from './escape-html.ts';
import { recipesOf, summaryRowOf, type ReportRun, type SummaryRow } from './read-run.ts';

export interface ServerViewRow {
  recipe: string;
  /** Mean of the client's `latency` (request workloads); locks time no single request. */
  clientMeanMs: number | undefined;
  serverMeanMs: number | undefined;
  /** client − server, when both are known. */
  differenceMs: number | undefined;
  serverMaxMs: number | undefined;
  warnings: number | undefined;
  gcPauses: number | undefined;
  gcLongestMs: number | undefined;
}

export function serverViewRows(run: ReportRun): ServerViewRow[] {
  const recipes = recipesOf(run);
  return recipes.map((recipe) => {
    const row = (metric: string): SummaryRow | undefined => summaryRowOf(run, recipe, metric);
    const info = run.info.recipes.find((r) => r.recipe === recipe);
    const clientMeanMs = row('latency')?.mean;
    const serverMeanMs = row('server_latency')?.value;
    return {
      recipe,
      clientMeanMs,
      serverMeanMs,
      differenceMs: clientMeanMs !== undefined && serverMeanMs !== undefined ? clientMeanMs - serverMeanMs : undefined,
      serverMaxMs: row('server_latency_max')?.value,
      warnings: info?.serverWarnings,
      gcPauses: info?.gcPauses,
      gcLongestMs: info?.gcLongestMs,
    };
  });
}

const fig = (v: number | undefined): string => escapeHtml(formatFigure(v));

/** The table, or '' for a run without any of these figures. */
export function serverViewHtml(run: ReportRun): string {
  const rows = serverViewRows(run);
  const hasAny = rows.some((r) => r.serverMeanMs !== undefined || r.warnings !== undefined || r.gcPauses !== undefined);
  const recorded = run.summary.some((s) => s.metric === 'server_latency');
  if (!hasAny && !recorded) return '';
  const head = ['recipe', 'client mean<br>(ms)', 'server mean<br>(ms)', 'difference<br>(ms)', 'server max<br>(ms)', 'server<br>warnings', 'GC pauses<br>(longest ms)'];
  const body = rows.map((r) => {
    const gc = r.gcPauses === undefined ? '–' : r.gcPauses === 0 ? '0' : `${fig(r.gcPauses)} (${fig(r.gcLongestMs)})`;
    const warnings = r.warnings !== undefined && r.warnings > 0 ? `<span class="warn">${fig(r.warnings)}</span>` : fig(r.warnings);
    return [escapeHtml(r.recipe), fig(r.clientMeanMs), fig(r.serverMeanMs), fig(r.differenceMs), fig(r.serverMaxMs), warnings, gc];
  });
  // A column not known for any recipe of this run (no server latency for a kept ensemble, no client mean for a lock) is left out.
  const kept = head.map((_h, i) => i === 0 || body.some((cells) => cells[i] !== '–'));
  const note =
    '<p class="note">What the servers saw in each measured window (their <code>mntr</code> at its start and end). ' +
    '<em>server mean</em>: the servers’ own mean request latency, from a request’s arrival to its answer on the server the client is connected to (whole milliseconds per request, so small means are coarse); ' +
    '<em>difference</em>: what the network, the client library and the load process add to it. Lock recipes time no single request on the client: their server mean is over all the requests in the window. ' +
    '<em>server max</em> is known for ensembles zkbench started for the run only; warnings are the servers’ WARN and ERROR lines during the recipe (<code>server-warnings.log</code>), GC pauses those in the measured window (<code>gc/</code>). “–”: not known for this run.</p>';
  return `<h4 class="table-title">The servers’ view</h4><table class="figures server-view"><thead><tr>${head.filter((_h, i) => kept[i]).map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>${body.map((cells) => `<tr>${cells.filter((_c, i) => kept[i]).map((c) => `<td>${c}</td>`).join('')}</tr>`).join('')}</tbody></table>${note}`;
}
