import { escapeXml } from '../escape';
import type { PaletteKey, Painter } from '../render-theme';

/* Markup helpers: coordinates to one decimal, every text escaped. */

export function n(v: number): string {
  return String(Number(v.toFixed(1)));
}

export interface TextStyle {
  size: number;
  colour: PaletteKey;
  bold?: boolean;
  anchor?: 'start' | 'middle' | 'end';
}

export function textEl(p: Painter, x: number, y: number, content: string, style: TextStyle): string {
  const weight = style.bold ? ' font-weight="bold"' : '';
  const anchor = style.anchor && style.anchor !== 'start' ? ` text-anchor="${style.anchor}"` : '';
  return `<text x="${n(x)}" y="${n(y)}" font-size="${style.size}"${weight}${anchor} ${p.paint({ fill: style.colour })}>${escapeXml(content)}</text>`;
}

export function tspan(p: Painter, content: string, colour: PaletteKey, bold = false): string {
  return `<tspan ${p.paint({ fill: colour })}${bold ? ' font-weight="bold"' : ''}>${escapeXml(content)}</tspan>`;
}

/** Only absolute http(s) links are drawn: a javascript: URL in an inline SVG would run script. */
function safeLink(link: string): string | null {
  if (!/^https?:\/\//i.test(link)) return null;
  try {
    return new URL(link).href;
  } catch {
    return null;
  }
}

export function linked(link: string, inner: string): string {
  const href = safeLink(link);
  return href ? `<a href="${escapeXml(href)}" target="_top">${inner}</a>` : inner;
}
