/**
 * Observable Plot marks shared by the SHAP plots: signed value labels beside each bar or
 * step, and the `f(x)` and `E[f(X)]` labels above the frame.
 *
 * @module
 */
import * as Plot from "../deps/plot.ts";
import { formatNumber, formatSigned, SHAP_COLORS } from "./shap_rows.ts";

/**
 * Value labels past each row's end point: right of rising rows in red, left of falling rows
 * in blue.
 *
 * @example
 * ```ts
 * import { signedValueLabels } from "./shap_marks.ts";
 * const marks = signedValueLabels([{ value: 0.2, end: 1.2, key: "x1" }], { x: "end", y: "key", gap: 4 });
 * marks.length; // 2
 * ```
 */
export function signedValueLabels<T extends { value: number }>(
  rows: readonly T[],
  o: { x: string; y: string; gap: number },
): Plot.Markish[] {
  return [true, false].map((rising) =>
    Plot.text(rows.filter((r) => (r.value >= 0) === rising), {
      x: o.x,
      y: o.y,
      text: (r: T) => formatSigned(r.value),
      textAnchor: rising ? "start" : "end",
      dx: rising ? o.gap : -o.gap,
      fill: rising ? SHAP_COLORS.positive : SHAP_COLORS.negative,
      className: "shap-value-label",
    })
  );
}

/**
 * The prediction `f(x)` and the base value `E[f(X)]`, labelled above the frame at their x.
 *
 * @example
 * ```ts
 * import { outputAndBaseLabels } from "./shap_marks.ts";
 * outputAndBaseLabels(0.7, 0.5, { dy: -14 }).length; // 2
 * ```
 */
export function outputAndBaseLabels(
  output: number,
  base: number,
  o: { dy: number; boldOutput?: boolean },
): Plot.Markish[] {
  return [
    Plot.text([output], {
      x: (d: number) => d,
      text: (d: number) => `f(x) = ${formatNumber(d)}`,
      frameAnchor: "top",
      dy: o.dy,
      fontWeight: o.boldOutput ? "bold" : undefined,
      className: "shap-output",
    }),
    Plot.text([base], {
      x: (d: number) => d,
      text: (d: number) => `E[f(X)] = ${formatNumber(d)}`,
      frameAnchor: "top",
      dy: 2 * o.dy,
      fill: "#666",
      className: "shap-base",
    }),
  ];
}
