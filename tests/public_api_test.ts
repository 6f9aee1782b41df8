/**
 * Every public function refuses wrong types with the lib's ArgumentError (issue 20, item 6):
 * the test enumerates lib/mod.ts's runtime exports, and calls each with valid arguments
 * except one, which takes each of a list of wrong values (null, a number, NaN, a string, an
 * object, an array of strings, a symbol, ...). A TypeError, RangeError or any other error
 * from deep inside is a failure, and so is a wrong value accepted. A new export without a row
 * here fails the test, so nothing escapes it.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import * as lib from "../lib/mod.ts";
import { ArgumentError, tf } from "../lib/mod.ts";

const WRONG: [string, unknown][] = [
  ["null", null],
  ["undefined", undefined],
  ["42", 42],
  ["-1", -1],
  ["NaN", NaN],
  ["Infinity", Infinity],
  ['"x"', "x"],
  ["{}", {}],
  ['["a", "b"]', ["a", "b"]],
  ["[NaN]", [NaN]],
  ["[[1, 2], [3]]", [[1, 2], [3]]],
  ["true", true],
  ["a function", () => 1],
  ["a symbol", Symbol("s")],
];

const model = lib.deepNN({ features: 3, hidden: [4], seed: 1 });
model.compile({ optimizer: "adam", loss: "binaryCrossentropy", metrics: ["accuracy"] });
const x = [[0, 0.5, 1], [1, 0, 0.5], [0.5, 1, 0], [0.2, 0.2, 0.2]];
const y = [0, 1, 1, 0];
const explanation = lib.explain(model, { instance: x[0], background: x });
const svg = '<svg xmlns="http://www.w3.org/2000/svg"/>';
const params = {
  epochs: 1,
  batchSize: 30,
  steps: 1,
  trainRows: 3,
  valRows: 1,
  validationSplit: 0.3,
  shuffle: true,
  seed: 1,
};
const historyData = {
  history: { loss: [0.7] },
  epoch: [0],
  params,
  engine: "fused",
  timeMs: 1,
};
const records = [{ a: 1, t: "p" }, { a: 2, t: "q" }, { a: 3, t: "p" }, { a: 4, t: "q" }];
const table = lib.fromRecords(records, { target: "t" });
const tensor = () => tf.tensor1d([-1, 0, 2]);
const temp = Deno.makeTempDirSync({ prefix: "dlnb-api-" });
const saveDir = join(temp, "model");
const csvPath = join(temp, "in.csv");
Deno.writeTextFileSync(csvPath, "a,b\n1,2\n");
const jsonPath = join(temp, "in.json");
Deno.writeTextFileSync(jsonPath, '[{"a": 1}]');

/**
 * One row per runtime export: valid arguments (a function, so tensors are fresh), and per
 * position the wrong values that are in fact fine there (an optional argument left out, an
 * empty options bag, a number that is a valid seed, ...). `skip` lists positions not probed,
 * with the reason.
 */
interface Row {
  args?: () => unknown[];
  ok?: Record<number, string[]>;
  skip?: Record<number, string>;
  construct?: boolean;
}
const OPTIONAL = ["undefined", "{}"];
const TABLE: Record<string, Row | string> = {
  tf: "the TensorFlow.js namespace, not the lib's",
  ArgumentError: "the error class itself: any message is fine",
  inKernel: "takes no arguments",
  ACTIVATIONS: "a constant",
  backendChoice: "a constant",
  // Any text is a description, a table's text or a display id's prefix.
  Figure: { construct: true, args: () => [svg, "d"], ok: { 1: ['"x"'] } },
  TextTable: {
    construct: true,
    args: () => ["t", "<table></table>"],
    ok: { 0: ['"x"'], 1: ['"x"'] },
  },
  VegaLiteFigure: {
    construct: true,
    args: () => [{ mark: "point" }, svg, "d"],
    ok: { 0: ["{}"], 2: ['"x"'] }, // vega-lite checks the spec's content when it renders
  },
  LiveOutput: { construct: true, args: () => ["dlnb"], ok: { 0: ["undefined", '"x"'] } },
  LayerTable: { construct: true, args: () => [...lib.layerTable(model)] },
  Evaluation: { construct: true, args: () => [lib.regressionScores([1, 2], [1, 3])] },
  TrainingHistory: { construct: true, args: () => [historyData] },
  // Each call below replaces the only argument with a wrong value: nothing is shown and the
  // backend never switches.
  show: { args: () => [new lib.Figure(svg, "d")] },
  useBackend: { args: () => ["cpu"] },
  rng: { args: () => [1], ok: { 0: ["undefined", "42"] } },
  perceptron: { args: () => [{}], ok: { 0: OPTIONAL } },
  deepNN: { args: () => [{ features: 3 }] },
  hiddenUnits: { args: () => [10], ok: { 0: ["42"] } },
  binaryStep: { args: () => [tensor()] },
  modelGraph: { args: () => [model], skip: { 1: "the internal name errors carry" } },
  layerTable: { args: () => [model] },
  randomData: { args: () => [{ rows: 10 }], ok: { 0: OPTIONAL } },
  readCSV: { args: () => [csvPath, {}], ok: { 0: ['"x"'], 1: OPTIONAL } },
  readJSON: { args: () => [jsonPath, {}], ok: { 0: ['"x"'], 1: OPTIONAL } },
  packageFile: { args: () => ["vega-datasets", "data/cars.json"], ok: { 1: ['"x"'] } },
  fromRecords: { args: () => [records, { target: "t" }] },
  trainTestSplit: { args: () => [table, { testSize: 0.5, seed: 1 }], ok: { 1: OPTIONAL } },
  standardize: { args: () => [x] },
  summary: { args: () => [model] },
  summaryData: { args: () => [model] },
  visualizeNN: { args: () => [model, {}], ok: { 1: OPTIONAL } },
  networkGeometry: { args: () => [model, {}], ok: { 1: OPTIONAL } },
  plotModel: { args: () => [model, {}], ok: { 1: OPTIONAL } },
  modelDiagram: { args: () => [model, {}], ok: { 1: OPTIONAL } },
  train: {
    args: () => [model, x, y, { epochs: 1, verbose: 0 }],
    ok: { 3: OPTIONAL }, // the article's defaults: 100 epochs
  },
  precision: { args: () => [tensor(), tensor()] },
  recall: { args: () => [tensor(), tensor()] },
  f1: { args: () => [tensor(), tensor()] },
  r2: { args: () => [tensor(), tensor()] },
  evaluate: { args: () => [model, x, y, {}], ok: { 3: OPTIONAL } },
  classificationScores: { args: () => [y, [0.1, 0.9, 0.8, 0.2], 0.5], ok: { 2: ["undefined"] } },
  regressionScores: { args: () => [[1, 2, 3], [1, 2, 2]] },
  multiclassScores: { args: () => [[0, 1, 2], [0, 1, 1], ["a", "b", "c"]] },
  explain: { args: () => [model, { instance: x[0], background: x }] },
  explainerShap: { args: () => [model, { instance: x[0], train: x }] },
  explainerShapData: { args: () => [model, { instance: x[0], train: x }] },
  plotHistory: { args: () => [historyData, {}], ok: { 1: OPTIONAL } },
  waterfallPlot: { args: () => [explanation, {}], ok: { 1: OPTIONAL } },
  waterfallRows: { args: () => [explanation, {}], ok: { 1: OPTIONAL } },
  decisionPlot: { args: () => [explanation, {}], ok: { 1: OPTIONAL } },
  decisionRows: { args: () => [explanation, {}], ok: { 1: OPTIONAL } },
  barPlot: { args: () => [explanation, {}], ok: { 1: OPTIONAL } },
  barRows: { args: () => [explanation, {}], ok: { 1: OPTIONAL } },
  // A text path is found missing (or written!) only when used: those calls are not made.
  saveModel: { args: () => [model, saveDir], ok: { 1: ['"x"'] } },
  loadModel: { args: () => [saveDir, {}], ok: { 0: ['"x"'], 1: OPTIONAL } },
  scalerFrom: { args: () => [{ mean: [0, 1], std: [1, 2] }] },
  attachPreprocessing: {
    args: () => [lib.deepNN({ features: 1, hidden: [2], classes: 2, seed: 1 }), { table }],
  },
  modelPreprocessing: { args: () => [model] },
  lastHistory: { args: () => [model] },
  Interrupted: { construct: true, args: () => [new lib.TrainingHistory(historyData)] },
  predict: { args: () => [model, x, {}], ok: { 2: OPTIONAL } },
  Predictions: {
    construct: true,
    args: () => [{
      task: "regression",
      target: null,
      classNames: null,
      probabilities: null,
      classes: null,
      classIndices: null,
      values: [1],
      outputs: [[1]],
    }],
  },
};

Deno.test("public API: every runtime export of lib/mod.ts has a row", () => {
  const exported = Object.keys(lib).sort();
  assert.deepEqual(exported, Object.keys(TABLE).sort());
});

for (const [name, row] of Object.entries(TABLE)) {
  if (typeof row === "string") continue;
  const fn = (lib as Record<string, unknown>)[name] as (...args: unknown[]) => unknown;
  Deno.test(`public API: ${name} refuses wrong types with ArgumentError`, async () => {
    const valid = row.args!();
    const arity = Math.max(valid.length, fn.length);
    const problems: string[] = [];
    for (let pos = 0; pos < arity; pos++) {
      if (row.skip?.[pos] !== undefined) continue;
      for (const [label, wrong] of WRONG) {
        if (row.ok?.[pos]?.includes(label)) continue;
        const args = row.args!();
        args[pos] = wrong;
        const before = tf.memory().numTensors;
        let outcome = "accepted";
        try {
          const result = row.construct ? Reflect.construct(fn, args) : fn(...args);
          if (result instanceof Promise) {
            outcome = await result.then(() => "accepted", (e: Error) => `rejected ${e.name}`);
          } else if (result instanceof tf.Tensor) result.dispose();
        } catch (e) {
          outcome = e instanceof ArgumentError
            ? "ok"
            : `${(e as Error).name}: ${(e as Error).message}`;
        }
        for (const a of args) if (a instanceof tf.Tensor) a.dispose();
        if (outcome !== "ok") problems.push(`${name} argument ${pos} = ${label}: ${outcome}`);
        else if (tf.memory().numTensors > before) {
          problems.push(`${name} argument ${pos} = ${label}: left a tensor behind`);
        }
      }
    }
    assert.deepEqual(problems, []);
  });
}

Deno.test("public API: numeric options have ranges (evaluate's threshold in [0, 1])", () => {
  for (const threshold of [7, -0.1, 1.5]) {
    assert.throws(
      () => lib.evaluate(model, x, y, { threshold }),
      (e: Error) =>
        e instanceof ArgumentError &&
        e.message === `evaluate: threshold must be a number in [0, 1], got ${threshold}`,
    );
    assert.throws(
      () => lib.classificationScores(y, [0.1, 0.9, 0.8, 0.2], threshold),
      /classificationScores: threshold must be a number in \[0, 1\]/,
    );
  }
  assert.equal(lib.evaluate(model, x, y, { threshold: 1 }).scores.task, "classification");
});

Deno.test("public API: nothing was written, and the temp folder goes", () => {
  assert.deepEqual([...Deno.readDirSync(temp)].map((e) => e.name).sort(), ["in.csv", "in.json"]);
  Deno.removeSync(temp, { recursive: true });
});
