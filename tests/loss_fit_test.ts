/**
 * train refuses a loss that does not fit the model's output (issue 19, item 4) before any
 * work, with the lib's error naming the output and the loss to use; the losses that fit, and
 * a user's own model ending in a Softmax layer, still train.
 */
import assert from "node:assert/strict";
import { ArgumentError, deepNN, randomData, tf, train } from "../lib/mod.ts";

const { x } = randomData({ rows: 60, seed: 1 });
const classes3 = x.map((r) => (r[0] > 0.6 ? 2 : r[1] > 0.5 ? 1 : 0));
const binary = x.map((r) => (r[0] > 0.5 ? 1 : 0));
const numbers = x.map((r) => 10 * r[0]);

function refused(
  model: tf.LayersModel,
  loss: string,
  y: number[],
  message: RegExp,
): void {
  model.compile({ optimizer: "adam", loss });
  const weights = model.getWeights().map((w) => Array.from(w.dataSync()));
  const before = tf.memory().numTensors;
  assert.throws(
    () => train(model, x, y, { epochs: 1, verbose: 0 }),
    (e: Error) => e instanceof ArgumentError && message.test(e.message),
    loss,
  );
  assert.equal(tf.memory().numTensors, before, "no tensor left behind");
  assert.deepEqual(model.getWeights().map((w) => Array.from(w.dataSync())), weights);
}

Deno.test("train: binaryCrossentropy on a 3-class softmax is refused, naming categoricalCrossentropy", () => {
  refused(
    deepNN({ features: 10, classes: 3, hidden: [8], seed: 1 }),
    "binaryCrossentropy",
    classes3,
    /^train: the loss binaryCrossentropy does not fit model "DeepNN", whose last layer has 3 softmax outputs: binary cross-entropy scores each class as a separate yes\/no, not one class of 3; compile with loss: "categoricalCrossentropy" \(y as class indices or one-hot rows\)$/,
  );
});

Deno.test("train: categoricalCrossentropy on a regression head is refused, not blamed on the learning rate", () => {
  refused(
    deepNN({ features: 10, task: "regression", hidden: [8], seed: 1 }),
    "categoricalCrossentropy",
    numbers,
    /^train: the loss categoricalCrossentropy does not fit model "DeepNN", whose last layer has one linear output: categorical cross-entropy needs one probability per class; for a number compile with loss: "meanSquaredError" or "meanAbsoluteError"; for classes build one softmax output per class \(deepNN\(\{ \.\.\., classes \}\)\)$/,
  );
  refused(
    deepNN({ features: 10, hidden: [8], seed: 1 }),
    "sparseCategoricalCrossentropy",
    binary,
    /whose last layer has one sigmoid output: .* for 0\/1 labels compile with loss: "binaryCrossentropy"/,
  );
  const linear3 = tf.sequential({
    name: "linear3",
    layers: [tf.layers.dense({ units: 3, inputShape: [10] })],
  });
  refused(
    linear3,
    "categoricalCrossentropy",
    classes3,
    /^train: the loss categoricalCrossentropy does not fit model "linear3", whose last layer has 3 linear outputs: categorical cross-entropy needs probabilities that add up to 1 \(a softmax output\)/,
  );
});

Deno.test("train: losses that fit still train, a user's Softmax layer included", async () => {
  const own = tf.sequential({
    layers: [tf.layers.dense({ units: 3, inputShape: [10] }), tf.layers.softmax()],
  });
  own.compile({ optimizer: "adam", loss: "categoricalCrossentropy" });
  const oneHot = classes3.map((c) => [0, 1, 2].map((k) => (k === c ? 1 : 0)));
  const h = await train(own, x, oneHot, { epochs: 2, verbose: 0, seed: 1 });
  assert.equal(h.epoch.length, 2);
  // Binary cross-entropy on several sigmoid outputs (multi-label) is legitimate.
  const multi = deepNN({ features: 10, hidden: [8], seed: 1 });
  multi.compile({ optimizer: "adam", loss: "binaryCrossentropy" });
  assert.equal((await train(multi, x, binary, { epochs: 1, verbose: 0 })).epoch.length, 1);
  const labels = tf.sequential({
    layers: [tf.layers.dense({ units: 2, inputShape: [10], activation: "sigmoid" })],
  });
  labels.compile({ optimizer: "adam", loss: "binaryCrossentropy" });
  const y2 = x.map((r) => [r[0] > 0.5 ? 1 : 0, r[1] > 0.5 ? 1 : 0]);
  assert.equal((await train(labels, x, y2, { epochs: 1, verbose: 0 })).epoch.length, 1);
});
