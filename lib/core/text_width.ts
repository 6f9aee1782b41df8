/**
 * Text widths for laying out figures before any browser draws them. A Linux machine without
 * Helvetica or Arial draws "Helvetica, Arial, sans-serif" in DejaVu Sans, the widest common
 * fallback, so widths are DejaVu Sans's advances (per 1000 units of the font size, measured in
 * Chromium): boxes sized with them hold the text in Helvetica, Arial, Liberation Sans or DejaVu.
 *
 * @module
 */

// Advances of ASCII 32..126 in DejaVu Sans, regular and bold, per 1000 em.
const REGULAR = (
  "318 401 460 838 636 950 780 275 390 390 500 838 318 361 318 337 636 636 636 636 636 636 " +
  "636 636 636 636 337 337 838 838 838 531 1000 684 686 698 770 632 575 775 752 295 295 656 " +
  "557 863 748 787 603 787 695 635 611 732 684 989 685 611 685 390 337 390 838 500 500 613 " +
  "635 550 635 615 352 635 634 278 278 579 278 974 634 612 635 635 411 521 392 634 592 818 " +
  "592 592 525 636 337 636 838"
).split(" ").map(Number);
const BOLD = (
  "348 456 521 838 696 1002 872 306 457 457 523 838 380 415 380 365 696 696 696 696 696 696 " +
  "696 696 696 696 400 400 838 838 838 580 1000 774 762 734 830 683 683 821 837 372 372 775 " +
  "637 995 837 850 733 850 770 720 682 812 774 1103 771 724 725 457 365 457 838 500 500 675 " +
  "716 593 716 678 435 716 712 343 343 665 343 1042 712 687 716 716 493 595 478 712 652 924 " +
  "645 652 582 712 365 712 838"
).split(" ").map(Number);
// Anything else (Σ, arrows, letters of other scripts) counts as a full em: never too narrow.
const OTHER = 1000;

/**
 * Width in pixels of `text` at `size` pixels in the widest common sans fallback (DejaVu Sans).
 *
 * @example
 * ```ts
 * import { textWidth } from "./text_width.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(textWidth("H1", 10), 13.88);
 * ```
 */
export function textWidth(text: string, size: number, bold = false): number {
  const table = bold ? BOLD : REGULAR;
  let units = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    units += code >= 32 && code < 127 ? table[code - 32] : OTHER;
  }
  return Math.round(units * size) / 1000;
}

/**
 * Shortens `text` to at most `max` characters with an ellipsis in the middle, so both the
 * start and the end of a long layer or feature name stay readable.
 *
 * @example
 * ```ts
 * import { shorten } from "./text_width.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(shorten("a_very_long_layer_name_indeed", 12), "a_very…ndeed");
 * ```
 */
export function shorten(text: string, max: number): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  const head = Math.ceil((max - 1) / 2);
  const tail = max - 1 - head;
  return chars.slice(0, head).join("") + "…" + (tail > 0 ? chars.slice(-tail).join("") : "");
}

/**
 * `text` shortened (ellipsis in the middle) until it is at most `maxWidth` pixels wide at
 * `size` in DejaVu Sans.
 *
 * @example
 * ```ts
 * import { fitText } from "./text_width.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(fitText("Short", 12, 200), "Short");
 * assert.ok(fitText("x".repeat(500), 12, 100).length < 500);
 * ```
 */
export function fitText(text: string, size: number, maxWidth: number, bold = false): string {
  let max = Array.from(text).length;
  let out = text;
  while (max > 1 && textWidth(out, size, bold) > maxWidth) {
    max = Math.min(max - 1, Math.floor(max * 0.9));
    out = shorten(text, max);
  }
  return out;
}
