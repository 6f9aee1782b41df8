/**
 * Reads and checks the `x` and `y` given to `train` and `evaluate` (tensors or arrays) into
 * row-major Float32Arrays before any work: shapes, row counts, the model's feature count,
 * finite values, 0/1 labels. Reading a tensor creates no tensor: a refusal leaves nothing.
 *
 * @module
 */
import { tf } from "../core/tf.ts";
import { ArgumentError, describe } from "../core/errors.ts";
import { checkModel, outputActivation } from "../build/graph.ts";
import { recordError } from "./record_rows.ts";
import { isRecord } from "../data/rows_input.ts";
import { plural } from "../core/words.ts";

/** Features: a 2-D tensor `[rows, features]` or an array of rows of numbers. */
export type Matrix = tf.Tensor | readonly ArrayLike<number>[];
/** Targets: a tensor `[rows]` or `[rows, outputs]`, an array of numbers, or an array of rows. */
export type Targets = tf.Tensor | ArrayLike<number> | readonly ArrayLike<number>[];

/** A checked table of numbers, row-major. */
export interface Table {
  /** `rows * cols` values, row by row. */
  data: Float32Array;
  /** Number of rows. */
  rows: number;
  /** Number of columns. */
  cols: number;
}

function fromTensor(fn: string, argument: string, t: tf.Tensor, targets: boolean): Table {
  if (t.isDisposed) throw ArgumentError.because(fn, argument, `${argument} is a disposed tensor`);
  if (t.dtype === "string" || t.dtype === "complex64") {
    throw ArgumentError.because(
      fn,
      argument,
      `${argument} must be a tensor of numbers, got a ${t.dtype} tensor`,
    );
  }
  const ok = t.rank === 2 || (targets && t.rank === 1);
  if (!ok) {
    const expected = targets
      ? "a tensor of shape [rows] or [rows, outputs]"
      : "a 2-D tensor [rows, features]";
    throw ArgumentError.because(
      fn,
      argument,
      `${argument} must be ${expected}, got a tensor of shape [${t.shape.join(", ")}]`,
    );
  }
  const rows = t.shape[0];
  const cols = t.rank === 2 ? t.shape[1] as number : 1;
  // A float32 tensor's values as read (no second copy; nothing writes to them).
  const values = t.dataSync() as ArrayLike<number>;
  const data = values instanceof Float32Array ? values : Float32Array.from(values);
  return { data, rows, cols };
}

function isArrayLike(v: unknown): v is ArrayLike<unknown> {
  return Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView));
}

/** Row `r` of `rowsIn`, checked: an array of `cols` numbers that float32 holds. */
function checkedRow(
  fn: string,
  argument: string,
  rowsIn: readonly unknown[],
  r: number,
  cols: number,
  model?: tf.LayersModel,
): ArrayLike<number> {
  const row = rowsIn[r];
  if (isRecord(row)) throw recordError(fn, argument, r, model);
  if (!isArrayLike(row) || typeof row === "string") {
    throw ArgumentError.because(
      fn,
      argument,
      `${argument}[${r}] must be an array of numbers like ${argument}[0], got ${describe(row)}`,
    );
  }
  if (row.length !== cols) {
    throw ArgumentError.because(
      fn,
      argument,
      `${argument} rows must all have ${plural(cols, "value")}, as ${argument}[0]; ` +
        `${argument}[${r}] has ${row.length}`,
    );
  }
  for (let c = 0; c < cols; c++) {
    const v = row[c];
    if (typeof v !== "number") {
      throw ArgumentError.because(
        fn,
        argument,
        `${argument}[${r}][${c}] must be a number, got ${describe(v)}`,
      );
    }
    checkValue(fn, argument, v, Math.fround(v), r, c, cols);
  }
  return row as ArrayLike<number>;
}

function fromRows(
  fn: string,
  argument: string,
  rowsIn: readonly unknown[],
  model?: tf.LayersModel,
): Table {
  const rows = rowsIn.length;
  const first = rowsIn[0] as ArrayLike<unknown>;
  const cols = first.length;
  if (cols === 0) throw ArgumentError.because(fn, argument, `${argument}[0] is an empty row`);
  const data = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const row = checkedRow(fn, argument, rowsIn, r, cols, model);
    for (let c = 0; c < cols; c++) data[r * cols + c] = row[c];
  }
  return { data, rows, cols };
}

function fromValues(fn: string, argument: string, values: ArrayLike<unknown>): Table {
  const data = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (isRecord(v)) throw recordError(fn, argument, i, undefined);
    if (typeof v !== "number") {
      throw ArgumentError.because(
        fn,
        argument,
        `${argument}[${i}] must be a number, got ${describe(v)}`,
      );
    }
    data[i] = v;
    checkValue(fn, argument, v, data[i], i, 0, 1);
  }
  return { data, rows: values.length, cols: 1 };
}

/** Throws for NaN, ±Infinity or a number float32 cannot hold, naming its place. */
function checkValue(
  fn: string,
  argument: string,
  given: number,
  stored: number,
  r: number,
  c: number,
  cols: number,
): void {
  if (Number.isFinite(stored)) return;
  const where = cols === 1 ? `row ${r}` : `row ${r}, column ${c}`;
  throw ArgumentError.because(
    fn,
    argument,
    `${argument} must contain only finite numbers, got ${given} at ${where}` +
      (Number.isFinite(given) ? " (too large for float32)" : ""),
  );
}

function checkFinite(fn: string, argument: string, table: Table): void {
  for (let i = 0; i < table.data.length; i++) {
    const v = table.data[i];
    if (!Number.isFinite(v)) {
      checkValue(fn, argument, v, v, Math.floor(i / table.cols), i % table.cols, table.cols);
    }
  }
}

/**
 * Reads features: a 2-D tensor or an array of equally long rows of finite numbers. Given
 * `model`, an error about records (objects) says what that model takes.
 *
 * @example
 * ```ts
 * import { readMatrix } from "./inputs.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(readMatrix("train", "x", [[1, 2], [3, 4], [5, 6]]), { data: Float32Array.from([1, 2, 3, 4, 5, 6]), rows: 3, cols: 2 });
 * ```
 */
export function readMatrix(
  fn: string,
  argument: string,
  value: unknown,
  model?: tf.LayersModel,
): Table {
  let table: Table;
  if (value instanceof tf.Tensor) {
    table = fromTensor(fn, argument, value, false);
  } else if (Array.isArray(value) && value.length > 0 && isArrayLike(value[0])) {
    table = fromRows(fn, argument, value, model);
  } else if (Array.isArray(value) && isRecord(value[0])) {
    throw recordError(fn, argument, 0, model);
  } else {
    throw new ArgumentError(
      fn,
      argument,
      value,
      "a 2-D tensor [rows, features] or a non-empty array of rows of numbers",
    );
  }
  if (table.rows === 0) throw ArgumentError.because(fn, argument, `${argument} has no rows`);
  if (value instanceof tf.Tensor) checkFinite(fn, argument, table);
  return table;
}

/** Features as {@linkcode readFeatures} reads them: the caller's rows, copied only if asked. */
export interface FeatureTable extends Table {
  /** The caller's rows when `x` was an array of rows (their values checked), else null. */
  readonly source: readonly ArrayLike<number>[] | null;
}

/**
 * Reads features as {@linkcode readMatrix} does, with the same checks and errors, but keeps an
 * array of rows as it is: `data` (a row-major float32 copy) is made on first use, so an engine
 * that reads batches from `source` never holds a second copy of the data.
 *
 * @example
 * ```ts
 * import { readFeatures } from "./inputs.ts";
 * const x = readFeatures("train", "x", [[1, 2], [3, 4]]);
 * x.source?.length; // 2
 * x.data; // Float32Array [1, 2, 3, 4], made now
 * ```
 */
export function readFeatures(
  fn: string,
  argument: string,
  value: unknown,
  model?: tf.LayersModel,
): FeatureTable {
  if (value instanceof tf.Tensor || !Array.isArray(value) || value.length === 0) {
    return { ...readMatrix(fn, argument, value, model), source: null };
  }
  const rowsIn = value as readonly unknown[];
  if (!isArrayLike(rowsIn[0])) return { ...readMatrix(fn, argument, value, model), source: null };
  const rows = rowsIn.length;
  const cols = (rowsIn[0] as ArrayLike<unknown>).length;
  if (cols === 0) throw ArgumentError.because(fn, argument, `${argument}[0] is an empty row`);
  for (let r = 0; r < rows; r++) checkedRow(fn, argument, rowsIn, r, cols, model);
  const source = rowsIn as readonly ArrayLike<number>[];
  let data: Float32Array | null = null;
  return {
    rows,
    cols,
    source,
    get data(): Float32Array {
      if (data === null) {
        data = new Float32Array(rows * cols);
        for (let r = 0; r < rows; r++) data.set(source[r], r * cols);
      }
      return data;
    },
  };
}

/**
 * Reads targets: a tensor `[rows]` or `[rows, outputs]`, an array of finite numbers, or an
 * array of rows.
 *
 * @example
 * ```ts
 * import { readTargets } from "./inputs.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(readTargets("train", "y", [0, 1, 1]), { data: Float32Array.from([0, 1, 1]), rows: 3, cols: 1 });
 * ```
 */
export function readTargets(fn: string, argument: string, value: unknown): Table {
  let table: Table;
  if (value instanceof tf.Tensor) {
    table = fromTensor(fn, argument, value, true);
  } else if (Array.isArray(value) && value.length > 0 && isArrayLike(value[0])) {
    table = fromRows(fn, argument, value);
  } else if (isArrayLike(value) && typeof value !== "string" && value.length > 0) {
    table = fromValues(fn, argument, value);
  } else {
    throw new ArgumentError(
      fn,
      argument,
      value,
      "a tensor [rows] or [rows, outputs], or a non-empty array of numbers",
    );
  }
  if (table.rows === 0) throw ArgumentError.because(fn, argument, `${argument} has no rows`);
  if (value instanceof tf.Tensor) checkFinite(fn, argument, table);
  return table;
}

/** The features a model takes and the outputs it gives, for single-input, single-output models. */
export interface ModelShape {
  /** Input features (last dimension of the input shape `[null, features]`). */
  features: number;
  /** Output units (last dimension of the output shape `[null, outputs]`). */
  outputs: number;
}

/**
 * Checks `model` takes rows of features and gives rows of outputs (one input `[null, n]`,
 * one output `[null, k]`), and returns n and k.
 *
 * @example
 * ```ts
 * import { modelShape } from "./inputs.ts";
 * import { deepNN } from "../build/models.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(modelShape("train", deepNN({ features: 10 })), { features: 10, outputs: 1 });
 * ```
 */
export function modelShape(fn: string, model: unknown): ModelShape {
  const m = checkModel(fn, model);
  const input = m.inputs.length === 1 ? m.inputs[0].shape : null;
  const output = m.outputs.length === 1 ? m.outputs[0].shape : null;
  if (!input || input.length !== 2 || !output || output.length !== 2) {
    throw ArgumentError.because(
      fn,
      "model",
      `model ${JSON.stringify(m.name)} must have one input of shape [null, features] and one ` +
        `output of shape [null, outputs]; it has inputs ${
          JSON.stringify(m.inputs.map((t) => t.shape))
        } and outputs ${JSON.stringify(m.outputs.map((t) => t.shape))}`,
    );
  }
  return { features: input[1] as number, outputs: output[1] as number };
}

/**
 * Checks that `x` and `y` fit `model`: x's columns are the model's features, y's columns its
 * outputs, and both have the same number of rows.
 *
 * @example
 * ```ts
 * import { checkFit, readMatrix, readTargets } from "./inputs.ts";
 * import { deepNN } from "../build/models.ts";
 * const x = readMatrix("train", "x", [[1, 2]]), y = readTargets("train", "y", [1]);
 * checkFit("train", { features: 2, outputs: 1 }, x, y);
 * ```
 */
export function checkFit(fn: string, shape: ModelShape, x: Table, y: Table): void {
  if (x.cols !== shape.features) {
    throw ArgumentError.because(
      fn,
      "x",
      `x has ${plural(x.cols, "feature")} per row but the model takes ${shape.features}`,
    );
  }
  if (y.cols !== shape.outputs) {
    throw ArgumentError.because(
      fn,
      "y",
      `y has ${plural(y.cols, "value")} per row but the model gives ${
        plural(shape.outputs, "output")
      }`,
    );
  }
  if (x.rows !== y.rows) {
    throw ArgumentError.because(
      fn,
      "y",
      `x and y must have the same number of rows, got ${
        plural(x.rows, "row")
      } in x and ${y.rows} in y`,
    );
  }
}

/**
 * Checks every target is 0 or 1 (what binary cross-entropy and the classification metrics
 * expect), naming the first one that is not.
 *
 * @example
 * ```ts
 * import { checkBinary, readTargets } from "./inputs.ts";
 * checkBinary("train", "y", readTargets("train", "y", [0, 1, 1]), "with a binaryCrossentropy loss");
 * ```
 */
export function checkBinary(fn: string, argument: string, y: Table, why: string): void {
  const i = y.data.findIndex((v) => v !== 0 && v !== 1);
  if (i >= 0) {
    throw ArgumentError.because(
      fn,
      argument,
      `${argument} must hold only 0/1 labels ${why}, got ${y.data[i]} at row ${
        Math.floor(i / y.cols)
      }`,
    );
  }
}

/**
 * Reads the class of each row for a model with `classes` outputs: `y` holds either one class
 * index per row (0 to classes - 1) or one one-hot row per row. Any other value is an error
 * naming the row.
 *
 * @example
 * ```ts
 * import { classIndices, readTargets } from "./inputs.ts";
 * classIndices("evaluate", "y", readTargets("evaluate", "y", [2, 0, 1]), 3); // Int32Array [2, 0, 1]
 * classIndices("evaluate", "y", readTargets("evaluate", "y", [[0, 1, 0]]), 3); // Int32Array [1]
 * ```
 */
export function classIndices(fn: string, argument: string, y: Table, classes: number): Int32Array {
  const out = new Int32Array(y.rows);
  if (y.cols === 1) {
    for (let r = 0; r < y.rows; r++) {
      const v = y.data[r];
      if (!Number.isInteger(v) || v < 0 || v >= classes) {
        throw ArgumentError.because(
          fn,
          argument,
          `${argument} must hold class indices 0 to ${classes - 1} (the model has ${classes} ` +
            `outputs, one per class), got ${v} at row ${r}`,
        );
      }
      out[r] = v;
    }
    return out;
  }
  if (y.cols !== classes) {
    throw ArgumentError.because(
      fn,
      argument,
      `${argument} has ${y.cols} values per row but the model has ${classes} classes: give ` +
        `one class index per row, or one-hot rows of ${classes}`,
    );
  }
  for (let r = 0; r < y.rows; r++) {
    let hot = -1;
    for (let c = 0; c < classes; c++) {
      const v = y.data[r * classes + c];
      if (v === 1 && hot < 0) hot = c;
      else if (v !== 0) hot = -2;
    }
    if (hot < 0) {
      throw ArgumentError.because(
        fn,
        argument,
        `${argument} row ${r} must be one-hot (a single 1 among 0s), got [${
          Array.from(y.data.subarray(r * classes, (r + 1) * classes)).join(", ")
        }]`,
      );
    }
    out[r] = hot;
  }
  return out;
}

/**
 * Targets for a model with `classes` softmax outputs: class indices become one-hot rows (what
 * categorical cross-entropy compares the outputs with); one-hot rows are checked and kept.
 * Other targets are returned as they are.
 *
 * @example
 * ```ts
 * import { oneHotTargets, readTargets } from "./inputs.ts";
 * oneHotTargets("train", "y", readTargets("train", "y", [2, 0]), 3).data; // Float32Array [0, 0, 1, 1, 0, 0]
 * ```
 */
export function oneHotTargets(fn: string, argument: string, y: Table, classes: number): Table {
  if (classes < 2 || (y.cols !== 1 && y.cols !== classes)) return y;
  const labels = classIndices(fn, argument, y, classes);
  const data = new Float32Array(y.rows * classes);
  labels.forEach((c, r) => (data[r * classes + c] = 1));
  return { data, rows: y.rows, cols: classes };
}

/**
 * Whether the model's last layer is a softmax over several units (a k-class classifier).
 *
 * @example
 * ```ts
 * import { isSoftmaxModel } from "./inputs.ts";
 * import { deepNN } from "../build/models.ts";
 * import assert from "node:assert/strict";
 * assert.ok(isSoftmaxModel(deepNN({ features: 4, classes: 3 })));
 * ```
 */
export function isSoftmaxModel(model: tf.LayersModel): boolean {
  const units = model.outputs[0]?.shape[1] ?? 1;
  return outputActivation(model) === "softmax" && units > 1;
}

/**
 * Reads `y` for `model`: as {@linkcode readTargets}, and for a softmax model with k outputs,
 * class indices are turned into one-hot rows (labels out of range are errors).
 *
 * @example
 * ```ts
 * import { readTargetsFor } from "./inputs.ts";
 * import { deepNN } from "../build/models.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(readTargetsFor("train", "y", [1, 0], deepNN({ features: 4, classes: 2 })).cols, 2);
 * ```
 */
export function readTargetsFor(
  fn: string,
  argument: string,
  value: unknown,
  model: tf.LayersModel,
): Table {
  const y = readTargets(fn, argument, value);
  if (!isSoftmaxModel(model)) return y;
  return oneHotTargets(fn, argument, y, model.outputs[0].shape[1] as number);
}
