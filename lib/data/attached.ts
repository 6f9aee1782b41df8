/**
 * Which preprocessing each model carries, whether it fits the model, and the rows it takes:
 * `attachPreprocessing` and `loadModel` attach one, `predict`, `evaluate`, `explain` and
 * `saveModel` read it.
 *
 * @module
 */
import { tf } from "../core/tf.ts";
import { ArgumentError } from "../core/errors.ts";
import { encodeRows, oneHotSpans, type Preprocessing } from "./preprocessing.ts";
import { outputActivation } from "../build/graph.ts";
import { plural } from "../core/words.ts";

const ATTACHED = new WeakMap<tf.LayersModel, Preprocessing>();

/**
 * The preprocessing attached to `model` (by `attachPreprocessing` or `loadModel`), the
 * stored object itself, or `undefined`. Kept in data, with the data it describes, so every
 * step after data (predict, explain, save) can read it.
 *
 * @example
 * ```ts
 * import { attachedPreprocessing } from "./attached.ts";
 * import { perceptron } from "../build/models.ts";
 * attachedPreprocessing(perceptron()); // undefined
 * ```
 */
export function attachedPreprocessing(model: tf.LayersModel): Preprocessing | undefined {
  return ATTACHED.get(model);
}

/**
 * Attaches checked preprocessing `p` to `model` (callers check that it fits the model).
 *
 * @example
 * ```ts
 * import { attachedPreprocessing, storePreprocessing } from "./attached.ts";
 * import { perceptron } from "../build/models.ts";
 * const m = perceptron();
 * storePreprocessing(m, undefined);
 * attachedPreprocessing(m); // undefined
 * ```
 */
export function storePreprocessing(model: tf.LayersModel, p: Preprocessing | undefined): void {
  if (p === undefined) ATTACHED.delete(model);
  else ATTACHED.set(model, p);
}

/**
 * The model's input width and output width (single input, single output, 2-D), or an
 * error naming `fn`.
 *
 * @example
 * ```ts
 * import { modelWidths } from "./attached.ts";
 * import { deepNN } from "../build/models.ts";
 * modelWidths("predict", deepNN({ features: 4, classes: 3 })); // { inputs: 4, outputs: 3 }
 * ```
 */
export function modelWidths(
  fn: string,
  model: tf.LayersModel,
): { inputs: number; outputs: number } {
  const inShape = model.inputs.length === 1 ? model.inputs[0].shape : undefined;
  const outShape = model.outputs.length === 1 ? model.outputs[0].shape : undefined;
  if (
    !inShape || inShape.length !== 2 || typeof inShape[1] !== "number" ||
    !outShape || outShape.length !== 2 || typeof outShape[1] !== "number"
  ) {
    throw ArgumentError.because(
      fn,
      "model",
      `model ${JSON.stringify(model.name)} must take rows and give rows (one input of shape ` +
        `[null, features], one output of shape [null, units]); it has input ${
          JSON.stringify(model.inputs.map((i) => i.shape))
        } and output ${JSON.stringify(model.outputs.map((o) => o.shape))}`,
    );
  }
  return { inputs: inShape[1], outputs: outShape[1] };
}

/**
 * Refuses preprocessing `p` for `model` when their widths differ: the inputs it makes, the
 * outputs its target needs.
 *
 * @example
 * ```ts
 * import { checkFits } from "./attached.ts";
 * import { parsePreprocessing } from "./preprocessing.ts";
 * import { deepNN } from "../build/models.ts";
 * const p = parsePreprocessing("demo", "p", {
 *   format: "dlnb-preprocessing", version: 1, target: "y", task: "regression", classNames: null,
 *   features: [{ column: "a", kind: "number" }], featureNames: ["a"], missing: "error",
 *   otherColumns: ["y"], scaler: null,
 * });
 * checkFits("demo", deepNN({ features: 1, task: "regression" }), p); // fits: no error
 * ```
 */
export function checkFits(fn: string, model: tf.LayersModel, p: Preprocessing): void {
  const { inputs, outputs } = modelWidths(fn, model);
  if (inputs !== p.featureNames.length) {
    throw ArgumentError.because(
      fn,
      "model",
      `model ${JSON.stringify(model.name)} takes ${inputs} inputs, but the preprocessing ` +
        `makes ${p.featureNames.length} (${p.featureNames.slice(0, 6).join(", ")}${
          p.featureNames.length > 6 ? ", ..." : ""
        })`,
    );
  }
  const classes = p.classNames?.length ?? 0;
  const fits = p.task === "regression"
    ? outputs === 1
    : outputs === classes || (outputs === 1 && classes === 2);
  if (!fits) {
    const expected = p.task === "regression"
      ? "1 output (a regression)"
      : `${classes} outputs (one per class)${classes === 2 ? " or 1 (a sigmoid)" : ""}`;
    throw ArgumentError.because(
      fn,
      "model",
      `model ${JSON.stringify(model.name)} has ${plural(outputs, "output")}, but the ` +
        `preprocessing's target ${JSON.stringify(p.target)} needs ${expected}`,
    );
  }
  // Class probabilities need a sigmoid or softmax head; a linear one gives "P" outside [0, 1].
  const activation = outputActivation(model);
  const wanted = outputs === 1 ? "sigmoid" : "softmax";
  if (p.task === "classification" && activation !== undefined && activation !== wanted) {
    throw ArgumentError.because(
      fn,
      "model",
      `model ${JSON.stringify(model.name)} ends in a ${activation} output, but the ` +
        `preprocessing's target ${JSON.stringify(p.target)} has classes (${
          (p.classNames ?? []).map((n) => JSON.stringify(n)).join(", ")
        }), whose probabilities need a ${wanted}: build the model with ${
          outputs === 1
            ? "deepNN({ features }) (a sigmoid)"
            : `deepNN({ features, classes: ${classes} })`
        }, or make the table with fromRecords(..., { task: "regression" }) to predict numbers`,
    );
  }
}

/**
 * The model inputs for `rows` given to a model carrying preprocessing `p` (the one reading
 * of such rows, shared by `predict` and `evaluate`): records with the training columns or
 * rows of feature values in raw units, encoded and scaled by `encodeRows`. A tensor is
 * refused (its units are unknown: raw or already scaled), as is anything but a non-empty array.
 *
 * @example
 * ```ts
 * import { carriedInputs } from "./attached.ts";
 * import { parsePreprocessing } from "./preprocessing.ts";
 * const p = parsePreprocessing("demo", "p", {
 *   format: "dlnb-preprocessing", version: 1, target: "y", task: "regression", classNames: null,
 *   features: [{ column: "a", kind: "number" }], featureNames: ["a"], missing: "error",
 *   otherColumns: ["y"], scaler: { mean: [1], std: [2] },
 * });
 * const x = carriedInputs("evaluate", "x", p, [{ a: 5 }, [3]]);
 * [x.rows, Array.from(x.data)]; // [2, [2, 1]]
 * ```
 */
export function carriedInputs(
  fn: string,
  argument: string,
  p: Preprocessing,
  rows: unknown,
): { data: Float32Array; rows: number; cols: number } {
  if (rows instanceof tf.Tensor) {
    throw ArgumentError.because(
      fn,
      argument,
      `${argument} is a tensor, but this model carries its preprocessing: pass records or ` +
        "rows of numbers in the table's units",
    );
  }
  if (!Array.isArray(rows) || rows.length === 0) {
    throw new ArgumentError(
      fn,
      argument,
      rows,
      "a non-empty array of records (objects with the training columns) or rows of numbers",
    );
  }
  const data = encodeRows(fn, p, rows, argument);
  return { data, rows: rows.length, cols: p.featureNames.length };
}

/**
 * Refuses rows in the table's units where a model carrying a scaler expects its own (scaled)
 * inputs, as `train` does: when every one-hot group of the first rows (up to 100) holds exactly
 * one 1 and 0s, and the scaler moves those columns, the rows were not scaled. A table of
 * numbers only cannot be told apart, and passes.
 *
 * @example
 * ```ts
 * import { refuseUnscaled } from "./attached.ts";
 * import { parsePreprocessing } from "./preprocessing.ts";
 * const p = parsePreprocessing("demo", "p", {
 *   format: "dlnb-preprocessing", version: 1, target: "y", task: "regression", classNames: null,
 *   features: [{ column: "b", kind: "oneHot", levels: ["x", "z"] }], featureNames: ["b=x", "b=z"],
 *   missing: "error", otherColumns: ["y"], scaler: { mean: [0.5, 0.5], std: [0.5, 0.5] },
 * });
 * const rows = [[-1, 1], [1, -1]];
 * refuseUnscaled("train", "x", p, rows.length, (r) => rows[r]); // scaled: no error
 * ```
 */
export function refuseUnscaled(
  fn: string,
  argument: string,
  p: Preprocessing,
  count: number,
  row: (r: number) => ArrayLike<number>,
): void {
  if (!p.scaler || count === 0) return;
  const { mean, std } = p.scaler;
  // The one-hot columns the scaler moves: scaled, they cannot all be 0s and 1s.
  const groups = oneHotSpans(p).filter(({ start, width }) =>
    mean.slice(start, start + width).some((m, k) => m !== 0 || std[start + k] !== 1)
  );
  if (groups.length === 0) return;
  for (let r = 0; r < Math.min(count, 100); r++) {
    const values = row(r);
    for (const { start, width } of groups) {
      let ones = 0;
      for (let k = start; k < start + width; k++) {
        if (values[k] === 1) ones++;
        else if (values[k] !== 0) return; // scaled
      }
      if (ones !== 1) return;
    }
  }
  throw ArgumentError.because(
    fn,
    argument,
    `${argument} holds rows in the table's units (its one-hot columns are 0s and 1s), but ` +
      `${fn} takes the model's own inputs and this model carries a scaler: pass ` +
      `scaler.transform(${argument}) (predict, evaluate and explain take the table's units)`,
  );
}
