/**
 * `predict(model, rows)`: new rows in, plain numbers out, a batch at a time with no tensor
 * left behind.
 *
 * @module
 */
import { tf } from "../core/tf.ts";
import { ArgumentError, checkInt, checkOptions, describe } from "../core/errors.ts";
import { checkModel, outputActivation } from "../build/graph.ts";
import { checkNotTraining } from "../build/training_state.ts";
import type { Preprocessing } from "../data/preprocessing.ts";
import { attachedPreprocessing, carriedInputs, modelWidths } from "../data/attached.ts";
import { Predictions } from "./predictions.ts";
import { plural } from "../core/words.ts";

/** Options of {@linkcode predict}. */
export interface PredictOptions {
  /** Rows per batch through the model (bounds the tensors alive at once). Default 1024. */
  batchSize?: number;
  /**
   * A classifier's class names, in output order, for a model without preprocessing.
   * Default `"0"`, `"1"`, ... (a model that carries its preprocessing has its own).
   */
  classNames?: readonly string[];
}

/**
 * The rows {@linkcode predict} takes: records with the training columns (as `readCSV` gives
 * them, or object literals), or rows of numbers.
 */
export type PredictRows = readonly (Readonly<Record<string, unknown>> | readonly number[])[];

const DEFAULT_BATCH = 1024;

/**
 * Predicts `rows` with `model`, as Keras's `model.predict` and scikit-learn's `predict` and
 * `predict_proba` together: a classifier gives each row's class probabilities and its
 * predicted class name, a regression its value.
 *
 * A model that carries its preprocessing (`attachPreprocessing`, or `loadModel` of a model
 * saved with it) takes records with the training columns (other columns the training table
 * had, such as the target, are ignored) or rows of feature values in raw units, in
 * `featureNames` order, such as `fromRecords`' `x`; it one-hot encodes and scales them
 * itself. Any other model takes rows of numbers (or a 2-D tensor, as Keras's `predict`) as
 * its input expects them.
 *
 * Every row is checked before anything runs: a wrong width, a missing or unknown column, a
 * category the model was not trained on or a value that is not a finite number is an
 * `ArgumentError` naming the row. Rows go through the model `batchSize` at a time.
 *
 * @example
 * ```ts
 * import { predict } from "./predict.ts";
 * import { perceptron } from "../build/models.ts";
 * const p = predict(perceptron({ inputs: 2, initializer: "ones", activation: "sigmoid" }), [[1, 2], [-3, 0]]);
 * [p.classes, p.probabilities![0].length]; // [["1", "0"], 2]
 * ```
 */
export function predict(
  model: tf.LayersModel,
  rows: PredictRows | tf.Tensor2D,
  options?: PredictOptions,
): Predictions {
  const fn = "predict";
  checkModel(fn, model);
  checkNotTraining(fn, model);
  const o = checkOptions(fn, options, { batchSize: true, classNames: true });
  const batchSize = o.batchSize === undefined
    ? DEFAULT_BATCH
    : checkInt(fn, "batchSize", o.batchSize, 1, 1_000_000);
  const { inputs, outputs } = modelWidths(fn, model);
  const p = attachedPreprocessing(model);
  const kind = outputKind(model, p, outputs);
  // The carried names decide; the same names again are accepted, as evaluate does.
  const same = Array.isArray(o.classNames) && p?.classNames != null &&
    o.classNames.length === p.classNames.length &&
    o.classNames.every((n, k) => n === p.classNames![k]);
  if (o.classNames !== undefined && p !== undefined && !same) {
    throw ArgumentError.because(
      fn,
      "classNames",
      `model ${JSON.stringify(model.name)} carries its preprocessing, with its class names ` +
        `(${
          p.classNames ? p.classNames.map((c) => describe(c)).join(", ") : "none: a regression"
        }): leave classNames out`,
    );
  }
  const classNames = kind === "values"
    ? null
    : p?.classNames ?? checkClassNames(fn, o.classNames, kind === "sigmoid" ? 2 : outputs);
  let x: Float32Array;
  if (p) x = carriedInputs(fn, "rows", p, rows).data;
  else if (rows instanceof tf.Tensor) x = tensorRows(fn, rows, inputs);
  else if (!Array.isArray(rows) || rows.length === 0) {
    throw new ArgumentError(fn, "rows", rows, `a non-empty array of rows of ${inputs} numbers`);
  } else x = plainRows(fn, rows, inputs);
  const n = x.length / inputs;
  const out = run(model, x, n, inputs, outputs, batchSize);
  const outputsOf = Array.from(
    { length: n },
    (_, i) => Array.from(out.subarray(i * outputs, (i + 1) * outputs)),
  );
  if (kind === "values") {
    return new Predictions({
      task: "regression",
      target: p?.target ?? null,
      classNames: null,
      probabilities: null,
      classes: null,
      classIndices: null,
      values: outputs === 1 ? outputsOf.map((r) => r[0]) : null,
      outputs: outputsOf,
    });
  }
  const probabilities = kind === "sigmoid" ? outputsOf.map(([q]) => [1 - q, q]) : outputsOf;
  const classIndices = kind === "sigmoid"
    ? outputsOf.map(([q]) => (q > 0.5 ? 1 : 0))
    : outputsOf.map(argmax);
  return new Predictions({
    task: "classification",
    target: p?.target ?? null,
    classNames: [...classNames!],
    probabilities,
    classes: classIndices.map((k) => classNames![k]),
    classIndices,
    values: null,
    outputs: outputsOf,
  });
}

/** How to read the outputs: k class probabilities, one sigmoid probability, or values. */
function outputKind(
  model: tf.LayersModel,
  p: Preprocessing | undefined,
  outputs: number,
): "softmax" | "sigmoid" | "values" {
  if (p) return p.task === "regression" ? "values" : outputs === 1 ? "sigmoid" : "softmax";
  const activation = outputActivation(model);
  if (activation === "softmax" && outputs > 1) return "softmax";
  if (activation === "sigmoid" && outputs === 1) return "sigmoid";
  return "values";
}

function checkClassNames(fn: string, names: unknown, count: number): string[] {
  if (names === undefined) return Array.from({ length: count }, (_, k) => String(k));
  if (
    !Array.isArray(names) || names.length !== count ||
    names.some((n) => typeof n !== "string" || n.length === 0) || new Set(names).size !== count
  ) {
    throw new ArgumentError(fn, "classNames", names, `${count} distinct names, one per class`);
  }
  return [...names];
}

/** A model's input given as a 2-D tensor (not for a model carrying its preprocessing). */
function tensorRows(fn: string, rows: tf.Tensor, width: number): Float32Array {
  if (rows.isDisposed || rows.rank !== 2 || rows.shape[0] === 0 || rows.shape[1] !== width) {
    throw new ArgumentError(
      fn,
      "rows",
      rows.isDisposed ? "a disposed tensor" : `a tensor of shape ${JSON.stringify(rows.shape)}`,
      `a 2-D tensor of shape [rows, ${width}]`,
    );
  }
  const x = Float32Array.from(rows.dataSync() as ArrayLike<number>);
  const bad = x.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) {
    throw new ArgumentError(
      fn,
      `rows[${Math.floor(bad / width)}][${bad % width}]`,
      x[bad],
      "a finite number",
    );
  }
  return x;
}

function plainRows(fn: string, rows: PredictRows, width: number): Float32Array {
  const x = new Float32Array(rows.length * width);
  rows.forEach((row, i) => {
    if (!Array.isArray(row)) {
      throw ArgumentError.because(
        fn,
        `rows[${i}]`,
        `rows[${i}] is ${describe(row)}, but this model carries no preprocessing, so it takes ` +
          `rows of ${width} numbers; attachPreprocessing(model, { table, scaler }) lets it ` +
          "take records",
      );
    }
    if (row.length !== width) {
      throw ArgumentError.because(
        fn,
        `rows[${i}]`,
        `rows[${i}] has ${plural(row.length, "value")}, but the model takes ${width}`,
      );
    }
    row.forEach((v: unknown, c: number) => {
      if (typeof v !== "number" || !Number.isFinite(v)) {
        throw new ArgumentError(fn, `rows[${i}][${c}]`, v, "a finite number");
      }
      x[i * width + c] = v;
    });
  });
  return x;
}

/** The model's outputs for `n` rows of `x`, a batch at a time. */
function run(
  model: tf.LayersModel,
  x: Float32Array,
  n: number,
  inputs: number,
  outputs: number,
  batchSize: number,
): Float32Array {
  const out = new Float32Array(n * outputs);
  for (let start = 0; start < n; start += batchSize) {
    const end = Math.min(n, start + batchSize);
    const values = tf.tidy(() => {
      const batch = tf.tensor2d(x.subarray(start * inputs, end * inputs), [end - start, inputs]);
      return (model.predict(batch) as tf.Tensor).dataSync();
    });
    out.set(values, start * outputs);
  }
  return out;
}

function argmax(row: number[]): number {
  let best = 0;
  for (let k = 1; k < row.length; k++) if (row[k] > row[best]) best = k;
  return best;
}

/** `n noun`, the noun plural unless n is 1 ("1 row", "2 rows"). */
