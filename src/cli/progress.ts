// Progress on stderr while a run goes (stdout is kept for the table and the run directory's path):
// one line rewritten in place on a terminal, plain lines every few seconds otherwise (CI logs).
import type { RecipeResult } from '../scenarios/context.ts';
import { scalarValue } from '../measure/metrics.ts';

const PLAIN_EVERY_S = 5;

export class ProgressReporter {
  private readonly tty: boolean;
  private lastCount = 0;
  private lastT = 0;
  private lastPlainAt = -Infinity;
  private liveLine = false;
  private recipeIndex = 0;

  constructor(
    private readonly totalRecipes: number,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {
    this.tty = Boolean(stream.isTTY) && process.env['CI'] === undefined;
  }

  recipeStart(): void {
    this.recipeIndex++;
    this.lastCount = 0;
    this.lastT = 0;
    this.lastPlainAt = -Infinity;
  }

  phase(text: string): void {
    this.line(`[${this.recipeIndex}/${this.totalRecipes}] ${text}`, true);
  }

  tick(acquisitions: number, elapsedS: number, measuring: boolean, plannedS: number | undefined): void {
    const dt = elapsedS - this.lastT;
    const rate = dt > 0 ? (acquisitions - this.lastCount) / dt : 0;
    this.lastCount = acquisitions;
    this.lastT = elapsedS;
    const of = plannedS === undefined ? '' : ` of ${plannedS.toFixed(0)}`;
    const text = `[${this.recipeIndex}/${this.totalRecipes}] ${elapsedS.toFixed(1)}${of} s ${measuring ? 'measuring' : 'warm-up'}: ${acquisitions} acquisitions, ${rate.toFixed(0)}/s`;
    if (this.tty) this.line(text, false);
    else if (elapsedS - this.lastPlainAt >= PLAIN_EVERY_S) {
      this.lastPlainAt = elapsedS;
      this.line(text, true);
    }
  }

  recipeDone(r: RecipeResult): void {
    const v = (n: string) => scalarValue(r.metrics, n);
    this.line(
      `[${this.recipeIndex}/${this.totalRecipes}] ${r.recipe} done: ${v('acquisitions')} measured acquisitions, ` +
        `${(v('throughput') ?? 0).toFixed(0)}/s, violations ${v('violations')}${r.driverSaturated ? ' (driver saturated)' : ''}`,
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
