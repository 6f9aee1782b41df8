/**
 * A model's preprocessing travels with the model object: `attachPreprocessing` records it,
 * `predict`, `explain` and `saveModel` read it, and `loadModel` restores it from the
 * model's files.
 *
 * @module
 */
import type { tf } from "../core/tf.ts";
import { ArgumentError, checkOptions } from "../core/errors.ts";
import { checkModel } from "../build/graph.ts";
import { withText } from "../core/text.ts";
import { plural } from "../core/words.ts";
import {
  parsePreprocessing,
  type Preprocessing,
  preprocessingOfTable,
} from "../data/preprocessing.ts";
import { attachedPreprocessing, checkFits, storePreprocessing } from "../data/attached.ts";
import type { TableData } from "../data/records.ts";
import type { Scaler } from "../data/scale.ts";

/** What {@linkcode attachPreprocessing} takes: the table and scaler the model was fitted on. */
export interface PreprocessingSource {
  /** The table `fromRecords` returned: its columns, one-hot levels, target and classes. */
  table: TableData;
  /** The scaler fitted on the training rows (`standardize(train.x)`), if the model saw scaled rows. */
  scaler?: Scaler;
}

/**
 * Attaches to `model` the steps that turn a record into its input: the columns and one-hot
 * levels of `table` (from `fromRecords`), the `scaler` (from `standardize`), the target and
 * its class names. Then `predict(model, records)` takes records (or rows of feature values
 * in raw units), `saveModel` writes the steps into `model.json` and `loadModel` restores
 * them. Also takes a {@linkcode Preprocessing} (plain data, e.g. one read back as JSON).
 * Returns the preprocessing attached, as plain data.
 *
 * @example
 * ```ts
 * import { attachPreprocessing } from "./attach.ts";
 * import { fromRecords } from "../data/records.ts";
 * import { standardize } from "../data/scale.ts";
 * import { deepNN } from "../build/models.ts";
 * const table = fromRecords([{ a: 1, b: "x", y: "no" }, { a: 3, b: "z", y: "yes" }], {
 *   target: "y",
 *   categorical: ["b"],
 * });
 * const model = deepNN({ features: 3, classes: 2 });
 * const p = attachPreprocessing(model, { table, scaler: standardize(table.x) });
 * p.featureNames; // ["a", "b=x", "b=z"]
 * ```
 */
export function attachPreprocessing(
  model: tf.LayersModel,
  source: PreprocessingSource | Preprocessing,
): Preprocessing {
  const fn = "attachPreprocessing";
  checkModel(fn, model);
  if (source === null || typeof source !== "object" || Array.isArray(source)) {
    throw new ArgumentError(
      fn,
      "source",
      source,
      "{ table, scaler } (fromRecords' table, standardize's scaler) or a Preprocessing",
    );
  }
  let p: Preprocessing;
  if ("format" in source) p = parsePreprocessing(fn, "source", source);
  else {
    const o = checkOptions(fn, source, { table: true, scaler: true });
    p = preprocessingOfTable(fn, o.table, o.scaler);
  }
  checkFits(fn, model, p);
  storePreprocessing(model, p);
  return readable(structuredClone(p));
}

/**
 * The preprocessing attached to `model` (by {@linkcode attachPreprocessing} or `loadModel`),
 * as plain data, or `undefined`.
 *
 * @example
 * ```ts
 * import { modelPreprocessing } from "./attach.ts";
 * import { perceptron } from "../build/models.ts";
 * modelPreprocessing(perceptron()); // undefined
 * ```
 */
export function modelPreprocessing(model: tf.LayersModel): Preprocessing | undefined {
  checkModel("modelPreprocessing", model);
  const p = attachedPreprocessing(model);
  return p === undefined ? undefined : readable(structuredClone(p));
}

/** `String(p)`: what the steps do, in a few lines (the object stays plain data). */
function readable(p: Preprocessing): Preprocessing {
  return withText(p, (q) => {
    const list = (items: readonly string[]) =>
      items.slice(0, 8).join(", ") + (items.length > 8 ? `, ... (${items.length} in all)` : "");
    const shown = (names: readonly string[]) => list(names.map((n) => JSON.stringify(n)));
    const columns = q.features.map((f) =>
      f.kind === "oneHot"
        ? `${JSON.stringify(f.column)} one-hot (${shown(f.levels)})`
        : JSON.stringify(f.column)
    );
    const target = q.classNames ? `classes ${shown(q.classNames)}` : "a number (regression)";
    return [
      `Preprocessing: ${JSON.stringify(q.target)} as ${target}`,
      `  ${plural(q.featureNames.length, "model input")} from ${
        plural(q.features.length, "column")
      }: ${list(columns)}`,
      `  ${q.scaler ? "standardized with the training rows' mean and std" : "not scaled"}; ` +
      "predict refuses a row missing a value",
    ].join("\n");
  });
}
