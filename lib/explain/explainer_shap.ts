/**
 * The article's `explainer_shap(model, X_names, X_instance, X_train, task, top)`: explain one
 * prediction against the first 100 training rows and draw it, a decision plot in
 * probability for classification and a waterfall plot for regression.
 *
 * @module
 */
import { tf } from "../core/tf.ts";
import { ArgumentError, checkInt, checkOneOf, checkOptions } from "../core/errors.ts";
import { explainAs, type Explanation, MAX_BACKGROUND, type Row } from "./explain.ts";
import type { Figure } from "../display/display.ts";
import { type Task, TASKS } from "../build/models.ts";
import { decisionPlot } from "../plot/decision_plot.ts";
import { waterfallPlot } from "../plot/waterfall_plot.ts";

/** Options of {@linkcode explainerShap}. */
export interface ExplainerShapOptions {
  /** One unique name per feature (the article's `X_names`). */
  featureNames?: readonly string[];
  /** The row to explain (the article's `X_instance`). */
  instance: Row | tf.Tensor;
  /** The training rows; the first 100 are the background (the article's `X_train[:100]`). */
  train: readonly Row[] | tf.Tensor;
  /** `"classification"` (default, as the article): logit link and a decision plot. */
  task?: Task;
  /** How many features the plot shows. Default 10. */
  top?: number;
}

/** What {@linkcode explainerShap} computed and drew. */
export interface ExplainerShapResult {
  /** The explanation (log-odds for classification). */
  explanation: Explanation;
  /** The decision plot (classification) or waterfall plot (regression). */
  figure: Figure;
}

/**
 * The article's `explainer_shap`: explains `instance` with exact Shapley values (Kernel SHAP
 * above 16 features) against the first 100 training rows, and returns the figure.
 *
 * @example
 * ```ts
 * import { deepNN, explainerShap } from "../mod.ts";
 * const model = deepNN({ features: 3, seed: 1 });
 * const train = [[0, 0, 0], [1, 1, 1], [0.5, 0.2, 0.9]];
 * const figure = explainerShap(model, { instance: train[1], train, featureNames: ["a", "b", "c"] });
 * const dir = await Deno.makeTempDir(); // not the working folder
 * figure.save(`${dir}/shap.svg`);
 * ```
 */
export function explainerShap(model: tf.LayersModel, options: ExplainerShapOptions): Figure {
  return run("explainerShap", model, options).figure;
}

/**
 * {@linkcode explainerShap} that also returns the explanation it drew.
 *
 * @example
 * ```ts
 * import { deepNN, explainerShapData } from "../mod.ts";
 * import assert from "node:assert/strict";
 * const model = deepNN({ features: 2, task: "regression", seed: 1 });
 * const { explanation } = explainerShapData(model, {
 *   instance: [1, 2], train: [[0, 0], [1, 1]], task: "regression",
 * });
 * assert.deepEqual(explanation.method, "exact");
 * ```
 */
export function explainerShapData(
  model: tf.LayersModel,
  options: ExplainerShapOptions,
): ExplainerShapResult {
  return run("explainerShapData", model, options);
}

function run(
  fn: string,
  model: tf.LayersModel,
  options: ExplainerShapOptions,
): ExplainerShapResult {
  const o = checkOptions(fn, options, {
    featureNames: true,
    instance: true,
    train: true,
    task: true,
    top: true,
  });
  const task = checkOneOf(fn, "task", o.task ?? "classification", TASKS);
  const top = checkInt(fn, "top", o.top ?? 10);
  const background = firstRows(fn, o.train, MAX_BACKGROUND);
  const classification = task === "classification";
  let explanation: Explanation;
  try {
    explanation = explainAs(fn, model, {
      instance: o.instance,
      background,
      featureNames: o.featureNames,
      link: classification ? "logit" : "identity",
    }, "train");
  } finally {
    if (background instanceof tf.Tensor && background !== o.train) background.dispose();
  }
  const figure = classification
    ? decisionPlot(explanation, { top, link: "logit" })
    : waterfallPlot(explanation, { top });
  // String(result) reads as the explanation and the figure's description (not enumerable:
  // the plain data stays as it was).
  return Object.defineProperty({ explanation, figure }, "toString", {
    value: () => `${explanation}\n${figure}`,
  });
}

/** The first `n` rows of the training data: a slice of the array, or of the tensor. */
function firstRows(fn: string, train: unknown, n: number): readonly Row[] | tf.Tensor {
  if (Array.isArray(train)) {
    if (train.length === 0) {
      throw new ArgumentError(fn, "train", train, "a non-empty array of rows");
    }
    return train.slice(0, n);
  }
  if (train instanceof tf.Tensor) {
    if (train.rank !== 2 || train.isDisposed || train.shape[0] === 0) {
      const got = train.isDisposed
        ? "a disposed tensor"
        : `a tensor of shape ${JSON.stringify(train.shape)}`;
      throw ArgumentError.because(
        fn,
        "train",
        `train must be a 2-D tensor of shape [rows >= 1, features], got ${got}`,
      );
    }
    // The background's rows only: the rest of the tensor is never copied out.
    return train.shape[0] <= n ? train : tf.tidy(() => train.slice([0, 0], [n, -1]));
  }
  throw new ArgumentError(fn, "train", train, "an array of rows or a 2-D tensor");
}
