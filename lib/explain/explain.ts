/**
 * Shapley-value explanations of one prediction: which features pushed the model output up
 * or down from its average over a background set. Exact enumeration of all coalitions for
 * up to 16 features, Kernel SHAP (as Python's `shap` KernelExplainer computes it with
 * `l1_reg=False`) beyond.
 * The result is plain data; the waterfall, decision and bar plots draw it.
 *
 * @module
 */
import { withExplanationText } from "./explanation_text.ts";
import type { tf } from "../core/tf.ts";
import { rng } from "../core/random.ts";
import { summarizeRows } from "./background.ts";
import {
  checkProblem,
  type ExplainedOutput,
  MAX_BACKGROUND,
  type PredictFn,
} from "./explain_input.ts";
import type { ExplainOptions, Link } from "./explain_input.ts";
import type { Summarize } from "./background.ts";
import { CoalitionEvaluator } from "./coalitions.ts";
import { exactShapley } from "./exact.ts";
import { kernelShap } from "./kernel_shap.ts";
import { resolveUnits } from "./units.ts";

export type { Summarize } from "./background.ts";
export {
  type ExplainedOutput,
  type ExplainMethod,
  type ExplainOptions,
  type Link,
  MAX_BACKGROUND,
  MAX_EXACT_FEATURES,
  type PredictFn,
  type Row,
} from "./explain_input.ts";

/** Where the base value came from. */
export interface BackgroundInfo {
  /** Rows given. */
  givenRows: number;
  /** Rows used (at most {@linkcode MAX_BACKGROUND}). */
  rows: number;
  /** How the given rows were reduced, or `null` when all were used. */
  summarized: Summarize | null;
  /** True when rows carry unequal weights (k-means cluster sizes). */
  weighted: boolean;
  /** Which of the given rows were used, in order. */
  indices: number[];
  /** Each used row's weight in the base value's average (they sum to 1). */
  weights: number[];
}

/**
 * One explained prediction, as plain data. `String(explanation)` gives its text (the output,
 * the base value and each feature's contribution, largest first).
 */
export interface Explanation {
  /** One Shapley value per feature, in link space; they add up to `output - baseValue`. */
  values: number[];
  /** The background's mean model output, in link space (`E[f(X)]`). */
  baseValue: number;
  /** The model output for the instance, in link space (`f(x)`). */
  output: number;
  /** Feature names, in input order. */
  featureNames: string[];
  /** The instance's feature values: the model's inputs, or raw ones with `units: "raw"`. */
  instance: number[];
  /** The space of `values`, `baseValue` and `output`. */
  link: Link;
  /** The method that computed the values. */
  method: "exact" | "kernel";
  /** Coalitions whose value was computed (each averages the model over the background). */
  coalitions: number;
  /** Rows passed through the model: coalitions times background rows. */
  modelRows: number;
  /** The background used. */
  background: BackgroundInfo;
  /** The seed used. */
  seed: number;
  /** For a model with several outputs: the one explained (by default the predicted class). */
  explained?: ExplainedOutput | null;
}

/**
 * Explains one prediction with Shapley values: for each feature, how much it moved the
 * model output from the background's average. The value of a coalition S is interventional,
 * as in Kernel SHAP: features in S take the instance's values, the others each background
 * row's values, and the model output is averaged over the background (then linked).
 *
 * @example
 * ```ts
 * import { explain, perceptron } from "../mod.ts";
 * import assert from "node:assert/strict";
 * const model = perceptron({ inputs: 3, activation: "sigmoid", initializer: "ones" });
 * const e = explain(model, {
 *   instance: [0.2, 0.5, 0.9],
 *   background: [[0, 0, 0], [1, 1, 1], [0.5, 0.5, 0.5]],
 *   featureNames: ["a", "b", "c"],
 *   link: "logit",
 * });
 * assert.deepEqual(e.values.map((v) => v.toFixed(3)), ["-0.159", "0.123", "0.501"]); // (log-odds)
 * e.values.reduce((s, v) => s + v, 0); // ≈ e.output - e.baseValue
 * ```
 */
export function explain(model: tf.LayersModel | PredictFn, options: ExplainOptions): Explanation {
  const { options: resolved, display } = resolveUnits("explain", model, options);
  const e = explainAs("explain", model, resolved);
  if (display) e.instance = display;
  return e;
}

/**
 * {@linkcode explain}, with errors naming `fn` (for functions built on it).
 *
 * @example
 * ```ts
 * import { explainAs } from "./explain.ts";
 * import { perceptron } from "../build/models.ts";
 * import assert from "node:assert/strict";
 * try {
 *   explainAs("myExplainer", perceptron({ inputs: 2 }), { instance: [1], background: [[0, 0]] });
 * } catch (e) {
 *   assert.deepEqual((e as Error).message, "myExplainer: instance must be 2 numbers (one per model input feature), got an array of length 1");
 * }
 * ```
 */
export function explainAs(
  fn: string,
  model: tf.LayersModel | PredictFn,
  options: ExplainOptions,
  backgroundName = "background",
): Explanation {
  const p = checkProblem(fn, model, options, backgroundName);
  const r = rng(p.seed);
  const bgRng = rng((p.seed ^ 0x9E3779B9) >>> 0);
  const bg = summarizeRows(p.background, p.backgroundRows, p.features, {
    method: p.summarize,
    max: MAX_BACKGROUND,
    rng: bgRng,
  });
  const x32 = Float32Array.from(p.instance);
  // Features equal to the instance in every background row cannot change the output.
  const varying: number[] = [];
  for (let k = 0; k < p.features; k++) {
    for (let j = 0; j < bg.rows; j++) {
      if (bg.data[j * p.features + k] !== x32[k]) {
        varying.push(k);
        break;
      }
    }
  }
  const evaluator = new CoalitionEvaluator(p, bg, x32, varying);
  const result = p.method === "exact"
    ? exactShapley(evaluator, varying.length)
    : kernelShap(evaluator, varying.length, p.nsamples, r);
  const values = new Array<number>(p.features).fill(0);
  varying.forEach((k, i) => (values[k] = result.phi[i]));
  return withExplanationText({
    values,
    baseValue: result.base,
    output: result.output,
    featureNames: p.featureNames,
    instance: Array.from(p.instance),
    link: p.link,
    method: p.method,
    coalitions: result.coalitions,
    modelRows: result.coalitions * bg.rows,
    background: {
      givenRows: p.backgroundRows,
      rows: bg.rows,
      summarized: p.backgroundRows > MAX_BACKGROUND ? p.summarize : null,
      weighted: bg.weighted,
      indices: Array.from(bg.indices),
      weights: Array.from(bg.weights),
    },
    seed: p.seed,
    explained: p.explained,
  });
}
