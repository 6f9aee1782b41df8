/**
 * Explaining a model that carries its preprocessing in the units of the user's table:
 * with `units: "raw"`, the instance and background are rows of feature values as the table
 * has them (`fromRecords`' `x`), the model sees them scaled, and the explanation (so its
 * plots) shows the raw values. Shapley values do not change: scaling acts on each feature
 * alone, and a coalition takes each feature whole from the instance or the background.
 *
 * @module
 */
import type { tf } from "../core/tf.ts";
import { ArgumentError, checkOneOf } from "../core/errors.ts";
import { scalerFrom } from "../data/scale.ts";
import type { Preprocessing } from "../data/preprocessing.ts";
import { attachedPreprocessing } from "../data/attached.ts";
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
  const units = options.units === undefined
    ? "model"
    : checkOneOf(fn, "units", options.units, ["model", "raw"] as const);
  const named = p ? withNames(model as tf.LayersModel, p, options) : options;
  if (units === "model") return { options: named };
  if (!p) {
    throw ArgumentError.because(
      fn,
      "units",
      'units: "raw" needs a model that carries its preprocessing ' +
        "(attachPreprocessing(model, { table, scaler }), or a model loadModel read with it)",
    );
  }
  const width = p.featureNames.length;
  const instance = rawRow(fn, "instance", options.instance, width);
  const background = options.background;
  if (!Array.isArray(background) || background.length === 0) {
    throw new ArgumentError(
      fn,
      "background",
      background,
      `a non-empty array of rows of ${width} numbers in raw units (units: "raw")`,
    );
  }
  const rows = background.map((r, i) => rawRow(fn, `background[${i}]`, r, width));
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
      `${width} numbers in raw units (one per input of the model's preprocessing; units: "raw")`,
    );
  }
  return Array.from(row as Row, (v: unknown, k) => {
    if (typeof v !== "number" || !Number.isFinite(v)) {
      throw new ArgumentError(fn, `${argument}[${k}]`, v, "a finite number");
    }
    return v;
  });
}
