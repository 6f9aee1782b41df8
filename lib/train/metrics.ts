/**
 * The article's custom Keras metrics (Precision, Recall, F1 for classification, R2 for
 * regression) as tfjs metric functions: `model.compile({ metrics: ["accuracy", f1] })`.
 * Each is computed per batch with the article's Keras-backend formula (round, clip, epsilon
 * 1e-7) and is named so that tfjs writes the history keys `F1`, `val_F1`, `R2`, ... as Keras.
 *
 * @module
 */
import { tf } from "../core/tf.ts";
import { ArgumentError } from "../core/errors.ts";

/** A tfjs metric: per batch, `(yTrue, yPred)` to a scalar tensor. */
export type MetricFn = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor;

/**
 * Keras's `K.epsilon()`, added to denominators so an empty batch gives 0, not NaN.
 *
 * @example
 * ```ts
 * import { EPSILON } from "./metrics.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(EPSILON, 1e-7);
 * ```
 */
export const EPSILON = 1e-7;

/** tfjs names a metric's history key after the function's `name`, so set it to Keras's. */
function named(name: string, fn: MetricFn): MetricFn {
  // Checked here so a bad call names the metric, not tfjs's `mul`.
  const checked: MetricFn = (yTrue, yPred) => {
    for (const [argument, t] of [["yTrue", yTrue], ["yPred", yPred]] as const) {
      if (
        !(t instanceof tf.Tensor) || t.isDisposed || (t.dtype !== "float32" && t.dtype !== "int32")
      ) {
        throw new ArgumentError(
          name.toLowerCase(),
          argument,
          t,
          "a float32 or int32 tensor (not disposed)",
        );
      }
    }
    return fn(yTrue, yPred);
  };
  Object.defineProperty(checked, "name", { value: name });
  return checked;
}

/** `K.sum(K.round(K.clip(t, 0, 1)))`; tf.round rounds halves to even, as K.round. */
function roundedCount(t: tf.Tensor): tf.Tensor {
  return tf.sum(tf.round(tf.clipByValue(t, 0, 1)));
}

/** Rounded true positives: `K.sum(K.round(K.clip(y_true * y_pred, 0, 1)))`. */
function truePositivesOf(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  return roundedCount(tf.mul(yTrue, yPred));
}

/** True positives over rounded predicted positives (+ epsilon). */
function precisionOf(truePositives: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  return tf.div(truePositives, tf.add(roundedCount(yPred), EPSILON));
}

/** True positives over rounded actual positives (+ epsilon). */
function recallOf(truePositives: tf.Tensor, yTrue: tf.Tensor): tf.Tensor {
  return tf.div(truePositives, tf.add(roundedCount(yTrue), EPSILON));
}

/**
 * The article's `Precision`: rounded true positives over rounded predicted positives
 * (+ epsilon), per batch. History key: `Precision`.
 *
 * @example
 * ```ts
 * import { precision } from "./metrics.ts";
 * import { tf } from "../core/tf.ts";
 * precision(tf.tensor1d([1, 0, 1]), tf.tensor1d([0.9, 0.8, 0.2])).dataSync()[0]; // ≈ 0.5
 * ```
 */
export const precision: MetricFn = named(
  "Precision",
  (yTrue, yPred) => tf.tidy(() => precisionOf(truePositivesOf(yTrue, yPred), yPred)),
);

/**
 * The article's `Recall`: rounded true positives over rounded actual positives
 * (+ epsilon), per batch. History key: `Recall`.
 *
 * @example
 * ```ts
 * import { recall } from "./metrics.ts";
 * import { tf } from "../core/tf.ts";
 * recall(tf.tensor1d([1, 0, 1]), tf.tensor1d([0.9, 0.8, 0.2])).dataSync()[0]; // ≈ 0.5
 * ```
 */
export const recall: MetricFn = named(
  "Recall",
  (yTrue, yPred) => tf.tidy(() => recallOf(truePositivesOf(yTrue, yPred), yTrue)),
);

/**
 * The article's `F1`: `2 * (P * R) / (P + R + epsilon)` from the batch's Precision and
 * Recall. History keys: `F1` and `val_F1`.
 *
 * @example
 * ```ts
 * import { f1 } from "./metrics.ts";
 * import { deepNN } from "../build/models.ts";
 * const model = deepNN({ features: 10 });
 * model.compile({ optimizer: "adam", loss: "binaryCrossentropy", metrics: ["accuracy", f1] });
 * ```
 */
export const f1: MetricFn = named("F1", (yTrue, yPred) =>
  tf.tidy(() => {
    // Precision and recall share the batch's true positives: count them once.
    const truePositives = truePositivesOf(yTrue, yPred);
    const p = precisionOf(truePositives, yPred);
    const r = recallOf(truePositives, yTrue);
    return tf.mul(2, tf.div(tf.mul(p, r), tf.add(tf.add(p, r), EPSILON)));
  }));

/**
 * The article's `R2`: `1 - SS_res / (SS_tot + epsilon)` over the batch. History keys: `R2`
 * and `val_R2`.
 *
 * @example
 * ```ts
 * import { r2 } from "./metrics.ts";
 * import { tf } from "../core/tf.ts";
 * r2(tf.tensor1d([1, 2, 3, 4]), tf.tensor1d([1.5, 2, 2.5, 4.5])).dataSync()[0]; // ≈ 0.85
 * ```
 */
export const r2: MetricFn = named("R2", (yTrue, yPred) =>
  tf.tidy(() => {
    const ssRes = tf.sum(tf.square(tf.sub(yTrue, yPred)));
    const ssTot = tf.sum(tf.square(tf.sub(yTrue, tf.mean(yTrue))));
    return tf.sub(1, tf.div(ssRes, tf.add(ssTot, EPSILON)));
  }));
