/**
 * Reads what `evaluate` is given into model inputs, targets and class names, before any work:
 * a model that carries its preprocessing takes what `predict` takes (records or rows in the
 * table's units, encoded and scaled by the same `carriedInputs`) and names its classes
 * itself; any other model takes rows of model inputs, as before.
 *
 * @module
 */
import type { tf } from "../core/tf.ts";
import { ArgumentError, describe } from "../core/errors.ts";
import type { Task } from "../build/models.ts";
import { attachedPreprocessing, carriedInputs } from "../data/attached.ts";
import { readMatrix, readTargets, type Table } from "../train/inputs.ts";

/** The checked inputs of one `evaluate` call. */
export interface EvaluationInputs {
  /** The model's inputs, encoded and scaled when the model carries its preprocessing. */
  xs: Table;
  /** The targets: numbers, class names already turned into class indices. */
  ys: Table;
  /** The class names to show, or `undefined` for a binary model's default labels 0 and 1. */
  classNames: string[] | undefined;
}

/**
 * Reads `x`, `y` and the `classNames` option for `model` with `classes` classes (the softmax
 * outputs, 2 for a one-output classifier, 0 for a regression).
 *
 * @example
 * ```ts
 * import { evaluationInputs } from "./evaluate_inputs.ts";
 * import { perceptron } from "../build/models.ts";
 * const m = perceptron({ inputs: 2, activation: "sigmoid" });
 * const r = evaluationInputs("evaluate", m, [[1, 2]], ["yes"], ["no", "yes"], 2, "classification");
 * [Array.from(r.ys.data), r.classNames]; // [[1], ["no", "yes"]]
 * ```
 */
export function evaluationInputs(
  fn: string,
  model: tf.LayersModel,
  x: unknown,
  y: unknown,
  names: unknown,
  classes: number,
  task: Task,
): EvaluationInputs {
  const p = attachedPreprocessing(model);
  const classNames = task === "classification"
    ? readClassNames(fn, names, p?.classNames ?? undefined, classes)
    : refuseClassNames(fn, names);
  const xs = p ? carriedInputs(fn, "x", p, x) : readMatrix(fn, "x", x);
  const ys = classNames && hasText(y) ? namedTargets(fn, y, classNames) : readTargets(fn, "y", y);
  return { xs, ys, classNames };
}

function refuseClassNames(fn: string, names: unknown): undefined {
  if (names === undefined) return undefined;
  throw ArgumentError.because(
    fn,
    "classNames",
    "classNames names the classes of a classifier (a softmax or sigmoid output); this model " +
      "is evaluated as a regression",
  );
}

function readClassNames(
  fn: string,
  names: unknown,
  carried: readonly string[] | undefined,
  classes: number,
): string[] | undefined {
  if (carried !== undefined) {
    const same = Array.isArray(names) && names.length === carried.length &&
      names.every((n, k) => n === carried[k]);
    if (names !== undefined && !same) {
      throw ArgumentError.because(
        fn,
        "classNames",
        `classNames is ${describe(names)}, but the model carries its preprocessing with its ` +
          `class names (${carried.map((c) => describe(c)).join(", ")}): leave classNames out`,
      );
    }
    return [...carried];
  }
  if (names === undefined) {
    return classes > 2 ? Array.from({ length: classes }, (_, k) => String(k)) : undefined;
  }
  if (
    !Array.isArray(names) || names.length !== classes ||
    names.some((n) => typeof n !== "string" || n.length === 0) || new Set(names).size !== classes
  ) {
    throw new ArgumentError(
      fn,
      "classNames",
      names,
      classes === 2
        ? "an array of 2 distinct class names (for 0, then for 1) for a one-output or " +
          "two-output classifier"
        : `an array of ${classes} distinct class names (one per output)`,
    );
  }
  return [...names];
}

function hasText(y: unknown): y is readonly unknown[] {
  return Array.isArray(y) && y.some((v) => typeof v === "string");
}

/** Class names in `y` as class indices (y may mix names and indices, as predict's classes). */
function namedTargets(fn: string, y: readonly unknown[], names: readonly string[]): Table {
  const index = new Map(names.map((n, k) => [n, k]));
  const data = new Float32Array(y.length);
  y.forEach((v, r) => {
    const k = typeof v === "string" ? index.get(v) : v;
    if (typeof k !== "number" || !Number.isInteger(k) || k < 0 || k >= names.length) {
      throw ArgumentError.because(
        fn,
        "y",
        `y[${r}] is ${describe(v)}, but y must hold class names (${
          names.map((n) => describe(n)).join(", ")
        }) or class indices 0 to ${names.length - 1}`,
      );
    }
    data[r] = k;
  });
  return { data, rows: y.length, cols: 1 };
}
