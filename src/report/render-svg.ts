// Rendering a Vega-Lite spec to SVG text in Node, at report time: vega-lite compiles it to a Vega spec,
// a headless Vega view (renderer 'none') draws the scenegraph as SVG. No browser, no canvas, no network.
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

export class ChartError extends Error {
  override readonly name = 'ChartError';
}

/** A logger that keeps warnings (for tests and the command's stderr) and throws on errors. */
function collectingLogger(warnings: string[]): vega.LoggerInterface {
  const text = (args: unknown[]): string => args.map((a) => (a instanceof Error ? a.message : String(a))).join(' ');
  return vega.logger(vega.Warn, 'warn', (method, _level, args) => {
    if (method === 'error') throw new ChartError(text(args));
    warnings.push(text(args));
  });
}

/**
 * Every `id` in one SVG prefixed, and every reference to it (`url(#id)`, `href="#id"`) with it, so that
 * several charts inlined in one page cannot point at each other's clip paths or gradients.
 */
export function scopeSvgIds(svg: string, prefix: string): string {
  const ids = new Set([...svg.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]!));
  if (ids.size === 0) return svg;
  const scoped = (id: string): string => (ids.has(id) ? `${prefix}-${id}` : id);
  return svg
    .replace(/(\sid=")([^"]+)"/g, (_m, head: string, id: string) => `${head}${scoped(id)}"`)
    .replace(/url\(#([^)]+)\)/g, (_m, id: string) => `url(#${scoped(id)})`)
    .replace(/(href=")#([^"]+)"/g, (_m, head: string, id: string) => `${head}#${scoped(id)}"`);
}

export interface RenderedChart {
  svg: string;
  /** What vega-lite or vega warned about while drawing (empty for a well-formed spec). */
  warnings: string[];
}

/** One chart as standalone SVG text; `idPrefix` makes its element ids unique within the page. */
export async function renderSvg(spec: TopLevelSpec, idPrefix = 'chart'): Promise<RenderedChart> {
  const warnings: string[] = [];
  const logger = collectingLogger(warnings);
  const vgSpec = compile(spec, { logger }).spec;
  const view = new vega.View(vega.parse(vgSpec), { renderer: 'none', logger });
  try {
    const svg = await view.toSVG();
    return { svg: scopeSvgIds(svg, idPrefix), warnings };
  } finally {
    view.finalize();
  }
}
