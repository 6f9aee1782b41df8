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
import { noteModel, withModelText } from "./model_notes.ts";
import { checkedCompile } from "./compile_check.ts";
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
    return withModelText(
      checkedCompile(tf.sequential({ name, layers: [layer("dense", [inputs])] })),
    );
  }
  const input = tf.input({ name: "input", shape: [inputs] });
  const output = layer("output").apply(input) as tf.SymbolicTensor;
  return withModelText(checkedCompile(tf.model({ name, inputs: input, outputs: output })));
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
  /**
   * Units of each hidden layer, in order, e.g. `[16, 8]` (each a positive integer; one layer or
   * more, named h1, h2, ...; each followed by its dropout layer). Default: the article's
   * neuron rule, two layers of {@linkcode hiddenUnits}`(features)` units, which is what the
   * article's own networks use. For a table of your own, choose them: the rule gives small
   * tables tiny layers (4 features: 2 and 1 units) that often fail to learn.
   */
  hidden?: readonly number[];
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

/** Names users reach for instead of `hidden` (Keras's and scikit-learn's words among them). */
const HIDDEN_ALIASES = [
  "hiddenUnits",
  "hidden_units",
  "hiddenLayers",
  "hidden_layers",
  "hiddenLayerSizes",
  "hidden_layer_sizes",
  "units",
  "layers",
  "sizes",
];

/** The most layers `hidden` may list (a guard against a runaway array, not a design limit). */
const MAX_HIDDEN_LAYERS = 100;

function checkHidden(fn: string, value: unknown): number[] {
  const expected = "an array of positive integers, the units of each hidden layer (e.g. [16, 8])";
  if (!Array.isArray(value) || value.length === 0 || value.length > MAX_HIDDEN_LAYERS) {
    throw new ArgumentError(
      fn,
      "hidden",
      value,
      value instanceof Array && value.length > MAX_HIDDEN_LAYERS
        ? `${expected}, at most ${MAX_HIDDEN_LAYERS} layers`
        : expected,
    );
  }
  return value.map((u, i) => checkInt(fn, `hidden[${i}]`, u));
}

/**
 * Why the article's neuron rule's layers may not learn: a one-unit layer (one dead relu and
 * every row gets the same prediction) or a layer narrower than the classes. `undefined` when
 * the rule's layers are fine (the article's own networks).
 */
function ruleWarning(features: number, units: number[], classes?: number): string | undefined {
  const problems = units.flatMap((u, i) => {
    if (u === 1) return [`h${i + 1} has 1 unit`];
    if (classes !== undefined && u < classes) {
      return [`h${i + 1} (${u} units) is narrower than the ${classes} classes`];
    }
    return [];
  });
  if (problems.length === 0) return undefined;
  return `deepNN: the article's neuron rule gives ${features} features hidden layers of ` +
    `${units.join(" and ")} units; ${problems.join(" and ")}, which often fails to learn ` +
    `(training can end predicting one ${
      classes === undefined ? "value" : "class"
    } for every row). Choose the sizes with the hidden option, e.g. ` +
    `deepNN({ features: ${features}${classes === undefined ? "" : `, classes: ${classes}`}, ` +
    `hidden: [16, 8] })`;
}

/**
 * The article's deep network: h1 (relu), drop1, h2 (relu), drop2, output (sigmoid or linear,
 * or with `classes` one softmax unit per class). The hidden layers have the units of `hidden`,
 * by default the article's neuron rule ({@linkcode hiddenUnits}).
 *
 * The rule suits the article's 10 features; on a small table it builds tiny layers: 4 features
 * give 2 and 1 units, and a one-unit layer, or one narrower than the number of classes, often
 * never learns (every row ends up predicted as one class). When the rule builds such a layer,
 * `deepNN` says so: a warning printed once per process and a `Note:` line under the model's
 * `summary`. Pass `hidden` (e.g. `[16, 8]`) to size the layers yourself.
 *
 * @example
 * ```ts
 * import { deepNN } from "./models.ts";
 * import assert from "node:assert/strict";
 * const model = deepNN({ features: 10 });
 * assert.equal(model.countParams(), 91); // 66 + 21 + 4
 * assert.deepEqual(deepNN({ features: 10, classes: 3 }).outputs[0].shape, [null, 3]);
 * assert.equal(deepNN({ features: 4, classes: 3, hidden: [16, 8] }).countParams(), 243); // 80 + 136 + 27
 * ```
 */
export function deepNN(options: DeepNNOptions): tf.LayersModel {
  const fn = "deepNN";
  if (options !== null && typeof options === "object" && !Array.isArray(options)) {
    const alias = Object.keys(options).find((k) => HIDDEN_ALIASES.includes(k));
    if (alias !== undefined) {
      throw ArgumentError.because(
        fn,
        "options",
        `unknown option ${JSON.stringify(alias)} (did you mean "hidden"?); the hidden layers' ` +
          `sizes are hidden: [16, 8]`,
      );
    }
  }
  const o = checkOptions(fn, options, {
    features: true,
    task: true,
    classes: true,
    hidden: true,
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
  const units = o.hidden === undefined ? hiddenUnits(features) : checkHidden(fn, o.hidden);
  const rate = checkNumber(fn, "dropout", o.dropout ?? 0.2, 0, 1, true);
  const style = checkOneOf(fn, "style", o.style ?? "sequential", STYLES);
  const name = checkName(fn, "name", o.name ?? "DeepNN");
  const seed = checkSeed(fn, o.seed);
  const outputs = classes ?? 1;
  const widths = [features, ...units, outputs];
  let params = 0;
  for (let i = 1; i < widths.length; i++) params += (widths[i - 1] + 1) * widths[i];
  checkModelSize(
    fn,
    o.hidden === undefined ? "features" : "hidden",
    o.hidden === undefined ? `features ${features}` : `features ${features}, hidden [${units}]`,
    params,
  );
  const init = (i: number) =>
    tf.initializers.glorotUniform({ seed: seed === undefined ? undefined : seed + i });
  const layers = (inputShape?: number[]) => [
    ...units.flatMap((u, i) => [
      dense({
        name: `h${i + 1}`,
        units: u,
        activation: "relu",
        inputShape: i === 0 ? inputShape : undefined,
        kernelInitializer: init(i),
      }),
      tf.layers.dropout({ name: `drop${i + 1}`, rate }),
    ]),
    dense({
      name: "output",
      units: outputs,
      activation: classes !== undefined
        ? "softmax"
        : task === "classification"
        ? "sigmoid"
        : "linear",
      kernelInitializer: init(units.length),
    }),
  ];
  const model = style === "sequential"
    ? tf.sequential({ name, layers: layers([features]) })
    : functional(name, features, layers());
  const warning = o.hidden === undefined ? ruleWarning(features, units, classes) : undefined;
  if (warning !== undefined) noteModel(model, warning);
  return withModelText(checkedCompile(model));
}

function functional(name: string, features: number, layers: tf.layers.Layer[]): tf.LayersModel {
  const input = tf.input({ name: "input", shape: [features] });
  let x: tf.SymbolicTensor = input;
  for (const layer of layers) x = layer.apply(x) as tf.SymbolicTensor;
  return tf.model({ name, inputs: input, outputs: x });
}
