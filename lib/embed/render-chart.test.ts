import { describe, expect, test } from 'vitest';
import { allElements, parseSvg, sloPanelData } from './render-fixtures.test-util';
import { renderSloChartSvg } from './render-panel';

const ALLOWED = new Set(['svg', 'title', 'style', 'rect', 'line', 'path', 'circle', 'text', 'tspan', 'g']);

describe('renderSloChartSvg: the SLO page charts drawn on the server', () => {
  test.each(['sli', 'budget', 'burn_rate'] as const)('%s: the chart alone, with its lines drawn, in safe inline SVG', (kind) => {
    const svg = renderSloChartSvg(sloPanelData(kind), { width: 560, height: 240 });
    const doc = parseSvg(svg);
    const names = new Set(allElements(doc).map((e) => String(e.localName)));
    for (const name of names) expect(ALLOWED.has(name), name).toBe(true);
    // No link, title text of the panel or figure: the card around it has those.
    expect(svg).not.toContain('<a ');
    const paths = allElements(doc).filter((e) => e.localName === 'path' && (e.getAttribute('d') ?? '').split('L').length > 10);
    expect(paths.length).toBeGreaterThan(0);
    // Sized by its card: full width, a fixed height, the aspect kept.
    expect(doc.documentElement!.getAttribute('width')).toBe('100%');
    expect(doc.documentElement!.getAttribute('height')).toBe('240');
  });

  test("its colours follow the page's theme: the toggle's data-theme, else the system's", () => {
    const svg = renderSloChartSvg(sloPanelData('sli'), { width: 560, height: 240 });
    expect(svg).toContain(":root[data-theme='dark'] .uc-s-chart1{stroke:");
    expect(svg).toContain("@media (prefers-color-scheme: dark){:root:not([data-theme='light']) .uc-f-");
    expect(svg).toMatch(/class="uc-/);
  });
});
