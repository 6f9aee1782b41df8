/**
 * The error for a record (an object, as `readCSV` gives rows) where `train` or `evaluate`
 * expected a row of numbers: it points at `fromRecords`, and says, as `predict` does, what
 * the model takes, instead of "got an array of length 178".
 *
 * @module
 */
import type { tf } from "../core/tf.ts";
import { ArgumentError } from "../core/errors.ts";
import { attachedPreprocessing } from "../data/attached.ts";
import { plural } from "../core/words.ts";

/**
 * The error for a record at `argument[r]` (`x`, or `y` for targets). Given `model`, an error
 * about `x` says how many numbers a row of that model takes and whether the model carries
 * its preprocessing (which only `predict` applies to records).
 *
 * @example
 * ```ts
 * import { recordError } from "./record_rows.ts";
 * import assert from "node:assert/strict";
 * assert.equal(
 *   recordError("evaluate", "x", 0, undefined).message,
 *   "evaluate: x[0] is a record (an object): turn records into rows with " +
 *     "fromRecords(records, { target }) and pass its x and y",
 * );
 * ```
 */
export function recordError(
  fn: string,
  argument: string,
  r: number,
  model: tf.LayersModel | undefined,
): ArgumentError {
  let message = `${argument}[${r}] is a record (an object): turn records into rows with ` +
    `fromRecords(records, { target })`;
  message += argument === "y" ? ", whose y holds one target per row" : " and pass its x and y";
  const width = model?.inputs?.[0]?.shape?.[1];
  if (argument !== "y" && model && typeof width === "number") {
    message += attachedPreprocessing(model)
      ? `; this model carries its preprocessing, but ${fn} takes the model's own inputs, ` +
        `rows of ${plural(width, "number")} scaled as in training (predict, evaluate and ` +
        "explain read records)"
      : `; this model carries no preprocessing, so it takes rows of ${plural(width, "number")}`;
  }
  return ArgumentError.because(fn, argument, message);
}
