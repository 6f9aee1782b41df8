/**
 * Explain: why a model gave one prediction, as numbers. {@linkcode explain} computes Shapley
 * values against a background (exact up to 16 features, Kernel SHAP above), in raw output
 * or log-odds; they add up to the prediction minus the background's mean output.
 * {@linkcode explainerShap} is the article's helper: it explains one row and draws the
 * waterfall (regression) or decision (classification) plot.
 *
 * @example
 * ```ts
 * import { deepNN } from "../build/mod.ts";
 * import { explain } from "./mod.ts";
 * import assert from "node:assert/strict";
 * const model = deepNN({ features: 3, seed: 1 });
 * const background = [[0, 0, 0], [1, 1, 1], [0.5, 0.2, 0.9]];
 * const e = explain(model, { instance: [1, 0, 1], background, featureNames: ["a", "b", "c"] });
 * assert.deepEqual(e.method, "exact");
 * e.values.reduce((s, v) => s + v, 0); // ≈ e.output - e.baseValue
 * ```
 *
 * @module
 */
export {
  type BackgroundInfo,
  explain,
  type ExplainedOutput,
  type ExplainMethod,
  type ExplainOptions,
  type Explanation,
  type Link,
  type PredictFn,
  type Row,
  type Summarize,
} from "./explain.ts";
export {
  explainerShap,
  explainerShapData,
  type ExplainerShapOptions,
  type ExplainerShapResult,
} from "./explainer_shap.ts";
