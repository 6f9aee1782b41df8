/**
 * Activations: the names Dense layers accept, and the article's binary step, registered
 * with tfjs serialization so a model using it survives `toJSON()` and reload.
 *
 * @module
 */
import { tf } from "../core/tf.ts";
import { ArgumentError } from "../core/errors.ts";

/**
 * The built-in tfjs activation names the lib accepts.
 *
 * @example
 * ```ts
 * import { ACTIVATIONS } from "./activations.ts";
 * import assert from "node:assert/strict";
 * assert.ok(ACTIVATIONS.includes("relu"));
 * ```
 */
export const ACTIVATIONS = [
  "linear",
  "relu",
  "relu6",
  "elu",
  "selu",
  "sigmoid",
  "hardSigmoid",
  "tanh",
  "softmax",
  "softplus",
  "softsign",
  "swish",
  "mish",
  "binaryStep",
] as const;

/** An activation name, e.g. `"relu"`, or `"binaryStep"`. */
export type ActivationName = typeof ACTIVATIONS[number];

/**
 * The article's binary step activation: 1 where x > 0, else 0 (NaN stays NaN).
 * Pass it (or the name `"binaryStep"`) as the `activation` of any layer the lib builds.
 *
 * @example
 * ```ts
 * import { binaryStep } from "./activations.ts";
 * import { tf } from "../core/tf.ts";
 * binaryStep(tf.tensor1d([-1, 0, 2])).dataSync(); // Float32Array [0, 0, 1]
 * ```
 */
export function binaryStep(x: tf.Tensor): tf.Tensor {
  if (!(x instanceof tf.Tensor) || x.isDisposed || (x.dtype !== "float32" && x.dtype !== "int32")) {
    throw new ArgumentError(
      "binaryStep",
      "x",
      x instanceof tf.Tensor && x.isDisposed ? "a disposed tensor" : x,
      "a float32 or int32 tensor (not disposed)",
    );
  }
  // tf.step(x, 0) is x > 0 ? 1 : 0, with a zero gradient, as the article's K.switch.
  return tf.step(x, 0);
}

/** The tfjs activation object behind `binaryStep`, registered under the class name "binaryStep". */
class BinaryStep extends tf.serialization.Serializable {
  static className = "binaryStep";
  apply(x: tf.Tensor): tf.Tensor {
    return binaryStep(x);
  }
  getConfig(): tf.serialization.ConfigDict {
    return {};
  }
}
tf.serialization.registerClass(BinaryStep);

/** What a Dense layer built by the lib accepts as `activation`. */
export type Activation = ActivationName | typeof binaryStep;

/**
 * Resolves an activation given by name or as `binaryStep` to the name tfjs layers accept.
 *
 * @example
 * ```ts
 * import { activationName, binaryStep } from "./activations.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(activationName("f", "activation", binaryStep), "binaryStep");
 * ```
 */
export function activationName(fn: string, argument: string, value: unknown): ActivationName {
  if (value === binaryStep) return "binaryStep";
  if (typeof value !== "string" || !(ACTIVATIONS as readonly string[]).includes(value)) {
    throw new ArgumentError(
      fn,
      argument,
      value,
      `an activation: binaryStep or one of ${ACTIVATIONS.map((a) => `"${a}"`).join(", ")}`,
    );
  }
  return value as ActivationName;
}

/**
 * A Dense layer with a validated activation (tfjs's types do not know `"binaryStep"`).
 *
 * @example
 * ```ts
 * import { dense } from "./activations.ts";
 * import assert from "node:assert/strict";
 * const layer = dense({ units: 2, activation: "binaryStep", name: "step" });
 * assert.deepEqual(layer.getClassName(), "Dense");
 * ```
 */
export function dense(
  config: Omit<Parameters<typeof tf.layers.dense>[0], "activation"> & { activation?: Activation },
): tf.layers.Layer {
  const activation = activationName("dense", "activation", config.activation ?? "linear");
  return tf.layers.dense({ ...config, activation } as Parameters<typeof tf.layers.dense>[0]);
}
