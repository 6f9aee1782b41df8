/**
 * No leaks under repetition (issue 8, item 3): each public function that touches tensors,
 * called 50 times after a warm-up call, leaves tfjs's tensor count and bytes where they were,
 * and the JavaScript heap (measured after a full garbage collection) stays flat.
 */
import assert from "node:assert/strict";
import v8 from "node:v8";
import vm from "node:vm";
import { join } from "node:path";
import {
  binaryStep,
  deepNN,
  evaluate,
  explain,
  explainerShap,
  f1,
  layerTable,
  loadModel,
  modelGraph,
  networkGeometry,
  perceptron,
  plotHistory,
  plotModel,
  precision,
  r2,
  randomData,
  recall,
  saveModel,
  summary,
  tf,
  train,
  type TrainEngine,
  visualizeNN,
} from "../lib/mod.ts";
import { tfjsEngine } from "../lib/train/tfjs/engine.ts";
import { fusedEngine } from "../lib/train/fused/engine.ts";

// A full collection before each heap reading, so the numbers are live objects only.
v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc") as () => void;

const CALLS = 50;
const WARM_UP = 5;
/** Most the heap may grow over 50 calls (after GC): a leak of 40 KB per call would show. */
const HEAP_BOUND = 2 * 1024 * 1024;
/**
 * Most the resident size may grow over 50 calls. Generous: RSS is the whole process (other
 * test files share it under --parallel) and allocators keep freed pages.
 */
const RSS_BOUND = 96 * 1024 * 1024;

interface Usage {
  tensors: number;
  bytes: number;
  heap: number;
  rss: number;
}

function usage(): Usage {
  gc();
  const m = tf.memory();
  const { heapUsed, rss } = Deno.memoryUsage();
  return { tensors: m.numTensors, bytes: m.numBytes, heap: heapUsed, rss };
}

/** Calls `body` a few times to warm up, then 50 times, and checks nothing accumulated. */
async function assertNoLeak(name: string, body: () => unknown): Promise<void> {
  // Caches, compiled kernels, lazy imports and the JIT settle in the first calls.
  for (let i = 0; i < WARM_UP; i++) await body();
  const before = usage();
  for (let i = 0; i < CALLS / 2; i++) await body();
  const middle = usage();
  for (let i = CALLS / 2; i < CALLS; i++) await body();
  const after = usage();
  assert.equal(
    after.tensors,
    before.tensors,
    `${name}: tensors ${before.tensors} -> ${after.tensors}`,
  );
  assert.equal(
    after.bytes,
    before.bytes,
    `${name}: tensor bytes ${before.bytes} -> ${after.bytes}`,
  );
  const heap = after.heap - before.heap;
  assert.ok(
    heap < HEAP_BOUND,
    `${name}: heap grew ${(heap / 1024).toFixed(0)} KB in ${CALLS} calls`,
  );
  // RSS is the whole process's, and `deno test --parallel` runs other test files in it: a
  // leak grows in both halves of the calls, another file's burst in one only.
  const rss = [middle.rss - before.rss, after.rss - middle.rss];
  assert.ok(
    rss.some((grew) => grew < RSS_BOUND / 2),
    `${name}: RSS grew ${rss.map((r) => (r / 2 ** 20).toFixed(1)).join(" MB, then ")} MB ` +
      `in two runs of ${CALLS / 2} calls`,
  );
}

// ---------------------------------------------------------------- fixtures

const data = randomData({ rows: 12, features: 4, seed: 1 });
const regression = randomData({ rows: 12, features: 4, seed: 2, task: "regression" });
const classifier = deepNN({ features: 4, seed: 1 });
classifier.compile({ optimizer: "adam", loss: "binaryCrossentropy", metrics: ["accuracy", f1] });
const regressor = deepNN({ features: 4, seed: 2, task: "regression" });
regressor.compile({ optimizer: "adam", loss: "meanSquaredError", metrics: [r2] });
const wide = tf.sequential({
  layers: [
    tf.layers.dense({ units: 40, inputShape: [30], activation: "relu" }),
    tf.layers.dense({ units: 1, activation: "sigmoid" }),
  ],
});
const history = {
  loss: [0.7, 0.6, 0.55],
  accuracy: [0.5, 0.6, 0.65],
  val_loss: [0.8, 0.7, 0.65],
  val_accuracy: [0.45, 0.55, 0.6],
};

// ---------------------------------------------------------------- builders and descriptions

Deno.test("no leak: perceptron and deepNN built and disposed", async () => {
  await assertNoLeak("perceptron", () => perceptron({ seed: 1 }).dispose());
  await assertNoLeak("deepNN", () => deepNN({ features: 10, seed: 1 }).dispose());
  await assertNoLeak(
    "deepNN functional",
    () => deepNN({ features: 10, seed: 1, style: "functional" }).dispose(),
  );
});

Deno.test("no leak: binaryStep", async () => {
  const x = tf.tensor1d([-1, 0, 2]);
  await assertNoLeak("binaryStep", () => binaryStep(x).dispose());
  x.dispose();
});

Deno.test("no leak: modelGraph, layerTable, summary", async () => {
  await assertNoLeak("modelGraph", () => modelGraph(classifier));
  await assertNoLeak("layerTable", () => layerTable(classifier));
  await assertNoLeak("summary", () => String(summary(classifier)));
});

Deno.test("no leak: visualizeNN and networkGeometry", async () => {
  await assertNoLeak(
    "visualizeNN",
    () => visualizeNN(classifier, { description: true, weights: true }).toSVG(),
  );
  await assertNoLeak("networkGeometry", () => networkGeometry(wide, { weights: true }));
});

Deno.test("no leak: plotModel", async () => {
  await assertNoLeak("plotModel", async () => (await plotModel(classifier)).toSVG());
});

// ---------------------------------------------------------------- explanations

Deno.test("no leak: explain (exact and Kernel SHAP, arrays and tensors)", async () => {
  const instance = data.x[0];
  const background = data.x.slice(1);
  await assertNoLeak("explain exact", () => explain(classifier, { instance, background }));
  await assertNoLeak(
    "explain kernel",
    () => explain(classifier, { instance, background, method: "kernel", nsamples: 20 }),
  );
  const x = tf.tensor1d(instance);
  const bg = tf.tensor2d(background);
  await assertNoLeak("explain tensors", () => explain(classifier, { instance: x, background: bg }));
  tf.dispose([x, bg]);
  const wideRows = randomData({ rows: 150, features: 30, seed: 3 }).x;
  await assertNoLeak(
    "explain 30 features, summarized background",
    () =>
      explain(wide, {
        instance: wideRows[0],
        background: wideRows,
        summarize: "kmeans",
        nsamples: 200,
      }),
  );
});

Deno.test("no leak: explainerShap", async () => {
  const options = { instance: data.x[0], train: data.x, featureNames: data.featureNames };
  await assertNoLeak("explainerShap", () => explainerShap(classifier, options).toSVG());
  await assertNoLeak(
    "explainerShap regression",
    () => explainerShap(regressor, { ...options, task: "regression" }).toSVG(),
  );
});

// ---------------------------------------------------------------- metrics, evaluation, training

Deno.test("no leak: precision, recall, f1, r2", async () => {
  const yTrue = tf.tensor1d([1, 0, 1, 1, 0]);
  const yPred = tf.tensor1d([0.9, 0.2, 0.4, 0.7, 0.6]);
  for (
    const [name, metric] of [["precision", precision], ["recall", recall], ["f1", f1], [
      "r2",
      r2,
    ]] as const
  ) {
    await assertNoLeak(name, () => metric(yTrue, yPred).dispose());
  }
  tf.dispose([yTrue, yPred]);
});

Deno.test("no leak: evaluate", async () => {
  await assertNoLeak("evaluate classification", () => evaluate(classifier, data.x, data.y));
  await assertNoLeak("evaluate regression", () => evaluate(regressor, regression.x, regression.y));
  const x = tf.tensor2d(data.x);
  const y = tf.tensor1d(data.y);
  await assertNoLeak("evaluate tensors", () => evaluate(classifier, x, y));
  tf.dispose([x, y]);
});

/** The engines train() can run on: tfjs and the fused engine. */
const engines: TrainEngine[] = [tfjsEngine, fusedEngine];

for (const engine of engines) {
  Deno.test(`no leak: train (${engine.name} engine)`, async () => {
    const options = { epochs: 2, batchSize: 4, live: false, seed: 1, engine };
    await assertNoLeak(
      `train classification ${engine.name}`,
      () => train(classifier, data.x, data.y, options),
    );
    await assertNoLeak(
      `train regression ${engine.name}`,
      () => train(regressor, regression.x, regression.y, { ...options, validationSplit: 0 }),
    );
    const x = tf.tensor2d(data.x);
    const y = tf.tensor1d(data.y);
    await assertNoLeak(`train tensors ${engine.name}`, () => train(classifier, x, y, options));
    tf.dispose([x, y]);
  });
}

Deno.test("no leak: plotHistory", async () => {
  await assertNoLeak("plotHistory", async () => (await plotHistory(history)).toSVG());
});

Deno.test("no leak: saveModel and loadModel", async () => {
  const dir = join(await Deno.makeTempDir(), "model");
  await assertNoLeak("saveModel", () => saveModel(classifier, dir));
  await assertNoLeak("loadModel", async () => (await loadModel(dir)).dispose());
  await Deno.remove(dir, { recursive: true });
});
