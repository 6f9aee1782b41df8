/**
 * Evaluate: a trained model scored on every row at once with scikit-learn's definitions:
 * confusion matrix, accuracy, precision, recall and F1 for classification; MAE, MSE, RMSE
 * and R2 for regression. {@linkcode evaluate} shows a table and keeps the numbers in
 * `.scores`; {@linkcode classificationScores} and {@linkcode regressionScores} compute the
 * same numbers from plain arrays.
 *
 * @example
 * ```ts
 * import { deepNN } from "../build/mod.ts";
 * import { randomData } from "../data/mod.ts";
 * import { evaluate, regressionScores } from "./mod.ts";
 * import assert from "node:assert/strict";
 * const { x, y } = randomData({ rows: 100, seed: 1 });
 * assert.deepEqual(evaluate(deepNN({ features: 10, seed: 1 }), x, y).scores.task, "classification");
 * regressionScores([1, 2, 3], [1, 2, 4]).mae; // 0.333...
 * ```
 *
 * @module
 */
export {
  type ClassificationScores,
  classificationScores,
  evaluate,
  type EvaluateOptions,
  Evaluation,
  type EvaluationScores,
  type RegressionScores,
  regressionScores,
} from "./evaluate.ts";
export { type ClassScores, type MulticlassScores, multiclassScores } from "./multiclass.ts";
