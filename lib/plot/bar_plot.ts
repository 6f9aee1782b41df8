/**
 * The bar plot of one explanation, as `shap.plots.bar` draws a single prediction: one bar
 * per feature from zero to its contribution, largest |value| at the top, the rest summed
 * into one "N other features" bar.
 *
 * @module
 */
import * as Plot from "../deps/plot.ts";
import { Figure } from "../display/display.ts";
import { checkOptions } from "../core/errors.ts";
import { plotToSvg } from "./plot_dom.ts";
import { labelledDomain, MAX_DRAWN_ROWS, rowLabels, signedValueLabels } from "./shap_marks.ts";
import {
  checkExplanation,
  type ContributionRow,
  explainedNote,
  type ExplanationData,
  formatSigned,
  SHAP_COLORS,
  topContributions,
} from "./shap_rows.ts";

/** Options of {@linkcode barPlot}. */
export interface BarOptions {
  /** Features shown by |value|; the rest become one "N other features" bar. Default 10. */
  top?: number;
}

/**
 * The bars, top to bottom: the `top` features by |value|, then "N other features".
 *
 * @example
 * ```ts
 * import { barRows } from "./bar_plot.ts";
 * import assert from "node:assert/strict";
 * const e = { values: [0.1, -0.5, 0.2], baseValue: 0, output: -0.2, featureNames: ["a", "b", "c"], instance: [1, 2, 3], link: "identity" as const };
 * assert.deepEqual(barRows(e, { top: 1 }).map((r) => r.value), [-0.5, 0.30000000000000004]);
 * ```
 */
export function barRows(e: ExplanationData, options?: BarOptions): ContributionRow[] {
  return checkedRows("barRows", e, options);
}

/** {@linkcode barRows} with errors naming `fn`, the public function called. */
function checkedRows(
  fn: string,
  e: ExplanationData,
  options?: BarOptions,
  maxRows = Infinity,
): ContributionRow[] {
  const o = checkOptions(fn, options, { top: true });
  return topContributions(e, Math.min(maxRows, checkExplanation(fn, e, o.top ?? 10)));
}

/**
 * Draws a bar plot of an explanation's contributions, red for positive and blue for
 * negative, each labelled with its value.
 *
 * @example
 * ```ts
 * import { barPlot } from "./bar_plot.ts";
 * const e = { values: [0.1, -0.5, 0.2], baseValue: 0, output: -0.2, featureNames: ["a", "b", "c"], instance: [1, 2, 3], link: "identity" as const };
 * const dir = await Deno.makeTempDir(); // not the working folder
 * barPlot(e).save(`${dir}/bars.svg`);
 * ```
 */
export function barPlot(e: ExplanationData, options?: BarOptions): Figure {
  const rows = checkedRows("barPlot", e, options, MAX_DRAWN_ROWS);
  const { labels, marginLeft } = rowLabels(rows);
  const width = 720, marginRight = 30;
  const space = (e.link === "logit" ? "SHAP value (log-odds)" : "SHAP value") + explainedNote(e);
  // Bars start at 0; room for every value label past its bar's end.
  const [lo, hi] = labelledDomain(
    [{ x: 0, value: null }, ...rows.map((r) => ({ x: r.value, value: r.value }))],
    width - marginLeft - marginRight,
    4,
    0.05,
  );
  const color = (r: ContributionRow) => r.value >= 0 ? SHAP_COLORS.positive : SHAP_COLORS.negative;
  const svg = plotToSvg({
    width,
    height: 70 + 30 * rows.length,
    marginLeft,
    marginRight,
    marginTop: 16,
    marginBottom: 44,
    style: { fontSize: "12px" },
    x: {
      domain: [Math.min(lo, 0), Math.max(hi, 0)],
      label: space,
      labelAnchor: "center",
      grid: true,
    },
    y: {
      domain: rows.map((r) => r.key),
      tickFormat: (key: string) => labels.get(key) ?? key,
      tickSize: 0,
      label: null,
    },
    marks: [
      Plot.barX(rows, {
        y: "key",
        x1: 0,
        x2: "value",
        fill: color,
        insetTop: 3,
        insetBottom: 3,
        className: "shap-bar",
      }),
      Plot.ruleX([0], { stroke: "#333", className: "shap-zero-rule" }),
      ...signedValueLabels(rows, { x: "value", y: "key", gap: 4 }),
    ],
  });
  return new Figure(
    svg,
    [`Bar plot (${space})`, ...rows.map((r) => `  ${r.label}: ${formatSigned(r.value)}`)].join(
      "\n",
    ),
  );
}
