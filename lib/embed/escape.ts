/**
 * XML 1.0's Char production (https://www.w3.org/TR/xml/#charsets): tab, LF, CR, and the rest of Unicode minus
 * the C0 controls, lone surrogates and U+FFFE/U+FFFF. Any other character makes the whole SVG ill-formed.
 */
function isXmlChar(codePoint: number): boolean {
  return (
    codePoint === 0x9 ||
    codePoint === 0xa ||
    codePoint === 0xd ||
    (codePoint >= 0x20 && codePoint <= 0xd7ff) ||
    (codePoint >= 0xe000 && codePoint <= 0xfffd) ||
    (codePoint >= 0x10000 && codePoint <= 0x10ffff)
  );
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Drops the characters XML 1.0 cannot hold (iterating by code point, so a lone surrogate is its own item). */
export function stripInvalidXmlChars(text: string): string {
  let out = '';
  for (const ch of text) if (isXmlChar(ch.codePointAt(0) ?? 0)) out += ch;
  return out;
}

/**
 * Text made safe for XML and HTML, in element content and in quoted attributes alike: & < > " ' become
 * entities and characters XML 1.0 forbids are dropped. Every user-provided string goes through this.
 */
export function escapeXml(text: string): string {
  return stripInvalidXmlChars(String(text)).replace(/[&<>"']/g, (ch) => ENTITIES[ch] ?? ch);
}
