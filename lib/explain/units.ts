/**
 * Explaining a model that carries its preprocessing in the units of the user's table:
 * with `units: "raw"` (the default for such a model), the instance and background are rows of feature values as the table
 * has them (`fromRecords`' `x`) or records with the training columns (one-hot encoded as in
 * training), the model sees them scaled, and the explanation (so its plots) shows the raw
 * values. Shapley values do not change: scaling acts on each feature
 * alone, and a coalition takes each feature whole from the instance or the background.
 *
 * @module
 */
import type { tf } from "../core/tf.ts";
import { ArgumentError, checkOneOf } from "../core/errors.ts";
import { scalerFrom } from "../data/scale.ts";
import type { Preprocessing } from "../data/preprocessing.ts";
import { attachedPreprocessing } from "../data/attached.ts";
import { encodeRaw } from "../data/preprocessing.ts";
import { isRecord } from "../data/rows_input.ts";
import type { ExplainOptions, PredictFn, Row } from "./explain_input.ts";

/** What {@linkcode explain} computes with, and the instance values it shows. */
export interface Resolved {
  options: ExplainOptions;
  /** The instance in raw units, shown instead of the model's inputs; `undefined`: as given. */
  display?: number[];
}

/**
 * Resolves `units` and the names a model carrying its preprocessing brings: its feature
 * names and class names become the defaults, and with `units: "raw"` the instance and
 * background are scaled as the model's training rows were.
 *
 * @example
 * ```ts
 * import { resolveUnits } from "./units.ts";
 * import { perceptron } from "../build/models.ts";
 * resolveUnits("explain", perceptron({ inputs: 1 }), { instance: [1], background: [[0]] }).display; // undefined
 * ```
 */
export function resolveUnits(
  fn: string,
  model: tf.LayersModel | PredictFn,
  options: ExplainOptions,
): Resolved {
  if (options === null || typeof options !== "object") return { options };
  const p = typeof model === "function" ? undefined : attachedPreprocessing(model);
  // A model that carries its preprocessing takes rows in the table's units, as predict does.
  const units = options.units === undefined
    ? (p ? "raw" : "model")
    : checkOneOf(fn, "units", options.units, ["model", "raw"] as const);
  const named = p ? withNames(model as tf.LayersModel, p, options) : options;
  if (units === "model") {
    refuseRecords(fn, "instance", options.instance, p !== undefined);
    if (Array.isArray(options.background)) {
      refuseRecords(fn, "background[0]", options.background[0], p !== undefined);
    }
    return { options: named };
  }
  if (!p) {
    throw ArgumentError.because(
      fn,
      "units",
      'units: "raw" needs a model that carries its preprocessing ' +
        "(attachPreprocessing(model, { table, scaler }), or a model loadModel read with it)",
    );
  }
  const width = p.featureNames.length;
  // A record is encoded as in training (one-hot, not scaled); a row is taken as it is.
  const raw = (argument: string, row: unknown) =>
    // encodeRaw also checks one-hot columns hold 0/1: scaled rows are refused, not explained.
    encodeRaw(fn, p, isRecord(row) ? row : rawRow(fn, argument, row, width), argument);
  const instance = raw("instance", options.instance);
  const background = options.background;
  if (!Array.isArray(background) || background.length === 0) {
    throw new ArgumentError(
      fn,
      "background",
      background,
      `a non-empty array of records or rows of ${width} numbers in raw units (units: "raw")`,
    );
  }
  const rows = background.map((r, i) => raw(`background[${i}]`, r));
  const scaler = p.scaler ? scalerFrom(p.scaler) : undefined;
  return {
    options: {
      ...named,
      instance: scaler ? scaler.transform(instance) : instance,
      background: scaler ? scaler.transform(rows) : rows,
    },
    display: instance,
  };
}

function withNames(model: tf.LayersModel, p: Preprocessing, o: ExplainOptions): ExplainOptions {
  const outputs = model.outputs[0]?.shape[1];
  return {
    ...o,
    featureNames: o.featureNames ?? p.featureNames,
    ...(o.classNames === undefined && p.classNames && p.classNames.length === outputs
      ? { classNames: p.classNames }
      : {}),
  };
}

function rawRow(fn: string, argument: string, row: unknown, width: number): number[] {
  const ok = (Array.isArray(row) || row instanceof Float32Array || row instanceof Float64Array) &&
    row.length === width;
  if (!ok) {
    throw new ArgumentError(
      fn,
      argument,
      row,
      `a record with the training columns, or ${width} numbers in raw units (one per input of ` +
        `the model's preprocessing; units: "raw")`,
    );
  }
  return Array.from(row as Row, (v: unknown, k) => {
    if (typeof v !== "number" || !Number.isFinite(v)) {
      throw new ArgumentError(fn, `${argument}[${k}]`, v, "a finite number");
    }
    return v;
  });
}

/** A record where the model's inputs are expected: say how to explain it. */
function refuseRecords(fn: string, argument: string, value: unknown, carried: boolean): void {
  if (!isRecord(value)) return;
  throw ArgumentError.because(
    fn,
    argument,
    `${argument} is a record (an object), but explain takes the model's inputs here: ` +
      (carried
        ? 'pass units: "raw" to explain records (or rows) in the table\'s units'
        : "turn records into rows with fromRecords(records, { target }) (and scale them as " +
          "the model's training rows were)"),
  );
}
