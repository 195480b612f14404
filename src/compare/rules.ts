// Rules over figures, shared by `compare --fail-on` (what counts as a regression against a baseline) and
// workload thresholds (what a run must achieve on its own). One grammar:
//   [recipe.]metric[.stat] OP amount      e.g.  acquire.p99>+10%   predecessor.violations>0   *.errors==0
// (recipe may name one point of a watcher sweep: data-watch@1000.notify_from_send.p50<+20%)
// A relative amount (+10%, -5%) compares with the baseline; an absolute one (50ms, 0) with the figure.
// Flags after the amount say what the gate may let through (docs/gates.md):
//   optional        the figure may legitimately be absent (server CPU on an external ensemble): "not measured" does not fail
//   allow-censored  a time-to-event figure may hold censored cases: judged on its lower bounds instead of failing "censored"
// Naming a metric or statistic that does not exist is an error, never a rule that silently passes.
// The figures and recipes a rule may name come from the scenarios' declarations, handed down as a
// FigureVocabulary: ruleParser(vocabulary) gives the parsing functions (scenarios/catalog.ts has the suite's).
import { parseSeriesName } from '../results/series.ts';
import { DISTRIBUTION_STATS, type FigureVocabulary, type Stat } from '../measure/metric-catalog.ts';
import { didYouMean } from '../workload/nearest-name.ts';

export type Op = '>' | '>=' | '<' | '<=' | '==' | '!=';
const OPS: readonly Op[] = ['>=', '<=', '==', '!=', '>', '<'];

export interface FigureSelector {
  /** undefined or '*': every recipe. */
  recipe: string | undefined;
  metric: string;
  stat: Stat;
}

export interface Condition {
  op: Op;
  amount: number;
  /** The amount is a percentage change against the baseline. */
  relative: boolean;
}

/** What a gate may let through, written as words after the amount ("< 1000000 optional"). */
export interface RuleFlags {
  /** A missing figure is "not measured" but does not fail the run. */
  optional: boolean;
  /** Censored cases do not fail the rule: it judges the figure with them counted at their window's length. */
  allowCensored: boolean;
}

export const RULE_FLAGS = ['optional', 'allow-censored'] as const;

export interface Rule extends FigureSelector, Condition, RuleFlags {
  /** As written, for messages. */
  text: string;
}

export class RuleError extends Error {
  override readonly name = 'RuleError';
}

const UNIT_TO_MS: Record<string, number> = { us: 0.001, 'µs': 0.001, ms: 1, s: 1000 };

/** "> +10%", "<50ms", "== 0". Time units only for figures measured in ms; a sign only with %. */
export function parseCondition(text: string, context: string, allowRelative: boolean, unitOfFigure: string): Condition {
  const t = text.trim();
  const op = OPS.find((o) => t.startsWith(o));
  if (!op) throw new RuleError(`${context}: "${text}" needs a comparison first (${OPS.join(' ')})`);
  const m = /^([+-]?)(\d+(?:\.\d+)?)\s*(%|us|µs|ms|s)?$/.exec(t.slice(op.length).trim());
  if (!m) throw new RuleError(`${context}: "${text}": expected a number, optionally with %, ms, s or us`);
  const [, sign, digits, unit] = m;
  if (unit === '%' && !allowRelative) throw new RuleError(`${context}: "${text}": a percentage needs a baseline; thresholds take absolute values`);
  if (sign && unit !== '%') throw new RuleError(`${context}: "${text}": a signed amount is a change and needs %, e.g. +10%`);
  if (unit && unit !== '%' && unitOfFigure !== 'ms') throw new RuleError(`${context}: "${text}": a time unit on a figure measured in ${unitOfFigure}`);
  const amount = Number(`${sign}${digits}`) * (unit && unit !== '%' ? UNIT_TO_MS[unit]! : 1);
  return { op, amount, relative: unit === '%' };
}

function parseSelector(vocabulary: FigureVocabulary, text: string, context: string): FigureSelector {
  const parts = text.trim().split('.');
  let recipe: string | undefined;
  const recipes = vocabulary.recipeIds;
  // A recipe, or one point of a watcher sweep (series.ts: data-watch@1000).
  const first = parts[0] ?? '';
  if (first === '*' || recipes.includes(parseSeriesName(first).recipe)) recipe = parts.shift();
  let stat: Stat | undefined;
  const last = parts.at(-1) ?? '';
  if ((DISTRIBUTION_STATS as readonly string[]).includes(last) || last === 'value') stat = parts.pop() as Stat;
  const metric = parts.join('.');
  const info = vocabulary.info(metric);
  if (!info && recipe === undefined && parts.length > 1 && vocabulary.info(parts.slice(1).join('.'))) {
    // "bakery.acquire.p99": a known metric after an unknown first word is a misspelt recipe
    throw new RuleError(`${context}: unknown recipe "${parts[0]}"; recipes: ${recipes.join(', ')}, or * for all`);
  }
  if (!info) {
    throw new RuleError(`${context}: unknown metric "${metric || text}" (see the metric column of summary.csv, e.g. acquire, handoff, throughput, violations, errors)`);
  }
  if (info.kind === 'distribution') {
    if (stat === undefined || stat === 'value') {
      throw new RuleError(`${context}: "${metric}" is a distribution: name a statistic (${DISTRIBUTION_STATS.join(', ')}), e.g. ${metric}.p99`);
    }
  } else if (stat !== undefined && stat !== 'value') {
    throw new RuleError(`${context}: "${metric}" is a single figure; it has no ${stat}`);
  }
  return { recipe: recipe === '*' ? undefined : recipe, metric, stat: stat ?? 'value' };
}

/**
 * The flags after a condition's amount ("< 20000 allow-censored optional"): the condition without them,
 * and which were given. A word that is not a flag is an error naming the flags, so a typo cannot pass as
 * a rule without its flag.
 */
export function splitFlags(text: string, context: string): { condition: string; flags: RuleFlags } {
  const words = text.trim().split(/\s+/);
  const flags: RuleFlags = { optional: false, allowCensored: false };
  while (words.length > 1 && /^[a-z][a-z-]*$/i.test(words.at(-1)!) && !UNIT_WORDS.has(words.at(-1)!)) {
    const word = words.pop()!;
    if (word === 'optional') flags.optional = true;
    else if (word === 'allow-censored') flags.allowCensored = true;
    else throw new RuleError(`${context}: unknown flag "${word}"${didYouMean(word, RULE_FLAGS)}; flags after the amount: ${RULE_FLAGS.join(', ')}`);
  }
  return { condition: words.join(' '), flags };
}

const UNIT_WORDS = new Set(Object.keys(UNIT_TO_MS));

/** A --fail-on rule: "selector OP amount [flags]" in one string, e.g. "set.server_cpu_per_request<1000 optional". */
function parseRule(vocabulary: FigureVocabulary, text: string): Rule {
  const at = text.search(/[<>=!]/);
  if (at <= 0) throw new RuleError(`rule "${text}": expected [recipe.]metric[.stat] OP amount, e.g. acquire.p99>+10% or violations>0`);
  const context = `rule "${text}"`;
  const selector = parseSelector(vocabulary, text.slice(0, at), context);
  const { condition, flags } = splitFlags(text.slice(at), context);
  return { ...selector, ...parseCondition(condition, context, true, unitOf(vocabulary, selector)), ...flags, text };
}

/** A workload threshold: selector → requirement [flags], e.g. "predecessor.acquire.p99": "< 50ms". */
function parseThreshold(vocabulary: FigureVocabulary, selector: string, requirement: string): Rule {
  const context = `threshold "${selector}: ${requirement}"`;
  const sel = parseSelector(vocabulary, selector, context);
  const { condition, flags } = splitFlags(requirement, context);
  return { ...sel, ...parseCondition(condition, context, false, unitOf(vocabulary, sel)), ...flags, text: `${selector} ${requirement.trim()}` };
}

const unitOf = (vocabulary: FigureVocabulary, sel: FigureSelector): string => (sel.stat === 'count' ? 'count' : (vocabulary.info(sel.metric)?.unit ?? ''));

export interface RuleParser {
  /** "[recipe.]metric[.stat]": which figure, checked against the vocabulary. */
  parseSelector(text: string, context: string): FigureSelector;
  /** A --fail-on rule: "selector OP amount [flags]" in one string. */
  parseRule(text: string): Rule;
  /** A workload threshold: selector → requirement [flags], e.g. "predecessor.acquire.p99": "< 50ms". */
  parseThreshold(selector: string, requirement: string): Rule;
}

/** The rule grammar over the figures and recipes of `vocabulary`. */
export function ruleParser(vocabulary: FigureVocabulary): RuleParser {
  return {
    parseSelector: (text, context) => parseSelector(vocabulary, text, context),
    parseRule: (text) => parseRule(vocabulary, text),
    parseThreshold: (selector, requirement) => parseThreshold(vocabulary, selector, requirement),
  };
}

/** "acquire.p99", or just "violations" for a single figure. */
export function figureName(sel: Pick<FigureSelector, 'metric' | 'stat'>): string {
  return sel.stat === 'value' ? sel.metric : `${sel.metric}.${sel.stat}`;
}

export function holds(value: number, op: Op, amount: number): boolean {
  switch (op) {
    case '>':
      return value > amount;
    case '>=':
      return value >= amount;
    case '<':
      return value < amount;
    case '<=':
      return value <= amount;
    case '==':
      return value === amount;
    case '!=':
      return value !== amount;
  }
}

/** Percentage change from base to value; ±Infinity when the base is 0 and the value is not. */
export function percentChange(base: number, value: number): number {
  if (base === value) return 0;
  if (base === 0) return value > 0 ? Infinity : -Infinity;
  return ((value - base) / Math.abs(base)) * 100;
}
