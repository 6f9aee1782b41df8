import assert from "node:assert/strict";
import { tf } from "../lib/core/tf.ts";
import { EPSILON, f1, type MetricFn, precision, r2, recall } from "../lib/train/metrics.ts";
import { perceptron } from "../lib/build/models.ts";

function value(metric: MetricFn, yTrue: number[], yPred: number[]): number {
  return tf.tidy(() =>
    metric(tf.tensor2d(yTrue, [yTrue.length, 1]), tf.tensor2d(yPred, [yPred.length, 1]))
      .dataSync()[0]
  );
}

const close = (actual: number, expected: number, tol = 1e-6) =>
  assert.ok(Math.abs(actual - expected) <= tol, `expected ${expected}, got ${actual}`);

// A batch worked by hand with the article's formulas:
// y_true * y_pred = [.9, 0, .4, .7, 0, .5] -> round(clip) = [1, 0, 0, 1, 0, 0] (0.5 rounds to 0,
// half to even as K.round) -> true positives 2; actual positives 4; round(y_pred) = [1, 1, 0, 1, 0, 0] -> 3.
const Y_TRUE = [1, 0, 1, 1, 0, 1];
const Y_PRED = [0.9, 0.6, 0.4, 0.7, 0.2, 0.5];

Deno.test("precision, recall, f1: the article's Keras formulas on a hand-computed batch", () => {
  close(value(precision, Y_TRUE, Y_PRED), 2 / 3);
  close(value(recall, Y_TRUE, Y_PRED), 2 / 4);
  close(value(f1, Y_TRUE, Y_PRED), (2 * (2 / 3) * 0.5) / (2 / 3 + 0.5)); // 4/7
  assert.equal(EPSILON, 1e-7);
});

Deno.test("precision, recall, f1: epsilon keeps an empty batch at 0, not NaN; clip bounds predictions", () => {
  assert.equal(value(precision, [1, 1, 0], [0.1, 0.2, 0.3]), 0);
  assert.equal(value(recall, [0, 0, 0], [0.9, 0.8, 0.1]), 0);
  assert.equal(value(f1, [1, 1, 0], [0.1, 0.2, 0.3]), 0);
  // 1.7 is clipped to 1 and -0.3 to 0: one true positive, one predicted positive.
  close(value(precision, [1, 0], [1.7, -0.3]), 1 / (1 + EPSILON));
  close(value(recall, [1, 0], [1.7, -0.3]), 1);
  // Half-way predictions round to even: 0.5 -> 0, 1.5 (clipped to 1) -> 1.
  assert.equal(value(precision, [1, 1], [0.5, 0.5]), 0);
});

Deno.test("r2: 1 - SS_res / (SS_tot + epsilon) over the batch", () => {
  close(value(r2, [1, 2, 3, 4], [1.5, 2, 2.5, 4.5]), 1 - 0.75 / 5); // 0.85
  close(value(r2, [1, 2, 3], [1, 2, 3]), 1);
  // A constant target: SS_tot = 0, so epsilon alone divides, as in Keras: about -1e7.
  const constant = value(r2, [2, 2, 2], [2, 2, 3]);
  assert.ok(constant < -9.99e6 && constant > -1.001e7, String(constant));
});

Deno.test("metric functions carry Keras's names, which tfjs uses as history keys", () => {
  assert.deepEqual([precision.name, recall.name, f1.name, r2.name], [
    "Precision",
    "Recall",
    "F1",
    "R2",
  ]);
});

Deno.test("model.compile accepts them; tfjs evaluates them per batch as the formulas say", () => {
  // A perceptron with weight 1 and no bias predicts its input, so y_pred = x exactly.
  const model = perceptron({ inputs: 1, initializer: "ones" });
  model.compile({
    optimizer: "adam",
    loss: "binaryCrossentropy",
    metrics: ["accuracy", f1, precision, recall],
  });
  assert.deepEqual(model.metricsNames, ["loss", "acc", "F1", "Precision", "Recall"]);
  const before = tf.memory().numTensors;
  const x = tf.tensor2d(Y_PRED, [6, 1]), y = tf.tensor2d(Y_TRUE, [6, 1]);
  const out = model.evaluate(x, y, { batchSize: 6 }) as tf.Scalar[];
  const [, acc, f, p, r] = out.map((t) => t.dataSync()[0]);
  tf.dispose([x, y, ...out]);
  assert.equal(tf.memory().numTensors, before);
  close(acc, 3 / 6); // binary accuracy, y_pred > 0.5: rows 0, 3 and 4 right
  close(f, 4 / 7);
  close(p, 2 / 3);
  close(r, 0.5);
});

Deno.test("metrics leave no tensors behind", () => {
  const a = tf.tensor1d(Y_TRUE), b = tf.tensor1d(Y_PRED);
  const before = tf.memory().numTensors;
  for (const m of [precision, recall, f1, r2]) m(a, b).dispose();
  assert.equal(tf.memory().numTensors, before);
  tf.dispose([a, b]);
});
