/**
 * Plot: drawing plain data. The SHAP plots ({@linkcode waterfallPlot},
 * {@linkcode decisionPlot}, {@linkcode barPlot}) draw any {@linkcode ExplanationData} (what
 * `explain` returns) and {@linkcode plotHistory} draws training curves from a history. Each
 * plot has a twin returning the rows it draws ({@linkcode waterfallRows},
 * {@linkcode decisionRows}, {@linkcode barRows}). Renderers know nothing of models or
 * tensors.
 *
 * @example
 * ```ts
 * import { plotHistory, waterfallPlot, waterfallRows } from "./mod.ts";
 * import assert from "node:assert/strict";
 * const e = {
 *   values: [0.3, -0.1], baseValue: 0.5, output: 0.7,
 *   featureNames: ["a", "b"], instance: [1, 2], link: "identity" as const,
 * };
 * assert.deepEqual(waterfallRows(e).rows.map((r) => r.label), ["a = 1", "b = 2"]);
 * const dir = await Deno.makeTempDir(); // not the working folder
 * waterfallPlot(e).save(`${dir}/waterfall.svg`);
 * (await plotHistory({ loss: [0.7, 0.6], val_loss: [0.8, 0.7] })).save(`${dir}/history.svg`);
 * ```
 *
 * @module
 */
export {
  type WaterfallData,
  type WaterfallOptions,
  waterfallPlot,
  type WaterfallRow,
  waterfallRows,
} from "./waterfall_plot.ts";
export {
  type DecisionData,
  type DecisionOptions,
  decisionPlot,
  decisionRows,
  type DecisionStep,
} from "./decision_plot.ts";
export { type BarOptions, barPlot, barRows } from "./bar_plot.ts";
export { type ContributionRow, type ExplanationData } from "./shap_rows.ts";
export { type HistoryLike, plotHistory, type PlotHistoryOptions } from "./plot_history.ts";
