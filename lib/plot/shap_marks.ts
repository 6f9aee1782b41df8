/**
 * Observable Plot marks shared by the SHAP plots: signed value labels beside each bar or
 * step, and the `f(x)` and `E[f(X)]` labels above the frame.
 *
 * @module
 */
import * as Plot from "../deps/plot.ts";
import {
  axisLabel,
  type ContributionRow,
  formatNumber,
  formatSigned,
  SHAP_COLORS,
} from "./shap_rows.ts";
import { textWidth } from "../core/text_width.ts";
import { extent } from "../core/extent.ts";

/**
 * Value labels past each row's end point: right of rising rows in red, left of falling rows
 * in blue.
 *
 * @example
 * ```ts
 * import { signedValueLabels } from "./shap_marks.ts";
 * import assert from "node:assert/strict";
 * const marks = signedValueLabels([{ value: 0.2, end: 1.2, key: "x1" }], { x: "end", y: "key", gap: 4 });
 * assert.deepEqual(marks.length, 2);
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

/** Where a value label goes: beside the point at `x`, on `side`, `gap` px away. */
export interface LabelPlace {
  /** The point the label belongs to, in data units. */
  x: number;
  /** The value the label shows. */
  value: number;
  /** Right of the point (1) or left of it (-1). */
  side: 1 | -1;
  /** Distance from the point to the label, in px. */
  gap: number;
}

/**
 * Value labels at given places (see {@linkcode LabelPlace}), red for rising values and blue
 * for falling ones, on an x scale with `domain` over `innerWidth` px.
 *
 * @example
 * ```ts
 * import { placedValueLabels } from "./shap_marks.ts";
 * const rows = [{ key: "a", value: 0.5 }];
 * placedValueLabels(rows, () => ({ x: 1, value: 0.5, side: 1, gap: 4 }), { y: "key", domain: [0, 2], innerWidth: 400 }).length; // 2
 * ```
 */
export function placedValueLabels<T extends { value: number }>(
  rows: readonly T[],
  place: (row: T, index: number) => LabelPlace,
  o: { y: string; domain: readonly [number, number]; innerWidth: number },
): Plot.Markish[] {
  const unit = (o.domain[1] - o.domain[0]) / o.innerWidth;
  const placed = rows.map((row, i) => ({ row, p: place(row, i) }));
  return ([1, -1] as const).map((side) =>
    Plot.text(placed.filter((d) => d.p.side === side), {
      x: (d: { p: LabelPlace }) => d.p.x + side * d.p.gap * unit,
      y: (d: { row: T }) => (d.row as Record<string, unknown>)[o.y],
      text: (d: { row: T }) => formatSigned(d.row.value),
      textAnchor: side === 1 ? "start" : "end",
      fill: (d: { row: T }) => d.row.value >= 0 ? SHAP_COLORS.positive : SHAP_COLORS.negative,
      className: "shap-value-label",
    })
  );
}

/**
 * The gap (px) that keeps a label `width` px wide, `gap` px on `side` of a point at `x` px, clear
 * of vertical rules at `rules` px: a rule that would cross the label or touch it puts the
 * label 4 px past the rule.
 *
 * @example
 * ```ts
 * import { gapPastRules } from "./shap_marks.ts";
 * gapPastRules(100, 1, 4, 30, [110]); // 14
 * gapPastRules(100, 1, 4, 30, [50]); // 4
 * ```
 */
export function gapPastRules(
  x: number,
  side: 1 | -1,
  gap: number,
  width: number,
  rules: readonly number[],
): number {
  let g = gap;
  for (let pass = 0; pass <= rules.length; pass++) {
    const hit = rules.find((r) => {
      const d = (r - x) * side;
      return d > g - 3 && d < g + width + 3;
    });
    if (hit === undefined) break;
    g = Math.abs(hit - x) + 4;
  }
  return g;
}

/**
 * Width of a value label at 12 px, in px (DejaVu Sans, the widest usual font).
 *
 * @example
 * ```ts
 * import { valueLabelWidth } from "./shap_marks.ts";
 * valueLabelWidth(0.5) > 20; // true
 * ```
 */
export function valueLabelWidth(value: number): number {
  return textWidth(formatSigned(value), 12);
}

/**
 * The prediction `f(x)` and the base value `E[f(X)]`, labelled above the frame at their x.
 *
 * @example
 * ```ts
 * import { outputAndBaseLabels } from "./shap_marks.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(outputAndBaseLabels(0.7, 0.5, { dy: -14 }).length, 2);
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

/**
 * An x domain with room for the value labels: each point's label (right of rising rows, left
 * of falling ones, `gap` px away) stays inside the frame, so none reaches the row labels on
 * the left or the picture's edge, whatever the values. `pad` is the least padding, as a
 * fraction of the points' span; points with a `null` value have no label. A point may give its
 * label's own `side` (1 right, -1 left) and `gap` in px.
 *
 * @example
 * ```ts
 * import { labelledDomain } from "./shap_marks.ts";
 * import assert from "node:assert/strict";
 * const points = [{ x: 0, value: -2 }, { x: 1, value: 1 }];
 * assert.deepEqual(labelledDomain(points, 400, 7, 0.1), [-0.1, 1.1]); // room enough: the padding
 * const [a, b] = labelledDomain(points, 40, 7, 0.1); // 40 px: the labels widen the domain
 * assert.ok(a < -0.1 && b > 1.1);
 * ```
 */
export function labelledDomain(
  points: readonly { x: number; value: number | null; side?: 1 | -1; gap?: number }[],
  innerWidth: number,
  gap: number,
  pad: number,
): [number, number] {
  const [lo, hi] = extent(points.map((p) => p.x)) ?? [0, 0];
  const span = hi - lo || 1;
  // Width each label needs beyond its point, in px.
  const need = (value: number, own?: number) => (own ?? gap) + 4 + valueLabelWidth(value);
  // Solve for a domain [a, b] where every label fits: a point at x needs
  // (x - a) / (b - a) * innerWidth >= need (falling) or (b - x) / (b - a) * innerWidth >= need.
  let a = lo - pad * span, b = hi + pad * span;
  for (let pass = 0; pass < 4; pass++) {
    const scale = (b - a) / innerWidth;
    for (const p of points) {
      if (p.value === null) continue; // a point without a label
      const side = p.side ?? (p.value < 0 ? -1 : 1);
      if (side < 0) a = Math.min(a, p.x - need(p.value, p.gap) * scale);
      else b = Math.max(b, p.x + need(p.value, p.gap) * scale);
    }
  }
  return [a, b];
}

/**
 * About `count` round tick values inside `[a, b]`.
 *
 * @example
 * ```ts
 * import { niceTicks } from "./shap_marks.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(niceTicks(0, 1, 5), [0, 0.2, 0.4, 0.6, 0.8, 1]);
 * ```
 */
export function niceTicks(a: number, b: number, count: number): number[] {
  const raw = (b - a) / Math.max(1, count);
  if (!(raw > 0) || !Number.isFinite(raw)) return [a];
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const ticks: number[] = [];
  for (let i = Math.ceil(a / step); i * step <= b + step * 1e-9; i++) {
    ticks.push(Number((i * step).toPrecision(12)));
  }
  return ticks;
}

/**
 * Most rows a SHAP plot draws (30 px each): a larger `top` keeps the largest features and
 * sums the rest into the "N other features" row, so the figure stays readable and small.
 */
export const MAX_DRAWN_ROWS = 100;

/** Widest row label, in px: the label margin never takes more of the 720 px picture. */
export const MAX_LABEL_WIDTH = 280;

/**
 * Row labels that fit {@linkcode MAX_LABEL_WIDTH} at 12 px in DejaVu Sans (feature names
 * shortened further when needed), and the left margin they need.
 *
 * @example
 * ```ts
 * import { rowLabels } from "./shap_marks.ts";
 * import assert from "node:assert/strict";
 * const rows = [{ key: "a", feature: "x".repeat(80), featureValue: 1, label: "", value: 1, features: 1 }];
 * assert.ok(rowLabels(rows).labels.get("a")!.length < 80);
 * ```
 */
export function rowLabels(
  rows: readonly ContributionRow[],
): { labels: Map<string, string>; marginLeft: number } {
  const labels = new Map<string, string>();
  let widest = 0;
  for (const r of rows) {
    let label = axisLabel(r);
    for (let max = 31; max > 4 && textWidth(label, 12) > MAX_LABEL_WIDTH; max -= 2) {
      label = axisLabel(r, max);
    }
    labels.set(r.key, label);
    widest = Math.max(widest, textWidth(label, 12));
  }
  return { labels, marginLeft: Math.ceil(16 + widest) };
}
