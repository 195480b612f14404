// The soak's samples drawn: one panel per figure (resident memory, open descriptors, heap, event-loop
// delay p99), one line per process, coloured by kind, the warm-up shaded. Pure: series in, SVG text out.
import type { ProcessKind } from '../src/measure/soak-verdict.ts';

export interface ChartSeries {
  label: string;
  kind: ProcessKind;
  points: { tS: number; value: number }[];
}

export interface ChartPanel {
  title: string;
  unit: string;
  series: ChartSeries[];
}

const COLOURS: Record<ProcessKind, string> = { soak: '#555', coordinator: '#1f77b4', load: '#d62728', driver: '#9467bd', server: '#2ca02c' };
const W = 900;
const H = 220;
const M = { l: 60, r: 20, t: 28, b: 30 };

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function panel(p: ChartPanel, y0: number, endS: number, warmupS: number): string {
  const pts = p.series.flatMap((s) => s.points);
  const max = pts.length > 0 ? Math.max(...pts.map((x) => x.value)) * 1.05 || 1 : 1;
  const x = (t: number): number => M.l + ((W - M.l - M.r) * t) / Math.max(endS, 1);
  const y = (v: number): number => y0 + H - M.b - ((H - M.t - M.b) * v) / max;
  const out: string[] = [];
  out.push(`<text x="${M.l}" y="${y0 + 18}" font-weight="bold">${esc(p.title)} (${esc(p.unit)})${pts.length === 0 ? ' — not measured' : ''}</text>`);
  out.push(`<rect x="${x(0)}" y="${y0 + M.t}" width="${x(warmupS) - x(0)}" height="${H - M.t - M.b}" fill="#eee"/>`);
  out.push(`<line x1="${M.l}" y1="${y(0)}" x2="${W - M.r}" y2="${y(0)}" stroke="#999"/><line x1="${M.l}" y1="${y0 + M.t}" x2="${M.l}" y2="${y(0)}" stroke="#999"/>`);
  for (const f of [0.5, 1]) out.push(`<text x="${M.l - 4}" y="${y(max * f) + 4}" text-anchor="end" font-size="10">${(max * f).toFixed(max * f < 10 ? 1 : 0)}</text>`);
  for (let m = 0; m * 60 <= endS; m += Math.max(1, Math.ceil(endS / 60 / 10))) {
    out.push(`<text x="${x(m * 60)}" y="${y0 + H - 12}" text-anchor="middle" font-size="10">${m} min</text>`);
  }
  for (const s of p.series) {
    if (s.points.length === 0) continue;
    const d = s.points.map((q) => `${x(q.tS).toFixed(1)},${y(q.value).toFixed(1)}`).join(' ');
    const mark = s.points.length === 1 ? `<circle cx="${x(s.points[0]!.tS)}" cy="${y(s.points[0]!.value)}" r="2" fill="${COLOURS[s.kind]}"/>` : '';
    out.push(`<polyline fill="none" stroke="${COLOURS[s.kind]}" stroke-width="1.2" points="${d}"><title>${esc(s.label)}</title></polyline>${mark}`);
  }
  return out.join('\n');
}

export function soakChart(title: string, panels: readonly ChartPanel[], endS: number, warmupS: number): string {
  const height = panels.length * H + 40;
  const legend = (Object.keys(COLOURS) as ProcessKind[])
    .map((k, i) => `<rect x="${M.l + i * 130}" y="${height - 22}" width="12" height="12" fill="${COLOURS[k]}"/><text x="${M.l + i * 130 + 16}" y="${height - 12}" font-size="12">${k}</text>`)
    .join('');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<title>${esc(title)}</title><rect width="100%" height="100%" fill="white"/>`,
    ...panels.map((p, i) => panel(p, i * H, endS, warmupS)),
    `<text x="${W - M.r}" y="${height - 12}" text-anchor="end" font-size="11">grey: warm-up (not fitted); hover a line for its process</text>`,
    legend,
    '</svg>',
    '',
  ].join('\n');
}
