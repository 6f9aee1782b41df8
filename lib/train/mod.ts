/**
 * Train: {@linkcode train} fits a compiled model like Keras's `fit` (validation split from
 * the end, shuffling, seeds, live progress in the notebook) and returns its history. The
 * metrics {@linkcode precision}, {@linkcode recall}, {@linkcode f1} and {@linkcode r2} go in
 * `model.compile`. The epochs run on a fused engine for Dense and Dropout models and on
 * tfjs's `fit` for the rest; {@linkcode TrainEngine} is the shape of an engine.
 *
 * @example
 * ```ts
 * import { deepNN } from "../build/mod.ts";
 * import { randomData } from "../data/mod.ts";
 * import { f1, train } from "./mod.ts";
 * import assert from "node:assert/strict";
 * const model = deepNN({ features: 10, seed: 42 });
 * model.compile({ optimizer: "adam", loss: "binaryCrossentropy", metrics: ["accuracy", f1] });
 * const { x, y } = randomData({ seed: 42 });
 * const history = await train(model, x, y, { epochs: 10, seed: 42 });
 * assert.deepEqual(history.history.val_F1.length, 10);
 * ```
 *
 * @module
 */
export {
  type History,
  train,
  TrainingHistory,
  type TrainOptions,
  type TrainParams,
} from "./train.ts";
export { Interrupted, lastHistory } from "./interrupted.ts";
export { f1, type MetricFn, precision, r2, recall } from "./metrics.ts";
export { type Matrix, type Targets } from "./inputs.ts";
export {
  type BatchCallback,
  type CompiledMetric,
  type EpochCallback,
  type EpochLogs,
  type TrainEngine,
  type TrainJob,
} from "./engine.ts";
export { type TrainPlan } from "./plan.ts";
