/**
 * Colours of a confusion matrix's cells, shared by the binary and the k-class tables.
 *
 * @module
 */

/**
 * The background and text colour of a heatmap cell holding `share` (0 to 1) of the most:
 * an opaque blend from white to a dark steelblue, so the cell never shows the theme's
 * background through it (JupyterLab Dark), and black or white text, whichever contrasts more
 * (WCAG contrast >= 4.5 at every share).
 *
 * @example
 * ```ts
 * import { heatCell } from "./cell_colors.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(heatCell(0), { background: "rgb(255,255,255)", color: "#000000" });
 * assert.deepEqual(heatCell(1), { background: "rgb(43,95,138)", color: "#ffffff" });
 * ```
 */
export function heatCell(share: number): { background: string; color: string } {
  const t = Number.isFinite(share) ? Math.min(1, Math.max(0, share)) : 0;
  const rgb = [43, 95, 138].map((c) => Math.round(255 + (c - 255) * t));
  const [r, g, b] = rgb.map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  const lum = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  const color = 1.05 / (lum + 0.05) > (lum + 0.05) / 0.05 ? "#ffffff" : "#000000";
  return { background: `rgb(${rgb.join(",")})`, color };
}
