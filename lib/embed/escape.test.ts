import { describe, expect, test } from 'vitest';
import { escapeXml, stripInvalidXmlChars } from './escape';
import { parseSvg } from './render-fixtures.test-util';

describe('escapeXml', () => {
  test.each([
    ['<script>alert(1)</script>', '&lt;script&gt;alert(1)&lt;/script&gt;'],
    ['"quotes"', '&quot;quotes&quot;'],
    ["'apos'", '&#39;apos&#39;'],
    ['a & b', 'a &amp; b'],
    ['&amp; already', '&amp;amp; already'],
    ['checkout availability', 'checkout availability'],
    ['Zahlungsabwicklung – Verfügbarkeit ✓ 決済 🚀', 'Zahlungsabwicklung – Verfügbarkeit ✓ 決済 🚀'],
    ['tab\tnew\nline\rreturn', 'tab\tnew\nline\rreturn'],
  ])('escapeXml(%j) = %j', (input, want) => expect(escapeXml(input)).toBe(want));

  test.each([
    ['nul \u0000', 'nul '],
    ['bell \u0007 and escape \u001b[31m', 'bell  and escape [31m'],
    ['vertical tab \u000b form feed \u000c', 'vertical tab  form feed '],
    ['\u000e\u001f', ''],
    ['lone high \ud83d end', 'lone high  end'],
    ['lone low \ude80 end', 'lone low  end'],
    ['non-characters \ufffe\uffff', 'non-characters '],
  ])('drops what XML 1.0 cannot hold: %j', (input, want) => {
    expect(stripInvalidXmlChars(input)).toBe(want);
    expect(escapeXml(input)).toBe(want);
  });

  test('keeps surrogate pairs (emoji) whole', () => {
    expect(escapeXml('\ud83d\ude80')).toBe('🚀');
    expect(escapeXml('👩🏽‍💻 on call')).toBe('👩🏽‍💻 on call');
  });

  test('the output is well-formed XML in text and attributes, and reads back as the input minus invalid characters', () => {
    const hostile = `<script>alert(1)</script> "quotes" 'apos' & \u0000\u0008\u001f\ud800 🚀 ]]> <!-- -->`;
    const doc = parseSvg(
      `<svg xmlns="http://www.w3.org/2000/svg" aria-label="${escapeXml(hostile)}" data-x='${escapeXml(hostile)}'><title>${escapeXml(hostile)}</title></svg>`,
    );
    const clean = stripInvalidXmlChars(hostile);
    const root = doc.documentElement!;
    expect(root.getAttribute('aria-label')).toBe(clean);
    expect(root.getAttribute('data-x')).toBe(clean);
    expect(doc.getElementsByTagName('title')[0]?.textContent).toBe(clean);
    expect(doc.getElementsByTagName('script')).toHaveLength(0);
  });
});
