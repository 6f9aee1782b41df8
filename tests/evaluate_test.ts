import assert from "node:assert/strict";
import { DOMParser } from "linkedom";
import { tf } from "../lib/core/tf.ts";
import {
  type ClassificationScores,
  classificationScores,
  evaluate,
  Evaluation,
  type RegressionScores,
  regressionScores,
} from "../lib/evaluate/evaluate.ts";
import { deepNN, perceptron } from "../lib/build/models.ts";
import { ArgumentError } from "../lib/core/errors.ts";
import { JUPYTER_DISPLAY } from "../lib/display/display.ts";
import type { MulticlassScores } from "../lib/evaluate/multiclass.ts";
import {
  attachPreprocessing,
  type DataRecord,
  fromRecords,
  loadModel,
  predict,
  saveModel,
  standardize,
} from "../lib/mod.ts";
import { join } from "node:path";
import { throwsArg } from "./arg_asserts.ts";

interface ClassificationCase {
  name: string;
  y_true: number[];
  scores: number[];
  threshold: number;
  confusion: [[number, number], [number, number]];
  accuracy: number;
  precision: number;
  recall: number;
  f1: number;
}
interface RegressionCase {
  name: string;
  y_true: number[];
  y_pred: number[];
  mae: number;
  mse: number;
  rmse: number;
  r2: number;
}
// Made by tests/fixtures/make_sklearn_metrics.py with scikit-learn.
const fixture: { classification: ClassificationCase[]; regression: RegressionCase[] } = JSON.parse(
  Deno.readTextFileSync(new URL("./fixtures/sklearn_metrics.json", import.meta.url)),
);

const close = (actual: number, expected: number, what: string) =>
  assert.ok(Math.abs(actual - expected) <= 1e-6, `${what}: expected ${expected}, got ${actual}`);

function checkClassification(s: ClassificationScores, c: ClassificationCase): void {
  const { tn, fp, fn, tp } = s.confusion;
  assert.deepEqual([[tn, fp], [fn, tp]], c.confusion, `${c.name}: confusion matrix`);
  for (const k of ["accuracy", "precision", "recall", "f1"] as const) {
    close(s[k], c[k], `${c.name} ${k}`);
  }
}

function checkRegression(s: RegressionScores, c: RegressionCase): void {
  for (const k of ["mae", "mse", "rmse", "r2"] as const) close(s[k], c[k], `${c.name} ${k}`);
}

/** A perceptron with weight 1 and no bias: it predicts its single input exactly. */
function identityModel(): tf.LayersModel {
  return perceptron({ inputs: 1, initializer: "ones" });
}

Deno.test("classificationScores agree with scikit-learn on every fixture case (to 1e-6)", () => {
  assert.ok(fixture.classification.length >= 6);
  for (const c of fixture.classification) {
    checkClassification(classificationScores(c.y_true, c.scores, c.threshold), c);
  }
});

Deno.test("regressionScores agree with scikit-learn on every fixture case (to 1e-6)", () => {
  assert.ok(fixture.regression.length >= 5);
  for (const c of fixture.regression) checkRegression(regressionScores(c.y_true, c.y_pred), c);
});

Deno.test("evaluate: a model's predictions over the whole data set, scored as scikit-learn", () => {
  const model = identityModel();
  const before = tf.memory().numTensors;
  for (const c of fixture.classification) {
    const x = c.scores.map((s) => [s]);
    const result = evaluate(model, x, c.y_true, { task: "classification", threshold: c.threshold });
    assert.equal(result.scores.task, "classification");
    checkClassification(result.scores as ClassificationScores, c);
  }
  for (const c of fixture.regression) {
    const result = evaluate(model, tf.tensor2d(c.y_pred, [c.y_pred.length, 1]), c.y_true);
    assert.equal(result.scores.task, "regression"); // linear output: regression by default
    checkRegression(result.scores as RegressionScores, c);
  }
  // The tensors passed as x above are the caller's; evaluate itself keeps none.
  assert.equal(tf.memory().numTensors, before + fixture.regression.length);
});

Deno.test("evaluate: a sigmoid output means classification; the result renders as text and HTML", () => {
  const model = deepNN({ features: 2, seed: 1 });
  const x = [[0.1, 0.2], [0.3, 0.4], [0.5, 0.6], [0.7, 0.8]];
  const result = evaluate(model, x, [0, 1, 0, 1]);
  const s = result.scores as ClassificationScores;
  assert.equal(s.task, "classification");
  assert.equal(s.rows, 4);
  assert.equal(s.confusion.tn + s.confusion.fp + s.confusion.fn + s.confusion.tp, 4);
  const bundle = result[JUPYTER_DISPLAY]();
  assert.deepEqual(Object.keys(bundle).sort(), ["text/html", "text/plain"]);
  const text = String(result);
  assert.match(text, /^Evaluation: classification, 4 rows, predicted 1 when score > 0.5/);
  assert.match(text, /accuracy {4}\d\.\d{4}/);
  assert.match(text, /Confusion matrix \(rows: true label, columns: predicted\)/);
  const doc = new DOMParser().parseFromString(
    `<html><body>${bundle["text/html"]}</body></html>`,
    "text/html",
  );
  const heat = doc.querySelector("table.dlnb-confusion")!;
  const cells = [...heat.querySelectorAll("td")].map((td) => Number(td.textContent));
  assert.deepEqual(cells, [s.confusion.tn, s.confusion.fp, s.confusion.fn, s.confusion.tp]);
  // Opaque shades of steelblue and an explicit text colour: legible under a dark theme too.
  for (const td of heat.querySelectorAll("td")) {
    assert.match(
      td.getAttribute("style")!,
      /background:rgb\(\d+,\d+,\d+\);color:#(ffffff|000000)$/,
    );
  }
  // The largest count: the full shade, white text; a zero count: white cell, black text.
  const styles = [...heat.querySelectorAll("td")].map((td) => td.getAttribute("style")!);
  const max = Math.max(...cells);
  assert.match(styles[cells.indexOf(max)], /background:rgb\(43,95,138\);color:#ffffff/);
  if (cells.includes(0)) {
    assert.match(styles[cells.indexOf(0)], /background:rgb\(255,255,255\);color:#000000/);
  }
});

Deno.test("evaluate: regression shows MAE, MSE, RMSE, R2", () => {
  const result = evaluate(identityModel(), [[1.5], [2], [2.5], [4.5]], [1, 2, 3, 4]);
  assert.equal(
    String(result),
    [
      "Evaluation: regression, 4 rows",
      "",
      "metric      value",
      "MAE         0.3750",
      "MSE         0.1875",
      "RMSE        0.4330",
      "R2          0.8500",
    ].join("\n"),
  );
});

Deno.test("evaluate: bad input is an ArgumentError before any work, with no tensor left", () => {
  const model = deepNN({ features: 2, seed: 1 });
  const x = [[0.1, 0.2], [0.3, 0.4]];
  const before = tf.memory().numTensors;
  const bad: [() => unknown, RegExp][] = [
    [
      () => evaluate(model, x, [0, 2]),
      /evaluate: y must hold only 0\/1 labels for classification, got 2 at row 1/,
    ],
    [
      () => evaluate(model, x, [0, 1, 1]),
      /x and y must have the same number of rows, got 2 rows in x and 3 in y/,
    ],
    [() => evaluate(model, [[1, 2, 3]], [1]), /x has 3 features per row but the model takes 2/],
    [
      () => evaluate(model, [[NaN, 1], [1, 1]], [0, 1]),
      /x must contain only finite numbers, got NaN at row 0, column 0/,
    ],
    [() => evaluate(model, x, [0, 1], { task: "ranking" as never }), /task must be one of/],
    [
      () => evaluate(model, x, [0, 1], { threshold: Infinity }),
      /threshold must be a number in \[0, 1\]/,
    ],
    [() => evaluate("model" as never, x, [0, 1]), /evaluate: model must be a tfjs LayersModel/],
  ];
  for (const [call, message] of bad) {
    assert.throws(
      call,
      (e: Error) => e instanceof ArgumentError && message.test(e.message),
      String(message),
    );
  }
  assert.equal(tf.memory().numTensors, before);
});

Deno.test("evaluate: R2 of one row is NaN, as scikit-learn's r2_score, and the text says why", () => {
  const s = regressionScores([3], [2.5]);
  assert.ok(Number.isNaN(s.r2));
  assert.equal(s.mae, 0.5);
  const text = String(new Evaluation(s));
  assert.match(
    text,
    /^Evaluation: regression, 1 row \(R2 is NaN: not defined for fewer than two rows/,
  );
  assert.match(text, /\nR2 {10}NaN$/m);
  // Two rows with a constant target stay scikit-learn's 1 (exact) or 0.
  assert.equal(regressionScores([2, 2], [2, 2]).r2, 1);
  assert.equal(regressionScores([2, 2], [2, 3]).r2, 0);
});

// A table in the user's units: flipper lengths near 200 mm, a category, a text target. Rows
// fed to the model unscaled saturate it; scaled, they do not.
const PENGUINS = Array.from({ length: 30 }, (_, i) => ({
  island: ["Biscoe", "Dream", "Torgersen"][(i * 7) % 3],
  bill: 35 + ((i * 13) % 17),
  flipper: 180 + ((i * 29) % 45),
  species: ["Adelie", "Chinstrap", "Gentoo"][(i * 5 + (i >> 2)) % 3],
}));

/** Two models with the same weights: one carrying `{ table, scaler }`, one bare. */
function carriedAndBare(classes: number | undefined, target: string, records: DataRecord[]) {
  const table = fromRecords(records, { target, categorical: ["island"] });
  const scaler = standardize(table.x);
  const make = () =>
    deepNN({ features: table.featureNames.length, classes, hidden: [6], dropout: 0, seed: 4 });
  const carried = make(), bare = make();
  assert.deepEqual(
    carried.getWeights().map((w) => w.arraySync()),
    bare.getWeights().map((w) => w.arraySync()),
  );
  attachPreprocessing(carried, { table, scaler });
  return { table, scaler, carried, bare };
}

Deno.test("evaluate: a model carrying its preprocessing takes what predict takes, scaled as predict scales", () => {
  const { table, scaler, carried, bare } = carriedAndBare(3, "species", PENGUINS);
  const before = tf.memory().numTensors;
  const names = ["Adelie", "Chinstrap", "Gentoo"];
  assert.deepEqual(table.classNames, names);
  const expected = evaluate(bare, scaler.transform(table.x), table.y, { classNames: names });
  // The bug: raw rows fed to the model unscaled give other numbers.
  const unscaled = evaluate(bare, table.x, table.y, { classNames: names }).scores;
  assert.notDeepEqual(unscaled, expected.scores);

  const raw = evaluate(carried, table.x, table.y);
  assert.deepEqual(raw.scores, expected.scores, "raw rows, class names from the model");
  assert.equal(String(raw), String(expected));
  assert.deepEqual(evaluate(carried, PENGUINS, table.y).scores, expected.scores, "records");
  const byName = evaluate(carried, PENGUINS, PENGUINS.map((r) => r.species));
  assert.deepEqual(byName.scores, expected.scores, "y as class names");
  const same = evaluate(carried, table.x, table.y, { classNames: table.classNames });
  assert.deepEqual(same.scores, expected.scores, "the carried names, given again");
  // Its predictions are predict's, row for row.
  const predicted = predict(carried, PENGUINS).classIndices!;
  const s = raw.scores as MulticlassScores;
  assert.deepEqual(s.confusion.flat().reduce((a, b) => a + b, 0), PENGUINS.length);
  const confusion = names.map((_, t) =>
    names.map((_, p) => table.y.filter((y, i) => y === t && predicted[i] === p).length)
  );
  assert.deepEqual(s.confusion, confusion);
  assert.equal(tf.memory().numTensors, before);

  throwsArg(
    () => evaluate(carried, table.x, table.y, { classNames: ["a", "b", "c"] }),
    "classNames",
    /carries its preprocessing with its class names \("Adelie", "Chinstrap", "Gentoo"\)/,
  );
  const tensor = tf.tensor2d(scaler.transform(table.x));
  throwsArg(
    () => evaluate(carried, tensor, table.y),
    "x",
    /x is a tensor, but this model carries its preprocessing: pass records or rows/,
  );
  throwsArg(
    () => predict(carried, tensor),
    "rows",
    /rows is a tensor, but this model carries its preprocessing: pass records or rows/,
  );
  tensor.dispose();
  throwsArg(
    () => evaluate(carried, [{ island: "Dream", bill: 40 }], [0]),
    "x[0]",
    /x\[0\] has no value for "flipper"/,
  );
  throwsArg(
    () => evaluate(carried, [[1, 2]], [0]),
    "x[0]",
    /x\[0\] has 2 values, but the model takes 5/,
  );
  throwsArg(
    () => evaluate(carried, PENGUINS, PENGUINS.map((r, i) => (i === 3 ? "Emperor" : r.species))),
    "y",
    /y\[3\] is "Emperor", but y must hold class names \("Adelie", "Chinstrap", "Gentoo"\) or class indices 0 to 2/,
  );
  carried.dispose();
  bare.dispose();
});

Deno.test("evaluate: saveModel/loadModel keep what evaluate reads (records in, carried class names out)", async () => {
  const { table, carried } = carriedAndBare(3, "species", PENGUINS);
  const dir = join(await Deno.makeTempDir(), "penguins");
  await saveModel(carried, dir);
  const loaded = await loadModel(dir);
  const y = PENGUINS.map((r) => r.species);
  const a = evaluate(carried, PENGUINS, y), b = evaluate(loaded, PENGUINS, y);
  assert.deepEqual(b.scores, a.scores);
  assert.deepEqual((b.scores as MulticlassScores).classNames, table.classNames);
  assert.match(String(b), /\nGentoo +\d/);
  await Deno.remove(join(dir, ".."), { recursive: true });
});

Deno.test("evaluate: a sigmoid model takes 2 class names, shown in the report as scikit-learn's target_names", () => {
  // scikit-learn's numbers (the fixture), labelled: names change the labels, not the scores.
  for (const c of fixture.classification) {
    const named = classificationScores(c.y_true, c.scores, c.threshold, ["no", "yes"]);
    checkClassification(named, c);
    assert.deepEqual(named.classNames, ["no", "yes"]);
  }
  const s = classificationScores([0, 1, 1, 0, 0], [0.2, 0.7, 0.4, 0.9, 0.1], 0.5, ["no", "yes"]);
  assert.deepEqual(String(new Evaluation(s)).split("\n").slice(-4), [
    "Confusion matrix (rows: true label, columns: predicted)",
    "           pred no  pred yes",
    "true no          2         1",
    "true yes         1         1",
  ]);
  assert.match(
    String(new Evaluation(s)),
    /^Evaluation: classification, 5 rows, predicted "yes" \(1\) when score > 0.5; precision, recall and F1 of "yes"\n/,
  );
  // Without names the report is as before.
  assert.deepEqual(
    String(new Evaluation(classificationScores([0, 1], [0.2, 0.7]))).split("\n").slice(-2),
    [
      "true 0       1       0",
      "true 1       0       1",
    ],
  );
  // Names are escaped in HTML.
  const html = new Evaluation(classificationScores([0, 1], [0.2, 0.7], 0.5, ["<no>", "a&b"]))[
    JUPYTER_DISPLAY
  ]()["text/html"] as string;
  assert.ok(html.includes("<th>pred &lt;no&gt;</th><th>pred a&amp;b</th>"), html);

  const model = deepNN({ features: 2, seed: 1 });
  const x = [[0.1, 0.2], [0.3, 0.4], [0.5, 0.6], [0.7, 0.8]];
  const plain = evaluate(model, x, [0, 1, 0, 1]).scores as ClassificationScores;
  const named = evaluate(model, x, ["no", "yes", "no", 1], { classNames: ["no", "yes"] });
  assert.deepEqual(named.scores, { ...plain, classNames: ["no", "yes"] });
  for (const names of [["no"], ["no", "yes", "maybe"], ["no", "no"], "no,yes"]) {
    throwsArg(
      () => evaluate(model, x, [0, 1, 0, 1], { classNames: names as string[] }),
      "classNames",
      /2 distinct class names \(for 0, then for 1\)/,
    );
  }
  throwsArg(
    () => evaluate(model, x, ["no", "yes", "no", "yes"]),
    "y",
    /y\[0\] must be a number, got "no"/,
  );
  model.dispose();
});

Deno.test("evaluate: a sigmoid model carrying a two-class table names its classes by default", () => {
  const records = PENGUINS.map((r) => ({
    ...r,
    species: r.species === "Gentoo" ? "Gentoo" : "other",
  }));
  const { table, scaler, carried, bare } = carriedAndBare(undefined, "species", records);
  assert.deepEqual(table.classNames, ["Gentoo", "other"]);
  assert.deepEqual(carried.outputs[0].shape, [null, 1]);
  const expected = evaluate(bare, scaler.transform(table.x), table.y, {
    classNames: ["Gentoo", "other"],
  });
  const s = evaluate(carried, records, records.map((r) => r.species));
  assert.deepEqual(s.scores, expected.scores);
  assert.deepEqual((s.scores as ClassificationScores).classNames, ["Gentoo", "other"]);
  assert.match(String(s), /\ntrue Gentoo +\d+ +\d+\ntrue other +\d+ +\d+$/);
});
