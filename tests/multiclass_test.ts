import assert from "node:assert/strict";
import { tf } from "../lib/core/tf.ts";
import { deepNN } from "../lib/build/models.ts";
import { evaluate } from "../lib/evaluate/evaluate.ts";
import {
  confusionText,
  type MulticlassScores,
  multiclassScores,
  reportText,
} from "../lib/evaluate/multiclass.ts";
import { train } from "../lib/train/train.ts";
import { predict } from "../lib/predict/predict.ts";
import { fusedEngine } from "../lib/train/fused/engine.ts";
import { tfjsEngine } from "../lib/train/tfjs/engine.ts";
import { ArgumentError } from "../lib/core/errors.ts";
import { JUPYTER_DISPLAY } from "../lib/display/display.ts";
import { rng } from "../lib/core/random.ts";

interface Averages {
  precision: number;
  recall: number;
  "f1-score": number;
  support: number;
}
interface Case {
  name: string;
  classes: number;
  y_true: number[];
  y_pred: number[];
  confusion: number[][];
  accuracy: number;
  per_class: Averages[];
  macro: Averages;
  weighted: Averages;
  text: string;
}
// Made by tests/fixtures/make_sklearn_multiclass.py with scikit-learn.
const fixture: { cases: Case[] } = JSON.parse(
  Deno.readTextFileSync(new URL("./fixtures/sklearn_multiclass.json", import.meta.url)),
);

const close = (actual: number, expected: number, what: string) =>
  assert.ok(Math.abs(actual - expected) <= 1e-12, `${what}: expected ${expected}, got ${actual}`);

function checkAgainst(s: MulticlassScores, c: Case): void {
  assert.deepEqual(s.confusion, c.confusion, `${c.name}: confusion matrix`);
  close(s.accuracy, c.accuracy, `${c.name} accuracy`);
  const pairs: [string, MulticlassScores["macro"], Averages][] = [
    ...s.perClass.map((p, i) => [`class ${i}`, p, c.per_class[i]] as [string, typeof p, Averages]),
    ["macro", s.macro, c.macro],
    ["weighted", s.weighted, c.weighted],
  ];
  assert.equal(s.perClass.length, c.classes);
  for (const [what, ours, theirs] of pairs) {
    close(ours.precision, theirs.precision, `${c.name} ${what} precision`);
    close(ours.recall, theirs.recall, `${c.name} ${what} recall`);
    close(ours.f1, theirs["f1-score"], `${c.name} ${what} F1`);
    assert.equal(ours.support, theirs.support, `${c.name} ${what} support`);
  }
}

const names = (k: number) => Array.from({ length: k }, (_, i) => String(i));

Deno.test("multiclassScores equal scikit-learn's classification_report on every fixture case", () => {
  assert.ok(fixture.cases.length >= 6);
  for (const c of fixture.cases) {
    const s = multiclassScores(c.y_true, c.y_pred, names(c.classes));
    checkAgainst(s, c);
    // The text table is classification_report's, character for character.
    assert.equal(reportText(s, 4), c.text, `${c.name}: report text`);
  }
});

/** A softmax model whose output for a one-hot row x is softmax(10 x P): it predicts P's map. */
function permutationModel(perm: number[]): tf.LayersModel {
  const k = perm.length;
  const model = tf.sequential({
    layers: [tf.layers.dense({ units: k, activation: "softmax", inputShape: [k] })],
  });
  const kernel = new Float32Array(k * k);
  perm.forEach((to, from) => (kernel[from * k + to] = 10));
  model.setWeights([tf.tensor2d(kernel, [k, k]), tf.zeros([k])]);
  return model;
}

Deno.test("evaluate: a softmax model is scored by its most probable class, with class names", () => {
  const c = fixture.cases[0];
  const model = permutationModel([0, 1, 2]);
  // One-hot rows of the predicted classes: the model predicts exactly c.y_pred.
  const x = c.y_pred.map((p) => [0, 1, 2].map((k) => (k === p ? 1 : 0)));
  const before = tf.memory().numTensors;
  const result = evaluate(model, x, c.y_true, { classNames: ["Adelie", "Chinstrap", "Gentoo"] });
  assert.equal(tf.memory().numTensors, before);
  const s = result.scores as MulticlassScores;
  assert.equal(s.task, "multiclass");
  checkAgainst(s, c);
  // One-hot targets give the same report.
  const oneHot = c.y_true.map((t) => [0, 1, 2].map((k) => (k === t ? 1 : 0)));
  assert.deepEqual((evaluate(model, x, oneHot).scores as MulticlassScores).confusion, c.confusion);
  const text = String(result);
  assert.match(text, /^Evaluation: 3 classes, 120 rows, each predicted as its most probable class/);
  assert.ok(text.includes(reportText(s).split("\n")[2]), "the per-class table");
  assert.match(text, /Confusion matrix \(rows: true class, columns: predicted class\)/);
  assert.ok(text.endsWith(confusionText(s)));
  assert.deepEqual(confusionText(s).split("\n"), [
    "true \\ predicted  Adelie  Chinstrap  Gentoo",
    `${"Adelie".padEnd(18)}${
      c.confusion[0].map((v, i) => String(v).padStart([6, 9, 6][i])).join("  ")
    }`,
    `${"Chinstrap".padEnd(18)}${
      c.confusion[1].map((v, i) => String(v).padStart([6, 9, 6][i])).join("  ")
    }`,
    `${"Gentoo".padEnd(18)}${
      c.confusion[2].map((v, i) => String(v).padStart([6, 9, 6][i])).join("  ")
    }`,
  ]);
  const html = result[JUPYTER_DISPLAY]()["text/html"] as string;
  assert.match(html, /<th>Chinstrap<\/th>/);
  assert.match(html, /title="true Adelie, predicted Adelie: 37"/);
  model.dispose();
});

Deno.test("evaluate: class names are escaped; bad labels and names are errors before any work", () => {
  const model = permutationModel([1, 0, 2]);
  const x = [[1, 0, 0], [0, 1, 0], [0, 0, 1]];
  const s = evaluate(model, x, [1, 0, 2], { classNames: ["<b>", "a&b", "c"] });
  assert.equal((s.scores as MulticlassScores).accuracy, 1);
  const html = s[JUPYTER_DISPLAY]()["text/html"] as string;
  assert.ok(html.includes("&lt;b&gt;") && html.includes("a&amp;b") && !html.includes("<b>a"));
  const before = tf.memory().numTensors;
  for (
    const [f, argument, pattern] of [
      [() => evaluate(model, x, [0, 3, 1]), "y", /class indices 0 to 2 .*got 3 at row 1/],
      [() => evaluate(model, x, [0, 1.5, 1]), "y", /got 1.5 at row 1/],
      [() => evaluate(model, x, [[1, 1, 0], [0, 1, 0], [0, 0, 1]]), "y", /row 0 must be one-hot/],
      [() => evaluate(model, x, [0, 1]), "y", /same number of rows/],
      [
        () => evaluate(model, x, [0, 1, 2], { classNames: ["a", "b"] }),
        "classNames",
        /3 distinct class names \(one per output\)/,
      ],
    ] as [() => unknown, string, RegExp][]
  ) {
    assert.throws(f, (e: unknown) => {
      assert.ok(e instanceof ArgumentError, String(e));
      assert.equal(e.argument, argument);
      assert.match(e.message, pattern);
      return true;
    });
  }
  assert.equal(tf.memory().numTensors, before);
  model.dispose();
  // A one-output (sigmoid) model takes 2 names, for 0 then 1; a regression none.
  const binary = deepNN({ features: 3, seed: 1 });
  assert.throws(
    () => evaluate(binary, x, [0, 1, 0], { classNames: ["no", "yes", "maybe"] }),
    /evaluate: classNames must be an array of 2 distinct class names \(for 0, then for 1\)/,
  );
  binary.dispose();
  const regression = deepNN({ features: 3, seed: 1, task: "regression" });
  assert.throws(
    () => evaluate(regression, x, [0, 1, 0], { classNames: ["no", "yes"] }),
    /evaluate: classNames names the classes of a classifier .*evaluated as a regression/,
  );
  regression.dispose();
});

Deno.test("deepNN with classes: softmax output, trained by train() from class indices on both engines", async () => {
  const model = deepNN({ features: 4, classes: 3, seed: 1 });
  assert.deepEqual(model.outputs[0].shape, [null, 3]);
  assert.equal(model.layers.at(-1)?.getConfig().activation, "softmax");
  model.dispose();
  assert.throws(
    () => deepNN({ features: 4, classes: 1 }),
    /classes must be an integer >= 2, got 1/,
  );
  assert.throws(
    () => deepNN({ features: 4, classes: 3, task: "regression" }),
    /classes \(3\) is for classification/,
  );

  const r = rng(5);
  const x = Array.from({ length: 240 }, () => Array.from({ length: 4 }, () => r.normal()));
  const y = x.map((row) => (row[0] + row[1] > 0.5 ? 0 : row[2] > 0 ? 1 : 2));
  const runs = [];
  for (const engine of [undefined, tfjsEngine]) {
    const m = deepNN({ features: 4, classes: 3, dropout: 0, seed: 7 });
    m.compile({ optimizer: "adam", loss: "categoricalCrossentropy", metrics: ["accuracy"] });
    const h = await train(m, x, y, { epochs: 8, seed: 2, live: false, engine });
    runs.push({ h, accuracy: (evaluate(m, x, y).scores as MulticlassScores).accuracy });
    m.dispose();
  }
  const [fused, tfjs] = runs;
  assert.equal(fused.h.engine, fusedEngine.name, "the default engine runs a softmax deepNN");
  assert.equal(fused.h.fallback, null);
  for (const key of ["loss", "accuracy", "val_loss", "val_accuracy"]) {
    fused.h.history[key].forEach((v, e) => {
      const t = tfjs.h.history[key][e];
      assert.ok(Math.abs(v - t) <= 1e-4 * Math.max(1, Math.abs(t)), `${key}[${e}]: ${v} vs ${t}`);
    });
  }
  assert.ok(fused.h.history.loss[7] < fused.h.history.loss[0], "the loss falls");
  assert.equal(fused.accuracy, tfjs.accuracy);
  // Labels out of range for the number of classes: an error naming y, before training.
  const m = deepNN({ features: 4, classes: 3, seed: 7 });
  m.compile({ optimizer: "adam", loss: "categoricalCrossentropy" });
  assert.throws( // at the call: train checks its arguments before returning a promise
    () => train(m, x, y.map((v) => v + 1), { epochs: 1, live: false }),
    /train: y must hold class indices 0 to 2 \(the model has 3 outputs, one per class\), got 3 at row/,
  );
  m.dispose();
});

Deno.test("a model that ends in tf.layers.softmax() is a classifier to train, evaluate and predict", async () => {
  // A user's own Keras-style head: Dense(3) then a Softmax layer (not activation: "softmax").
  const r = rng(5);
  const x = Array.from({ length: 240 }, () => Array.from({ length: 4 }, () => r.normal()));
  const y = x.map((row) => (row[0] + row[1] > 0.5 ? 0 : row[2] > 0 ? 1 : 2));
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [4], units: 8, activation: "relu" }),
      tf.layers.dense({ units: 3 }),
      tf.layers.softmax(),
    ],
  });
  model.compile({ optimizer: "adam", loss: "categoricalCrossentropy", metrics: ["accuracy"] });
  // Class indices are turned into one-hot rows, as for deepNN({ classes }).
  const h = await train(model, x, y, { epochs: 20, seed: 2, live: false });
  assert.ok(h.history.loss[19] < h.history.loss[0], "the loss falls");
  const scores = evaluate(model, x, y).scores as MulticlassScores;
  assert.equal(scores.task, "multiclass");
  // predict reads probabilities: the most probable class of each row, and evaluate agrees.
  const p = predict(model, x);
  assert.equal(p.task, "classification");
  const probs = tf.tidy(() =>
    (model.predict(tf.tensor2d(x)) as tf.Tensor).arraySync() as number[][]
  );
  p.probabilities?.forEach((row, i) =>
    row.forEach((v, k) => assert.ok(Math.abs(v - probs[i][k]) < 1e-6))
  );
  const hits = p.classIndices?.filter((c, i) => c === y[i]).length ?? 0;
  assert.equal(scores.accuracy, hits / x.length);
  model.dispose();
});
