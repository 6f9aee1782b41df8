/**
 * Predict: new rows in, plain numbers out. `predict(model, rows)` gives a classifier's class
 * probabilities and predicted classes, a regression's values; a model that carries its
 * preprocessing (`attachPreprocessing`, kept by `saveModel` and `loadModel`) takes records
 * as the training table had them.
 *
 * @example
 * ```ts
 * import { attachPreprocessing, predict } from "./mod.ts";
 * import { deepNN, fromRecords, standardize } from "../mod.ts";
 * const records = [{ size: 1, kind: "a" }, { size: 5, kind: "b" }, { size: 2, kind: "a" }];
 * const table = fromRecords(records, { target: "kind" });
 * const model = deepNN({ features: 1, classes: 2, seed: 1 });
 * attachPreprocessing(model, { table, scaler: standardize(table.x) });
 * predict(model, [{ size: 4 }]).classes!.length; // 1
 * ```
 *
 * @module
 */
export { attachPreprocessing, modelPreprocessing, type PreprocessingSource } from "./attach.ts";
export { predict, type PredictOptions, type PredictRows } from "./predict.ts";
export { Predictions, type PredictionsData } from "./predictions.ts";
