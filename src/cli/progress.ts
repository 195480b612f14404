// Progress on stderr while a run goes (stdout is kept for the table and the run directory's path):
// one line rewritten in place on a terminal, plain lines every few seconds otherwise (CI logs).
import type { CountedUnit, ProgressTick } from '../scenarios/context.ts';
import type { RecipeResult } from '../results/recipe-result.ts';
import { scalarValue } from '../measure/metrics.ts';
import { seriesName } from '../results/series.ts';
import { fmt } from '../results/table-format.ts';

const PLAIN_EVERY_S = 5;

/** A rate as the eye reads it: 3 significant digits, so 3 elections in 20 s are 0.15/s, not 0/s. */
const rateText = (perS: number): string => `${fmt(perS)}/s`;

export class ProgressReporter {
  private readonly tty: boolean;
  private unit: CountedUnit = 'acquisitions';
  private lastPlainAt = -Infinity;
  private liveLine = false;
  private recipeIndex = 0;

  constructor(
    private readonly totalRecipes: number,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {
    this.tty = Boolean(stream.isTTY) && process.env['CI'] === undefined;
  }

  recipeStart(_recipe: string, unit: CountedUnit): void {
    this.recipeIndex++;
    this.unit = unit;
    this.lastPlainAt = -Infinity;
  }

  phase(text: string): void {
    this.line(`[${this.recipeIndex}/${this.totalRecipes}] ${text}`, true);
  }

  tick(t: ProgressTick): void {
    // Past the planned time (a phase that waits, e.g. for a queue or a sweep point's settling): said so, never "5.5 of 3 s".
    const e = t.elapsedS.toFixed(1);
    const time = t.plannedS === undefined ? `${e} s` : t.elapsedS > t.plannedS ? `${e} s (planned ${fmt(t.plannedS)})` : `${e} of ${fmt(t.plannedS)} s`;
    const rate = t.ratePerS === undefined ? '' : `, ${rateText(t.ratePerS)}`;
    const what = t.measuring ? `measuring: ${t.count} ${this.unit}${rate}` : `warm-up: ${t.count} ${this.unit} (not measured)`;
    const text = `[${this.recipeIndex}/${this.totalRecipes}] ${time} ${what}`;
    if (this.tty) this.line(text, false);
    else if (t.elapsedS - this.lastPlainAt >= PLAIN_EVERY_S) {
      this.lastPlainAt = t.elapsedS;
      this.line(text, true);
    }
  }

  /** The recipe's measured count and rate, and its violations where the scenario checks them. */
  recipeDone(r: RecipeResult): void {
    const v = (n: string) => scalarValue(r.metrics, n);
    const rate = v('throughput');
    const violations = v('violations');
    // A point of a sweep (recipe@watchers) is reported when its recipe ends, after later points began: not "done" then.
    const what = r.watchers !== undefined ? `${seriesName(r)} (point of ${r.recipe}):` : `${seriesName(r)} done:`;
    this.line(
      `[${this.recipeIndex}/${this.totalRecipes}] ${what} ${v(this.unit) ?? 0} measured ${this.unit}` +
        (rate !== undefined && Number.isFinite(rate) ? `, ${rateText(rate)}` : '') +
        (violations !== undefined ? `, violations ${violations}` : '') +
        (r.driverSaturated ? ' (driver saturated)' : '') +
        (v('rate_unsustained') === 1 ? ' (rate unsustained)' : ''),
      true,
    );
  }

  log(text: string): void {
    this.line(text, true);
  }

  private line(text: string, keep: boolean): void {
    if (this.tty) {
      this.stream.write(`\r\x1b[2K${text}${keep ? '\n' : ''}`);
      this.liveLine = !keep;
    } else {
      this.stream.write(`${text}\n`);
    }
  }

  /** Leave the terminal on a fresh line. */
  end(): void {
    if (this.tty && this.liveLine) this.stream.write('\n');
    this.liveLine = false;
  }
}
