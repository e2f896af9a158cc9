import { createRequire } from 'node:module';
import type * as ResvgModule from '@resvg/resvg-js';

// resvg is a native module: it is loaded on the first PNG, so code that only renders SVG never loads it.
let resvg: typeof ResvgModule | undefined;

function loadResvg(): typeof ResvgModule {
  resvg ??= createRequire(import.meta.url)('@resvg/resvg-js') as typeof ResvgModule;
  return resvg;
}

/**
 * A PNG of `svg`, scaled to `width` pixels wide (height keeps the aspect ratio), else at the SVG's own size.
 * Fonts are the system's, DejaVu Sans by default; nothing is fetched. `auto` themes render light: resvg
 * ignores prefers-color-scheme.
 */
export function svgToPng(svg: string, width?: number): Buffer {
  if (width !== undefined && (!Number.isInteger(width) || width < 1 || width > 8000)) {
    throw new RangeError(`PNG width ${width} must be a whole number of pixels from 1 to 8000`);
  }
  const { Resvg } = loadResvg();
  const renderer = new Resvg(svg, {
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
    fitTo: width ? { mode: 'width', value: width } : undefined,
  });
  return renderer.render().asPng();
}
