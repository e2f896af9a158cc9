import { describe, expect, test } from 'vitest';
import type { Document, Element } from '@xmldom/xmldom';
import { formatBudget, formatSli } from '@/lib/slo/format';
import type { SeriesPoint } from '../schemas';
import type { PanelData, PanelKind } from './panel-data';
import {
  allElements,
  AS_OF,
  calendarWindow,
  elements,
  options,
  parseSvg,
  servicePanelData,
  SIZES,
  sloPanelData,
  sloSeries,
  sloStatus,
  texts,
} from './render-fixtures.test-util';
import { rangeWords, renderPanelSvg, seriesPath, utcMinute, windowWords } from './render-panel';
import { PALETTES } from './render-theme';
import { textWidth } from './render-text';

const KINDS: PanelKind[] = ['burn_rate', 'budget', 'sli', 'service'];
const THEMES = ['light', 'dark', 'auto'] as const;
const SVG_NS = 'http://www.w3.org/2000/svg';
const ALLOWED_ELEMENTS = new Set(['svg', 'title', 'desc', 'style', 'rect', 'line', 'path', 'circle', 'text', 'tspan', 'a', 'g']);

function panelFor(kind: PanelKind): PanelData {
  return kind === 'service' ? servicePanelData() : sloPanelData(kind);
}

function linksOf(data: PanelData): string[] {
  return data.kind === 'service' ? [data.link, ...data.slos.map((s) => s.link)] : [data.link];
}

function render(data: PanelData, width = 600, height = 300, theme: (typeof THEMES)[number] = 'light', range = '7d') {
  const svg = renderPanelSvg(data, options(width, height, theme, range));
  const doc = parseSvg(svg);
  return { svg, doc, texts: texts(doc) };
}

function attr(el: Element, name: string): string {
  return el.getAttribute(name) ?? '';
}

/** Every <text> stays inside the panel, by the same width estimate the renderer uses. */
function expectTextInside(doc: Document, width: number): void {
  for (const el of elements(doc, 'text')) {
    const content = el.textContent ?? '';
    const size = Number(attr(el, 'font-size'));
    const w = textWidth(content, size, attr(el, 'font-weight') === 'bold');
    const x = Number(attr(el, 'x'));
    const anchor = attr(el, 'text-anchor') || 'start';
    const left = anchor === 'end' ? x - w : anchor === 'middle' ? x - w / 2 : x;
    expect(left, `"${content}" starts outside the panel`).toBeGreaterThanOrEqual(-0.5);
    expect(left + w, `"${content}" ends outside the panel`).toBeLessThanOrEqual(width + 0.5);
  }
}

function seriesPaths(doc: Document, name: string): Element[] {
  return elements(doc, 'path').filter((p) => attr(p, 'data-series') === name);
}

/** The vertices of a path's data and how many subpaths it has. */
function vertices(d: string): { moves: number; points: Array<[number, number]> } {
  const commands = [...d.matchAll(/([ML])(-?[\d.]+) (-?[\d.]+)/g)];
  return { moves: commands.filter((c) => c[1] === 'M').length, points: commands.map((c) => [Number(c[2]), Number(c[3])]) };
}

function xAxisY(doc: Document): number {
  const axis = elements(doc, 'line').find((l) => attr(l, 'data-axis') === 'x');
  if (!axis) throw new Error('no x axis');
  return Number(attr(axis, 'y1'));
}

/** A series with constant values, nulls at the given indices. */
function seriesWithGaps(nulls: Set<number>, value: (p: SeriesPoint) => SeriesPoint) {
  return sloSeries({
    point: (p, i) =>
      nulls.has(i)
        ? { ...p, sli: null, windowSli: null, budgetRemaining: null, burnRates: Object.fromEntries(Object.keys(p.burnRates).map((w) => [w, null])) }
        : value(p),
  });
}

describe.each(KINDS)('%s panel', (kind) => {
  const cases = THEMES.flatMap((theme) => SIZES.map(([w, h]) => [theme, w, h] as const));

  test.each(cases)('%s at %dx%d is a well-formed, self-contained SVG', (theme, width, height) => {
    const data = panelFor(kind);
    const { svg, doc, texts: shown } = render(data, width, height, theme);
    const root = doc.documentElement!;

    expect(root.localName).toBe('svg');
    expect(root.namespaceURI).toBe(SVG_NS);
    expect(attr(root, 'width')).toBe(String(width));
    expect(attr(root, 'height')).toBe(String(height));
    expect(attr(root, 'viewBox')).toBe(`0 0 ${width} ${height}`);
    expect(attr(root, 'role')).toBe('img');
    expect(attr(root, 'font-family')).toContain('DejaVu Sans');
    expect(attr(root, 'font-family')).toMatch(/sans-serif$/);

    const children = Array.from(root.childNodes).filter((c) => c.nodeType === 1) as Element[];
    expect(children[0]?.localName).toBe('title');
    expect(children[1]?.localName).toBe('desc');
    expect(children[0]?.textContent).toMatch(/checkout/);
    expect(children[1]?.textContent).toContain('as of 2026-11-26 14:05 UTC');

    // Nothing executable, nothing fetched: only drawing elements, no event attributes, links only to the app.
    for (const el of allElements(doc)) {
      expect(ALLOWED_ELEMENTS.has(el.localName ?? ''), `<${el.localName}>`).toBe(true);
      for (const a of Array.from(el.attributes)) {
        expect(a.name.toLowerCase().startsWith('on'), a.name).toBe(false);
        if (a.name === 'href' || a.name === 'xlink:href') expect(el.localName).toBe('a');
      }
    }
    for (const a of elements(doc, 'a')) {
      expect(linksOf(data)).toContain(attr(a, 'href'));
      expect(attr(a, 'target')).toBe('_top');
    }
    expect(elements(doc, 'a').length).toBeGreaterThan(0);
    for (const url of svg.match(/https?:\/\/[^"'\s<>)]+/g) ?? []) expect([SVG_NS, ...linksOf(data)]).toContain(url);
    expect(svg).not.toMatch(/url\(|@import|<script|<image|<foreignObject/i);

    // The statements every panel makes, visibly and at every size.
    const visible = shown.join('\n');
    expect(visible).toContain('as of 2026-11-26 14:05 UTC');
    expect(visible).toContain('30-day rolling window');
    if (kind !== 'service') expect(visible).toContain('last 7 days');
    expectTextInside(doc, width);

    const background = elements(doc, 'rect')[0]!;
    if (theme === 'auto') {
      const style = elements(doc, 'style');
      expect(style).toHaveLength(1);
      expect(style[0]?.textContent).toContain('@media (prefers-color-scheme: dark)');
      expect(style[0]?.textContent).toContain(`.f-surface{fill:${PALETTES.dark.surface}}`);
      expect(attr(background, 'fill')).toBe(PALETTES.light.surface);
      expect(attr(background, 'class')).toContain('f-surface');
    } else {
      expect(elements(doc, 'style')).toHaveLength(0);
      expect(attr(background, 'fill')).toBe(PALETTES[theme].surface);
      expect(svg).not.toContain('class=');
    }
  });

  test.each(SIZES)('hostile names stay text at %dx%d', (width, height) => {
    const service = '<script>alert(1)</script>';
    const slo = `"quotes" & 'apos' <b>`;
    const base = panelFor(kind);
    const data: PanelData =
      base.kind === 'service'
        ? { ...base, serviceName: service, slos: base.slos.map((s, i) => (i === 0 ? { ...s, name: slo } : s)) }
        : { ...base, serviceName: service, sloName: slo };
    const { svg, doc, texts: shown } = render(data, width, height, 'auto');

    expect(svg).not.toContain('<script');
    expect(svg).not.toContain('<b>');
    expect(elements(doc, 'script')).toHaveLength(0);
    expect(elements(doc, 'b')).toHaveLength(0);
    const title = elements(doc, 'title')[0]?.textContent ?? '';
    expect(title).toContain(service);
    if (kind !== 'service') expect(title).toContain(slo);
    expect(elements(doc, 'desc')[0]?.textContent).toContain(slo);
    // The SLO's name is drawn whole at every size (it is short enough); the service name is shortened if need be.
    expect(shown).toContain(slo);
    if (width >= 600) expect(shown.some((t) => t.includes(service))).toBe(true);
    expectTextInside(doc, width);
  });
});

describe('escaping and links', () => {
  test('control characters are dropped so the document stays well-formed; emoji and accents stay', () => {
    const data = sloPanelData('budget', { serviceName: 'pay\u0000ments\u001b', sloName: 'Verfügbarkeit 🚀 決済\ufffe' });
    const { doc, texts: shown } = render(data, 900, 400);
    expect(shown).toContain('Verfügbarkeit 🚀 決済');
    expect(elements(doc, 'title')[0]?.textContent).toContain('payments');
  });

  test('the link back is escaped and normalised', () => {
    const link = `https://umpire.example.com/services/checkout/slos/availability?from="x"&to='y'><script>`;
    const { svg, doc } = render(sloPanelData('sli', { link }));
    const anchors = elements(doc, 'a');
    expect(anchors).toHaveLength(1);
    expect(attr(anchors[0]!, 'href')).toBe(new URL(link).href);
    expect(svg).not.toContain('<script');
  });

  test.each(['javascript:alert(1)', 'data:text/html,<script>alert(1)</script>', '//evil.example.com', 'not a url'])('no link for %j', (link) => {
    const { svg, doc, texts: shown } = render(sloPanelData('sli', { link }));
    expect(elements(doc, 'a')).toHaveLength(0);
    expect(svg).not.toMatch(/javascript:|data:text/);
    expect(shown).toContain('availability');
  });

  test('a very long name is shortened with an ellipsis, and stays whole in the title', () => {
    const long = 'checkout availability measured at the edge load balancer for every region and every tenant';
    const { doc, texts: shown } = render(sloPanelData('budget', { sloName: long }), 400, 200);
    expect(shown.some((t) => t.endsWith('\u2026') && long.startsWith(t.slice(0, -1)))).toBe(true);
    expect(elements(doc, 'title')[0]?.textContent).toContain(long);
    expectTextInside(doc, 400);
  });
});

describe('gaps: null points are never drawn as zero', () => {
  const nulls = new Set([100, 101, 102, 200, 202]);
  const count = sloSeries().points.length;
  // Point 201 sits alone between nulls: a dot, since a one-point path draws nothing.
  const drawnInPaths = count - nulls.size - 1;

  test('burn rate: the line breaks at each null run, and no vertex sits on the zero line', () => {
    const series = seriesWithGaps(nulls, (p) => ({ ...p, burnRates: Object.fromEntries(Object.keys(p.burnRates).map((w) => [w, 2])) }));
    const { doc } = render(sloPanelData('burn_rate', { series }));
    const [path, ...more] = seriesPaths(doc, '1h');
    expect(more).toHaveLength(0);
    const { moves, points } = vertices(attr(path!, 'd'));
    expect(moves).toBe(3);
    expect(points).toHaveLength(drawnInPaths);
    const zero = xAxisY(doc);
    for (const [, y] of points) expect(y).toBeLessThan(zero - 10);
    const dots = elements(doc, 'circle').filter((c) => attr(c, 'data-series') === '1h');
    expect(dots).toHaveLength(1);
    expect(Number(attr(dots[0]!, 'cy'))).toBeLessThan(zero - 10);
  });

  test('a window missing from a point is a gap too', () => {
    const series = sloSeries({ point: (p, i) => (i === 50 ? { ...p, burnRates: { '5m': 1 } } : p) });
    const { doc } = render(sloPanelData('burn_rate', { series }), 400, 200);
    expect(vertices(attr(seriesPaths(doc, '1h')[0]!, 'd')).moves).toBe(2);
  });

  test('budget: gaps, and negative values drawn below the 0% line', () => {
    const series = seriesWithGaps(nulls, (p) => ({ ...p, budgetRemaining: -0.2 }));
    const { doc, texts: shown } = render(sloPanelData('budget', { series }));
    const { moves, points } = vertices(attr(seriesPaths(doc, 'budget')[0]!, 'd'));
    expect(moves).toBe(3);
    expect(points).toHaveLength(drawnInPaths);
    const zeroLine = elements(doc, 'line').find((l) => attr(l, 'stroke-dasharray') === '6 4')!;
    for (const [, y] of points) expect(y).toBeGreaterThan(Number(attr(zeroLine, 'y1')));
    expect(shown).toContain('\u221225%');
  });

  test('SLI: gaps in the window SLI', () => {
    const series = seriesWithGaps(nulls, (p) => ({ ...p, windowSli: 0.9995, sli: 0.9995 }));
    const { doc } = render(sloPanelData('sli', { series }), 400, 200);
    const { moves, points } = vertices(attr(seriesPaths(doc, 'window')[0]!, 'd'));
    expect(moves).toBe(3);
    expect(points).toHaveLength(drawnInPaths);
  });

  test.each(['burn_rate', 'budget', 'sli'] as const)('%s: a range with no values says so and draws no line', (kind) => {
    const series = seriesWithGaps(new Set(Array.from({ length: count }, (_, i) => i)), (p) => p);
    const { doc, texts: shown } = render(sloPanelData(kind, { series }));
    expect(shown).toContain('No data in this range');
    expect(elements(doc, 'path').filter((p) => attr(p, 'data-series'))).toHaveLength(0);
    expect(elements(doc, 'circle')).toHaveLength(0);
  });

  test('no points at all', () => {
    const { texts: shown } = render(sloPanelData('budget', { series: { ...sloSeries(), points: [] } }), 400, 200);
    expect(shown).toContain('No data in this range');
  });

  test('an SLO without data says "No data" for its figure and state', () => {
    const status = sloStatus({ sli: null, dataState: 'no_data', errorBudget: { remaining: null, consumed: null }, burnRates: { '1h': null, '5m': null } });
    for (const kind of ['burn_rate', 'budget', 'sli'] as const) {
      const { texts: shown } = render(sloPanelData(kind, { status }), 400, 200);
      expect(shown.filter((t) => t === 'No data')).toHaveLength(2);
    }
  });

  test('seriesPath starts a subpath after every gap and returns lone points as dots', () => {
    expect(seriesPath([0, 1, 2, 3, 4, 5, 6], [5, 6, null, 7, null, 8, 9])).toEqual({ d: 'M0 5L1 6M5 8L6 9', dots: [[3, 7]] });
    expect(seriesPath([0, 1], [Number.NaN, null])).toEqual({ d: '', dots: [] });
  });
});

describe('figures equal the status values, formatted like the app', () => {
  test.each([
    [-0.125, '\u221213%'],
    [-0.05, '\u22125.0%'],
    [0.41, '41%'],
    [0.995, '99.5%'],
    [0, '0%'],
  ])('budget remaining %d is shown as %s', (remaining, shown) => {
    expect(formatBudget(remaining)).toBe(shown);
    for (const [w, h] of SIZES) {
      const { texts: all } = render(sloPanelData('budget', { status: sloStatus({ errorBudget: { remaining } }) }), w, h);
      expect(all).toContain(shown);
    }
  });

  test('an overspent budget is in the danger colour and said to be overspent', () => {
    const { doc } = render(sloPanelData('budget', { status: sloStatus({ errorBudget: { remaining: -0.125 } }) }), 900, 400);
    const figure = elements(doc, 'text').find((t) => t.textContent === '\u221213%')!;
    expect(attr(figure, 'fill')).toBe(PALETTES.light.danger);
    expect(elements(doc, 'desc')[0]?.textContent).toContain('overspent by 12%');
  });

  test('the SLI figure, truncated never rounded up, red below the objective', () => {
    const { texts: ok } = render(sloPanelData('sli', { status: sloStatus({ sli: 0.99959 }) }), 400, 200);
    expect(ok).toContain('99.9590%');
    const { doc, texts: low } = render(sloPanelData('sli', { status: sloStatus({ sli: 0.99899996 }) }), 600, 300);
    expect(low).toContain(formatSli(0.99899996));
    expect(low).toContain('99.8999%');
    expect(low).toContain('objective 99.9%');
    expect(
      attr(
        elements(doc, 'text').find((t) => t.textContent === '99.8999%')!,
        'fill',
      ),
    ).toBe(PALETTES.light.danger);
  });

  test('the burn rate figure is the first page tier\u2019s long window, with the firing state', () => {
    const status = sloStatus({ burnRates: { '1h': 15.2, '5m': 21 }, firing: ['page/1h/5m'] });
    const { doc, texts: shown } = render(sloPanelData('burn_rate', { status }), 900, 400);
    expect(shown).toContain('15.20\u00d7');
    expect(shown).toContain('1h burn rate');
    expect(shown).toContain('Paging: 1h/5m above 14.4\u00d7');
    expect(shown).toContain('page 1h/5m > 14.4\u00d7 \u00b7 firing');
    expect(shown).toContain('page 6h/30m > 6\u00d7');
    expect(shown).toContain('ticket 1d/2h > 3\u00d7');
    expect(shown).toContain('ticket 3d/6h > 1\u00d7');
    const thresholds = elements(doc, 'line').filter((l) => attr(l, 'stroke-dasharray') === '6 4');
    expect(thresholds.map((l) => attr(l, 'stroke'))).toEqual([PALETTES.light.danger, PALETTES.light.danger, PALETTES.light.warning, PALETTES.light.warning]);
    // Higher thresholds sit higher.
    const ys = thresholds.map((l) => Number(attr(l, 'y1')));
    expect([...ys].sort((a, b) => a - b)).toEqual(ys);
  });

  test('burn rate draws every tier\u2019s long window, but only the headline one on a small panel', () => {
    const big = render(sloPanelData('burn_rate'), 900, 400).doc;
    expect(['1h', '6h', '1d', '3d'].map((w) => seriesPaths(big, w).length)).toEqual([1, 1, 1, 1]);
    const small = render(sloPanelData('burn_rate'), 400, 200).doc;
    expect(['1h', '6h', '1d', '3d'].map((w) => seriesPaths(small, w).length)).toEqual([1, 0, 0, 0]);
  });

  test('a ticket alert, and no alert', () => {
    expect(render(sloPanelData('budget', { status: sloStatus({ firing: ['ticket/1d/2h'] }) }), 900, 400).texts).toContain('Ticket: 1d/2h above 3\u00d7');
    expect(render(sloPanelData('budget', { status: sloStatus({ firing: ['ticket/1d/2h', 'page/6h/30m'] }) }), 900, 400).texts).toContain(
      'Paging: 6h/30m above 6\u00d7 and 1 more',
    );
    expect(render(sloPanelData('budget'), 900, 400).texts).toContain('No alert firing');
    expect(render(sloPanelData('budget', { status: sloStatus({ firing: ['page/1h/5m', 'ticket/3d/6h'] }) }), 400, 200).texts.join('|')).toMatch(/Paging/);
  });
});

describe('window, range and time', () => {
  test.each(SIZES)('a calendar window at %dx%d', (w, h) => {
    const { texts: shown } = render(sloPanelData('burn_rate', { status: sloStatus({ window: calendarWindow() }) }), w, h);
    expect(shown.join('\n')).toContain('calendar month (Europe/Berlin)');
  });

  test.each([
    ['7d', 'last 7 days'],
    ['24h', 'last 24 hours'],
    ['1h', 'last 1 hour'],
    ['90d', 'last 90 days'],
    ['30m', 'last 30 minutes'],
    ['week', 'range week'],
  ])('range %s is stated as "%s"', (range, words) => {
    expect(rangeWords(range)).toBe(words);
    expect(render(sloPanelData('sli'), 600, 300, 'light', range).texts.join('\n')).toContain(words);
  });

  test('window words', () => {
    expect(windowWords(sloStatus().window)).toBe('30-day rolling window');
    expect(windowWords(sloStatus({ window: { days: 28, periodMinutes: 28 * 1440 } }).window)).toBe('28-day rolling window');
    expect(windowWords(sloStatus({ window: calendarWindow() }).window)).toBe('calendar month (Europe/Berlin)');
  });

  test('as of is in UTC to the minute', () => {
    expect(utcMinute(AS_OF)).toBe('2026-11-26 14:05 UTC');
    expect(utcMinute('2026-11-26T15:05:59.999+01:00')).toBe('2026-11-26 14:05 UTC');
  });

  test('a failing source is stated with the time the data stops', () => {
    const status = sloStatus({ evaluation: { staleSince: '2026-11-26T13:40:00Z' } });
    expect(render(sloPanelData('budget', { status }), 900, 400).texts.join('\n')).toContain('stale since 2026-11-26 13:40 UTC');
  });

  test('demo data is marked as such', () => {
    for (const [w, h] of SIZES) {
      expect(render(sloPanelData('budget', { status: sloStatus({ source: 'demo' }) }), w, h).svg).toContain('demo data');
    }
  });

  test('the description and legend show on large panels only', () => {
    const sentence = 'Budget remaining over the 30-day window';
    expect(render(sloPanelData('budget'), 900, 400).texts.join('\n')).toContain(sentence);
    expect(render(sloPanelData('budget'), 600, 300).texts.join('\n')).not.toContain(sentence);
    expect(render(sloPanelData('budget'), 600, 300).texts).toContain('budget remaining');
    expect(render(sloPanelData('budget'), 400, 200).texts).not.toContain('budget remaining');
  });
});

describe('service panel', () => {
  test('a row per SLO: name, SLI, objective, budget left and alert state', () => {
    const { texts: shown } = render(servicePanelData(), 900, 400);
    expect(shown).toEqual(expect.arrayContaining(['availability', 'latency p99 < 300ms', 'payments webhook']));
    expect(shown).toEqual(expect.arrayContaining(['99.9590%', '99.8100%', 'No data']));
    expect(shown.filter((t) => t === '99.9%')).toHaveLength(3);
    expect(shown).toEqual(expect.arrayContaining(['41%', '\u221213%']));
    expect(shown).toEqual(expect.arrayContaining(['OK', 'Paging']));
    expect(shown.filter((t) => t === 'No data')).toHaveLength(3);
    expect(shown).toContain('Paging \u00b7 1 firing');
    expect(shown.join('\n')).toContain('3 SLOs');
  });

  test('the small panel drops the objective column', () => {
    const { texts: shown } = render(servicePanelData(), 400, 200);
    expect(shown).not.toContain('objective');
    expect(shown).not.toContain('99.9%');
    expect(shown).toEqual(expect.arrayContaining(['41%', '\u221213%', 'OK', 'Paging']));
  });

  test('more SLOs than fit are counted, not cut off silently', () => {
    const base = servicePanelData();
    const slos = Array.from({ length: 12 }, (_, i) => ({ ...base.slos[0]!, name: `slo ${i + 1}`, slug: `slo-${i + 1}` }));
    const { doc, texts: shown } = render({ ...base, slos }, 400, 200);
    const more = shown.find((t) => /^\+\d+ more SLOs$/.test(t));
    expect(more).toBeDefined();
    const rowsShown = shown.filter((t) => /^slo \d+$/.test(t)).length;
    expect(rowsShown + Number(/\d+/.exec(more!)![0])).toBe(12);
    expectTextInside(doc, 400);
  });

  test('an all-quiet service and one without SLOs', () => {
    const base = servicePanelData();
    expect(render({ ...base, slos: [base.slos[0]!] }, 600, 300).texts).toContain('OK');
    expect(render({ ...base, slos: [base.slos[2]!] }, 600, 300).texts).toContain('No data');
    const empty = render({ ...base, slos: [] }, 600, 300).texts;
    expect(empty).toContain('No SLOs defined yet');
    expect(empty.join('\n')).toContain('as of 2026-11-26 14:05 UTC');
  });

  test('SLOs with different windows name theirs', () => {
    const base = servicePanelData();
    const slos = [base.slos[0]!, { ...base.slos[1]!, status: sloStatus({ window: calendarWindow() }) }];
    const { texts: shown } = render({ ...base, slos }, 900, 400);
    expect(shown.join('\n')).toContain('windows per SLO');
    expect(shown).toContain('latency p99 < 300ms (calendar-month)');
    expect(shown).toContain('availability (30-day)');
  });
});

test.each([
  [0, 300],
  [600, Number.NaN],
  [10_000, 300],
  [100, 50],
])('a %dx%d panel is refused', (width, height) => {
  expect(() => renderPanelSvg(sloPanelData('sli'), options(width, height))).toThrow(RangeError);
});

test('provisional figures are marked in the footer and the description (issue 13, point 3)', () => {
  const data = sloPanelData('budget', {
    status: sloStatus({ provisional: true, provisionalReason: 'Provisional: 4 min of 28 days measured.', dataState: 'partial' }),
  });
  const svg = renderPanelSvg(data, options(600, 300));
  expect(svg).toContain('provisional: 4 min of 28 days measured');
  expect(svg).toContain('The figures are provisional: 4 min of 28 days measured.');
});
