/**
 * Misspelt options (issue 12, item 7): every public function that takes options rejects a name
 * it does not know, with the function, the name and a "did you mean" hint; and every argument
 * error is thrown at the call, never inside a promise, even by the async functions.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
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
  f1,
  loadModel,
  modelDiagram,
  networkGeometry,
  perceptron,
  plotHistory,
  plotModel,
  precision,
  r2,
  randomData,
  recall,
  regressionScores,
  saveModel,
  show,
  tf,
  train,
  useBackend,
  visualizeNN,
  waterfallPlot,
  waterfallRows,
} from "../lib/mod.ts";
import { describeNetwork } from "../lib/describe/visualize_nn.ts";
import { renderNetworkSVG } from "../lib/plot/network_svg.ts";
import { formatShape } from "../lib/build/graph.ts";
import { layoutDot, modelDot } from "../lib/plot/model_graph.ts";
import { topContributions } from "../lib/plot/shap_rows.ts";
import { checkInt, checkOptions, closestName } from "../lib/core/errors.ts";
import { rng } from "../lib/core/random.ts";

const model = deepNN({ features: 3, seed: 1 });
model.compile({ optimizer: "adam", loss: "binaryCrossentropy", metrics: ["accuracy"] });
const x = [[0, 0.5, 1], [1, 0, 0.5], [0.5, 1, 0], [0.2, 0.2, 0.2]];
const y = [0, 1, 1, 0];
const e: ExplanationData = {
  values: [0.5, -0.25],
  baseValue: 0.1,
  output: 0.35,
  featureNames: ["a", "b"],
  instance: [1, 2],
  link: "identity",
};
const history = { loss: [0.7, 0.6], accuracy: [0.5, 0.6] };
const bad = <T>(o: T) => o as never;

/** [function, the call, the unknown name, the hint (or null), every option name]. */
const MISSPELT: [string, () => unknown, string, string | null, string][] = [
  ["perceptron", () => perceptron(bad({ input: 3 })), "input", "inputs", "inputs, activation"],
  ["deepNN", () => deepNN(bad({ features: 3, dropuot: 0.2 })), "dropuot", "dropout", "features"],
  ["randomData", () => randomData(bad({ row: 10 })), "row", "rows", "rows, features, task, seed"],
  [
    "visualizeNN",
    () => visualizeNN(model, bad({ max_neurons: 4 })),
    "max_neurons",
    "maxNeurons",
    "description",
  ],
  [
    "networkGeometry",
    () => networkGeometry(model, bad({ weight: true })),
    "weight",
    "weights",
    "description",
  ],
  [
    "plotModel",
    () => plotModel(model, bad({ show_shapes: false })),
    "show_shapes",
    "showShapes",
    "showShapes",
  ],
  [
    "modelDiagram",
    () => modelDiagram(model, bad({ rankDir: "LR" })),
    "rankDir",
    "rankdir",
    "showShapes",
  ],
  [
    "plotHistory",
    () => plotHistory(history, bad({ metric: ["accuracy"] })),
    "metric",
    "metrics",
    "metrics, width, height",
  ],
  [
    "explain",
    () => explain(model, bad({ instance: x[0], background: x, nsample: 20 })),
    "nsample",
    "nsamples",
    "instance, background, featureNames, link, method, nsamples, seed, summarize",
  ],
  [
    "explainerShap",
    () => explainerShap(model, bad({ instance: x[0], train: x, feature_names: ["a", "b", "c"] })),
    "feature_names",
    "featureNames",
    "featureNames, instance, train, task, top",
  ],
  [
    "explainerShapData",
    () => explainerShapData(model, bad({ instance: x[0], train: x, tpo: 2 })),
    "tpo",
    "top",
    "featureNames",
  ],
  [
    "evaluate",
    () => evaluate(model, x, y, bad({ treshold: 0.99 })),
    "treshold",
    "threshold",
    "task, threshold",
  ],
  [
    "evaluate",
    () => evaluate(model, x, y, bad({ colour: "red" })),
    "colour",
    null,
    "task, threshold",
  ],
  ["waterfallPlot", () => waterfallPlot(e, bad({ Top: 1 })), "Top", "top", "top"],
  ["waterfallRows", () => waterfallRows(e, bad({ tops: 1 })), "tops", "top", "top"],
  ["decisionPlot", () => decisionPlot(e, bad({ links: "logit" })), "links", "link", "top, link"],
  ["decisionRows", () => decisionRows(e, bad({ lnik: "logit" })), "lnik", "link", "top, link"],
  ["barPlot", () => barPlot(e, bad({ to: 1 })), "to", "top", "top"],
  ["barRows", () => barRows(e, bad({ top_: 1 })), "top_", "top", "top"],
  ["train", () => train(model, x, y, bad({ epoch: 5 })), "epoch", "epochs", "batchSize, epochs"],
  [
    "train",
    () => train(model, x, y, bad({ batch_size: 2 })),
    "batch_size",
    "batchSize",
    "batchSize",
  ],
];

for (const [fn, call, name, hint, names] of MISSPELT) {
  Deno.test(`misspelt option: ${fn} rejects "${name}" at the call`, () => {
    const tensors = tf.memory().numTensors;
    const weights = model.getWeights().map((w) => Array.from(w.dataSync()));
    assert.throws(call, (error: Error) => {
      assert.ok(error instanceof ArgumentError, `${error.name}: ${error.message}`);
      const quoted = JSON.stringify(name);
      assert.ok(
        error.message.startsWith(
          `${fn}: unknown option ${quoted}${
            hint ? ` (did you mean "${hint}"?)` : ""
          }; options are ${names}`,
        ),
        error.message,
      );
      return true;
    });
    assert.equal(tf.memory().numTensors, tensors, "no tensor left behind");
    assert.deepEqual(model.getWeights().map((w) => Array.from(w.dataSync())), weights);
  });
}

Deno.test("argument errors of async functions are thrown at the call, not in a promise", async () => {
  const dir = await Deno.makeTempDir();
  Deno.writeTextFileSync(join(dir, "file.txt"), "x");
  const calls: [string, () => unknown, RegExp][] = [
    [
      "train",
      () => train(model, x, y, { epochs: 0 }),
      /^train: epochs must be a positive integer, got 0$/,
    ],
    ["train", () => train(model, x, [0, 1], {}), /^train: /],
    [
      "plotModel",
      () => plotModel(model, { rankdir: "XY" as never }),
      /^plotModel: rankdir must be one of/,
    ],
    ["plotHistory", () => plotHistory(history, { width: 1 }), /^plotHistory: width must be/],
    [
      "saveModel",
      () => saveModel(model, join(dir, "file.txt")),
      /^saveModel: .*file\.txt is a file/,
    ],
    ["saveModel", () => saveModel(model, dir), /^saveModel: .* holds files that are not a model/],
    ["loadModel", () => loadModel(""), /^loadModel: dir must be a folder path/],
    ["useBackend", () => useBackend("webgl" as never), /^useBackend: name must be "cpu" or "wasm"/],
  ];
  for (const [fn, call, message] of calls) {
    let returned: unknown = "nothing";
    assert.throws(
      () => {
        returned = call();
      },
      (error: Error) => error instanceof ArgumentError && message.test(error.message),
      `${fn} did not throw at the call (it returned ${returned})`,
    );
  }
});

Deno.test("closestName: case, _ and - are ignored; a few slips are forgiven; far names get none", () => {
  const names = ["batchSize", "epochs", "validationSplit", "threshold", "top", "link"];
  assert.equal(closestName("batch_size", names), "batchSize");
  assert.equal(closestName("BATCH-SIZE", names), "batchSize");
  assert.equal(closestName("epoch", names), "epochs");
  assert.equal(closestName("treshold", names), "threshold");
  assert.equal(closestName("thresohld", names), "threshold"); // a swap is one slip
  assert.equal(closestName("validation_splt", names), "validationSplit");
  assert.equal(closestName("lnik", names), "link");
  assert.equal(closestName("learningRate", names), undefined);
  assert.equal(closestName("x", names), undefined);
  assert.equal(closestName("a".repeat(10_000), names), undefined);
});

Deno.test("checkOptions: names are checked only when given; none known says so", () => {
  assert.deepEqual(checkOptions("f", { anything: 1 }), { anything: 1 });
  assert.deepEqual(checkOptions("f", undefined, { a: true }), {});
  assert.throws(
    () => checkOptions("f", { b: 1 } as never, []),
    /^ArgumentError: f: unknown option "b"; it takes no options$/,
  );
  assert.throws(
    () => checkOptions("f", [] as never, ["a"]),
    /^ArgumentError: f: options must be an object, got an array of length 0$/,
  );
});

Deno.test("checkInt: integers past 2^53 - 1 are refused, with why", () => {
  assert.equal(checkInt("train", "epochs", 2 ** 53 - 1), 2 ** 53 - 1);
  assert.throws(
    () => checkInt("train", "epochs", 1e308),
    /^ArgumentError: train: epochs must be a positive integer up to 2\^53 - 1 \(Number\.MAX_SAFE_INTEGER\), got 1e\+308$/,
  );
  assert.throws(
    () => checkInt("f", "n", 2 ** 60, 0, 10),
    /^ArgumentError: f: n must be an integer from 0 to 10, got 1152921504606847000$/,
  );
});

Deno.test("rng: NaN, {}, strings, fractions and negatives are refused (they used to share one stream)", () => {
  for (const seed of [NaN, {}, "x", 1.5, -1, 2 ** 32, Infinity]) {
    assert.throws(
      () => rng(seed as never),
      (e: Error) =>
        e instanceof ArgumentError &&
        /^rng: seed must be an integer from 0 to 4294967295, got /.test(e.message),
      String(seed),
    );
  }
  assert.equal(rng(0).next(), rng(0).next());
  assert.equal(rng(2 ** 32 - 1).next(), rng(2 ** 32 - 1).next());
  assert.notEqual(rng(1).next(), rng(2).next());
});

Deno.test("a disposed model is refused by name, not with tfjs's 'already disposed'", async () => {
  const gone = deepNN({ features: 3, seed: 1 });
  gone.compile({ optimizer: "adam", loss: "binaryCrossentropy" });
  gone.dispose();
  const message = (fn: string) =>
    `${fn}: model "DeepNN" is disposed (its layer "h1" was freed by dispose() or ` +
    "tf.disposeVariables()); build or load the model again";
  const dir = join(await Deno.makeTempDir(), "m");
  const calls: [string, () => unknown][] = [
    ["saveModel", () => saveModel(gone, dir)],
    ["evaluate", () => evaluate(gone, x, y)],
    ["explain", () => explain(gone, { instance: x[0], background: x })],
    ["visualizeNN", () => visualizeNN(gone, { weights: true })],
    ["plotModel", () => plotModel(gone)],
    ["train", () => train(gone, x, y, { epochs: 1, live: false })],
  ];
  for (const [fn, call] of calls) {
    assert.throws(call, (e: Error) => e instanceof ArgumentError && e.message === message(fn), fn);
  }
  // One weight freed on its own (tf.dispose of model.weights[0].read() does this).
  const half = deepNN({ features: 3, seed: 2 });
  half.weights[0].dispose();
  assert.throws(
    () => evaluate(half, x, y),
    /^ArgumentError: evaluate: model "DeepNN" is disposed \(its weight "h1\/kernel(_\d+)?" was freed/,
  );
  for (const w of half.weights.slice(1)) w.dispose();
});

Deno.test("file system errors name the function and the path (no raw 'os error')", async () => {
  const file = join(await Deno.makeTempDir(), "file.txt");
  Deno.writeTextFileSync(file, "x");
  const figure = await plotModel(model);
  assert.throws(
    () => figure.save(join(file, "fig.svg")),
    (e: Error) =>
      e.message.startsWith(`Figure.save: cannot write ${file}/fig.svg: Not a directory`),
  );
  const chart = await plotHistory(history);
  assert.throws(
    () => chart.save(join(file, "fig.json")),
    (e: Error) =>
      e.message.startsWith(`VegaLiteFigure.save: cannot write ${file}/fig.json: Not a directory`),
  );
  assert.throws(
    () => saveModel(model, join(file, "m")),
    (e: Error) => e.message.startsWith(`saveModel: cannot read ${file}/m: Not a directory`),
  );
});

// ---------------------------------------------------------------- properties (fast-check)

/** Each public function with options, called with `options` and otherwise good arguments. */
const WITH_OPTIONS: [string, (o: object) => unknown][] = [
  ["perceptron", (o) => perceptron(o)],
  ["deepNN", (o) => deepNN({ features: 3, ...o })],
  ["randomData", (o) => randomData(o)],
  ["visualizeNN", (o) => visualizeNN(model, o)],
  ["plotModel", (o) => plotModel(model, o)],
  ["plotHistory", (o) => plotHistory(history, o)],
  ["explain", (o) => explain(model, { instance: x[0], background: x, ...o })],
  ["explainerShap", (o) => explainerShap(model, { instance: x[0], train: x, ...o })],
  ["evaluate", (o) => evaluate(model, x, y, o)],
  ["waterfallPlot", (o) => waterfallPlot(e, o)],
  ["decisionPlot", (o) => decisionPlot(e, o)],
  ["barPlot", (o) => barPlot(e, o)],
  ["train", (o) => train(model, x, y, o)],
];
const KNOWN = new Set([
  ...["inputs", "activation", "name", "style", "initializer", "seed", "features", "task"],
  ...["dropout", "rows", "description", "weights", "maxNeurons", "width", "height", "title"],
  ...["showShapes", "showLayerNames", "showDtype", "showLayerActivations", "showTrainable"],
  ...["rankdir", "metrics", "instance", "background", "featureNames", "link", "method"],
  ...["nsamples", "summarize", "train", "top", "threshold", "batchSize", "epochs", "shuffle"],
  ...["validationSplit", "live", "verbose", "engine"],
]);

Deno.test("property: any unknown option name is refused at the call by every function", () => {
  const tensors = tf.memory().numTensors;
  fc.assert(
    fc.property(
      fc.string({ minLength: 1, maxLength: 30 }).filter((k) => !KNOWN.has(k)),
      fc.constantFrom(...WITH_OPTIONS),
      (key, [fn, call]) => {
        const options = Object.defineProperty({}, key, { value: 1, enumerable: true });
        assert.throws(
          () => call(options),
          (error: Error) =>
            error instanceof ArgumentError &&
            error.message.startsWith(`${fn}: unknown option ${JSON.stringify(key).slice(0, 40)}`),
        );
      },
    ),
    { seed: 12, numRuns: 300 },
  );
  assert.equal(tf.memory().numTensors, tensors);
});

Deno.test("property: rng takes exactly the integers 0 to 2^32 - 1", () => {
  fc.assert(
    fc.property(
      fc.oneof(
        fc.double().filter((d) => !(Number.isInteger(d) && d >= 0 && d < 2 ** 32)),
        fc.string(),
        fc.object(),
        fc.boolean(),
        fc.constant(null),
        fc.bigInt(),
      ),
      (seed) => {
        assert.throws(
          () => rng(seed as never),
          /rng: seed must be an integer from 0 to 4294967295/,
        );
      },
    ),
    { seed: 13, numRuns: 300 },
  );
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), (seed) => {
      assert.equal(rng(seed).next(), rng(seed).next());
    }),
    { seed: 14, numRuns: 100 },
  );
});

Deno.test("exported helpers refuse garbage by name (no 'x.map is not a function')", () => {
  const cases: [string, () => unknown, string][] = [
    ["classificationScores", () => classificationScores(undefined as never, [0.1]), "yTrue"],
    ["regressionScores", () => regressionScores([1, 2], null as never), "yPred"],
    ["topContributions", () => topContributions({ values: 5 } as never, 3), "explanation.values"],
    ["formatShape", () => formatShape("x" as never), "shape"],
    ["layoutDot", () => layoutDot(42 as never), "dot"],
    ["modelDot", () => modelDot({} as never), "diagram"],
    ["renderNetworkSVG", () => renderNetworkSVG(null as never), "geometry"],
    ["describeNetwork", () => describeNetwork({ columns: [] } as never), "geometry"],
    ["show", () => show(undefined as never), "value"],
    ["show", () => show("text" as never), "value"],
    ["f1", () => f1(null as never, null as never), "yTrue"],
    ["r2", () => r2(tf.tensor1d([1]), undefined as never), "yPred"],
    ["precision", () => precision("x" as never, tf.tensor1d([1])), "yTrue"],
    ["recall", () => recall([1, 0] as never, [1, 0] as never), "yTrue"],
  ];
  for (const [fn, call, argument] of cases) {
    assert.throws(
      call,
      (e: Error) =>
        e instanceof ArgumentError && e.fn === fn && e.argument === argument &&
        e.message.startsWith(`${fn}: ${argument} must be `),
      fn,
    );
  }
  assert.equal(formatShape(undefined), "?");
  assert.equal(formatShape([null, 3]), "(None, 3)");
});
