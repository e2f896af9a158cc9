import { describe, expect, test } from 'vitest';
import type { BadgeData } from './panel-data';
import { BADGE_COLOURS, badgeTone, badgeValue, renderBadgeSvg, type BadgeTone } from './render-badge';
import { elements, parseSvg } from './render-fixtures.test-util';
import { textWidth } from './render-text';

function badge(overrides: Partial<BadgeData> = {}): BadgeData {
  return { label: 'checkout availability', sli: 0.99935, budgetRemaining: 0.41, alert: null, dataState: 'ok', provisional: false, ...overrides };
}

describe('renderBadgeSvg', () => {
  test.each<[string, Partial<BadgeData>, string, BadgeTone]>([
    ['healthy', {}, '99.93% | budget 41% left', 'ok'],
    ['exactly a quarter left', { budgetRemaining: 0.25 }, '99.93% | budget 25% left', 'ok'],
    ['under a quarter left', { budgetRemaining: 0.2 }, '99.93% | budget 20% left', 'warning'],
    ['a ticket alert', { alert: 'ticket' }, '99.93% | budget 41% left', 'warning'],
    ['a page alert', { alert: 'page', budgetRemaining: 0.3 }, '99.93% | budget 30% left', 'danger'],
    ['an overspent budget', { budgetRemaining: -0.125, sli: 0.99875 }, '99.87% | budget \u221213% left', 'danger'],
    ['a ticket alert with an overspent budget', { alert: 'ticket', budgetRemaining: -0.01 }, '99.93% | budget \u22121.0% left', 'danger'],
    ['partial data', { dataState: 'partial', budgetRemaining: 0.9 }, '99.93% | budget 90% left', 'ok'],
    // Issue 13, point 3: a young SLO's figures are marked wherever they go.
    ['provisional figures', { dataState: 'partial', provisional: true, budgetRemaining: -13.28 }, '99.93% | budget \u22121328% left (provisional)', 'danger'],
    ['no data', { dataState: 'no_data', sli: null, budgetRemaining: null }, 'no data', 'muted'],
    ['no figures at all', { dataState: 'partial', sli: null, budgetRemaining: null }, 'no data', 'muted'],
    ['no budget figure', { budgetRemaining: null }, '99.93%', 'ok'],
    ['an SLI of 99.99999%, never rounded up', { sli: 0.9999999 }, '99.99% | budget 41% left', 'ok'],
  ])('%s', (_, overrides, value, tone) => {
    const data = badge(overrides);
    expect(badgeValue(data)).toBe(value);
    expect(badgeTone(data)).toBe(tone);

    const svg = renderBadgeSvg(data);
    const doc = parseSvg(svg);
    const root = doc.documentElement!;
    expect(root.localName).toBe('svg');
    expect(root.getAttribute('role')).toBe('img');
    expect(root.getAttribute('height')).toBe('20');
    const title = elements(doc, 'title')[0]?.textContent ?? '';
    expect(title.startsWith(`checkout availability: ${value}`)).toBe(true);
    if (data.alert) expect(title).toContain(`${data.alert} alert firing`);
    expect(elements(doc, 'rect')[0]?.getAttribute('fill')).toBe(BADGE_COLOURS[tone]);
    const shown = elements(doc, 'text')
      .filter((t) => t.getAttribute('aria-hidden') !== 'true')
      .map((t) => t.textContent);
    expect(shown).toEqual(['checkout availability', value]);
  });

  test('the badge is as wide as its text plus padding, and each text sits inside its part', () => {
    for (const label of ['a', 'checkout availability', 'WWWWWWWWWWWWWWWW', 'Zahlungsabwicklung Verfügbarkeit 決済']) {
      const doc = parseSvg(renderBadgeSvg(badge({ label })));
      const width = Number(doc.documentElement!.getAttribute('width'));
      const labelWidth = Math.ceil(textWidth(label, 11));
      const valueWidth = Math.ceil(textWidth('99.93% | budget 41% left', 11));
      expect(width).toBe(labelWidth + valueWidth + 24);
      const [labelText, valueText] = elements(doc, 'text').filter((t) => t.getAttribute('aria-hidden') !== 'true');
      expect(Number(labelText!.getAttribute('textLength'))).toBe(labelWidth);
      expect(Number(labelText!.getAttribute('x'))).toBe((labelWidth + 12) / 2);
      expect(Number(valueText!.getAttribute('x')) - valueWidth / 2).toBeGreaterThanOrEqual(labelWidth + 12 + 6);
      expect(Number(valueText!.getAttribute('x')) + valueWidth / 2).toBeLessThanOrEqual(width - 6);
    }
    const short = Number(parseSvg(renderBadgeSvg(badge({ label: 'api' }))).documentElement!.getAttribute('width'));
    const long = Number(parseSvg(renderBadgeSvg(badge({ label: 'checkout availability' }))).documentElement!.getAttribute('width'));
    expect(long).toBeGreaterThan(short);
  });

  test('uses DejaVu Sans/Verdana, whose widths it estimates', () => {
    expect(renderBadgeSvg(badge())).toMatch(/font-family="Verdana, Geneva, DejaVu Sans, sans-serif"/);
  });

  test('a hostile label stays text', () => {
    const label = `<script>alert(1)</script> "q" & 'a'`;
    const svg = renderBadgeSvg(badge({ label }));
    expect(svg).not.toContain('<script');
    const doc = parseSvg(svg);
    expect(elements(doc, 'script')).toHaveLength(0);
    expect(elements(doc, 'title')[0]?.textContent).toBe(`${label}: 99.93% | budget 41% left`);
    expect(doc.documentElement!.getAttribute('aria-label')).toBe(`${label}: 99.93% | budget 41% left`);
    expect(elements(doc, 'text').map((t) => t.textContent)).toContain(label);
  });

  test('without a label, only the value part is drawn', () => {
    const doc = parseSvg(renderBadgeSvg(badge({ label: '  ' })));
    expect(elements(doc, 'path')).toHaveLength(0);
    expect(elements(doc, 'text').map((t) => t.textContent)).toEqual(['99.93% | budget 41% left', '99.93% | budget 41% left']);
    expect(elements(doc, 'title')[0]?.textContent).toBe('99.93% | budget 41% left');
  });

  test('has no ids, so several badges can share one page', () => {
    expect(renderBadgeSvg(badge())).not.toMatch(/\sid=|url\(/);
  });
});
