/**
 * Text measurement without a browser: advance widths of DejaVu Sans (read from its hmtx table, in 1/1000 em),
 * which Verdana matches closely. Narrower fonts only leave spare room, so an estimate that fits here fits there.
 */

/** The stack every embed uses: metrics-compatible fonts first, so the estimates hold; nothing is fetched. */
export const FONT_FAMILY = "'DejaVu Sans', Verdana, Geneva, 'Segoe UI', 'Helvetica Neue', Arial, sans-serif";

// Printable ASCII, U+0020 to U+007E.
const REGULAR = [
  318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337, 636, 636, 636, 636, 636, 636, 636, 636, 636, 636, 337, 337, 838, 838, 838,
  531, 1000, 684, 686, 698, 770, 632, 575, 775, 752, 295, 295, 656, 557, 863, 748, 787, 603, 787, 695, 635, 611, 732, 684, 989, 685, 611, 685, 390, 337, 390,
  838, 500, 500, 613, 635, 550, 635, 615, 352, 635, 634, 278, 278, 579, 278, 974, 634, 612, 635, 635, 411, 521, 392, 634, 592, 818, 592, 592, 525, 636, 337,
  636, 838,
];
const BOLD = [
  348, 456, 521, 838, 696, 1002, 872, 306, 457, 457, 523, 838, 380, 415, 380, 365, 696, 696, 696, 696, 696, 696, 696, 696, 696, 696, 400, 400, 838, 838, 838,
  580, 1000, 774, 762, 734, 830, 683, 683, 821, 837, 372, 372, 775, 637, 995, 837, 850, 733, 850, 770, 720, 682, 812, 774, 1103, 771, 724, 725, 457, 365, 457,
  838, 500, 500, 675, 716, 593, 716, 678, 435, 716, 712, 343, 343, 665, 343, 1042, 712, 687, 716, 716, 493, 595, 478, 712, 652, 924, 645, 652, 582, 712, 365,
  712, 838,
];
// Characters the renderers themselves print: × − … · – — and the no-break space.
const EXTRA: Record<number, number> = { 0xd7: 838, 0x2212: 838, 0x2026: 1000, 0xb7: 318, 0x2013: 500, 0x2014: 1000, 0xa0: 318 };

function isZeroWidth(cp: number): boolean {
  return (
    (cp >= 0x300 && cp <= 0x36f) || // combining diacritics
    (cp >= 0x200b && cp <= 0x200f) || // zero-width space, joiners, marks
    (cp >= 0xfe00 && cp <= 0xfe0f) || // variation selectors
    (cp >= 0x1f3fb && cp <= 0x1f3ff) // emoji skin tones (drawn with the emoji before them)
  );
}

/** East Asian wide and emoji ranges, drawn about one em wide. */
function isWide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x2600 && cp <= 0x27bf) ||
    (cp >= 0x1f000 && cp <= 0x1faff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  );
}

function charWidth(cp: number, bold: boolean): number {
  if (cp >= 0x20 && cp <= 0x7e) return (bold ? BOLD : REGULAR)[cp - 0x20] ?? 700;
  const extra = EXTRA[cp];
  if (extra !== undefined) return bold ? extra * 1.08 : extra;
  if (isZeroWidth(cp)) return 0;
  if (isWide(cp)) return 1000;
  // Other letters (accented Latin, Greek, Cyrillic...): a little over the average lowercase letter.
  return bold ? 760 : 700;
}

/** Estimated advance width of `text` in px at `size` px. */
export function textWidth(text: string, size: number, bold = false): number {
  let total = 0;
  for (const ch of text) total += charWidth(ch.codePointAt(0) ?? 0, bold);
  return (total * size) / 1000;
}

/** `text`, shortened with an ellipsis when wider than `maxWidth`; never cuts a surrogate pair in half. */
export function fitText(text: string, maxWidth: number, size: number, bold = false): string {
  if (textWidth(text, size, bold) <= maxWidth) return text;
  const chars = Array.from(text);
  const room = maxWidth - textWidth('\u2026', size, bold);
  let used = 0;
  let kept = 0;
  for (const ch of chars) {
    const w = textWidth(ch, size, bold);
    if (used + w > room) break;
    used += w;
    kept += 1;
  }
  return kept === 0 ? '' : `${chars.slice(0, kept).join('').trimEnd()}\u2026`;
}
