/**
 * Model builders that reproduce the article's networks: the perceptron and the DeepNN,
 * each in Sequential and functional (`tf.input` + `tf.model`) style with identical layers.
 *
 * @module
 */
import { checkModelSize } from "../core/budget.ts";
import { tf } from "../core/tf.ts";
import { roundHalfEven } from "../core/numeric.ts";
import { type Activation, activationName, dense } from "./activations.ts";
import {
  ArgumentError,
  checkInt,
  checkName,
  checkNumber,
  checkOneOf,
  checkOptions,
  checkSeed,
} from "../core/errors.ts";

/** How a model is built: `tf.sequential` or the functional `tf.input` + `tf.model`. */
export type Style = "sequential" | "functional";
/** What the network predicts: a 0/1 class (sigmoid output) or a number (linear output). */
export type Task = "classification" | "regression";
/** How the weights start: tfjs's default Glorot uniform (seeded), all ones, or all zeros. */
export type Initializer = "glorotUniform" | "ones" | "zeros";

const STYLES: readonly Style[] = ["sequential", "functional"];
/** The tasks a model can be built or data made for. */
export const TASKS: readonly Task[] = ["classification", "regression"];
const INITIALIZERS: readonly Initializer[] = ["glorotUniform", "ones", "zeros"];

/** Options of {@linkcode perceptron}. */
export interface PerceptronOptions {
  /** Number of inputs. Default 3, as in the article. */
  inputs?: number;
  /** Output activation. Default `"linear"`. */
  activation?: Activation;
  /** Model name. Default `"Perceptron"`. */
  name?: string;
  /** Build style. Default `"sequential"`. */
  style?: Style;
  /** Initial weights. Default `"glorotUniform"`; the article sets them to 1 (`"ones"`). */
  initializer?: Initializer;
  /** Seed for the weight initialisation. */
  seed?: number;
}

function kernelInitializer(
  kind: Initializer,
  seed: number | undefined,
): ReturnType<typeof tf.initializers.ones> {
  if (kind === "ones") return tf.initializers.ones();
  if (kind === "zeros") return tf.initializers.zeros();
  return tf.initializers.glorotUniform({ seed });
}

/**
 * The article's perceptron: one Dense unit over `inputs` inputs.
 *
 * @example
 * ```ts
 * import { perceptron } from "./models.ts";
 * import assert from "node:assert/strict";
 * const model = perceptron({ inputs: 3, initializer: "ones" });
 * assert.deepEqual(model.countParams(), 4);
 * ```
 */
export function perceptron(options?: PerceptronOptions): tf.LayersModel {
  const fn = "perceptron";
  const o = checkOptions(fn, options, {
    inputs: true,
    activation: true,
    name: true,
    style: true,
    initializer: true,
    seed: true,
  });
  const inputs = checkInt(fn, "inputs", o.inputs ?? 3);
  checkModelSize(fn, "inputs", `inputs ${inputs}`, inputs + 1);
  const activation = activationName(fn, "activation", o.activation ?? "linear");
  const name = checkName(fn, "name", o.name ?? "Perceptron");
  const style = checkOneOf(fn, "style", o.style ?? "sequential", STYLES);
  const init = checkOneOf(fn, "initializer", o.initializer ?? "glorotUniform", INITIALIZERS);
  const seed = checkSeed(fn, o.seed);
  const layer = (layerName: string, inputShape?: number[]) =>
    dense({
      name: layerName,
      units: 1,
      activation,
      inputShape,
      kernelInitializer: kernelInitializer(init, seed),
    });
  if (style === "sequential") {
    return tf.sequential({ name, layers: [layer("dense", [inputs])] });
  }
  const input = tf.input({ name: "input", shape: [inputs] });
  const output = layer("output").apply(input) as tf.SymbolicTensor;
  return tf.model({ name, inputs: input, outputs: output });
}

/** Options of {@linkcode deepNN}. */
export interface DeepNNOptions {
  /** Number of input features (required). */
  features: number;
  /** `"classification"` (sigmoid output, default) or `"regression"` (linear output). */
  task?: Task;
  /**
   * Number of classes, at least 2: the output becomes one softmax unit per class (each row's
   * outputs are the class probabilities); train with `categoricalCrossentropy` and class
   * indices (or one-hot rows) as y. Default: one sigmoid (or linear) output.
   */
  classes?: number;
  /** Dropout rate after each hidden layer, in [0, 1). Default 0.2. */
  dropout?: number;
  /** Build style. Default `"sequential"`. */
  style?: Style;
  /** Model name. Default `"DeepNN"`. */
  name?: string;
  /** Seed for the weight initialisation (each layer gets its own stream). */
  seed?: number;
}

/**
 * The article's neuron-count rule for the two hidden layers: round((n+1)/2) and
 * round((n+1)/4), with Python's rounding, and at least one unit each.
 *
 * @example
 * ```ts
 * import { hiddenUnits } from "./models.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(hiddenUnits(10), [6, 3]);
 * ```
 */
export function hiddenUnits(features: number): [number, number] {
  checkInt("hiddenUnits", "features", features);
  return [
    Math.max(1, roundHalfEven((features + 1) / 2)),
    Math.max(1, roundHalfEven((features + 1) / 4)),
  ];
}

/**
 * The article's deep network: h1 (relu), drop1, h2 (relu), drop2, output (sigmoid or linear,
 * or with `classes` one softmax unit per class).
 *
 * @example
 * ```ts
 * import { deepNN } from "./models.ts";
 * import assert from "node:assert/strict";
 * const model = deepNN({ features: 10 });
 * assert.equal(model.countParams(), 91); // 66 + 21 + 4
 * assert.deepEqual(deepNN({ features: 10, classes: 3 }).outputs[0].shape, [null, 3]);
 * ```
 */
export function deepNN(options: DeepNNOptions): tf.LayersModel {
  const fn = "deepNN";
  const o = checkOptions(fn, options, {
    features: true,
    task: true,
    classes: true,
    dropout: true,
    style: true,
    name: true,
    seed: true,
  });
  const features = checkInt(fn, "features", o.features);
  const task = checkOneOf(fn, "task", o.task ?? "classification", TASKS);
  const classes = o.classes === undefined ? undefined : checkInt(fn, "classes", o.classes, 2);
  if (classes !== undefined && task === "regression") {
    throw ArgumentError.because(
      fn,
      "classes",
      `classes (${classes}) is for classification; a regression model has one linear output`,
    );
  }
  const rate = checkNumber(fn, "dropout", o.dropout ?? 0.2, 0, 1, true);
  const style = checkOneOf(fn, "style", o.style ?? "sequential", STYLES);
  const name = checkName(fn, "name", o.name ?? "DeepNN");
  const seed = checkSeed(fn, o.seed);
  const [u1, u2] = hiddenUnits(features);
  checkModelSize(
    fn,
    "features",
    `features ${features}`,
    (features + 1) * u1 + (u1 + 1) * u2 + u2 + 1,
  );
  const init = (i: number) =>
    tf.initializers.glorotUniform({ seed: seed === undefined ? undefined : seed + i });
  const layers = (inputShape?: number[]) => [
    dense({ name: "h1", units: u1, activation: "relu", inputShape, kernelInitializer: init(0) }),
    tf.layers.dropout({ name: "drop1", rate }),
    dense({ name: "h2", units: u2, activation: "relu", kernelInitializer: init(1) }),
    tf.layers.dropout({ name: "drop2", rate }),
    dense({
      name: "output",
      units: classes ?? 1,
      activation: classes !== undefined
        ? "softmax"
        : task === "classification"
        ? "sigmoid"
        : "linear",
      kernelInitializer: init(2),
    }),
  ];
  if (style === "sequential") return tf.sequential({ name, layers: layers([features]) });
  const input = tf.input({ name: "input", shape: [features] });
  let x: tf.SymbolicTensor = input;
  for (const layer of layers()) x = layer.apply(x) as tf.SymbolicTensor;
  return tf.model({ name, inputs: input, outputs: x });
}
