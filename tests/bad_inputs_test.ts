/**
 * One table of bad inputs across the public API (issue 8, item 2): each row calls one public
 * function with one bad value and names the exact message the error must carry, so the
 * documented errors stay true. Every row also checks that no tensor is left behind.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  ArgumentError,
  barPlot,
  barRows,
  classificationScores,
  decisionPlot,
  decisionRows,
  deepNN,
  evaluate,
  explain,
  explainerShap,
  explainerShapData,
  type ExplanationData,
  hiddenUnits,
  layerTable,
  loadModel,
  modelDiagram,
  modelGraph,
  networkGeometry,
  perceptron,
  plotHistory,
  plotModel,
  randomData,
  regressionScores,
  rng,
  saveModel,
  summary,
  summaryData,
  tf,
  train,
  useBackend,
  VegaLiteFigure,
  visualizeNN,
  waterfallPlot,
  waterfallRows,
} from "../lib/mod.ts";
import { readableSize } from "../lib/core/numeric.ts";

// ---------------------------------------------------------------- fixtures (made once)

const classifier = deepNN({ features: 3, seed: 1 });
classifier.compile({ optimizer: "adam", loss: "binaryCrossentropy", metrics: ["accuracy"] });
const regressor = deepNN({ features: 3, seed: 2, task: "regression" });
regressor.compile({ optimizer: "adam", loss: "meanSquaredError" });
const uncompiled = deepNN({ features: 3, seed: 3 });
const rmsprop = deepNN({ features: 3, seed: 4, task: "regression" });
rmsprop.compile({ optimizer: "rmsprop", loss: "meanSquaredError" });
const empty = tf.sequential({ name: "empty" });
const twoUnits = tf.sequential({
  name: "two",
  layers: [tf.layers.dense({ units: 2, inputShape: [3] })],
});
/** Two inputs merged: not a chain, not one input. */
function branching(): tf.LayersModel {
  const a = tf.input({ name: "a", shape: [2] });
  const b = tf.input({ name: "b", shape: [2] });
  const merged = tf.layers.concatenate({ name: "merge" }).apply([a, b]) as tf.SymbolicTensor;
  const out = tf.layers.dense({ name: "out", units: 1 }).apply(merged) as tf.SymbolicTensor;
  return tf.model({ name: "branching", inputs: [a, b], outputs: out });
}
const branched = branching();
const x3 = [[0, 0.5, 1], [1, 0, 0.5], [0.5, 1, 0], [0.2, 0.2, 0.2]];
const y01 = [0, 1, 1, 0];
const disposed = tf.tensor2d([[1, 2, 3]]);
disposed.dispose();
const rank3 = tf.zeros([2, 3, 1]);
const nanTensor = tf.tensor2d([[1, NaN, 3]]);
const wide30 = tf.sequential({
  layers: [tf.layers.dense({ units: 1, inputShape: [30], activation: "sigmoid" })],
});

/** A valid explanation to break one field at a time. */
const explanation: ExplanationData = {
  values: [0.5, -0.25],
  baseValue: 0.1,
  output: 0.35,
  featureNames: ["a", "b"],
  instance: [1, 2],
  link: "identity",
};
const broken = (change: Partial<Record<keyof ExplanationData, unknown>>) =>
  ({ ...explanation, ...change }) as ExplanationData;

const history = { loss: [0.7, 0.6], accuracy: [0.5, 0.6] };
const missingDir = join(Deno.makeTempDirSync(), "no-such-model");
/** A user's file and a user's folder, which saveModel must refuse and leave as they are. */
const userFile = join(Deno.makeTempDirSync(), "notes.txt");
Deno.writeTextFileSync(userFile, "mine");
const userFolder = Deno.makeTempDirSync();
Deno.writeTextFileSync(join(userFolder, "README.md"), "mine");
const disposedModel = deepNN({ features: 3, seed: 5 });
disposedModel.dispose();

/** Every weight of the models, to check a rejected call changed nothing. */
function weightsOf(...models: tf.LayersModel[]): number[][] {
  return models.flatMap((m) => m.getWeights().map((w) => Array.from(w.dataSync())));
}

// ---------------------------------------------------------------- the table

/** One public function called with one bad value. */
interface Row {
  /** The function called. */
  fn: string;
  /** What is wrong with the input. */
  bad: string;
  /** The call; may return a promise. */
  call: () => unknown;
  /** The whole message, anchored. */
  message: RegExp;
  /** The error's class: ArgumentError unless said otherwise. */
  error?: "ArgumentError" | "Error";
  /** A known lib bug that makes the row fail: skipped until fixed, except with CI=true (fails). */
  bug?: string;
}

const TABLE: Row[] = [
  // builders
  {
    fn: "perceptron",
    bad: "options not an object",
    call: () => perceptron("3" as never),
    message: /^perceptron: options must be an object, got "3"$/,
  },
  {
    fn: "perceptron",
    bad: "inputs 0",
    call: () => perceptron({ inputs: 0 }),
    message: /^perceptron: inputs must be a positive integer, got 0$/,
  },
  {
    fn: "perceptron",
    bad: "inputs fractional",
    call: () => perceptron({ inputs: 2.5 }),
    message: /^perceptron: inputs must be a positive integer, got 2\.5$/,
  },
  {
    fn: "perceptron",
    bad: "inputs a string",
    call: () => perceptron({ inputs: "3" as never }),
    message: /^perceptron: inputs must be a positive integer, got "3"$/,
  },
  {
    fn: "perceptron",
    bad: "unknown activation",
    call: () => perceptron({ activation: "step" as never }),
    message:
      /^perceptron: activation must be an activation: binaryStep or one of "linear", "relu", "relu6", "elu", "selu", "sigmoid", "hardSigmoid", "tanh", "softmax", "softplus", "softsign", "swish", "mish", "binaryStep", got "step"$/,
  },
  {
    fn: "perceptron",
    bad: "empty name",
    call: () => perceptron({ name: "" }),
    message: /^perceptron: name must be a non-empty string, got ""$/,
  },
  {
    fn: "perceptron",
    bad: "unknown style",
    call: () => perceptron({ style: "keras" as never }),
    message: /^perceptron: style must be one of "sequential", "functional", got "keras"$/,
  },
  {
    fn: "perceptron",
    bad: "unknown initializer",
    call: () => perceptron({ initializer: "he" as never }),
    message: /^perceptron: initializer must be one of "glorotUniform", "ones", "zeros", got "he"$/,
  },
  {
    fn: "perceptron",
    bad: "negative seed",
    call: () => perceptron({ seed: -1 }),
    message: /^perceptron: seed must be an integer from 0 to 4294967295, got -1$/,
  },
  {
    fn: "perceptron",
    bad: "seed >= 2^32",
    call: () => perceptron({ seed: 2 ** 32 }),
    message: /^perceptron: seed must be an integer from 0 to 4294967295, got 4294967296$/,
  },
  {
    fn: "deepNN",
    bad: "no options",
    call: () => deepNN(undefined as never),
    message: /^deepNN: features must be a positive integer, got undefined$/,
  },
  {
    fn: "deepNN",
    bad: "features 0",
    call: () => deepNN({ features: 0 }),
    message: /^deepNN: features must be a positive integer, got 0$/,
  },
  {
    fn: "deepNN",
    bad: "features NaN",
    call: () => deepNN({ features: NaN }),
    message: /^deepNN: features must be a positive integer, got NaN$/,
  },
  {
    fn: "deepNN",
    bad: "unknown task",
    call: () => deepNN({ features: 3, task: "clustering" as never }),
    message: /^deepNN: task must be one of "classification", "regression", got "clustering"$/,
  },
  {
    fn: "deepNN",
    bad: "dropout 1",
    call: () => deepNN({ features: 3, dropout: 1 }),
    message: /^deepNN: dropout must be a number in \[0, 1\), got 1$/,
  },
  {
    fn: "deepNN",
    bad: "dropout negative",
    call: () => deepNN({ features: 3, dropout: -0.1 }),
    message: /^deepNN: dropout must be a number in \[0, 1\), got -0\.1$/,
  },
  {
    fn: "deepNN",
    bad: "name not a string",
    call: () => deepNN({ features: 3, name: 5 as never }),
    message: /^deepNN: name must be a non-empty string, got 5$/,
  },
  {
    fn: "deepNN",
    bad: "seed fractional",
    call: () => deepNN({ features: 3, seed: 1.5 }),
    message: /^deepNN: seed must be an integer from 0 to 4294967295, got 1\.5$/,
  },
  {
    fn: "hiddenUnits",
    bad: "features 0",
    call: () => hiddenUnits(0),
    message: /^hiddenUnits: features must be a positive integer, got 0$/,
  },
  {
    fn: "hiddenUnits",
    bad: "features -3",
    call: () => hiddenUnits(-3),
    message: /^hiddenUnits: features must be a positive integer, got -3$/,
  },
  {
    fn: "hiddenUnits",
    bad: "features a string",
    call: () => hiddenUnits("10" as never),
    message: /^hiddenUnits: features must be a positive integer, got "10"$/,
  },

  // describing a model
  {
    fn: "modelGraph",
    bad: "model null",
    call: () => modelGraph(null as never),
    message:
      /^modelGraph: model must be a tfjs LayersModel \(tf\.sequential or tf\.model\), got null$/,
  },
  {
    fn: "modelGraph",
    bad: "model a plain object",
    call: () => modelGraph({} as never),
    message:
      /^modelGraph: model must be a tfjs LayersModel \(tf\.sequential or tf\.model\), got an object$/,
  },
  {
    fn: "modelGraph",
    bad: "model without layers",
    call: () => modelGraph(empty),
    message:
      /^modelGraph: model "empty" is not built: it has no layers \(add layers with an input shape first\)$/,
  },
  {
    fn: "layerTable",
    bad: "model null",
    call: () => layerTable(null as never),
    message:
      /^layerTable: model must be a tfjs LayersModel \(tf\.sequential or tf\.model\), got null$/,
  },
  {
    fn: "layerTable",
    bad: "model without layers",
    call: () => layerTable(empty),
    message:
      /^layerTable: model "empty" is not built: it has no layers \(add layers with an input shape first\)$/,
  },
  {
    fn: "summary",
    bad: "model undefined",
    call: () => summary(undefined as never),
    message:
      /^summary: model must be a tfjs LayersModel \(tf\.sequential or tf\.model\), got undefined$/,
  },
  {
    fn: "summary",
    bad: "model without layers",
    call: () => summary(empty),
    message:
      /^summary: model "empty" is not built: it has no layers \(add layers with an input shape first\)$/,
  },
  {
    fn: "summaryData",
    bad: "model a string",
    call: () => summaryData("m" as never),
    message:
      /^summaryData: model must be a tfjs LayersModel \(tf\.sequential or tf\.model\), got "m"$/,
  },

  // diagrams
  {
    fn: "visualizeNN",
    bad: "model null",
    call: () => visualizeNN(null as never),
    message:
      /^visualizeNN: model must be a tfjs LayersModel \(tf\.sequential or tf\.model\), got null$/,
  },
  {
    fn: "visualizeNN",
    bad: "model not a chain",
    call: () => visualizeNN(branched),
    message:
      /^visualizeNN: model "branching" is not a single chain of layers \(it branches, merges or has several inputs or outputs\), so it has no neuron columns to draw; draw its layer graph with plotModel\(model\) instead$/,
  },
  {
    fn: "visualizeNN",
    bad: "options not an object",
    call: () => visualizeNN(classifier, [] as never),
    message: /^visualizeNN: options must be an object, got an array of length 0$/,
  },
  {
    fn: "visualizeNN",
    bad: "maxNeurons 1",
    call: () => visualizeNN(classifier, { maxNeurons: 1 }),
    message: /^visualizeNN: maxNeurons must be an integer >= 2, got 1$/,
  },
  {
    fn: "visualizeNN",
    bad: "width too small",
    call: () => visualizeNN(classifier, { width: 50 }),
    message: /^visualizeNN: width must be a number in \[100, 20000\], got 50$/,
  },
  {
    fn: "visualizeNN",
    bad: "height too large",
    call: () => visualizeNN(classifier, { height: 30000 }),
    message: /^visualizeNN: height must be a number in \[100, 20000\], got 30000$/,
  },
  {
    fn: "visualizeNN",
    bad: "description not a boolean",
    call: () => visualizeNN(classifier, { description: "yes" as never }),
    message: /^visualizeNN: description must be true or false, got "yes"$/,
  },
  {
    fn: "visualizeNN",
    bad: "weights not a boolean",
    call: () => visualizeNN(classifier, { weights: 1 as never }),
    message: /^visualizeNN: weights must be true or false, got 1$/,
  },
  {
    fn: "visualizeNN",
    bad: "title not a string",
    call: () => visualizeNN(classifier, { title: 5 as never }),
    message: /^visualizeNN: title must be a string, got 5$/,
  },
  {
    fn: "networkGeometry",
    bad: "model without layers",
    call: () => networkGeometry(empty),
    message:
      /^networkGeometry: model "empty" is not built: it has no layers \(add layers with an input shape first\)$/,
  },
  {
    fn: "networkGeometry",
    bad: "maxNeurons fractional",
    call: () => networkGeometry(classifier, { maxNeurons: 2.5 }),
    message: /^networkGeometry: maxNeurons must be an integer >= 2, got 2\.5$/,
  },
  {
    fn: "plotModel",
    bad: "model null",
    call: () => plotModel(null as never),
    message:
      /^plotModel: model must be a tfjs LayersModel \(tf\.sequential or tf\.model\), got null$/,
  },
  {
    fn: "plotModel",
    bad: "unknown rankdir",
    call: () => plotModel(classifier, { rankdir: "BT" as never }),
    message: /^plotModel: rankdir must be one of "TB", "LR", got "BT"$/,
  },
  {
    fn: "plotModel",
    bad: "showShapes not a boolean",
    call: () => plotModel(classifier, { showShapes: "yes" as never }),
    message: /^plotModel: showShapes must be true or false, got "yes"$/,
  },
  {
    fn: "plotModel",
    bad: "title not a string",
    call: () => plotModel(classifier, { title: 3 as never }),
    message: /^plotModel: title must be a string, got 3$/,
  },
  {
    fn: "modelDiagram",
    bad: "options not an object",
    call: () => modelDiagram(classifier, 7 as never),
    message: /^modelDiagram: options must be an object, got 7$/,
  },

  // explanations
  {
    fn: "explain",
    bad: "model null",
    call: () => explain(null as never, { instance: [1, 2, 3], background: x3 }),
    message:
      /^explain: model must be a tfjs LayersModel \(tf\.sequential or tf\.model\), got null$/,
  },
  {
    fn: "explain",
    bad: "options missing",
    call: () => explain(classifier, undefined as never),
    message: /^explain: instance must be an array of numbers \(one per feature\), got undefined$/,
  },
  {
    fn: "explain",
    bad: "model with two inputs",
    call: () => explain(branched, { instance: [1, 2, 3, 4], background: [[0, 0, 0, 0]] }),
    message:
      /^explain: model must take one input of shape \[rows, features\], got \[null,2\], \[null,2\]$/,
  },
  {
    fn: "explain",
    bad: "output out of range for a model with two output units",
    call: () => explain(twoUnits, { instance: [1, 2, 3], background: x3, output: 2 }),
    message: /^explain: output must be an integer from 0 to 1, got 2$/,
  },
  {
    fn: "explain",
    bad: "instance too short",
    call: () => explain(classifier, { instance: [1, 2], background: x3 }),
    message:
      /^explain: instance must be 3 numbers \(one per model input feature\), got an array of length 2$/,
  },
  {
    fn: "explain",
    bad: "instance with NaN",
    call: () => explain(classifier, { instance: [1, NaN, 3], background: x3 }),
    message: /^explain: instance\[1\] must be a finite number, got NaN$/,
  },
  {
    fn: "explain",
    bad: "instance a string",
    call: () => explain(classifier, { instance: "1,2,3" as never, background: x3 }),
    message: /^explain: instance must be an array of numbers \(one per feature\), got "1,2,3"$/,
  },
  {
    fn: "explain",
    bad: "instance a rank-3 tensor",
    call: () => explain(classifier, { instance: rank3, background: x3 }),
    message:
      /^explain: instance must be a 1-D tensor \(one row of feature values\), got a tensor of shape \[2,3,1\]$/,
  },
  {
    fn: "explain",
    bad: "instance a disposed tensor",
    call: () => explain(classifier, { instance: disposed, background: x3 }),
    message: /^explain: instance is a disposed tensor$/,
  },
  {
    fn: "explain",
    bad: "background empty",
    call: () => explain(classifier, { instance: [1, 2, 3], background: [] }),
    message:
      /^explain: background must be a non-empty array of rows of 3 numbers, got an array of length 0$/,
  },
  {
    fn: "explain",
    bad: "background row too short",
    call: () => explain(classifier, { instance: [1, 2, 3], background: [[1, 2, 3], [1, 2]] }),
    message: /^explain: background\[1\] must be a row of 3 numbers, got an array of length 2$/,
  },
  {
    fn: "explain",
    bad: "background with Infinity",
    call: () => explain(classifier, { instance: [1, 2, 3], background: [[1, Infinity, 3]] }),
    message: /^explain: background\[0\]\[1\] must be a finite number, got Infinity$/,
  },
  {
    fn: "explain",
    bad: "background tensor with NaN",
    call: () => explain(classifier, { instance: [1, 2, 3], background: nanTensor }),
    message: /^explain: background\[0\]\[1\] must be a finite number, got NaN$/,
  },
  {
    fn: "explain",
    bad: "featureNames too short",
    call: () =>
      explain(classifier, { instance: [1, 2, 3], background: x3, featureNames: ["a", "b"] }),
    message:
      /^explain: featureNames must be an array of 3 names \(one per feature\), got an array of length 2$/,
  },
  {
    fn: "explain",
    bad: "featureNames repeated",
    call: () =>
      explain(classifier, {
        instance: [1, 2, 3],
        background: x3,
        featureNames: ["a", "b", "a"],
      }),
    message:
      /^explain: featureNames must be unique, got "a" at positions 0 and 2; each feature needs its own name$/,
  },
  {
    fn: "explain",
    bad: "featureNames not strings",
    call: () =>
      explain(classifier, {
        instance: [1, 2, 3],
        background: x3,
        featureNames: ["a", 2, "c"] as never,
      }),
    message: /^explain: featureNames\[1\] must be a string, got 2$/,
  },
  {
    fn: "explain",
    bad: "unknown link",
    call: () =>
      explain(classifier, { instance: [1, 2, 3], background: x3, link: "probit" as never }),
    message: /^explain: link must be one of "identity", "logit", got "probit"$/,
  },
  {
    fn: "explain",
    bad: "unknown method",
    call: () =>
      explain(classifier, { instance: [1, 2, 3], background: x3, method: "shapley" as never }),
    message: /^explain: method must be one of "auto", "exact", "kernel", got "shapley"$/,
  },
  {
    fn: "explain",
    bad: "exact with 30 features",
    call: () =>
      explain(wide30, {
        instance: new Array(30).fill(1),
        background: [new Array(30).fill(0)],
        method: "exact",
      }),
    message:
      /^explain: method "exact" would need 2\^30 = 1,073,741,824 coalitions for 30 features \(exact enumeration is limited to 16 features\); use method: "kernel" \(Kernel SHAP\) or "auto"$/,
  },
  {
    fn: "explain",
    bad: "nsamples 0",
    call: () => explain(classifier, { instance: [1, 2, 3], background: x3, nsamples: 0 }),
    message: /^explain: nsamples must be an integer >= 4, got 0$/,
  },
  {
    fn: "explain",
    bad: "negative seed",
    call: () => explain(classifier, { instance: [1, 2, 3], background: x3, seed: -1 }),
    message: /^explain: seed must be an integer from 0 to 4294967295, got -1$/,
  },
  {
    fn: "explain",
    bad: "unknown summarize",
    call: () =>
      explain(classifier, {
        instance: [1, 2, 3],
        background: x3,
        summarize: "median" as never,
      }),
    message: /^explain: summarize must be one of "sample", "kmeans", got "median"$/,
  },
  {
    fn: "explain",
    bad: "logit link on a linear output",
    call: () =>
      explain((x) => tf.sum(x, 1).mul(10), {
        instance: [1, 2, 3],
        background: x3,
        link: "logit",
      }),
    message:
      /^explain: link "logit" needs probability outputs in \[0, 1\], but the model gave 12\.75; use link: "identity" for a model without a sigmoid output$/,
  },
  {
    fn: "explain",
    bad: "predict gives the wrong number of outputs",
    call: () => explain((x) => tf.concat([x, x]), { instance: [1, 2, 3], background: x3 }),
    message: /^explain: model must give one output per row, got shape \[64,3\] for 32 rows$/,
  },
  {
    fn: "explainerShap",
    bad: "unknown task",
    call: () =>
      explainerShap(classifier, { instance: [1, 2, 3], train: x3, task: "ranking" as never }),
    message: /^explainerShap: task must be one of "classification", "regression", got "ranking"$/,
  },
  {
    fn: "explainerShap",
    bad: "top 0",
    call: () => explainerShap(classifier, { instance: [1, 2, 3], train: x3, top: 0 }),
    message: /^explainerShap: top must be a positive integer, got 0$/,
  },
  {
    fn: "explainerShap",
    bad: "train empty",
    call: () => explainerShap(classifier, { instance: [1, 2, 3], train: [] }),
    message: /^explainerShap: train must be a non-empty array of rows, got an array of length 0$/,
  },
  {
    fn: "explainerShap",
    bad: "train a string",
    call: () => explainerShap(classifier, { instance: [1, 2, 3], train: "x" as never }),
    message: /^explainerShap: train must be an array of rows or a 2-D tensor, got "x"$/,
  },
  {
    fn: "explainerShap",
    bad: "train a disposed tensor",
    call: () => explainerShap(classifier, { instance: [1, 2, 3], train: disposed }),
    message:
      /^explainerShap: train must be a 2-D tensor of shape \[rows >= 1, features\], got a disposed tensor$/,
  },
  {
    fn: "explainerShapData",
    bad: "instance too long",
    call: () => explainerShapData(classifier, { instance: [1, 2, 3, 4], train: x3 }),
    message:
      /^explainerShapData: instance must be 3 numbers \(one per model input feature\), got an array of length 4$/,
  },

  // explanation plots
  {
    fn: "waterfallPlot",
    bad: "explanation null",
    call: () => waterfallPlot(null as never),
    message: /^waterfallPlot: explanation must be the result of explain\(\), got null$/,
  },
  {
    fn: "waterfallPlot",
    bad: "values empty",
    call: () => waterfallPlot(broken({ values: [] })),
    message:
      /^waterfallPlot: explanation\.values must be a non-empty array, got an array of length 0$/,
  },
  {
    fn: "waterfallPlot",
    bad: "a value NaN",
    call: () => waterfallPlot(broken({ values: [0.5, NaN] })),
    message: /^waterfallPlot: explanation\.values\[1\] must be a finite number, got NaN$/,
  },
  {
    fn: "waterfallPlot",
    bad: "top 0",
    call: () => waterfallPlot(explanation, { top: 0 }),
    message: /^waterfallPlot: top must be a positive integer, got 0$/,
  },
  {
    fn: "waterfallRows",
    bad: "featureNames too short",
    call: () => waterfallRows(broken({ featureNames: ["a"] })),
    message:
      /^waterfallRows: explanation\.featureNames must be an array of 2 entries, got an array of length 1$/,
  },
  {
    fn: "decisionPlot",
    bad: "baseValue Infinity",
    call: () => decisionPlot(broken({ baseValue: Infinity })),
    message: /^decisionPlot: explanation\.baseValue must be a finite number, got Infinity$/,
  },
  {
    fn: "decisionPlot",
    bad: "unknown link option",
    call: () => decisionPlot(explanation, { link: "probit" as never }),
    message: /^decisionPlot: link must be one of "identity", "logit", got "probit"$/,
  },
  {
    fn: "decisionRows",
    bad: "instance too long",
    call: () => decisionRows(broken({ instance: [1, 2, 3] })),
    message:
      /^decisionRows: explanation\.instance must be an array of 2 entries, got an array of length 3$/,
  },
  {
    fn: "barPlot",
    bad: "explanation link unknown",
    call: () => barPlot(broken({ link: "log" })),
    message: /^barPlot: explanation\.link must be "identity" or "logit", got "log"$/,
  },
  {
    fn: "barPlot",
    bad: "output NaN",
    call: () => barPlot(broken({ output: NaN })),
    message: /^barPlot: explanation\.output must be a finite number, got NaN$/,
  },
  {
    fn: "barRows",
    bad: "top fractional",
    call: () => barRows(explanation, { top: 1.5 }),
    message: /^barRows: top must be a positive integer, got 1\.5$/,
  },

  // scores and evaluation
  {
    fn: "classificationScores",
    bad: "yTrue empty",
    call: () => classificationScores([], []),
    message: /^classificationScores: yTrue is empty$/,
  },
  {
    fn: "classificationScores",
    bad: "lengths differ",
    call: () => classificationScores([0, 1], [0.5]),
    message: /^classificationScores: yTrue and scores must have the same length, got 2 and 1$/,
  },
  {
    fn: "classificationScores",
    bad: "a label 2",
    call: () => classificationScores([0, 2], [0.1, 0.9]),
    message: /^classificationScores: yTrue must hold only 0\/1 labels, got 2 at row 1$/,
  },
  {
    fn: "classificationScores",
    bad: "threshold NaN",
    call: () => classificationScores([0, 1], [0.1, 0.9], NaN),
    message: /^classificationScores: threshold must be a number in \[0, 1\], got NaN$/,
  },
  {
    fn: "classificationScores",
    bad: "a score NaN",
    call: () => classificationScores([0, 1], [0.1, NaN]),
    message: /^classificationScores: scores\b.*\bNaN\b.*\brow 1\b/,
  },
  {
    fn: "regressionScores",
    bad: "lengths differ",
    call: () => regressionScores([1, 2, 3], [1, 2]),
    message: /^regressionScores: yTrue and yPred must have the same length, got 3 and 2$/,
  },
  {
    fn: "regressionScores",
    bad: "yTrue empty",
    call: () => regressionScores([], []),
    message: /^regressionScores: yTrue is empty$/,
  },
  {
    fn: "regressionScores",
    bad: "a target NaN",
    call: () => regressionScores([NaN, 1], [1, 1]),
    message: /^regressionScores: yTrue\b.*\bNaN\b.*\brow 0\b/,
  },
  {
    fn: "evaluate",
    bad: "model null",
    call: () => evaluate(null as never, x3, y01),
    message:
      /^evaluate: model must be a tfjs LayersModel \(tf\.sequential or tf\.model\), got null$/,
  },
  {
    fn: "evaluate",
    bad: "model with two inputs",
    call: () => evaluate(branched, x3, y01),
    message:
      /^evaluate: model "branching" must have one input of shape \[null, features\] and one output of shape \[null, outputs\]; it has inputs \[\[null,2\],\[null,2\]\] and outputs \[\[null,1\]\]$/,
  },
  {
    fn: "evaluate",
    bad: "model with two outputs",
    call: () => evaluate(twoUnits, x3, [[0, 1], [1, 0], [0, 0], [1, 1]]),
    message: /^evaluate: evaluate needs a model with one output, this one has 2$/,
  },
  {
    fn: "evaluate",
    bad: "x with NaN",
    call: () => evaluate(classifier, [[0, NaN, 1], ...x3.slice(1)], y01),
    message: /^evaluate: x must contain only finite numbers, got NaN at row 0, column 1$/,
  },
  {
    fn: "evaluate",
    bad: "x with a value too large for float32",
    call: () => evaluate(classifier, [[0, 1e39, 1], ...x3.slice(1)], y01),
    message:
      /^evaluate: x must contain only finite numbers, got 1e\+39 at row 0, column 1 \(too large for float32\)$/,
  },
  {
    fn: "evaluate",
    bad: "x rows of different lengths",
    call: () => evaluate(classifier, [[0, 1, 1], [0, 1], [1, 1, 1], [0, 0, 0]], y01),
    message: /^evaluate: x rows must all have 3 values, as x\[0\]; x\[1\] has 2$/,
  },
  {
    fn: "evaluate",
    bad: "x with 2 features for a 3-feature model",
    call: () => evaluate(classifier, [[0, 1], [1, 0], [1, 1], [0, 0]], y01),
    message: /^evaluate: x has 2 features per row but the model takes 3$/,
  },
  {
    fn: "evaluate",
    bad: "x a flat array",
    call: () => evaluate(classifier, [1, 2, 3] as never, [1]),
    message:
      /^evaluate: x must be a 2-D tensor \[rows, features\] or a non-empty array of rows of numbers, got an array of length 3$/,
  },
  {
    fn: "evaluate",
    bad: "x records (objects), not rows",
    call: () => evaluate(classifier, [{ a: 1, b: 2, c: 3 }] as never, [1]),
    message:
      /^evaluate: x\[0\] is a record \(an object\): turn records into rows with fromRecords\(records, \{ target \}\) and pass its x and y$/,
  },
  {
    fn: "evaluate",
    bad: "y records (objects), not targets",
    call: () => evaluate(classifier, [[0, 1, 1]], [{ label: 1 }] as never),
    message:
      /^evaluate: y\[0\] is a record \(an object\): turn records into rows with fromRecords\(records, \{ target \}\), whose y holds one target per row$/,
  },
  {
    fn: "evaluate",
    bad: "x a rank-3 tensor",
    call: () => evaluate(classifier, rank3, [0, 1]),
    message:
      /^evaluate: x must be a 2-D tensor \[rows, features\], got a tensor of shape \[2, 3, 1\]$/,
  },
  {
    fn: "evaluate",
    bad: "x a disposed tensor",
    call: () => evaluate(classifier, disposed, [1]),
    message: /^evaluate: x is a disposed tensor$/,
  },
  {
    fn: "evaluate",
    bad: "y shorter than x",
    call: () => evaluate(classifier, x3, [0, 1, 1]),
    message: /^evaluate: x and y must have the same number of rows, got 4 rows in x and 3 in y$/,
  },
  {
    fn: "evaluate",
    bad: "y empty",
    call: () => evaluate(classifier, x3, []),
    message:
      /^evaluate: y must be a tensor \[rows\] or \[rows, outputs\], or a non-empty array of numbers, got an array of length 0$/,
  },
  {
    fn: "evaluate",
    bad: "a label 0.5 for classification",
    call: () => evaluate(classifier, x3, [0, 1, 0.5, 0]),
    message: /^evaluate: y must hold only 0\/1 labels for classification, got 0\.5 at row 2$/,
  },
  {
    fn: "evaluate",
    bad: "y a string in a row",
    call: () => evaluate(classifier, x3, [0, 1, "1", 0] as never),
    message: /^evaluate: y\[2\] must be a number, got "1"$/,
  },
  {
    fn: "evaluate",
    bad: "unknown task",
    call: () => evaluate(classifier, x3, y01, { task: "ranking" as never }),
    message: /^evaluate: task must be one of "classification", "regression", got "ranking"$/,
  },
  {
    fn: "evaluate",
    bad: "threshold Infinity",
    call: () => evaluate(classifier, x3, y01, { threshold: Infinity }),
    message: /^evaluate: threshold must be a number in \[0, 1\], got Infinity$/,
  },

  // data
  {
    fn: "randomData",
    bad: "options not an object",
    call: () => randomData(5 as never),
    message: /^randomData: options must be an object, got 5$/,
  },
  {
    fn: "randomData",
    bad: "rows 0",
    call: () => randomData({ rows: 0 }),
    message: /^randomData: rows must be a positive integer, got 0$/,
  },
  {
    fn: "randomData",
    bad: "features fractional",
    call: () => randomData({ features: 2.5 }),
    message: /^randomData: features must be a positive integer, got 2\.5$/,
  },
  {
    fn: "randomData",
    bad: "unknown task",
    call: () => randomData({ task: "ranking" as never }),
    message: /^randomData: task must be one of "classification", "regression", got "ranking"$/,
  },
  {
    fn: "randomData",
    bad: "negative seed",
    call: () => randomData({ seed: -5 }),
    message: /^randomData: seed must be an integer from 0 to 4294967295, got -5$/,
  },
  {
    fn: "randomData",
    bad: "too many values",
    call: () => randomData({ rows: 1e6, features: 100 }),
    message: /^randomData: rows \* features must be at most 50,000,000, got 1000000 \* 100$/,
  },

  // training
  {
    fn: "train",
    bad: "model not compiled",
    call: () => train(uncompiled, x3, y01, { live: false }),
    message:
      /^train: model "DeepNN" is not compiled: call model\.compile\(\{ optimizer, loss, metrics \}\) first$/,
  },
  {
    fn: "train",
    bad: "model null",
    call: () => train(null as never, x3, y01, { live: false }),
    message: /^train: model must be a tfjs LayersModel \(tf\.sequential or tf\.model\), got null$/,
  },
  {
    fn: "train",
    bad: "a Keras option name",
    call: () => train(classifier, x3, y01, { batch_size: 2 } as never),
    message:
      /^train: unknown option "batch_size" \(did you mean "batchSize"\?\); options are batchSize, epochs, shuffle, validationSplit, seed, live, verbose, engine, memoryLimit$/,
  },
  {
    fn: "train",
    bad: "an unknown option",
    call: () => train(classifier, x3, y01, { learningRate: 0.1 } as never),
    message:
      /^train: unknown option "learningRate"; options are batchSize, epochs, shuffle, validationSplit, seed, live, verbose, engine, memoryLimit$/,
  },
  {
    fn: "train",
    bad: "batchSize 0",
    call: () => train(classifier, x3, y01, { batchSize: 0 }),
    message: /^train: batchSize must be a positive integer, got 0$/,
  },
  {
    fn: "train",
    bad: "epochs fractional",
    call: () => train(classifier, x3, y01, { epochs: 1.5 }),
    message: /^train: epochs must be a positive integer, got 1\.5$/,
  },
  {
    fn: "train",
    bad: "shuffle not a boolean",
    call: () => train(classifier, x3, y01, { shuffle: "yes" as never }),
    message: /^train: shuffle must be true or false, got "yes"$/,
  },
  {
    fn: "train",
    bad: "validationSplit 1",
    call: () => train(classifier, x3, y01, { validationSplit: 1 }),
    message: /^train: validationSplit must be a number in \[0, 1\), got 1$/,
  },
  {
    fn: "train",
    bad: "validationSplit leaves no training row",
    call: () => train(classifier, [[1, 2, 3]], [1], { validationSplit: 0.5, live: false }),
    message: /^train: validationSplit 0\.5 of 1 row leaves no row to train on$/,
  },
  {
    fn: "train",
    bad: "negative seed",
    call: () => train(classifier, x3, y01, { seed: -1 }),
    message: /^train: seed must be an integer from 0 to 4294967295, got -1$/,
  },
  {
    fn: "train",
    bad: "live not a boolean",
    call: () => train(classifier, x3, y01, { live: 1 as never }),
    message: /^train: live must be true or false, got 1$/,
  },
  {
    fn: "train",
    bad: "verbose 3",
    call: () => train(classifier, x3, y01, { verbose: 3 as never }),
    message: /^train: verbose must be 0, 1, 2, true or false, got 3$/,
  },
  {
    fn: "train",
    bad: "unknown engine",
    call: () => train(classifier, x3, y01, { engine: "torch" }),
    message: /^train: engine must be one of "fused", "tfjs" or a TrainEngine, got "torch"$/,
  },
  {
    fn: "train",
    bad: "the fused engine for an optimizer it does not run",
    call: () => train(rmsprop, x3, [1, 2, 3, 4], { engine: "fused", live: false }),
    message:
      /^train: engine "fused" cannot train this model: the optimizer is RMSProp; the fused engine runs Adam and SGD$/,
  },
  {
    fn: "train",
    bad: "x with Infinity",
    call: () => train(classifier, [[0, 1, Infinity], ...x3.slice(1)], y01, { live: false }),
    message: /^train: x must contain only finite numbers, got Infinity at row 0, column 2$/,
  },
  {
    fn: "train",
    bad: "x tensor with NaN",
    call: () => train(regressor, nanTensor, [1], { live: false, validationSplit: 0 }),
    message: /^train: x must contain only finite numbers, got NaN at row 0, column 1$/,
  },
  {
    fn: "train",
    bad: "x with 4 features for a 3-feature model",
    call: () => train(classifier, [[0, 1, 1, 1]], [1], { live: false }),
    message: /^train: x has 4 features per row but the model takes 3$/,
  },
  {
    fn: "train",
    bad: "y longer than x",
    call: () => train(classifier, x3, [0, 1, 1, 0, 1], { live: false }),
    message: /^train: x and y must have the same number of rows, got 4 rows in x and 5 in y$/,
  },
  {
    fn: "train",
    bad: "a label 2 with binary cross-entropy",
    call: () => train(classifier, x3, [0, 1, 2, 0], { live: false }),
    message: /^train: y must hold only 0\/1 labels with a binaryCrossentropy loss, got 2 at row 2$/,
  },
  {
    fn: "train",
    bad: "y rows with 2 values for a 1-output model",
    call: () => train(regressor, x3, [[0, 1], [1, 0], [0, 0], [1, 1]], { live: false }),
    message: /^train: y has 2 values per row but the model gives 1 output$/,
  },
  {
    fn: "plotHistory",
    bad: "history null",
    call: () => plotHistory(null as never),
    message:
      /^plotHistory: history must be what train\(\) returns, or an object of per-epoch arrays, got null$/,
  },
  {
    fn: "plotHistory",
    bad: "history without loss",
    call: () => plotHistory({ accuracy: [0.5] }),
    message: /^plotHistory: history has no "loss" values; its keys are accuracy$/,
  },
  {
    fn: "plotHistory",
    bad: "history values not numbers",
    call: () => plotHistory({ loss: [0.5], accuracy: ["0.5"] } as never),
    message:
      /^plotHistory: history\.accuracy must be an array of numbers, got an array of length 1$/,
  },
  {
    fn: "plotHistory",
    bad: "metrics not an array",
    call: () => plotHistory(history, { metrics: "accuracy" as never }),
    message: /^plotHistory: metrics must be an array of metric names, got "accuracy"$/,
  },
  {
    fn: "plotHistory",
    bad: "a metric the history lacks",
    call: () => plotHistory(history, { metrics: ["F1"] }),
    message: /^plotHistory: metrics must be one of the history's metrics \("accuracy"\), got "F1"$/,
  },
  {
    fn: "plotHistory",
    bad: "width too small",
    call: () => plotHistory(history, { width: 10 }),
    message: /^plotHistory: width must be an integer from 50 to 2000, got 10$/,
  },
  {
    fn: "VegaLiteFigure.save",
    bad: "a path that is neither .svg nor .json",
    call: () => new VegaLiteFigure({ mark: "point" } as never, "<svg/>", "x").save("fig.png"),
    message:
      /^VegaLiteFigure\.save: path must be a file name ending in \.svg or \.json, got "fig\.png"$/,
  },

  // files
  {
    fn: "saveModel",
    bad: "model null",
    call: () => saveModel(null as never, "/tmp/x"),
    message:
      /^saveModel: model must be a tfjs LayersModel \(tf\.sequential or tf\.model\), got null$/,
  },
  {
    fn: "saveModel",
    bad: "dir empty",
    call: () => saveModel(classifier, ""),
    message: /^saveModel: dir must be a folder path, got ""$/,
  },
  {
    fn: "saveModel",
    bad: "dir a number",
    call: () => saveModel(classifier, 5 as never),
    message: /^saveModel: dir must be a folder path, got 5$/,
  },
  {
    fn: "loadModel",
    bad: "dir empty",
    call: () => loadModel(""),
    message: /^loadModel: dir must be a folder path, got ""$/,
  },
  {
    fn: "loadModel",
    bad: "a folder without model.json",
    call: () => loadModel(missingDir),
    message:
      /^loadModel: dir must be the folder saveModel wrote \(it holds model\.json\), got "\/.*\/no-such-model"\. Nothing is at \/.*\/no-such-model$/,
  },
  {
    fn: "saveModel",
    bad: "dir a file",
    call: () => saveModel(classifier, userFile),
    message:
      /^saveModel: \/.*\/notes\.txt is a file, not a folder; saveModel writes a folder \(model\.json and its weights\) and never overwrites a file$/,
  },
  {
    fn: "saveModel",
    bad: "dir a folder of the user's files",
    call: () => saveModel(classifier, userFolder),
    message:
      /^saveModel: \/.* holds files that are not a model saved by saveModel \("README\.md"\); saveModel never overwrites or deletes what it did not write: choose a new or empty folder$/,
  },
  {
    fn: "saveModel",
    bad: "a disposed model",
    call: () => saveModel(disposedModel, missingDir),
    message:
      /^saveModel: model "DeepNN" is disposed \(its layer "h1" was freed by dispose\(\) or tf\.disposeVariables\(\)\); build or load the model again$/,
  },
  {
    fn: "summary",
    bad: "a disposed model",
    call: () => summary(disposedModel),
    message: /^summary: model "DeepNN" is disposed \(its layer "h1" was freed/,
  },
  {
    fn: "rng",
    bad: "seed NaN",
    call: () => rng(NaN),
    message: /^rng: seed must be an integer from 0 to 4294967295, got NaN$/,
  },
  {
    fn: "rng",
    bad: "seed an object",
    call: () => rng({} as never),
    message: /^rng: seed must be an integer from 0 to 4294967295, got an object$/,
  },
  {
    fn: "rng",
    bad: "seed a string",
    call: () => rng("x" as never),
    message: /^rng: seed must be an integer from 0 to 4294967295, got "x"$/,
  },
  {
    fn: "readableSize",
    bad: "NaN",
    call: () => readableSize(NaN),
    message: /^readableSize: bytes must be a finite number >= 0, got NaN$/,
  },
  {
    fn: "useBackend",
    bad: "unknown backend",
    call: () => useBackend("webgl" as never),
    message: /^useBackend: name must be "cpu" or "wasm", got "webgl"$/,
  },
];

for (const row of TABLE) {
  Deno.test({
    name: `bad input: ${row.fn}, ${row.bad}`,
    ignore: row.bug !== undefined && Deno.env.get("CI") !== "true",
    fn: async () => {
      const weights = weightsOf(classifier, regressor, rmsprop);
      const before = tf.memory().numTensors;
      const error = await (async () => {
        try {
          await row.call();
        } catch (e) {
          return e as Error;
        }
        assert.fail(`${row.fn} accepted ${row.bad}`);
      })();
      const kind = row.error ?? "ArgumentError";
      assert.equal(error.constructor.name, kind, `${error.constructor.name}: ${error.message}`);
      if (kind === "ArgumentError") assert.ok(error instanceof ArgumentError);
      assert.match(error.message, row.message);
      assert.equal(tf.memory().numTensors, before, "no tensor left behind");
      assert.deepEqual(weightsOf(classifier, regressor, rmsprop), weights, "no weight changed");
    },
  });
}

Deno.test("bad input: the table covers every public function with argument checks", () => {
  const covered = new Set(TABLE.map((r) => r.fn));
  for (
    const fn of [
      "perceptron",
      "deepNN",
      "hiddenUnits",
      "modelGraph",
      "layerTable",
      "summary",
      "summaryData",
      "networkGeometry",
      "visualizeNN",
      "modelDiagram",
      "plotModel",
      "explain",
      "explainerShap",
      "explainerShapData",
      "waterfallRows",
      "waterfallPlot",
      "decisionRows",
      "decisionPlot",
      "barRows",
      "barPlot",
      "classificationScores",
      "regressionScores",
      "evaluate",
      "randomData",
      "train",
      "plotHistory",
      "saveModel",
      "loadModel",
      "rng",
      "readableSize",
    ]
  ) {
    assert.ok(covered.has(fn), `${fn} has no row`);
  }
});

Deno.test("bad input: the refused saves left the user's file and folder as they were", () => {
  assert.equal(Deno.readTextFileSync(userFile), "mine");
  assert.deepEqual([...Deno.readDirSync(userFolder)].map((e) => e.name), ["README.md"]);
  assert.equal(Deno.readTextFileSync(join(userFolder, "README.md")), "mine");
});
