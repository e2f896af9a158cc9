import { createRequire } from 'node:module';
import { inflateSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { svgToPng } from './png';
import { renderBadgeSvg } from './render-badge';
import { options, sloPanelData, sloStatus } from './render-fixtures.test-util';
import { renderPanelSvg } from './render-panel';
import { PALETTES } from './render-theme';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function chunks(png: Buffer): Array<{ type: string; data: Buffer }> {
  const out: Array<{ type: string; data: Buffer }> = [];
  for (let at = 8; at < png.length;) {
    const length = png.readUInt32BE(at);
    out.push({ type: png.toString('latin1', at + 4, at + 8), data: png.subarray(at + 8, at + 8 + length) });
    at += 12 + length;
  }
  return out;
}

function ihdr(png: Buffer): { width: number; height: number; colourType: number } {
  // IHDR is always the first chunk: width and height as 32-bit big-endian at bytes 16 and 20 of the file.
  expect(png.toString('latin1', 12, 16)).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20), colourType: png[25]! };
}

/** The top-left pixel's RGB: whatever the row's filter, the first pixel of the first row is stored as is. */
function topLeft(png: Buffer): number[] {
  expect(ihdr(png).colourType).toBe(6);
  const raw = inflateSync(
    Buffer.concat(
      chunks(png)
        .filter((c) => c.type === 'IDAT')
        .map((c) => c.data),
    ),
  );
  return [...raw.subarray(1, 4)];
}

function rgb(hex: string): number[] {
  return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
}

const NON_ASCII = sloPanelData('budget', { serviceName: 'Zahlungsabwicklung', sloName: 'Verfügbarkeit ≥ 99,9 % – 決済 🚀' });

describe('svgToPng', () => {
  test('loads resvg only when the first PNG is rendered', () => {
    const cache = createRequire(import.meta.url).cache;
    const loaded = () => Object.keys(cache).some((k) => k.includes('@resvg/resvg-js'));
    expect(loaded()).toBe(false);
    svgToPng(renderBadgeSvg({ label: 'x', sli: 1, budgetRemaining: 1, alert: null, dataState: 'ok', provisional: false }));
    expect(loaded()).toBe(true);
  });

  test('a panel with non-ASCII text at the requested width', () => {
    const png = svgToPng(renderPanelSvg(NON_ASCII, options(600, 300)), 1200);
    expect(png.subarray(0, 8)).toEqual(SIGNATURE);
    expect(ihdr(png)).toMatchObject({ width: 1200, height: 600 });
    expect(chunks(png).at(-1)?.type).toBe('IEND');
  });

  test.each([
    [400, 200],
    [600, 300],
    [900, 400],
  ])('at the SVG\u2019s own size when no width is given (%dx%d)', (width, height) => {
    const png = svgToPng(renderPanelSvg(NON_ASCII, options(width, height, 'dark')));
    expect(png.subarray(0, 8)).toEqual(SIGNATURE);
    expect(ihdr(png)).toMatchObject({ width, height });
  });

  test('a badge', () => {
    const svg = renderBadgeSvg({ label: 'checkout availability', sli: 0.99935, budgetRemaining: 0.41, alert: null, dataState: 'ok', provisional: false });
    const png = svgToPng(svg, 300);
    expect(png.subarray(0, 8)).toEqual(SIGNATURE);
    expect(ihdr(png).width).toBe(300);
  });

  test.each([
    ['light', PALETTES.light.border],
    ['dark', PALETTES.dark.border],
    // resvg ignores prefers-color-scheme: auto renders light, and the dark rules must not leak in.
    ['auto', PALETTES.light.border],
  ] as const)('the %s theme renders its own colours', (theme, border) => {
    const svg = renderPanelSvg(sloPanelData('sli', { status: sloStatus() }), options(400, 200, theme));
    // Within antialiasing of the border colour; light and dark borders are some 180 apart per channel.
    topLeft(svgToPng(svg)).forEach((channel, i) => expect(Math.abs(channel - rgb(border)[i]!)).toBeLessThan(8));
  });

  test.each([0, -1, 1.5, Number.NaN, 100_000])('refuses width %d', (width) => {
    expect(() => svgToPng('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>', width)).toThrow(RangeError);
  });
});
