// Progress on stderr while a run goes (stdout is kept for the table and the run directory's path):
// one line rewritten in place on a terminal, plain lines every few seconds otherwise (CI logs).
import type { CountedUnit, ProgressTick } from '../scenarios/context.ts';
import type { RecipeResult } from '../results/recipe-result.ts';
import { scalarValue } from '../measure/metrics.ts';
import { seriesName } from '../results/series.ts';

const PLAIN_EVERY_S = 5;

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
    const of = t.plannedS === undefined ? '' : ` of ${t.plannedS.toFixed(0)}`;
    const rate = t.ratePerS === undefined ? '' : `, ${t.ratePerS.toFixed(0)}/s`;
    const what = t.measuring ? `measuring: ${t.count} ${this.unit}${rate}` : `warm-up: ${t.count} ${this.unit} (not measured)`;
    const text = `[${this.recipeIndex}/${this.totalRecipes}] ${t.elapsedS.toFixed(1)}${of} s ${what}`;
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
    this.line(
      `[${this.recipeIndex}/${this.totalRecipes}] ${seriesName(r)} done: ${v(this.unit) ?? 0} measured ${this.unit}` +
        (rate !== undefined && Number.isFinite(rate) ? `, ${rate.toFixed(0)}/s` : '') +
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
