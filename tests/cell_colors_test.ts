import assert from "node:assert/strict";
import { heatCell } from "../lib/evaluate/cell_colors.ts";

/** WCAG contrast ratio of two `rgb(r,g,b)` / `#rrggbb` colours. */
function contrast(a: string, b: string): number {
  const lum = (c: string) => {
    const v = c.startsWith("#")
      ? [1, 3, 5].map((i) => parseInt(c.slice(i, i + 2), 16))
      : c.slice(4, -1).split(",").map(Number);
    const [r, g, bl] = v.map((x) => {
      const s = x / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

Deno.test("heatCell: opaque cells whose count reads at WCAG contrast >= 4.5 at every share", () => {
  for (let i = 0; i <= 200; i++) {
    const { background, color } = heatCell(i / 200);
    assert.match(background, /^rgb\(\d+,\d+,\d+\)$/, "opaque: the theme never shows through");
    assert.ok(contrast(background, color) >= 4.5, `share ${i / 200}: ${background} / ${color}`);
  }
  assert.deepEqual(heatCell(0), { background: "rgb(255,255,255)", color: "#000000" });
  assert.deepEqual(heatCell(1), { background: "rgb(43,95,138)", color: "#ffffff" });
  assert.deepEqual(heatCell(NaN), heatCell(0)); // a class with no rows: blank, readable
});
