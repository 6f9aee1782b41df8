import assert from "node:assert/strict";
import { join } from "node:path";
import {
  attachPreprocessing,
  deepNN,
  fromRecords,
  loadModel,
  modelPreprocessing,
  predict,
  Predictions,
  saveModel,
  standardize,
  tf,
  train,
} from "../lib/mod.ts";
import { markTraining } from "../lib/build/training_state.ts";
import { throwsArg } from "./arg_asserts.ts";

/** What tfjs's own predict gives for float32 rows, widened to numbers. */
function direct(model: tf.LayersModel, rows: number[][]): number[][] {
  return tf.tidy(() => (model.predict(tf.tensor2d(rows)) as tf.Tensor).arraySync() as number[][]);
}

const ROWS = [[0.1, -2, 3], [1, 1, 1], [0, 0, 0], [-4, 2.5, 0.3], [7, -1, 2]];

Deno.test("predict: a softmax classifier's probabilities and classes, batched, no tensor left", () => {
  // A user's own tfjs model.
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ units: 8, inputShape: [3], activation: "tanh" }),
      tf.layers.dense({ units: 3, activation: "softmax" }),
    ],
  });
  const before = tf.memory().numTensors;
  const p = predict(model, ROWS, { classNames: ["a", "b", "c"] });
  const small = predict(model, ROWS, { classNames: ["a", "b", "c"], batchSize: 2 });
  assert.equal(tf.memory().numTensors, before);
  const expected = direct(model, ROWS);
  assert.deepEqual(p.probabilities, expected);
  assert.deepEqual(p.outputs, expected);
  assert.deepEqual(small.toJSON(), p.toJSON(), "batches of 2 give the same numbers");
  const t = tf.tensor2d(ROWS);
  const fromTensor = predict(model, t, { classNames: ["a", "b", "c"] });
  assert.deepEqual(fromTensor.toJSON(), p.toJSON(), "a tensor");
  const narrow = t.slice([0, 0], [5, 2]) as tf.Tensor2D;
  throwsArg(() => predict(model, narrow), "rows", /\[rows, 3\], got "a tensor of shape \[5,2\]"/);
  tf.dispose([t, narrow]);
  const best = expected.map((r) => r.indexOf(Math.max(...r)));
  assert.deepEqual(p.classIndices, best);
  assert.deepEqual(p.classes, best.map((k) => "abc"[k]));
  assert.equal(p.task, "classification");
  assert.equal(p.length, 5);
  assert.deepEqual(predict(model, ROWS).classNames, ["0", "1", "2"]);
  const text = String(p);
  const [header, first] = text.split("\n");
  assert.equal(header, "row  class   P(a)   P(b)   P(c)");
  assert.match(first, /^ {2}0 {2}[abc] {6}0\.\d{3} {2}0\.\d{3} {2}0\.\d{3}$/);
  assert.match(text, /\n5 predictions$/);
  assert.doesNotMatch(text, /object Object/);
  const bundle = p[Symbol.for("Jupyter.display") as never] as () => Record<string, string>;
  assert.match(bundle.call(p)["text/html"], /^<table><thead><tr><th[^>]*>row<\/th>/);
});

Deno.test("predict: a sigmoid classifier gives P(0), P(1) and the class; a regression its values", () => {
  const binary = deepNN({ features: 3, dropout: 0, seed: 2 });
  const p = predict(binary, ROWS);
  const q = direct(binary, ROWS).map((r) => r[0]);
  assert.deepEqual(p.probabilities, q.map((v) => [1 - v, v]));
  assert.deepEqual(p.classes, q.map((v) => (v > 0.5 ? "1" : "0")));
  const regression = tf.sequential({
    layers: [tf.layers.dense({ units: 1, inputShape: [3], kernelInitializer: "ones" })],
  });
  const r = predict(regression, ROWS);
  assert.equal(r.task, "regression");
  assert.deepEqual(r.values, direct(regression, ROWS).map((v) => v[0]));
  assert.equal(r.probabilities, null);
  assert.equal(
    String(r),
    "row  value\n  0    1.1\n  1    3.0\n  2    0.0\n  3   -1.2\n  4    8.0\n5 predictions",
  );
  // One format per column, so decimal points line up (6 significant digits at most).
  const scaled = tf.sequential({
    layers: [tf.layers.dense({ units: 1, inputShape: [1], kernelInitializer: "ones" })],
  });
  assert.equal(
    String(predict(scaled, [[166.176], [98.972], [90.1435], [0.5]])),
    "row     value\n  0  166.1760\n  1   98.9720\n  2   90.1435\n  3    0.5000\n4 predictions",
  );
  scaled.dispose();
  const many = new Array(45).fill(ROWS[0]);
  assert.match(String(predict(regression, many)), /\n\.\.\. 25 more rows\n45 predictions$/);
});

Deno.test('predict: one row reads "1 prediction", one row past the table "1 more row", in text and HTML', () => {
  const regression = tf.sequential({
    layers: [tf.layers.dense({ units: 1, inputShape: [3], kernelInitializer: "ones" })],
  });
  const html = (p: Predictions) =>
    (p[Symbol.for("Jupyter.display") as never] as () => Record<string, string>).call(p)[
      "text/html"
    ];
  const one = predict(regression, [ROWS[1]]);
  assert.equal(String(one), "row  value\n  0      3\n1 prediction");
  assert.match(html(one), /<\/table><p>1 prediction<\/p>$/);
  const two = predict(regression, ROWS.slice(0, 2));
  assert.match(String(two), /\n2 predictions$/);
  const past = predict(regression, new Array(21).fill(ROWS[1]));
  assert.ok(String(past).endsWith("\n 19      3\n... 1 more row\n21 predictions"), String(past));
  assert.match(html(past), /<p>… 1 more row; 21 predictions<\/p>$/);
  throwsArg(
    () => predict(regression, [[1, 2, 3], [4]]),
    "rows[1]",
    /^predict: rows\[1\] has 1 value, but the model takes 3$/,
  );
  regression.dispose();
});

Deno.test("predict: bad rows are refused before any work, naming the row", () => {
  const model = deepNN({ features: 3, classes: 3, seed: 5 });
  const before = tf.memory().numTensors;
  throwsArg(
    () => predict(model, [[1, 2, 3], [1, 2]]),
    "rows[1]",
    /has 2 values, but the model takes 3/,
  );
  throwsArg(() => predict(model, [[1, NaN, 3]]), "rows[0][1]", /finite number, got NaN/);
  throwsArg(() => predict(model, [[1, 2, Infinity]]), "rows[0][2]", /finite number, got Infinity/);
  throwsArg(() => predict(model, []), "rows", /non-empty array of rows of 3 numbers/);
  throwsArg(
    () => predict(model, [{ a: 1 }]),
    "rows[0]",
    /carries no preprocessing, so it takes rows of 3 numbers; attachPreprocessing/,
  );
  throwsArg(
    () => predict(model, ROWS, { batchsize: 2 } as never),
    "options",
    /did you mean "batchSize"/,
  );
  throwsArg(() => predict(model, ROWS, { classNames: ["a"] }), "classNames", /3 distinct names/);
  throwsArg(() => predict({} as never, ROWS), "model", /tfjs LayersModel/);
  throwsArg(() => predict(model, "rows" as never), "rows", /non-empty array of rows of 3 numbers/);
  throwsArg(() => modelPreprocessing("m" as never), "model", /modelPreprocessing: model must be/);
  throwsArg(() => new Predictions(null as never), "data", /Predictions: data must be \{ task/);
  throwsArg(
    () => new Predictions({ task: "classification", outputs: [] } as never),
    "data",
    /classNames/,
  );
  const done = markTraining(model);
  throwsArg(() => predict(model, ROWS), "model", /is still training .* await train/);
  done();
  assert.equal(tf.memory().numTensors, before);
});

// A small penguin-like table: numbers, a category, a text target, a missing value, an id.
const RECORDS = [
  { id: 1, island: "Biscoe", bill: 47.5, flipper: 217, species: "Gentoo" },
  { id: 2, island: "Torgersen", bill: 39.1, flipper: 181, species: "Adelie" },
  { id: 3, island: "Dream", bill: 46.5, flipper: 192, species: "Chinstrap" },
  { id: 4, island: "Dream", bill: 38.9, flipper: 190, species: "Adelie" },
  { id: 5, island: "Biscoe", bill: 50.0, flipper: 224, species: "Gentoo" },
  { id: 6, island: "Dream", bill: null, flipper: 195, species: "Chinstrap" },
  { id: 7, island: "Dream", bill: 49.2, flipper: 199, species: "Chinstrap" },
  { id: 8, island: "Torgersen", bill: 36.7, flipper: 186, species: "Adelie" },
];

function penguinModel() {
  const table = fromRecords(RECORDS, {
    target: "species",
    categorical: ["island"],
    drop: ["id"],
    missing: "drop",
  });
  const scaler = standardize(table.x);
  const model = deepNN({ features: table.featureNames.length, classes: 3, seed: 9, dropout: 0 });
  const preprocessing = attachPreprocessing(model, { table, scaler });
  return { table, scaler, model, preprocessing };
}

Deno.test("predict: a model carrying its preprocessing takes records and raw rows", () => {
  const { table, scaler, model, preprocessing } = penguinModel();
  assert.deepEqual(preprocessing.featureNames, [
    "island=Biscoe",
    "island=Dream",
    "island=Torgersen",
    "bill",
    "flipper",
  ]);
  assert.deepEqual(preprocessing.features[0], {
    column: "island",
    kind: "oneHot",
    levels: ["Biscoe", "Dream", "Torgersen"],
  });
  assert.deepEqual(preprocessing.otherColumns, ["id", "species"]);
  assert.deepEqual(preprocessing.scaler, { mean: scaler.mean, std: scaler.std });
  assert.deepEqual(modelPreprocessing(model), preprocessing);
  assert.deepEqual(JSON.parse(JSON.stringify(preprocessing)), preprocessing, "plain JSON");

  const kept = table.rows.map((i) => RECORDS[i]);
  const fromRecordsRows = predict(model, kept);
  const expected = direct(model, scaler.transform(table.x));
  assert.deepEqual(fromRecordsRows.probabilities, expected);
  assert.deepEqual(predict(model, table.x).toJSON(), fromRecordsRows.toJSON(), "raw rows");
  assert.deepEqual(fromRecordsRows.classNames, ["Adelie", "Chinstrap", "Gentoo"]);
  assert.equal(fromRecordsRows.target, "species");
  assert.match(
    String(fromRecordsRows),
    /^row {2}species +P\(Adelie\) {2}P\(Chinstrap\) {2}P\(Gentoo\)/,
  );
  // A new record needs only the feature columns.
  const one = predict(model, [{ island: "Dream", bill: 45, flipper: 200 }]);
  assert.equal(one.length, 1);
  // A Float32Array row reads as the array it holds, not as a record.
  assert.deepEqual(
    predict(model, [Float32Array.from(table.x[0])] as never).outputs,
    predict(model, [Array.from(Float32Array.from(table.x[0]))]).outputs,
  );
  // The carried class names again are accepted; others are refused.
  assert.deepEqual(
    predict(model, table.x, { classNames: ["Adelie", "Chinstrap", "Gentoo"] }).classes,
    predict(model, table.x).classes,
  );
  throwsArg(
    () => predict(model, table.x, { classNames: ["a", "b", "c"] }),
    "classNames",
    /carries its preprocessing, with its class names \("Adelie", "Chinstrap", "Gentoo"\): leave classNames out$/,
  );
});

Deno.test("predict: records with a missing, unknown or misspelt column, a new category, a missing value", () => {
  const { model } = penguinModel();
  throwsArg(
    () => predict(model, [{ island: "Dream", bil: 45, flipper: 200 }]),
    "rows[0]",
    /rows\[0\] has a column "bil" the model was not trained on \(did you mean "bill"\?\)/,
  );
  throwsArg(
    () => predict(model, [{ island: "Dream", flipper: 200 }]),
    "rows[0]",
    /rows\[0\] has no value for "bill" \(undefined\)/,
  );
  throwsArg(
    () => predict(model, [{ island: "Dream", bill: null, flipper: 200 }]),
    "rows[0]",
    /has no value for "bill" \(null\)/,
  );
  throwsArg(
    () => predict(model, [{ island: "Atlantis", bill: 40, flipper: 200 }]),
    "rows[0]",
    /rows\[0\]\["island"\] is "Atlantis", a category the model was not trained on; it knows "Biscoe", "Dream", "Torgersen"/,
  );
  throwsArg(
    () => predict(model, [{ island: "Dream", bill: "40", flipper: 200 }]),
    "rows[0]",
    /rows\[0\]\["bill"\] must be a finite number, as in training, got "40"/,
  );
  throwsArg(
    () => predict(model, [[1, 0, 0, 40]]),
    "rows[0]",
    /has 4 values, but the model takes 5 \("island=Biscoe"/,
  );
  throwsArg(
    () => predict(model, [[1, 0, 0, 40, 1e400]]),
    'rows[0][4] ("flipper")',
    /finite number, got Infinity/,
  );
  throwsArg(
    () => predict(model, [{ island: "Dream", bill: 40, flipper: 1 }], { classNames: ["x"] }),
    "classNames",
    /carries its preprocessing/,
  );
});

Deno.test("attachPreprocessing: refuses a table or model that does not fit", () => {
  const { table, scaler } = penguinModel();
  throwsArg(
    () => attachPreprocessing(deepNN({ features: 4, classes: 3 }), { table, scaler }),
    "model",
    /takes 4 inputs, but the preprocessing makes 5/,
  );
  throwsArg(
    () => attachPreprocessing(deepNN({ features: 5, classes: 4 }), { table, scaler }),
    "model",
    /has 4 outputs, but the preprocessing's target "species" needs 3 outputs/,
  );
  // Three linear outputs would give "probabilities" outside [0, 1]: the head must be a softmax.
  const linear = tf.sequential({ layers: [tf.layers.dense({ inputShape: [5], units: 3 })] });
  throwsArg(
    () => attachPreprocessing(linear, { table, scaler }),
    "model",
    /ends in a linear output, but the preprocessing's target "species" has classes \("Adelie", "Chinstrap", "Gentoo"\), whose probabilities need a softmax: build the model with deepNN\(\{ features, classes: 3 \}\)/,
  );
  linear.dispose();
  // A 0/1 table on a one-output regression model: a sigmoid is needed.
  const binary = fromRecords([{ x: 1, y: 0 }, { x: 2, y: 1 }, { x: 3, y: 1 }], { target: "y" });
  throwsArg(
    () =>
      attachPreprocessing(deepNN({ features: 1, task: "regression", hidden: [2] }), {
        table: binary,
      }),
    "model",
    /ends in a linear output, .* need a sigmoid: build the model with deepNN\(\{ features \}\) \(a sigmoid\)/,
  );
  // The same table with task: "regression" fits that model.
  const numbers = fromRecords([{ x: 1, y: 0 }, { x: 2, y: 1 }], {
    target: "y",
    task: "regression",
  });
  attachPreprocessing(deepNN({ features: 1, task: "regression", hidden: [2] }), { table: numbers });
  throwsArg(
    () => attachPreprocessing(deepNN({ features: 5, classes: 3 }), { table: { ...table }, scaler }),
    "table",
    /the table fromRecords returned/,
  );
  throwsArg(
    () =>
      attachPreprocessing(deepNN({ features: 5, classes: 3 }), {
        table,
        scaler: standardize([[1], [2]]),
      }),
    "scaler",
    /scaler was fitted on rows of 1 column, but the table has 5 features: fit it with standardize\(train\.x\)/,
  );
  throwsArg(
    () =>
      attachPreprocessing(deepNN({ features: 5, classes: 3 }), { table, scale: scaler } as never),
    "options",
    /did you mean "scaler"/,
  );
});

const CHILD = `
import { loadModel, predict } from ${
  JSON.stringify(new URL("../lib/mod.ts", import.meta.url).href)
};
const [dir, records] = [Deno.args[0], JSON.parse(Deno.args[1])];
const p = predict(await loadModel(dir), records);
console.log(JSON.stringify({ ...p.toJSON(), bits: p.outputs.flat().map((v) => new Float64Array([v])).map((a) => [...new Uint32Array(a.buffer)]) }));
`;

Deno.test("saveModel/loadModel: a second process predicts records bit for bit, from records alone", async () => {
  const { model, table, scaler } = penguinModel();
  model.compile({ optimizer: "adam", loss: "categoricalCrossentropy" });
  await train(model, scaler.transform(table.x), table.y, { epochs: 5, seed: 1, verbose: 0 });
  const dir = join(await Deno.makeTempDir(), "penguins");
  await saveModel(model, dir);
  const fresh = [
    { island: "Biscoe", bill: 45.1, flipper: 210 },
    { island: "Torgersen", bill: 37.3, flipper: 185, species: "?", id: 99 },
    { island: "Dream", bill: 51.3, flipper: 193 },
  ];
  const before = predict(model, fresh);
  const script = join(dir, "..", "child.ts");
  Deno.writeTextFileSync(script, CHILD);
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", script, dir, JSON.stringify(fresh)],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  const child = JSON.parse(new TextDecoder().decode(out.stdout));
  const bits = before.outputs.flat().map((v) => [...new Uint32Array(new Float64Array([v]).buffer)]);
  assert.deepEqual(child.bits, bits, "the same float bits");
  const { bits: _, ...rest } = child;
  assert.deepEqual(rest, before.toJSON());

  // In this process too, and a plain tf.loadLayersModel still loads the folder.
  const loaded = await loadModel(dir);
  assert.deepEqual(modelPreprocessing(loaded), modelPreprocessing(model));
  assert.deepEqual(predict(loaded, fresh).toJSON(), before.toJSON());
  // Saved again from the loaded model: the preprocessing goes along.
  const again = join(dir, "..", "again");
  await saveModel(loaded, again);
  const reloaded = await loadModel(again);
  assert.deepEqual(predict(reloaded, fresh).toJSON(), before.toJSON());
  reloaded.dispose();
  const json = JSON.parse(Deno.readTextFileSync(join(dir, "model.json")));
  assert.equal(json.userDefinedMetadata.preprocessing.format, "dlnb-preprocessing");
  const weightData = Deno.readFileSync(join(dir, json.weightsManifest[0].paths[0])).buffer;
  const plain = await tf.loadLayersModel(tf.io.fromMemory({
    modelTopology: json.modelTopology,
    weightSpecs: json.weightsManifest[0].weights,
    weightData,
    userDefinedMetadata: json.userDefinedMetadata,
  }));
  assert.deepEqual(plain.getUserDefinedMetadata(), json.userDefinedMetadata);
  assert.equal(modelPreprocessing(plain), undefined);
  [loaded, plain].forEach((m) => m.dispose());
  assert.ok(before instanceof Predictions);
});

Deno.test("explain: a model carrying its preprocessing is explained in raw units, same Shapley values", async () => {
  const { explain } = await import("../lib/mod.ts");
  const { table, scaler, model } = penguinModel();
  const scaledOptions = {
    instance: scaler.transform(table.x[1]),
    background: scaler.transform(table.x),
    featureNames: table.featureNames,
    classNames: table.classNames,
    units: "model" as const, // the model's own inputs, scaled
  };
  const scaled = explain(model, scaledOptions);
  const raw = explain(model, { instance: table.x[1], background: table.x, units: "raw" });
  // The default for a model that carries its preprocessing: the table's units, as predict.
  assert.deepEqual(
    explain(model, { instance: table.x[1], background: table.x }).values,
    raw.values,
  );
  // Scaled rows where the table's units are expected: the one-hot columns give them away.
  const scaledRows = scaler.transform(table.x);
  throwsArg(
    () => explain(model, { instance: scaledRows[1], background: table.x }),
    "instance[0]",
    /^explain: instance has -?[\d.]+ in the one-hot columns of "island" \("island=Biscoe", "island=Dream", "island=Torgersen"\), which hold one 1 and 0s in the table's units: this model scales its rows itself, so pass rows as fromRecords gave them \(not scaler.transform\(...\)\), or records$/,
  );
  throwsArg(() => predict(model, scaledRows), "rows[0][0]", /one-hot columns of "island"/);
  throwsArg(() => predict(model, [[0, 0, 0, 40, 190]]), "rows[0][0]", /has 0 ones in the one-hot/);
  assert.deepEqual(raw.instance, table.x[1], "shown in the table's units");
  assert.deepEqual(raw.instance.slice(3), [39.1, 181]);
  assert.deepEqual(raw.values, scaled.values);
  assert.deepEqual([raw.baseValue, raw.output], [scaled.baseValue, scaled.output]);
  assert.deepEqual(raw.featureNames, table.featureNames, "names from the preprocessing");
  assert.deepEqual(raw.explained, scaled.explained, "class names from the preprocessing");
  throwsArg(
    () =>
      explain(deepNN({ features: 5, classes: 3 }), {
        instance: table.x[1],
        background: table.x,
        units: "raw",
      }),
    "units",
    /units: "raw" needs a model that carries its preprocessing/,
  );
  throwsArg(
    () => explain(model, { instance: [1, 2], background: table.x, units: "raw" }),
    "instance",
    /must be a record with the training columns, or 5 numbers in raw units/,
  );
  // Records in raw units: encoded as in training (one-hot, unscaled), the same explanation.
  const complete = RECORDS.filter((r) => r.bill !== null);
  const fromRecordsToo = explain(model, {
    instance: RECORDS[1],
    background: complete,
    units: "raw",
  });
  assert.deepEqual(fromRecordsToo.instance, table.x[1]);
  assert.deepEqual(fromRecordsToo.values, raw.values);
  assert.deepEqual([fromRecordsToo.baseValue, fromRecordsToo.output], [raw.baseValue, raw.output]);
  throwsArg(
    () =>
      explain(model, {
        instance: { ...RECORDS[1], island: "Mars" },
        background: complete,
        units: "raw",
      }),
    "instance",
    /^explain: instance\["island"\] is "Mars", a category the model was not trained on/,
  );
  throwsArg(
    () => explain(model, { instance: RECORDS[1], background: [RECORDS[5]], units: "raw" }),
    "background[0]",
    /background\[0\] has no value for "bill"/,
  );
  // A record where the model's own inputs are asked for says how to explain it.
  throwsArg(
    () => explain(model, { instance: RECORDS[1], background: table.x, units: "model" }),
    "instance",
    /instance is a record \(an object\), but explain takes the model's inputs here: pass units: "raw"/,
  );
  throwsArg(
    () =>
      explain(deepNN({ features: 5, classes: 3 }), { instance: RECORDS[1], background: table.x }),
    "instance",
    /turn records into rows with fromRecords\(records, \{ target \}\)/,
  );
  throwsArg(
    () => explain(model, { instance: table.x[1], background: table.x, units: "scaled" as never }),
    "units",
    /one of "model", "raw"/,
  );
});
