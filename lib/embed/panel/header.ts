import { fitText, textWidth } from '../render-text';
import type { Painter, PaletteKey } from '../render-theme';
import { n, textEl, tspan } from './markup';

/* Header, legend and footer, shared by every SLO panel. */

export interface Figure {
  value: string;
  caption: string;
  colour: PaletteKey;
}

export interface LegendItem {
  label: string;
  /** Used when the full labels do not fit on one line. */
  short: string;
  colour: PaletteKey;
  dashed?: boolean;
}

export const TONE_COLOUR = { danger: 'danger', warning: 'warning', ok: 'ok', muted: 'muted' } as const satisfies Record<string, PaletteKey>;

/** Parts of the subtitle: the first is shortened first when the line is too wide. */
export interface Subtitle {
  shrinkable: string;
  fixed: Array<{ text: string; colour: PaletteKey }>;
}

export function drawSubtitle(p: Painter, x: number, y: number, maxWidth: number, size: number, sub: Subtitle): string {
  const sep = ' \u00b7 ';
  const fixedText = sub.fixed.map((part) => part.text).join(sep);
  const fixedWidth = textWidth(fixedText, size) + (sub.shrinkable ? textWidth(sep, size) : 0);
  let spans = '';
  if (sub.shrinkable) {
    const first = fitText(sub.shrinkable, maxWidth - fixedWidth, size);
    if (first) spans += tspan(p, first + sep, 'text2');
  }
  const fixed = sub.fixed.map((part, i) => tspan(p, (i > 0 ? sep : '') + part.text, part.colour)).join('');
  // When even the fixed parts are too wide (a very small panel), fit them as plain text instead.
  if (textWidth(fixedText, size) > maxWidth) return textEl(p, x, y, fitText(fixedText, maxWidth, size), { size, colour: 'text2' });
  return `<text x="${n(x)}" y="${n(y)}" font-size="${size}">${spans}${fixed}</text>`;
}

export function drawLegend(p: Painter, x: number, y: number, maxWidth: number, size: number, items: LegendItem[]): string {
  const out: string[] = [];
  const width = (label: string) => 16 + textWidth(label, size) + 12;
  const full = items.reduce((sum, item) => sum + width(item.label), 0) - 12 <= maxWidth;
  let cx = x;
  for (const item of items) {
    const label = full ? item.label : item.short;
    const w = 16 + textWidth(label, size);
    if (cx + w > x + maxWidth) break;
    const dash = item.dashed ? ' stroke-dasharray="4 3"' : '';
    out.push(
      `<line x1="${n(cx)}" y1="${n(y - size * 0.35)}" x2="${n(cx + 12)}" y2="${n(y - size * 0.35)}" stroke-width="2"${dash} ${p.paint({ stroke: item.colour })}/>`,
    );
    out.push(textEl(p, cx + 16, y, label, { size, colour: 'text2' }));
    cx += w + 12;
  }
  return out.join('');
}
