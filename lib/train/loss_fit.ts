/**
 * Whether the compiled loss fits the model's output layer, checked by `train` before any
 * work: binary cross-entropy on a softmax over k classes trains without complaint but scores
 * each class as a separate yes/no; categorical cross-entropy on a one-number (regression or
 * sigmoid) head or on outputs that are not probabilities ends in NaN, which would otherwise
 * be blamed on the learning rate.
 *
 * @module
 */
import type { tf } from "../core/tf.ts";
import { ArgumentError } from "../core/errors.ts";
import { outputActivation } from "../build/graph.ts";

/** The compiled loss names (a function's name for a function loss). */
function lossNames(model: tf.LayersModel): string[] {
  const given = (model as { loss?: unknown }).loss;
  const list = Array.isArray(given) ? given : [given];
  return list.map((l) => (typeof l === "string" ? l : typeof l === "function" ? l.name : ""))
    .map((n) => n.replace(/_([a-z])/g, (_: string, c: string) => c.toUpperCase()));
}

/**
 * Refuses a loss that does not fit the model's output: `binaryCrossentropy` on a softmax of
 * several classes, `categoricalCrossentropy` (or sparse) on one output or on outputs that are
 * not a softmax. The message names the model's output and the loss to use.
 *
 * @example
 * ```ts
 * import { checkLossFits } from "./loss_fit.ts";
 * import { deepNN } from "../build/models.ts";
 * const model = deepNN({ features: 4, classes: 3, hidden: [8] });
 * model.compile({ optimizer: "adam", loss: "binaryCrossentropy" });
 * try {
 *   checkLossFits("train", model, 3);
 * } catch (e) {
 *   (e as Error).message; // "train: the loss binaryCrossentropy does not fit model ..."
 * }
 * ```
 */
export function checkLossFits(fn: string, model: tf.LayersModel, outputs: number): void {
  const activation = outputActivation(model);
  if (activation === undefined) return;
  const head = outputs === 1 ? `one ${activation} output` : `${outputs} ${activation} outputs`;
  const refuse = (loss: string, why: string, use: string) => {
    throw ArgumentError.because(
      fn,
      "model",
      `the loss ${loss} does not fit model ${
        JSON.stringify(model.name)
      }, whose last layer has ${head}: ${why}; ${use}`,
    );
  };
  for (const loss of lossNames(model)) {
    if (loss === "binaryCrossentropy" && activation === "softmax" && outputs > 1) {
      refuse(
        loss,
        "binary cross-entropy scores each class as a separate yes/no, not one class of " +
          `${outputs}`,
        `compile with loss: "categoricalCrossentropy" (y as class indices or one-hot rows)`,
      );
    }
    const categorical = loss === "categoricalCrossentropy" ||
      loss === "sparseCategoricalCrossentropy";
    if (categorical && outputs === 1) {
      refuse(
        loss,
        "categorical cross-entropy needs one probability per class",
        activation === "sigmoid"
          ? `for 0/1 labels compile with loss: "binaryCrossentropy", or build one softmax ` +
            `output per class (deepNN({ ..., classes }))`
          : `for a number compile with loss: "meanSquaredError" or "meanAbsoluteError"; for ` +
            `classes build one softmax output per class (deepNN({ ..., classes }))`,
      );
    }
    if (categorical && activation !== "softmax") {
      refuse(
        loss,
        `categorical cross-entropy needs probabilities that add up to 1 (a softmax output), ` +
          `and ${activation} outputs are not`,
        `end the model with activation: "softmax", or use a loss for ${activation} outputs`,
      );
    }
  }
}
