// The name of one result's series wherever a result file keys its figures by a single word (histograms.hlog
// tags, percentiles.csv's and timeline.csv's recipe column, comparisons): the recipe alone, or, for one
// point of a sweep over watcher counts, `<recipe>@<watchers>` (e.g. `data-watch@1000`), so that every
// (recipe, watchers) pair stays a series of its own. summary.csv keeps the recipe and a watchers column.

export interface SeriesKey {
  recipe: string;
  watchers?: number | undefined;
}

export function seriesName(r: SeriesKey): string {
  return r.watchers === undefined ? r.recipe : `${r.recipe}@${r.watchers}`;
}

/** The recipe and watcher count a series name stands for (a plain recipe has no count). */
export function parseSeriesName(name: string): SeriesKey {
  const m = /^(.*)@(\d+)$/.exec(name);
  return m ? { recipe: m[1]!, watchers: Number(m[2]) } : { recipe: name };
}

/** Does a name given by a user (a recipe, or a series) select this series? A recipe selects all its points. */
export function seriesMatches(selector: string, r: SeriesKey): boolean {
  return selector === r.recipe || selector === seriesName(r);
}
