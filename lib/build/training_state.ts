/**
 * Which models are being trained right now: `train` marks a model for the length of its run,
 * and the functions whose result would silently come from half-trained weights (evaluate,
 * explain, saveModel) refuse such a model, which is what `train(...)` without `await` leads to.
 *
 * @module
 */
import type { tf } from "../core/tf.ts";
import { ArgumentError } from "../core/errors.ts";

const TRAINING = new WeakSet<tf.LayersModel>();

/**
 * Marks `model` as training until the returned function is called.
 *
 * @example
 * ```ts
 * import { isTraining, markTraining } from "./training_state.ts";
 * import { perceptron } from "./models.ts";
 * import assert from "node:assert/strict";
 * const m = perceptron();
 * const done = markTraining(m);
 * assert.ok(isTraining(m));
 * done();
 * assert.deepEqual(isTraining(m), false);
 * ```
 */
export function markTraining(model: tf.LayersModel): () => void {
  TRAINING.add(model);
  return () => TRAINING.delete(model);
}

/**
 * Whether a `train()` on `model` has not finished yet.
 *
 * @example
 * ```ts
 * import { isTraining } from "./training_state.ts";
 * import { perceptron } from "./models.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(isTraining(perceptron()), false);
 * ```
 */
export function isTraining(model: tf.LayersModel): boolean {
  return TRAINING.has(model);
}

/**
 * Refuses a model whose `train()` has not finished, naming `fn`: its weights are changing.
 *
 * @example
 * ```ts
 * import { checkNotTraining } from "./training_state.ts";
 * import { perceptron } from "./models.ts";
 * checkNotTraining("evaluate", perceptron()); // no error
 * ```
 */
export function checkNotTraining(fn: string, model: tf.LayersModel): void {
  if (!TRAINING.has(model)) return;
  throw ArgumentError.because(
    fn,
    "model",
    `model ${JSON.stringify(model.name)} is still training (its train() has not finished): ` +
      `await train(...) first`,
  );
}
