/**
 * The article's random data set: `X = np.random.rand(1000, 10)` and
 * `y = np.random.choice([1, 0], size=1000)`, reproducible by seed.
 *
 * @module
 */
import { withText } from "../core/text.ts";
import { ArgumentError, checkInt, checkOneOf, checkOptions, checkSeed } from "../core/errors.ts";
import { type Task, TASKS } from "../build/models.ts";
import { rng } from "../core/random.ts";
import { counted } from "../core/words.ts";

/** Options of {@linkcode randomData}. */
export interface RandomDataOptions {
  /** Number of rows. Default 1000, as in the article. */
  rows?: number;
  /** Number of features per row. Default 10, as in the article. */
  features?: number;
  /** `"classification"` (0/1 labels, default) or `"regression"` (a continuous target). */
  task?: Task;
  /** Seed: the same seed gives the same numbers. Without one, every call differs. */
  seed?: number;
}

/**
 * A random data set as plain arrays: `x[i]` is row i (what `train`, `evaluate` and the
 * explanations take, and what the article indexes as `X[i]`), `y[i]` its target.
 */
export interface RandomData {
  /** `rows` rows of `features` numbers, uniform in [0, 1) (`np.random.rand`). */
  x: number[][];
  /** One target per row: 0 or 1 for classification, uniform in [0, 1) for regression. */
  y: number[];
  /** Names of the features: `x1`, `x2`, ... */
  featureNames: string[];
  /** The task the targets are for. */
  task: Task;
}

/**
 * Makes the article's random data: uniform features, and 0/1 labels drawn with equal
 * probability (classification) or a uniform target (regression). Plain arrays rather than
 * tensors, so there is nothing to dispose and rows can be read, sliced and printed directly.
 * With a seed, x is drawn first, row by row, then y, from `rng(seed)`.
 *
 * @example
 * ```ts
 * import { randomData } from "./random_data.ts";
 * import assert from "node:assert/strict";
 * const { x, y } = randomData({ seed: 42 });
 * assert.deepEqual([x.length, x[0].length, y.length], [1000, 10, 1000]);
 * ```
 */
export function randomData(options?: RandomDataOptions): RandomData {
  const fn = "randomData";
  const o = checkOptions(fn, options, { rows: true, features: true, task: true, seed: true });
  const rows = checkInt(fn, "rows", o.rows ?? 1000);
  const features = checkInt(fn, "features", o.features ?? 10);
  const task = checkOneOf(fn, "task", o.task ?? "classification", TASKS);
  const seed = checkSeed(fn, o.seed);
  if (rows * features > 50_000_000) {
    throw ArgumentError.because(
      fn,
      "rows",
      `rows * features must be at most 50,000,000, got ${rows} * ${features}`,
    );
  }
  const random = rng(seed);
  const x = Array.from({ length: rows }, () => Array.from({ length: features }, random.next));
  const y = Array.from(
    { length: rows },
    task === "classification" ? () => (random.next() < 0.5 ? 1 : 0) : random.next,
  );
  const featureNames = Array.from({ length: features }, (_, i) => `x${i + 1}`);
  return withText<RandomData>(
    { x, y, featureNames, task },
    (d) =>
      `RandomData: ${counted(d.x.length, "row")} x ${counted(d.featureNames.length, "feature")} ` +
      `(${d.featureNames.slice(0, 3).join(", ")}${d.featureNames.length > 3 ? ", ..." : ""}), ` +
      (d.task === "classification" ? "labels 0/1" : "targets in [0, 1)") +
      `, seed ${seed ?? "none"}`,
  );
}
