/**
 * String() of every value the lib returns reads as text in a script (issue 19, item 4), not
 * `[object Object]`; the plain-data values stay plain data (their keys and JSON unchanged).
 */
import assert from "node:assert/strict";
import * as lib from "../lib/mod.ts";

Deno.test("String() of every value the lib returns reads as text", async () => {
  const model = lib.deepNN({ features: 3, hidden: [4], seed: 1 });
  model.compile({ optimizer: "adam", loss: "binaryCrossentropy", metrics: ["accuracy"] });
  const data = lib.randomData({ rows: 20, features: 3, seed: 1 });
  const history = await lib.train(model, data.x, data.y, { epochs: 2, verbose: 0, seed: 1 });
  const e = lib.explain(model, { instance: data.x[0], background: data.x });
  const k3 = lib.deepNN({ features: 3, classes: 3, hidden: [4], seed: 1 });
  const table = lib.fromRecords(
    Array.from({ length: 6 }, (_, i) => ({ a: i, b: i % 3 ? "x" : "y", t: i % 2 ? "p" : "q" })),
    { target: "t", categorical: ["b"] },
  );
  const saved = async (m: typeof model) => {
    const dir = await Deno.makeTempDir({ prefix: "dlnb-text-" });
    await lib.saveModel(m, dir);
    const loaded = await lib.loadModel(dir);
    await Deno.remove(dir, { recursive: true });
    return loaded;
  };
  const values: Record<string, [unknown, RegExp]> = {
    deepNN: [
      model,
      /^Model "DeepNN" \(Sequential\): 3 features -> h1 \(4 relu\) -> drop1 \(0\.2\) -> output \(1 sigmoid\); 21 parameters\. summary\(model\) shows its table$/,
    ],
    "deepNN (functional)": [
      lib.deepNN({ features: 2, hidden: [3], style: "functional", dropout: 0 }),
      /^Model "DeepNN" \(Functional\): 2 features -> h1 \(3 relu\) -> drop1 \(0\) -> output/,
    ],
    "deepNN (the rule's note)": [
      lib.deepNN({ features: 2, classes: 3 }),
      /; 15 parameters\. summary\(model\) shows its table\nNote: the article's neuron rule gives 2 features/,
    ],
    perceptron: [
      lib.perceptron(),
      /^Model "Perceptron" \(Sequential\): 3 features -> dense \(1 linear\); 4 parameters/,
    ],
    modelGraph: [
      lib.modelGraph(model),
      /^Layer graph of "DeepNN" \(Sequential, 4 layers\):\n {2}input \(InputLayer\) \(None, 3\), 0 params\n {2}h1 \(Dense\) \(None, 4\), 16 params <- input\n/,
    ],
    layerTable: [lib.layerTable(model), /^name +class +inputs/],
    summary: [lib.summary(model), /^Model: "DeepNN"\n/],
    summaryData: [
      lib.summaryData(model),
      /^Model: "DeepNN"\n[^]* Trainable params: 21 \(84\.00 B\)/,
    ],
    networkGeometry: [lib.networkGeometry(model), /^Neural network diagram of "DeepNN"/],
    visualizeNN: [lib.visualizeNN(model), /^Neural network diagram of "DeepNN"/],
    modelDiagram: [lib.modelDiagram(model), /^Layer graph of "DeepNN": 4 layers/],
    plotModel: [await lib.plotModel(model), /^Layer graph of "DeepNN": 4 layers/],
    randomData: [data, /^RandomData: 20 rows x 3 features \(x1, x2, x3\), labels 0\/1, seed 1$/],
    train: [history, /^History: 2 epochs on 14 rows \(6 validation\)/],
    evaluate: [lib.evaluate(model, data.x, data.y), /^Evaluation: classification, 20 rows/],
    classificationScores: [
      lib.classificationScores([0, 1], [0.2, 0.7]),
      /^Evaluation: classification, 2 rows, predicted 1 when score > 0\.5\n\nmetric +value\naccuracy +1\.0000/,
    ],
    regressionScores: [
      lib.regressionScores([1, 2, 3], [1, 2, 2]),
      /^Evaluation: regression, 3 rows\n\nmetric +value\nMAE +0\.3333/,
    ],
    multiclassScores: [
      lib.multiclassScores([0, 1, 2], [0, 1, 1], ["a", "b", "c"]),
      /^Evaluation: 3 classes, 3 rows/,
    ],
    explain: [
      e,
      /^Explanation: exact Shapley values of 3 features\nf\(x\) = [\d.]+, E\[f\(X\)\] = [\d.]+ over 20 background rows, identity link\n {2}x\d = [\d.]+: [+-][\d.e-]+\n/,
    ],
    "explain (a class)": [
      lib.explain(k3, { instance: data.x[0], background: data.x, classNames: ["a", "b", "c"] }),
      /^Explanation: exact Shapley values of 3 features, explaining output "[abc]" of 3\n/,
    ],
    explainerShap: [
      lib.explainerShap(model, { instance: data.x[0], train: data.x }),
      /^Decision plot/,
    ],
    explainerShapData: [
      lib.explainerShapData(model, { instance: data.x[0], train: data.x }),
      /^Explanation: exact Shapley values of 3 features\n[^]*\nDecision plot/,
    ],
    waterfallPlot: [lib.waterfallPlot(e), /^Waterfall plot/],
    decisionPlot: [lib.decisionPlot(e), /^Decision plot/],
    barPlot: [lib.barPlot(e), /^Bar plot/],
    plotHistory: [await lib.plotHistory(history), /^Training history, 2 epochs/],
    standardize: [
      lib.standardize([[1, 10], [3, 10]]),
      /^Scaler of 2 columns: mean \[2, 10\], std \[1, 1\]$/,
    ],
    fromRecords: [
      table,
      /^Table: 6 rows x 3 features \(a, b=x, b=y\); target "t" \(classification, 2 classes: p, q\)$/,
    ],
    attachPreprocessing: [
      lib.attachPreprocessing(lib.deepNN({ features: 3, hidden: [2] }), {
        table,
        scaler: lib.standardize(table.x),
      }),
      /^Preprocessing: "t" as classes "p", "q"\n {2}3 model inputs from 2 columns: "a", "b" one-hot \("x", "y"\)\n {2}standardized with the training rows' mean and std; predict refuses a row missing a value$/,
    ],
    trainTestSplit: [
      lib.trainTestSplit(table, { testSize: 0.5, seed: 1 }),
      /^Split: train 3 rows, test 3 rows$/,
    ],
    loadModel: [
      await saved(model),
      /^Model "DeepNN" \(Sequential\): 3 features -> h1 \(4 relu\) -> drop1 \(0\.2\) -> output \(1 sigmoid\); 21 parameters/,
    ],
    rng: [lib.rng(7), /^Rng: seeded random numbers \(mulberry32\), seed 7$/],
    packageFile: [lib.packageFile("vega-datasets", "data/cars.json"), /^file:\/\/.*cars\.json$/],
  };
  for (const [name, [value, text]] of Object.entries(values)) {
    const s = String(value);
    assert.doesNotMatch(s, /\[object /, name);
    assert.match(s, text, name);
  }
});

Deno.test("the text is not data: keys, JSON and comparisons of plain values are unchanged", () => {
  const e = lib.explain(lib.perceptron({ inputs: 2, initializer: "ones" }), {
    instance: [1, 2],
    background: [[0, 0]],
    featureNames: ["a", "b"],
  });
  assert.ok(!Object.keys(e).includes("toString"));
  assert.deepEqual(JSON.parse(JSON.stringify(e)).values, [1, 2]);
  assert.deepEqual(lib.regressionScores([1, 2], [1, 2]), {
    task: "regression",
    rows: 2,
    mae: 0,
    mse: 0,
    rmse: 0,
    r2: 1,
  });
  const data = lib.randomData({ rows: 2, features: 1, seed: 3 });
  assert.deepEqual(Object.keys(data), ["x", "y", "featureNames", "task"]);
  assert.deepEqual(Object.keys(lib.standardize([[1], [2]])), ["mean", "std", "transform"]);
});
